import { pdbCoverage } from '../../cluster/pool-index.js';
import type { PdbFacts, PodFacts } from '../../cluster/snapshot.js';
import { finding, listText, plural } from '../findings.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';

/**
 * A PDB that selects pods a drain must evict on the pool and allows no eviction: disruptionsAllowed 0 now
 * (maxUnavailable 0, minAvailable = its pods or 100%, or too few healthy pods), or a PDB that shares a pod
 * with another PDB — the eviction API refuses such pods outright (HTTP 500), so the drain cannot finish either.
 * DaemonSet and mirror pods are not evicted and do not count. One finding per PDB, with every reason.
 */
export function pdbBlocking(input: PrecheckInput): Finding[] {
  const { podsByPdb, pdbsByPod } = pdbCoverage(input.snapshot);
  const overlaps = new Map<PdbFacts, { pod: PodFacts; others: Set<string> }>();
  for (const [pod, pdbs] of pdbsByPod) {
    if (pdbs.length < 2) continue;
    for (const pdb of pdbs) {
      const entry = overlaps.get(pdb) ?? { pod, others: new Set<string>() };
      // Name the first shared pod by name, so the message does not depend on the order pods were listed in.
      if (pod.name < entry.pod.name) entry.pod = pod;
      for (const other of pdbs) if (other !== pdb) entry.others.add(other.name);
      overlaps.set(pdb, entry);
    }
  }
  const findings: Finding[] = [];
  for (const [pdb, pods] of podsByPdb) {
    const reasons: string[] = [];
    const hints: string[] = [];
    if (pdb.disruptionsAllowed <= 0) {
      reasons.push(`allows no disruption now (${whyZero(pdb)}) and covers ${plural(pods.length, 'pod')} on the pool`);
      hints.push(
        'Relax the PDB (maxUnavailable 1 or more, or minAvailable below the replica count) or scale the workload up before the migration.',
      );
    }
    const overlap = overlaps.get(pdb);
    if (overlap) {
      reasons.push(
        `shares pod ${overlap.pod.name} with PDB ${listText([...overlap.others].sort())}: the eviction API refuses pods with more than one PDB`,
      );
      hints.push('Make the PDB selectors disjoint so that every pod has at most one PDB.');
    }
    if (reasons.length === 0) continue;
    findings.push(
      finding(
        'pdb-blocking',
        'blocker',
        { kind: 'PodDisruptionBudget', namespace: pdb.namespace, name: pdb.name },
        `${reasons.join('; ')}: their drain cannot finish`,
        hints.join(' '),
      ),
    );
  }
  return findings;
}

function whyZero(pdb: PdbFacts): string {
  if (pdb.maxUnavailable === 0 || pdb.maxUnavailable === '0%') return `maxUnavailable ${pdb.maxUnavailable}`;
  if (pdb.minAvailable === '100%') return 'minAvailable 100%';
  if (typeof pdb.minAvailable === 'number' && pdb.minAvailable >= pdb.expectedPods)
    return `minAvailable ${pdb.minAvailable} with ${plural(pdb.expectedPods, 'pod')}`;
  return `${pdb.currentHealthy} healthy, ${pdb.desiredHealthy} required`;
}
