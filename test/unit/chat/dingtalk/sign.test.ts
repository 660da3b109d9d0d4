import { describe, expect, it } from 'vitest';
import { signDingTalk, verifyDingTalkRequest } from '../../../../src/chat/dingtalk/sign.js';

describe('DingTalk callback signature', () => {
  const ts = '1700000000000';
  it('matches the published test vector', () => {
    expect(signDingTalk(ts, 'SECtest')).toBe('aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g=');
  });

  it('accepts a fresh, correctly signed request', () => {
    expect(
      verifyDingTalkRequest({
        timestamp: ts,
        sign: signDingTalk(ts, 'SECtest'),
        secret: 'SECtest',
        nowMs: 1700000000000 + 60_000,
      }),
    ).toEqual({
      ok: true,
    });
  });

  it.each([
    ['a wrong secret', { sign: signDingTalk(ts, 'other'), nowMs: 1700000000000 }, /bad signature/],
    [
      'a stale timestamp (over an hour)',
      { sign: signDingTalk(ts, 'SECtest'), nowMs: 1700000000000 + 3_600_001 },
      /window/,
    ],
    ['a missing sign', { sign: undefined, nowMs: 1700000000000 }, /missing/],
  ])('refuses %s', (_name, input, reason) => {
    const r = verifyDingTalkRequest({ timestamp: ts, secret: 'SECtest', ...input });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
