import { createHmac, timingSafeEqual } from 'node:crypto';

/** DingTalk accepts a signed callback for one hour either side of its timestamp. */
export const DINGTALK_SIGN_WINDOW_MS = 60 * 60 * 1000;

/** Base64(HMAC-SHA256(key = secret, message = `${timestamp}\n${secret}`)), as DingTalk signs callbacks. */
export function signDingTalk(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Pure check of an HTTP-mode callback's `timestamp` and `sign` headers, with the clock injected. */
export function verifyDingTalkRequest(input: {
  timestamp: string | undefined;
  sign: string | undefined;
  secret: string;
  nowMs: number;
  windowMs?: number;
}): VerifyResult {
  const { timestamp, sign } = input;
  if (!timestamp || !sign) return { ok: false, reason: 'missing timestamp or sign header' };
  if (!/^\d{10,16}$/.test(timestamp)) return { ok: false, reason: 'timestamp is not a number of milliseconds' };
  if (Math.abs(input.nowMs - Number(timestamp)) > (input.windowMs ?? DINGTALK_SIGN_WINDOW_MS)) {
    return { ok: false, reason: 'timestamp outside the allowed window' };
  }
  const expected = Buffer.from(signDingTalk(timestamp, input.secret));
  const given = Buffer.from(sign);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'bad signature' };
  return { ok: true };
}
