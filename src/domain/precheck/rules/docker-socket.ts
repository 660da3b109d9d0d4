import { finding, listText } from '../findings.js';
import { dockerSocketMatch } from '../host-paths.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';
import { scanSubjects } from '../subjects.js';

/**
 * A hostPath to docker.sock / dockershim.sock, or to a directory above it (`/`, `/var`, `/var/run`, `/run`,
 * `/var/run/docker`, `/run/docker`). readOnly does not help: connecting to a Unix socket ignores a read-only
 * mount, so any such mount reaches the Docker daemon, which containerd nodes do not have.
 */
export function dockerSocket(input: PrecheckInput): Finding[] {
  const findings: Finding[] = [];
  for (const subject of scanSubjects(input.snapshot)) {
    const sockets: string[] = [];
    const parents: string[] = [];
    for (const hostPath of subject.hostPaths) {
      const match = dockerSocketMatch(hostPath.path);
      if (match === 'socket') sockets.push(hostPath.normal);
      else if (match === 'parent') parents.push(hostPath.normal);
    }
    if (sockets.length === 0 && parents.length === 0) continue;
    const parts: string[] = [];
    if (sockets.length > 0) parts.push(`mounts ${listText(sockets)} from the host`);
    if (parents.length > 0)
      parts.push(
        `mounts ${listText(parents)} from the host, which ${parents.length === 1 ? 'holds' : 'hold'} docker.sock`,
      );
    findings.push(
      finding(
        'docker-socket',
        'blocker',
        subject.ref,
        parts.join('; '),
        sockets.length > 0
          ? 'containerd nodes have no Docker socket: upgrade the agent to a containerd-aware version (CRI socket /run/containerd/containerd.sock) or remove the mount; build images with kaniko or BuildKit instead.'
          : 'If it talks to Docker through this directory it breaks on containerd: upgrade it to a containerd-aware version; otherwise mount only the paths it needs.',
      ),
    );
  }
  return findings;
}
