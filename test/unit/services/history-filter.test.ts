import { describe, expect, it } from 'vitest';
import { MigrationHarness } from '../../support/fakes/migration-harness.js';

// History is the record of what changed and who decided: lookups and malformed commands are kept in the audit
// log but left out of `history` unless asked for (--all); refusals of changes stay in.
describe('MigrationService.history', () => {
  async function seeded() {
    const h = new MigrationHarness();
    const who = { platform: 'slack' as const, userId: 'U1' };
    await h.service.audit({ ...who, action: 'start', pool: 'pool-a', outcome: 'ok', migrationId: 'mig-pool-a-1' });
    for (let i = 0; i < 60; i++) {
      await h.service.audit({ ...who, action: 'status', pool: 'pool-a', outcome: 'ok' });
      await h.service.audit({ ...who, action: 'faq', outcome: 'ok' });
    }
    await h.service.audit({ ...who, action: 'command', outcome: 'refused', detail: 'unknown verb "stauts"' });
    await h.service.audit({ ...who, action: 'history', outcome: 'ok' });
    await h.service.audit({ ...who, action: 'help', outcome: 'ok' });
    await h.service.audit({ ...who, action: 'precheck', pool: 'pool-a', outcome: 'ok' });
    await h.service.audit({ ...who, action: 'status', pool: 'pool-a', outcome: 'refused', detail: 'not here' });
    await h.service.audit({ ...who, action: 'approve', pool: 'pool-a', outcome: 'ok', batch: 1 });
    await h.service.audit({ ...who, action: 'abort', pool: 'pool-a', outcome: 'refused', detail: 'not an approver' });
    await h.service.audit({ ...who, action: 'cleanup-finished', pool: 'pool-a', outcome: 'ok' });
    return h;
  }

  it('by default: starts, decisions, refusals of decisions and system actions, newest first', async () => {
    const h = await seeded();
    const entries = await h.service.history(undefined, 50);
    expect(entries.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'cleanup-finished:ok',
      'abort:refused',
      'approve:ok',
      'start:ok',
    ]);
  });

  it('the limit counts the entries shown, not the lookups skipped', async () => {
    const h = await seeded();
    expect(await h.service.history('pool-a', 2)).toHaveLength(2);
    expect((await h.service.history(undefined, 4)).at(-1)?.action).toBe('start');
  });

  it('with all: every entry, lookups and malformed commands included', async () => {
    const h = await seeded();
    const entries = await h.service.history(undefined, 1000, { all: true });
    expect(entries).toHaveLength(129);
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['status', 'faq', 'command', 'help']));
  });
});
