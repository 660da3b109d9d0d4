import { finding, plural } from '../findings.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';
import { scanSubjects } from '../subjects.js';

/** Workloads whose pods on the pool use emptyDir: the drain deletes that data with the pods. */
export function emptydir(input: PrecheckInput): Finding[] {
  return scanSubjects(input.snapshot)
    .filter((s) => s.podsWithEmptyDir > 0)
    .map((s) =>
      finding(
        'emptydir',
        'info',
        s.ref,
        `${plural(s.podsWithEmptyDir, 'pod')} on the pool ${s.podsWithEmptyDir === 1 ? 'uses' : 'use'} emptyDir volumes: their contents are lost when drained`,
        'Fine for caches and scratch space; keep anything that must survive in a PersistentVolume.',
      ),
    );
}
