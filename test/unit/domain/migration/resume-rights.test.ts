import { describe, expect, it } from 'vitest';
import type { ClusterPolicy } from '../../../../src/domain/approvals/policy.js';
import { decisionRights, namePeople, resumeRights } from '../../../../src/domain/migration/resume-rights.js';
import { stopTheLine } from '../../../../src/domain/migration/state-machine.js';
import { planned, requester, T0 } from './fixtures.js';

const cluster: ClusterPolicy = {
  id: 'c-demo',
  environment: 'production',
  pools: {},
  approvers: { slack: ['U_APP', requester.userId], cli: ['root'] },
};
const noSelf = { allowSelfApproval: false };
const done = { step: 'done' as const, since: T0.toISOString(), outcome: 'done' as const };

/** Stopped at batch 2 of [[pool-a-1], [pool-a-2, pool-a-3]], batch 1 verified. */
function stopped(batch2: Record<string, typeof done> = {}) {
  const r = planned({ cursor: { step: 'execute', batch: 2, phase: 'started' } });
  r.batches[0] = { ...r.batches[0]!, state: 'done', nodeStates: { 'pool-a-1': done } };
  r.batches[1] = { ...r.batches[1]!, state: 'running', nodeStates: batch2 };
  return stopTheLine(r, { batch: 2, node: undefined, reason: 'the migration job failed' }, 'n-1', T0);
}

describe('resume rights after a stop', () => {
  it('a resume that re-runs a production batch needs an approver other than the requester, named', () => {
    const r = stopped({ 'pool-a-2': done });
    expect(decisionRights('resume', r)).toBe('approve');
    expect(decisionRights('retry', r)).toBe('approve');
    const rights = resumeRights(r, cluster, noSelf);
    expect(rights).toEqual({
      needsApproval: true,
      batch: 2,
      nodesLeft: 1,
      by: [
        { platform: 'slack', userId: 'U_APP' },
        { platform: 'cli', userId: 'root' },
      ],
    });
    expect(namePeople(rights.by)).toBe('U_APP (slack), root (cli)');
    // With self-approval allowed the requester is one of them.
    expect(resumeRights(r, cluster, { allowSelfApproval: true }).by).toContainEqual({
      platform: 'slack',
      userId: requester.userId,
    });
  });

  it('with every node already migrated there is nothing to approve: control rights, the requester may resume', () => {
    const r = stopped({ 'pool-a-2': done, 'pool-a-3': done });
    expect(decisionRights('resume', r)).toBe('control');
    expect(decisionRights('retry', r)).toBe('control');
    const rights = resumeRights(r, cluster, noSelf);
    expect(rights.needsApproval).toBe(false);
    expect(rights.by).toContainEqual({ platform: 'slack', userId: requester.userId });
    // Other decisions keep their rights.
    expect(decisionRights('skip-node', r)).toBe('approve');
    expect(decisionRights('abort', r)).toBe('control');
  });

  it('a stop before the plan, and a plain pause, keep their rules', () => {
    const early = stopTheLine(
      planned({ plan: undefined, batches: [], cursor: { step: 'precheck', batch: 0, phase: 'pending' } }),
      { batch: 0, node: undefined, reason: 'cloud error' },
      'n-2',
      T0,
    );
    expect(decisionRights('resume', early)).toBe('approve');
    const paused = {
      ...stopped(),
      pending: { ...stopped().pending!, kind: 'paused' as const, subject: 'resume' as const },
    };
    expect(decisionRights('resume', paused)).toBe('control');
    expect(decisionRights('approve', paused)).toBe('approve');
  });

  it('outside production nothing needs a second person', () => {
    const r = { ...stopped({ 'pool-a-2': done }), production: false };
    const rights = resumeRights(r, cluster, noSelf);
    expect(rights.needsApproval).toBe(false);
    expect(rights.by).toContainEqual({ platform: 'slack', userId: requester.userId });
  });
});
