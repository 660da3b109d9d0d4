import { finding, listText } from '../findings.js';
import { isDockerDataPath } from '../host-paths.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';
import { scanSubjects } from '../subjects.js';

/** A hostPath under /var/lib/docker: typically a log collector reading Docker's json-file logs. */
export function dockerDataDir(input: PrecheckInput): Finding[] {
  const findings: Finding[] = [];
  for (const subject of scanSubjects(input.snapshot)) {
    const paths = subject.hostPaths.filter((h) => isDockerDataPath(h.path)).map((h) => h.normal);
    if (paths.length === 0) continue;
    findings.push(
      finding(
        'docker-data-dir',
        'warning',
        subject.ref,
        `mounts ${listText(paths)} from the host (Docker's data directory, which containerd does not use)`,
        'With containerd, container logs are under /var/log/pods (symlinks in /var/log/containers) in CRI format, not json-file: point the collector there and switch its parser to CRI.',
      ),
    );
  }
  return findings;
}
