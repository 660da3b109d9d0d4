/**
 * Test-only crash switch: ACK_MIGRATE_TEST_KILL_AT=<step>:<point> makes the worker process SIGKILL itself the
 * first time it reaches that point, so crash tests can kill it at every step boundary. Unset in production.
 */
import type { KillPoint } from '../../domain/migration/pipeline.js';

export type KillSwitch = (point: KillPoint) => void;

export const noKill: KillSwitch = () => {};

export function killSwitch(
  target: string | undefined,
  onKill: () => void = () => process.kill(process.pid, 'SIGKILL'),
): KillSwitch {
  if (!target) return noKill;
  return (point) => {
    if (point === target) onKill();
  };
}
