/** A Redis outage seen from the bot (src/app/redis-outage.ts): changes refused up front, audit entries retried. */
import { describe, expect, it } from 'vitest';
import { durableAuditLog, REDIS_UNAVAILABLE_MESSAGE, refuseWhileRedisDown } from '../../../src/app/redis-outage.js';
import type { AuditEntry } from '../../../src/domain/audit/audit-entry.js';
import type { MigrationService } from '../../../src/ports/migration-service.js';

describe('Redis outage', () => {
  it('refuses a decision while Redis does not answer, with "Redis unavailable, try again"; reads pass', async () => {
    let up = false;
    const calls: string[] = [];
    const service = {
      decide: async () => {
        calls.push('decide');
        return { ok: true };
      },
      status: async () => {
        calls.push('status');
        return [];
      },
    } as unknown as MigrationService;
    const guarded = refuseWhileRedisDown(service, async () => up);
    await expect(
      guarded.decide({
        migrationId: 'm',
        decision: 'approve',
        actor: { platform: 'slack', channel: 'C', userId: 'U' },
      }),
    ).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', message: REDIS_UNAVAILABLE_MESSAGE });
    expect(calls).toEqual([]);
    await guarded.status();
    up = true;
    await guarded.decide({
      migrationId: 'm',
      decision: 'approve',
      actor: { platform: 'slack', channel: 'C', userId: 'U' },
    });
    expect(calls).toEqual(['status', 'decide']);
  });

  it('writes the audit entry of an applied change once Redis is back, instead of dropping it', async () => {
    let failures = 3;
    const written: unknown[] = [];
    const log = durableAuditLog(
      {
        append: async (entry) => {
          if (failures-- > 0) throw new Error('Connection is closed.');
          written.push(entry);
          return { ...entry, id: '1', at: 'now' } as AuditEntry;
        },
        list: async () => [],
      },
      { sleep: async () => undefined },
    );
    const entry = await log.append({
      platform: 'slack',
      userId: 'U',
      action: 'approve',
      outcome: 'ok',
    } as Omit<AuditEntry, 'id' | 'at'>);
    expect(entry.id).toBe('1');
    expect(written).toHaveLength(1);
  });
});
