import { describe, expect, it } from 'vitest';
import { applyDecision, checkDecision } from '../../../../src/domain/migration/decisions.js';
import { summarize } from '../../../../src/domain/migration/record.js';
import {
  abortNow,
  advance,
  complete,
  markStarted,
  nextAction,
  parkUntil,
  requestApproval,
  stopTheLine,
} from '../../../../src/domain/migration/state-machine.js';
import { planned, T0 } from './fixtures.js';

const ctx = { windowsConfigured: false };
const later = (s: number) => new Date(T0.getTime() + s * 1000);
const approver = { platform: 'slack' as const, userId: 'U_APP', at: T0.toISOString() };

describe('nextAction', () => {
  it('runs the cursor while nothing is pending', () => {
    expect(nextAction(planned(), T0)).toEqual({ type: 'run', cursor: { step: 'plan', batch: 0, phase: 'pending' } });
  });

  it('parks until the approval expires, then expires it', () => {
    const r = requestApproval(planned(), { subject: 'batch', batch: 1, nonce: 'n1', ttlSeconds: 60, now: T0 });
    expect(r.state).toBe('awaiting-approval');
    expect(nextAction(r, later(30))).toEqual({ type: 'park', until: later(60) });
    expect(nextAction(r, later(60))).toEqual({ type: 'expire' });
  });

  it('keeps the reason of a question while it waits, and clears an old one when none is given', () => {
    const asked = requestApproval(
      { ...planned(), reason: 'an earlier pause' },
      { subject: 'override-blockers', batch: 0, nonce: 'n1', ttlSeconds: 60, now: T0, reason: '2 blocker(s)' },
    );
    expect(asked.reason).toBe('2 blocker(s)');
    const plain = requestApproval(asked, { subject: 'batch', batch: 1, nonce: 'n2', ttlSeconds: 60, now: T0 });
    expect(plain.reason).toBeUndefined();
  });

  it('parks on a time (window, soak) and runs once it has passed', () => {
    const r = parkUntil(planned(), 'soaking', later(600), 'soak', T0);
    expect(nextAction(r, later(1))).toEqual({ type: 'park', until: later(600) });
    expect(nextAction(r, later(600)).type).toBe('run');
  });

  it('lets a batch that ran be verified before a typed pause takes effect', () => {
    const r = { ...planned(), control: { pause: approver } };
    expect(nextAction({ ...r, cursor: { step: 'verify', batch: 1, phase: 'pending' } }, T0).type).toBe('run');
    expect(nextAction({ ...r, cursor: { step: 'approval', batch: 2, phase: 'pending' } }, T0).type).toBe('pause');
  });

  it('honours a typed abort before a pause, and ends terminal migrations', () => {
    const r = { ...planned(), control: { pause: approver, abort: approver } };
    expect(nextAction(r, T0).type).toBe('abort');
    expect(nextAction(complete(planned(), T0), T0)).toEqual({ type: 'end' });
    expect(nextAction(abortNow(planned(), approver, T0), T0)).toEqual({ type: 'end' });
  });
});

describe('transitions', () => {
  it('writes ahead before a destructive call and advances to a pending next step', () => {
    const started = markStarted({ ...planned(), cursor: { step: 'execute', batch: 1, phase: 'pending' } }, T0);
    expect(started.cursor.phase).toBe('started');
    const next = advance(started, ctx, later(1));
    expect(next.cursor).toEqual({ step: 'verify', batch: 1, phase: 'pending' });
  });

  it('stops the line: paused, reason recorded, batch failed, a failure question open', () => {
    const r = stopTheLine(
      { ...planned(), cursor: { step: 'verify', batch: 2, phase: 'pending' } },
      { batch: 2, node: 'pool-a-3', reason: 'pool-a-3 is not Ready after 10m' },
      'nf',
      T0,
    );
    expect(r.state).toBe('paused');
    expect(r.reason).toContain('pool-a-3');
    expect(r.pending).toMatchObject({ kind: 'failure', nonce: 'nf', batch: 2, node: 'pool-a-3' });
    expect(r.batches[1]!.state).toBe('failed');
    expect(nextAction(r, T0)).toEqual({ type: 'park', until: undefined });
    expect(summarize(r).reason).toContain('not Ready');
  });
});

describe('summary ETA', () => {
  it("counts the plan's own minutes per batch, not a fixed 8", () => {
    // 2 batches planned at 15 min each (settings.minutesPerBatch = 15), on batch 2: one batch left.
    const r = planned({ cursor: { step: 'execute', batch: 2, phase: 'pending' } });
    const slow = { ...r, plan: { ...r.plan!, estimatedMinutes: 30 } };
    expect(summarize(slow).etaMinutes).toBe(15);
  });

  it('has no batch time left once every batch ran (old-pool removal approval, finish)', () => {
    for (const step of ['approve-remove', 'remove-old-pool', 'finish'] as const) {
      const r = planned({ cursor: { step, batch: 0, phase: 'pending' } });
      expect(summarize(r).etaMinutes, step).toBe(0);
    }
    // Before the first batch every batch is still ahead.
    expect(summarize(planned({ cursor: { step: 'prepare-pool', batch: 0, phase: 'pending' } })).etaMinutes).toBe(16);
  });
});

describe('decisions', () => {
  const awaiting = requestApproval(
    { ...planned(), cursor: { step: 'approval', batch: 1, phase: 'pending' } },
    { subject: 'batch', batch: 1, nonce: 'n1', ttlSeconds: 60, now: T0 },
  );
  const failed = stopTheLine(
    { ...planned(), cursor: { step: 'verify', batch: 2, phase: 'pending' } },
    { batch: 2, node: 'pool-a-3', reason: 'not Ready' },
    'nf',
    T0,
  );

  it('approves with the right nonce and batch, recording who approved the batch', () => {
    const input = { decision: 'approve' as const, nonce: 'n1', batch: 1, actor: approver };
    expect(checkDecision(awaiting, input, T0)).toEqual({ ok: true });
    const out = applyDecision(awaiting, input, { now: T0, nonce: 'x' });
    expect(out.record.pending).toBeUndefined();
    expect(out.record.state).toBe('running');
    expect(out.record.batches[0]!.approvedBy).toEqual(approver);
    expect(out.wake).toBe(true);
  });

  it('refuses a stale nonce, a wrong batch, an expired request and a second answer', () => {
    expect(checkDecision(awaiting, { decision: 'approve', nonce: 'old', actor: approver }, T0)).toMatchObject({
      ok: false,
      code: 'STALE',
    });
    expect(checkDecision(awaiting, { decision: 'approve', nonce: 'n1', batch: 2, actor: approver }, T0)).toMatchObject({
      ok: false,
      code: 'STALE',
    });
    expect(checkDecision(awaiting, { decision: 'approve', nonce: 'n1', actor: approver }, later(61))).toMatchObject({
      ok: false,
      message: expect.stringContaining('expired'),
    });
    const answered = applyDecision(
      awaiting,
      { decision: 'approve', nonce: 'n1', actor: approver },
      { now: T0, nonce: 'x' },
    );
    expect(checkDecision(answered.record, { decision: 'approve', nonce: 'n1', actor: approver }, T0)).toMatchObject({
      ok: false,
      code: 'STALE',
    });
  });

  it('a rejection pauses with the reason and a new question (resume)', () => {
    const out = applyDecision(
      awaiting,
      { decision: 'reject', nonce: 'n1', reason: 'not today', actor: approver },
      { now: T0, nonce: 'n2' },
    );
    expect(out.record.state).toBe('paused');
    expect(out.record.reason).toBe('rejected by U_APP (slack): not today');
    expect(out.record.pending).toMatchObject({ kind: 'paused', nonce: 'n2' });
    expect(out.record.cursor).toEqual(awaiting.cursor);
  });

  it('skip applies only to the failed node, then the batch runs again without it', () => {
    expect(
      checkDecision(failed, { decision: 'skip-node', nonce: 'nf', node: 'pool-a-2', actor: approver }, T0),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
    const input = { decision: 'skip-node' as const, nonce: 'nf', node: 'pool-a-3', actor: approver };
    expect(checkDecision(failed, input, T0)).toEqual({ ok: true });
    const out = applyDecision(failed, input, { now: T0, nonce: 'x' });
    expect(out.record.batches[1]!.nodeStates['pool-a-3']).toMatchObject({ outcome: 'skipped' });
    expect(out.record.cursor).toEqual({ step: 'execute', batch: 2, phase: 'pending' });
    expect(out.record.failure).toBeUndefined();
  });

  it('retry runs the failed batch again from execute (look before acting happens there)', () => {
    const out = applyDecision(failed, { decision: 'retry', nonce: 'nf', actor: approver }, { now: T0, nonce: 'x' });
    expect(out.record.state).toBe('running');
    expect(out.record.cursor).toEqual({ step: 'execute', batch: 2, phase: 'pending' });
  });

  it('a typed pause or abort while a step runs is recorded for the next boundary', () => {
    const running = { ...planned(), cursor: { step: 'execute' as const, batch: 1, phase: 'started' as const } };
    const pause = applyDecision(running, { decision: 'pause', actor: approver }, { now: T0, nonce: 'p' });
    expect(pause.record.control.pause).toEqual(approver);
    expect(pause.record.state).toBe('running');
    expect(pause.wake).toBe(false);
    const abort = applyDecision(running, { decision: 'abort', actor: approver }, { now: T0, nonce: 'p' });
    expect(abort.record.control.abort).toEqual(approver);
  });

  it('abort of a parked migration ends it at once and never undoes finished nodes', () => {
    const done = {
      ...awaiting,
      batches: awaiting.batches.map((b) =>
        b.index === 1
          ? {
              ...b,
              state: 'done' as const,
              nodeStates: { 'pool-a-1': { step: 'done' as const, since: '', outcome: 'done' as const } },
            }
          : b,
      ),
    };
    const out = applyDecision(done, { decision: 'abort', actor: approver }, { now: T0, nonce: 'p' });
    expect(out.record.state).toBe('aborted');
    expect(out.record.batches[0]!.nodeStates['pool-a-1']!.outcome).toBe('done');
    expect(checkDecision(out.record, { decision: 'resume', actor: approver }, T0)).toMatchObject({ code: 'CONFLICT' });
  });

  it('resume needs a paused migration', () => {
    expect(checkDecision(planned(), { decision: 'resume', actor: approver }, T0)).toMatchObject({ code: 'CONFLICT' });
    const paused = applyDecision(awaiting, { decision: 'pause', actor: approver }, { now: T0, nonce: 'p2' }).record;
    expect(paused.state).toBe('paused');
    expect(checkDecision(paused, { decision: 'resume', actor: approver }, T0)).toEqual({ ok: true });
    const resumed = applyDecision(paused, { decision: 'resume', actor: approver }, { now: T0, nonce: 'x' }).record;
    expect(resumed.state).toBe('running');
    expect(resumed.cursor).toEqual(awaiting.cursor);
  });
});
