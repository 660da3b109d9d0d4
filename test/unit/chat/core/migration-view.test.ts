import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  currentBatch,
  type MigrationView,
  openFailure,
  openRequest,
} from '../../../../src/chat/core/migration-view.js';
import type { ApprovalRequest, BatchInfo, MigrationSummary } from '../../../../src/domain/migration/events.js';
import { summary } from '../../bot/fake-migration-service.js';

const info: BatchInfo = { index: 1, nodes: ['n1', 'n2'], evictions: [] };
const approval: ApprovalRequest = { nonce: 'a1', expiresAt: '', subject: 'batch', approvers: [] };
const at = '2026-01-01T00:00:00Z';
const s = (patch: Partial<MigrationSummary> = {}) => summary(patch);

function awaiting(): MigrationView {
  return applyEvent(undefined, {
    type: 'batch.awaiting-approval',
    at,
    migration: s({ state: 'awaiting-approval' }),
    batch: info,
    approval,
    lastBatch: undefined,
  });
}

describe('migration view', () => {
  it('closes an open approval when the migration is paused or aborted, saying by whom', () => {
    const view = applyEvent(awaiting(), {
      type: 'migration.state',
      at,
      migration: s({ state: 'paused' }),
      by: 'U-boss',
      reason: 'not tonight',
    });
    expect(view.batches[1]).toMatchObject({ phase: 'stopped', resolution: 'Paused by U-boss: not tonight' });
    expect(view.batches[1]?.approval).toBeUndefined();
  });

  it('keeps a failure open while paused and closes it once the migration moves on', () => {
    let view = applyEvent(undefined, {
      type: 'migration.failed',
      at,
      migration: s({ state: 'paused' }),
      batch: 1,
      node: 'n2',
      reason: 'boom',
      approval,
    });
    view = applyEvent(view, { type: 'migration.state', at, migration: s({ state: 'paused' }) });
    expect(openFailure(view)?.reason).toBe('boom');
    expect(view.batches[1]?.progress.n2?.step).toBe('failed');
    view = applyEvent(view, { type: 'migration.state', at, migration: s({ state: 'running' }), by: 'U-boss' });
    expect(openFailure(view)).toBeUndefined();
    expect(view.failures[0]?.resolution).toBe('Resumed by U-boss');
  });

  it('ignores a repeated node step (at-least-once delivery) and records new ones in order', () => {
    let view = applyEvent(awaiting(), { type: 'batch.started', at, migration: s(), batch: info, approvedBy: 'U-boss' });
    const entry = { node: 'n1', step: 'cordon' as const, at: '2026-01-01T00:01:00Z' };
    view = applyEvent(view, { type: 'node.step', at, migration: s(), batch: 1, entry });
    view = applyEvent(view, { type: 'node.step', at, migration: s(), batch: 1, entry });
    view = applyEvent(view, {
      type: 'node.step',
      at,
      migration: s(),
      batch: 1,
      entry: { node: 'n1', step: 'drain', at: '2026-01-01T00:01:05Z' },
    });
    expect(view.batches[1]?.progress.n1?.steps.map((x) => x.step)).toEqual(['cordon', 'drain']);
    expect(view.batches[1]?.progress.n2?.step).toBe('pending');
    expect(view.batches[1]?.approvedBy).toBe('U-boss');
    expect(currentBatch(view)?.index).toBe(1);
  });

  it('builds a batch from node steps alone when its start was missed (bot restarted mid-batch)', () => {
    const view = applyEvent(undefined, {
      type: 'node.step',
      at,
      migration: s(),
      batch: 3,
      entry: { node: 'n9', step: 'init', at },
    });
    expect(view.batches[3]?.nodes).toEqual(['n9']);
  });

  it('keeps approvals that are not about a batch apart from the batches, and closes them when answered', () => {
    let view = applyEvent(undefined, {
      type: 'batch.awaiting-approval',
      at,
      migration: s({ state: 'awaiting-approval' }),
      batch: { index: 0, nodes: [], evictions: [] },
      approval: { ...approval, nonce: 'o1', subject: 'override-blockers' },
      lastBatch: undefined,
    });
    expect(view.batches).toEqual({});
    expect(openRequest(view)?.subject).toBe('override-blockers');
    view = applyEvent(view, { type: 'migration.state', at, migration: s({ state: 'running' }), by: 'U-boss' });
    expect(openRequest(view)).toBeUndefined();
    expect(view.requests[0]?.resolution).toBe('Approved by U-boss');
  });
});
