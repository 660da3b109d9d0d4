/** What every precheck rule reads: the cluster, the pool, its snapshot, ACK's own check and the parallelism. */
import { ACK_MAX_PARALLEL, defaultMaxParallel } from '../batch-schedule.js';
import type { AckCheckItem, ClusterFacts, ClusterSnapshot, NodePoolFacts } from '../cluster/snapshot.js';

/**
 * The containerd ACK installs on this cluster (DescribeKubernetesVersionMetadata for its Kubernetes version), or
 * why it is not known: `none` when ACK offers none (the migration cannot run), `unknown` when the lookup failed.
 */
export type ContainerdTarget =
  | { kind: 'version'; runtimeVersion: string }
  | { kind: 'none' }
  | { kind: 'unknown'; reason: string };

export interface PrecheckInput {
  cluster: ClusterFacts;
  /** Undefined: not looked up (a plan from a node count, unit inputs). */
  containerd?: ContainerdTarget | undefined;
  pool: NodePoolFacts;
  snapshot: ClusterSnapshot;
  ackChecks: AckCheckItem[];
  /** The parallelism the plan should use (`--max-parallel`); undefined → 10% of the nodes, 1..10. */
  maxParallel: number | undefined;
  /** What the user asked for, when it differs from `maxParallel` (e.g. the caller already clamped it). */
  requestedMaxParallel?: number | undefined;
}

/** Nodes the precheck and the plan are about: the snapshot's nodes (the pool as Kubernetes sees it). */
export function poolNodeCount(input: PrecheckInput): number {
  return input.snapshot.nodes.length;
}

/** The parallelism the user explicitly asked for, if any. */
export function requestedParallelism(input: PrecheckInput): number | undefined {
  return input.requestedMaxParallel ?? input.maxParallel;
}

/** The parallelism the plan uses: the request (or the default), never above ACK's maximum of 10. */
export function effectiveMaxParallel(input: PrecheckInput): number {
  const requested = input.maxParallel ?? defaultMaxParallel(poolNodeCount(input));
  return Math.min(requested, ACK_MAX_PARALLEL);
}
