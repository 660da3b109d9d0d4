import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  DEFAULT_RETRY,
  failureKind,
  mayRetry,
  retryAfterMs,
} from '../../../../src/gateways/cloud/retry-policy.js';

const sdkError = (code: string | undefined, status?: number, message = '') => ({
  code,
  message,
  data: status === undefined ? undefined : { statusCode: status, Message: message },
});

describe('retry policy by kind of call', () => {
  it('knows throttling by every sign ACK and ECS give', () => {
    expect(failureKind(sdkError('Throttling.User', 400))).toBe('throttled');
    expect(failureKind(sdkError('Rejected.Throttling', 400))).toBe('throttled');
    expect(failureKind(sdkError('QpsLimitExceeded', 429))).toBe('throttled');
    expect(failureKind(sdkError('Unknown', 400, 'QPS Limit Exceeded'))).toBe('throttled');
  });

  it('tells server trouble, unreached services and final answers apart', () => {
    expect(failureKind(sdkError('ServiceUnavailable', 503))).toBe('server');
    expect(failureKind(Object.assign(new SyntaxError('Unexpected token <'), {}))).toBe('server');
    expect(failureKind({ name: 'RequestTimeoutError', message: 'ReadTimeout(30000). GET …' })).toBe('server');
    expect(failureKind({ name: 'RequestTimeoutError', message: 'ConnectTimeout: Connect … failed.' })).toBe(
      'unreached',
    );
    expect(failureKind(sdkError('ECONNREFUSED'))).toBe('unreached');
    expect(failureKind(sdkError('InvalidSecurityToken.Expired', 400))).toBe('unreached');
    expect(failureKind(sdkError('ErrorParameterInvalid', 400))).toBe('final');
  });

  it('never sends a non-idempotent write again after a 5xx or a timeout; throttling is safe for every kind', () => {
    expect(mayRetry('read', 'server', 1, DEFAULT_RETRY)).toBe(true);
    expect(mayRetry('idempotent', 'server', 1, DEFAULT_RETRY)).toBe(true);
    expect(mayRetry('write', 'server', 1, DEFAULT_RETRY)).toBe(false);
    expect(mayRetry('write', 'throttled', 1, DEFAULT_RETRY)).toBe(true);
    expect(mayRetry('write', 'unreached', 1, DEFAULT_RETRY)).toBe(true);
    expect(mayRetry('read', 'throttled', DEFAULT_RETRY.throttleAttempts, DEFAULT_RETRY)).toBe(false);
    expect(mayRetry('read', 'final', 1, DEFAULT_RETRY)).toBe(false);
  });

  it('backs off longer when throttled, with jitter, and never shorter than a Retry-After', () => {
    const low = () => 0;
    const high = () => 0.999;
    expect(backoffMs('server', 1, DEFAULT_RETRY, undefined, low)).toBe(200);
    expect(backoffMs('throttled', 1, DEFAULT_RETRY, undefined, low)).toBe(500);
    expect(backoffMs('throttled', 10, DEFAULT_RETRY, undefined, high)).toBeLessThanOrEqual(20_000);
    expect(backoffMs('throttled', 1, DEFAULT_RETRY, 3_000, low)).toBe(3_000);
    expect(retryAfterMs({ data: { headers: { 'x-acs-retry-after': '1500' } } })).toBe(1_500);
    expect(retryAfterMs({ headers: { 'retry-after': '2' } })).toBe(2_000);
    expect(retryAfterMs({})).toBeUndefined();
  });
});
