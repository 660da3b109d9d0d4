/**
 * The eviction subresource as the Kubernetes API server implements it (a pod that is not Running, or already deleting,
 * goes without a PDB check; more than one matching PDB is a 500; a budget with no disruption left is a 429). Both the
 * HTTP API and World.drainNode go through here, so a PDB refuses a kubectl drain and a simulated ACK drain the same
 * way.
 */
import { pdbStatus, pdbsForPod } from './pdb.js';
import type { EvictionResult } from './types.js';
import type { Workloads } from './workloads.js';

export const TOO_MANY_PDBS =
  'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
export const WOULD_VIOLATE = "Cannot evict pod as it would violate the pod's disruption budget.";

export function evictPod(
  workloads: Workloads,
  namespace: string,
  name: string,
  now: number,
  options: { dryRun?: boolean } = {},
): EvictionResult {
  const pod = workloads.pods.get(namespace, name);
  if (!pod) return { code: 404, message: `pods "${name}" not found` };
  const remove = (): EvictionResult => {
    if (!options.dryRun) workloads.deletePod(pod);
    return { code: 201, message: 'Success' };
  };
  if (pod.phase !== 'Running' || pod.deletionTimestamp !== undefined) return remove();
  const pdbs = pdbsForPod(workloads, pod);
  if (pdbs.length > 1) return { code: 500, message: TOO_MANY_PDBS };
  const pdb = pdbs[0];
  if (!pdb) return remove();
  const status = pdbStatus(workloads, pdb, now);
  if (!workloads.podReady(pod)) {
    const policy = pdb.object.spec?.['unhealthyPodEvictionPolicy'];
    if (policy === 'AlwaysAllow') return remove();
    if (status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0) return remove();
  }
  if (status.disruptionsAllowed <= 0) {
    return {
      code: 429,
      message: WOULD_VIOLATE,
      pdb: `${pdb.namespace}/${pdb.name}`,
      cause: `The disruption budget ${pdb.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
    };
  }
  // The pod is deleted at once (no grace period here), so the budget's next count already misses it: nothing
  // needs to wait in status.disruptedPods.
  return remove();
}
