import { isEvicted } from '../../cluster/pod-roles.js';
import { finding } from '../findings.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';
import { scanSubjects } from '../subjects.js';

/** A Deployment or StatefulSet with replicas: 1 whose pod runs on the pool: it is down while its node drains. */
export function singleReplica(input: PrecheckInput): Finding[] {
  const findings: Finding[] = [];
  for (const subject of scanSubjects(input.snapshot)) {
    const { workload } = subject;
    if (!workload || (workload.ref.kind !== 'Deployment' && workload.ref.kind !== 'StatefulSet')) continue;
    if (workload.replicas !== 1) continue;
    const running = subject.pods.filter(isEvicted).map((p) => p.nodeName ?? '');
    if (running.length === 0) continue;
    running.sort();
    findings.push(
      finding(
        'single-replica',
        'warning',
        subject.ref,
        `runs a single replica (on ${running[0]}): it is down while that node drains`,
        'Scale it to 2 or more replicas (spread over nodes, with a PDB) before the migration, or accept a short outage.',
      ),
    );
  }
  return findings;
}
