/**
 * Which node a pod may run on: nodeSelector, taints vs tolerations, cordons and readiness, as the scheduler and
 * the DaemonSet controller decide it (no resources, no affinity: the sandbox checks drains, not bin-packing).
 */
import { matches, type Requirement } from './labels.js';
import type { NodeRecord, Taint, Toleration } from './types.js';

/** A kubelet's default pod limit. */
export const MAX_PODS_PER_NODE = 110;

/** DaemonSet pods tolerate these automatically (the DaemonSet controller adds them). */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists' },
  { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists' },
];

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

/** The taints the node controller derives from state, plus those set through the API. */
export function effectiveTaints(node: NodeRecord): Taint[] {
  const out = [...node.taints];
  const add = (t: Taint) => {
    if (!out.some((o) => o.key === t.key && o.effect === t.effect)) out.push(t);
  };
  if (node.unschedulable) add({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
  if (!node.ready) {
    add({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
    add({ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' });
  }
  return out;
}

export function toleratesAll(node: NodeRecord, tolerations: Toleration[], daemon: boolean): boolean {
  const all = daemon ? [...tolerations, ...DAEMON_TOLERATIONS] : tolerations;
  for (const taint of effectiveTaints(node)) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!all.some((t) => tolerates(t, taint))) return false;
  }
  return true;
}

/** An ordinary pod: the node must be schedulable, Ready (not-ready taint) and match selector and taints. */
export function fitsNode(node: NodeRecord, nodeSelector: Requirement[], tolerations: Toleration[]): boolean {
  return matches(nodeSelector, node.labels) && toleratesAll(node, tolerations, false);
}

/** A DaemonSet pod ignores cordons and readiness, but not its nodeSelector or other taints. */
export function fitsDaemonNode(node: NodeRecord, nodeSelector: Requirement[], tolerations: Toleration[]): boolean {
  return matches(nodeSelector, node.labels) && toleratesAll(node, tolerations, true);
}

export function nodeSelectorOf(spec: Record<string, unknown>): Requirement[] {
  const selector = (spec['nodeSelector'] ?? {}) as Record<string, string>;
  return Object.entries(selector).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
}

export function tolerationsOf(spec: Record<string, unknown>): Toleration[] {
  return Array.isArray(spec['tolerations']) ? (spec['tolerations'] as Toleration[]) : [];
}
