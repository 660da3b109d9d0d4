import { describe, expect, it } from 'vitest';
import {
  type ClusterPolicy,
  checkRights,
  isProduction,
  mayAutoApprove,
} from '../../../../src/domain/approvals/policy.js';
import type { Origin } from '../../../../src/domain/migration/events.js';

const cluster: ClusterPolicy = {
  id: 'c-demo',
  environment: 'production',
  pools: { 'pool-b': { environment: 'staging' } },
  approvers: { slack: ['U_APP', 'U_REQ'], dingtalk: ['manager4711'], cli: ['root'] },
};
const requester: Origin = { platform: 'slack', channel: 'C1', userId: 'U_REQ' };
const settings = { allowSelfApproval: false };

describe('approval policy', () => {
  it('treats pools as production unless the cluster or the pool says otherwise', () => {
    expect(isProduction(cluster, { name: 'pool-a' })).toBe(true);
    expect(isProduction(cluster, { name: 'pool-b', id: 'np-b' })).toBe(false);
    expect(isProduction({ ...cluster, environment: 'test' }, { name: 'pool-a' })).toBe(false);
  });

  it('lets only listed approvers of the platform decide in production', () => {
    const base = { cluster, production: true, requester, settings, kind: 'approve' as const };
    expect(checkRights({ ...base, actor: { platform: 'slack', userId: 'U_APP' } })).toEqual({ ok: true });
    expect(checkRights({ ...base, actor: { platform: 'slack', userId: 'U_OTHER' } })).toMatchObject({ ok: false });
    // a DingTalk approver id clicking from Slack is not a Slack approver
    expect(checkRights({ ...base, actor: { platform: 'slack', userId: 'manager4711' } })).toMatchObject({ ok: false });
    expect(checkRights({ ...base, actor: { platform: 'dingtalk', userId: 'manager4711' } })).toEqual({ ok: true });
  });

  it('refuses self-approval unless allowed, but lets the requester stop their own migration', () => {
    const base = { cluster, production: true, requester, actor: { platform: 'slack' as const, userId: 'U_REQ' } };
    expect(checkRights({ ...base, settings, kind: 'approve' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('cannot approve'),
    });
    expect(checkRights({ ...base, settings: { allowSelfApproval: true }, kind: 'approve' })).toEqual({ ok: true });
    expect(checkRights({ ...base, settings, kind: 'control' })).toEqual({ ok: true });
  });

  it('outside production the requester or an approver decides', () => {
    const base = { cluster, production: false, requester, settings, kind: 'approve' as const };
    expect(checkRights({ ...base, actor: { platform: 'slack', userId: 'U_REQ' } })).toEqual({ ok: true });
    expect(checkRights({ ...base, actor: { platform: 'slack', userId: 'U_STRANGER' } })).toMatchObject({ ok: false });
  });

  it('allows start --yes only for a CLI approver in production', () => {
    const cli = (userId: string): Origin => ({ platform: 'cli', channel: 'terminal', userId });
    expect(mayAutoApprove(cluster, true, cli('root'))).toEqual({ ok: true });
    expect(mayAutoApprove(cluster, true, cli('alice'))).toMatchObject({ ok: false });
    expect(mayAutoApprove(cluster, false, cli('alice'))).toEqual({ ok: true });
  });
});
