/**
 * PodDisruptionBudget status as the Kubernetes disruption controller computes it, live from the
 * world's pods: expectedPods from the controllers' replicas, desiredHealthy, currentHealthy and
 * disruptionsAllowed = max(0, currentHealthy − desiredHealthy).
 */
import { matches } from './labels.js';
import type { PdbRecord, PdbStatus, PodGroup, PodRecord } from './types.js';
import type { Workloads } from './workloads.js';

/** `intstr.GetScaledValueFromIntOrPercent(…, roundUp = true)`. */
export function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  return Number(value);
}

export function pdbStatus(workloads: Workloads, pdb: PdbRecord, now: number): PdbStatus {
  return statusFor(workloads, pdb, workloads.pdbPods(pdb), now);
}

export function statusFor(workloads: Workloads, pdb: PdbRecord, pods: PodRecord[], now: number): PdbStatus {
  const spec = pdb.object.spec ?? {};
  const minAvailable = spec['minAvailable'] as number | string | undefined;
  const maxUnavailable = spec['maxUnavailable'] as number | string | undefined;
  let expectedPods: number;
  let desiredHealthy: number;
  if (maxUnavailable !== undefined) {
    expectedPods = controllerReplicas(workloads, pods);
    desiredHealthy = Math.max(0, expectedPods - scaled(maxUnavailable, expectedPods));
  } else if (typeof minAvailable === 'number') {
    expectedPods = pods.length;
    desiredHealthy = minAvailable;
  } else if (typeof minAvailable === 'string') {
    expectedPods = controllerReplicas(workloads, pods);
    desiredHealthy = scaled(minAvailable, expectedPods);
  } else {
    // Neither field: the API server defaults minAvailable to 1.
    expectedPods = pods.length;
    desiredHealthy = 1;
  }
  expireDisrupted(pdb, pods, now);
  let currentHealthy = 0;
  for (const p of pods) if (workloads.podReady(p) && !pdb.disruptedPods.has(p.name)) currentHealthy++;
  const disruptionsAllowed = expectedPods <= 0 ? 0 : Math.max(0, currentHealthy - desiredHealthy);
  return { currentHealthy, desiredHealthy, disruptionsAllowed, expectedPods };
}

/** Entries leave disruptedPods when the pod is gone or after the controller's two-minute DeletionTimeout. */
function expireDisrupted(pdb: PdbRecord, pods: PodRecord[], now: number): void {
  if (pdb.disruptedPods.size === 0) return;
  const names = new Set(pods.map((p) => p.name));
  for (const [name, at] of pdb.disruptedPods) {
    if (!names.has(name) || now - at > 120_000) pdb.disruptedPods.delete(name);
  }
}

/** Σ spec.replicas of the distinct controllers of the selected pods (a Deployment counts through its RS). */
function controllerReplicas(workloads: Workloads, pods: PodRecord[]): number {
  const seen = new Set<PodGroup>();
  let total = 0;
  for (const p of pods) {
    if (!p.group) {
      total += 1;
      continue;
    }
    if (seen.has(p.group)) continue;
    seen.add(p.group);
    const scaleOwner = p.group.owner ?? p.group.object;
    const replicas = scaleOwner.spec?.['replicas'];
    total += typeof replicas === 'number' ? replicas : workloads.desired(p.group);
  }
  return total;
}

/** The PDBs of the pod's namespace whose selector matches the pod. */
export function pdbsForPod(workloads: Workloads, pod: PodRecord): PdbRecord[] {
  const out: PdbRecord[] = [];
  for (const pdb of workloads.pdbs.values()) {
    if (pdb.namespace !== pod.namespace) continue;
    if (matches(pdb.selector, pod.labels)) out.push(pdb);
  }
  return out;
}
