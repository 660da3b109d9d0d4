/**
 * Cleanup after an in-place migration: the old Docker directory stays on the data disk (the system disk was
 * replaced, data disks are kept). The script runs through ECS Cloud Assistant (RunCommand) and prints one
 * `freed_bytes=<n>` line, so the worker can report the space freed per node. It refuses to run where dockerd
 * still runs, and removes the directory's contents (the directory may be the data disk's mount point).
 */

export const DOCKER_DIR = '/var/lib/docker';

export function cleanupScript(): string {
  return [
    'set -u',
    'if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker; then',
    '  echo "ack-migrate-error=dockerd is still running"; exit 3',
    'fi',
    'freed=0',
    `if [ -d ${DOCKER_DIR} ] && [ ! -L ${DOCKER_DIR} ]; then`,
    `  n=$(du -sb ${DOCKER_DIR} 2>/dev/null | cut -f1); freed=$((n + 0))`,
    `  rm -rf --one-file-system ${DOCKER_DIR}/* ${DOCKER_DIR}/.[!.]* 2>/dev/null`,
    'fi',
    'echo "freed_bytes=$freed"',
  ].join('\n');
}

export type CleanupOutcome = { ok: true; freedBytes: number } | { ok: false; reason: string };

export function parseCleanupOutput(output: string, exitCode: number | undefined): CleanupOutcome {
  const error = /ack-migrate-error=(.*)/.exec(output);
  if (error) return { ok: false, reason: error[1]!.trim() };
  const freed = /freed_bytes=(\d+)/.exec(output);
  if (freed && (exitCode === undefined || exitCode === 0)) return { ok: true, freedBytes: Number(freed[1]) };
  return {
    ok: false,
    reason: `cleanup exited with ${exitCode ?? 'no code'}: ${output.trim().slice(-200) || 'no output'}`,
  };
}
