import { finding, listText } from '../findings.js';
import { dockerSocketMatch, isDockerDataPath, isNodeManagedPath } from '../host-paths.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';
import { scanSubjects } from '../subjects.js';

/**
 * A hostPath some container mounts writable (a volume mounted readOnly everywhere is not), outside the paths
 * that hold no data of their own (host-paths.ts, NODE_MANAGED_PATHS): its data is on the system disk, which the
 * in-place upgrade replaces. Paths already reported as docker-socket or docker-data-dir are not repeated.
 */
export function systemDiskHostpath(input: PrecheckInput): Finding[] {
  const findings: Finding[] = [];
  for (const subject of scanSubjects(input.snapshot)) {
    const paths = subject.hostPaths
      .filter(
        (h) => h.writable && !dockerSocketMatch(h.path) && !isDockerDataPath(h.path) && !isNodeManagedPath(h.path),
      )
      .map((h) => h.normal);
    if (paths.length === 0) continue;
    findings.push(
      finding(
        'system-disk-hostpath',
        'warning',
        subject.ref,
        `writes to ${listText(paths)} on the host: that data is on the system disk, which the upgrade replaces`,
        'Move the data to a PersistentVolume or a data disk (data disks are kept); if the path is a data-disk mount on every node, this can be ignored.',
      ),
    );
  }
  return findings;
}
