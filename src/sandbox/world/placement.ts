/**
 * Where a new pod goes: at build time round-robin over the fitting nodes (150,000 pods in a blink), later the
 * fitting node with the fewest pods of the same group, then the fewest pods overall (spreads replicas, as the
 * default scheduler's spreading and least-allocated scores roughly do).
 */
import type { Requirement } from './labels.js';
import type { PodStore } from './pod-store.js';
import { fitsNode, MAX_PODS_PER_NODE } from './scheduling.js';
import type { NodeRecord, PodGroup, Toleration } from './types.js';

export interface NodeSource {
  nodeList(): readonly NodeRecord[];
  readonly nodesVersion: number;
}

export class Placement {
  /** Fitting nodes per (selector, tolerations), valid while the nodes are unchanged. */
  private readonly eligible = new Map<string, { version: number; nodes: NodeRecord[]; cursor: number }>();

  constructor(
    private readonly nodes: NodeSource,
    private readonly pods: PodStore,
    private readonly building: () => boolean,
  ) {}

  choose(selector: Requirement[], tolerations: Toleration[], group: PodGroup | undefined): NodeRecord | undefined {
    const key = JSON.stringify([selector, tolerations]);
    let entry = this.eligible.get(key);
    if (!entry || entry.version !== this.nodes.nodesVersion) {
      const fitting = this.nodes.nodeList().filter((n) => fitsNode(n, selector, tolerations));
      entry = { version: this.nodes.nodesVersion, nodes: fitting, cursor: entry?.cursor ?? 0 };
      this.eligible.set(key, entry);
    }
    const nodes = entry.nodes;
    if (nodes.length === 0) return undefined;
    if (this.building()) {
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[entry.cursor++ % nodes.length]!;
        if (this.pods.countOnNode(node.name) < MAX_PODS_PER_NODE) return node;
      }
      return undefined;
    }
    const siblings = new Map<string, number>();
    for (const p of group?.pods ?? []) if (p.nodeName) siblings.set(p.nodeName, (siblings.get(p.nodeName) ?? 0) + 1);
    let best: NodeRecord | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const node of nodes) {
      const count = this.pods.countOnNode(node.name);
      if (count >= MAX_PODS_PER_NODE) continue;
      const score = (siblings.get(node.name) ?? 0) * 1_000_000 + count;
      if (score < bestScore) {
        best = node;
        bestScore = score;
      }
    }
    return best;
  }
}
