/**
 * Cleanup after an in-place migration: the old Docker directory stays on the data disk (the system disk was
 * replaced, data disks are kept). The script runs through ECS Cloud Assistant (RunCommand) and prints one
 * `ack-migrate-freed-bytes=<n>` line, so the worker can report the space freed per node.
 */

export const DOCKER_DIRS = ['/var/lib/docker', '/var/lib/container/docker'] as const;

/** Refuses to touch a node where dockerd still runs: only migrated nodes are cleaned. */
export function cleanupScript(): string {
  return [
    'set -u',
    'if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker; then',
    '  echo "ack-migrate-error=dockerd is still running"; exit 3',
    'fi',
    'freed=0',
    `for d in ${DOCKER_DIRS.join(' ')}; do`,
    '  if [ -d "$d" ] && [ ! -L "$d" ]; then',
    '    n=$(du -sb "$d" 2>/dev/null | cut -f1); n=$((n + 0)); freed=$((freed + n)); rm -rf --one-file-system "$d"',
    '  fi',
    'done',
    'echo "ack-migrate-freed-bytes=$freed"',
  ].join('\n');
}

export type CleanupOutcome = { ok: true; freedBytes: number } | { ok: false; reason: string };

export function parseCleanupOutput(output: string, exitCode: number | undefined): CleanupOutcome {
  const error = /ack-migrate-error=(.*)/.exec(output);
  if (error) return { ok: false, reason: error[1]!.trim() };
  const freed = /ack-migrate-freed-bytes=(\d+)/.exec(output);
  if (freed && (exitCode === undefined || exitCode === 0)) return { ok: true, freedBytes: Number(freed[1]) };
  return {
    ok: false,
    reason: `cleanup exited with ${exitCode ?? 'no code'}: ${output.trim().slice(-200) || 'no output'}`,
  };
}
