import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../../src/chat/dingtalk/openapi.js';

describe('DingTalk Retry-After', () => {
  const now = Date.parse('2026-11-26T02:00:00Z');
  it.each([
    ['7', 7000],
    ['Thu, 26 Nov 2026 02:00:30 GMT', 30_000],
    [null, 1000],
    ['soon', 1000],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
