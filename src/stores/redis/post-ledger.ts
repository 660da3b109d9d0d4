/** PostLedger on Redis (src/ports/post-ledger.ts): one JSON value per post, expiring after 7 days. */
import { AppError } from '../../errors.js';
import type { PostClaim, PostedRef, PostLedger } from '../../ports/post-ledger.js';
import type { RedisClient } from './redis-client.js';
import { stateKeys } from './state-keys.js';

const TTL_SECONDS = 7 * 24 * 3600;
/**
 * A claim is `c|<until ms>|<1: may exist>|<holder>`, a give-back after an unknown outcome is `unsure`, a posted
 * message is its JSON (it starts with `{`). A claim that lapsed (its bot died, perhaps after posting) is taken
 * over as one that may exist, so the next try looks before it posts. Times are Redis's own (TIME).
 */
const CLAIM_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 1) == '{' then return v end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local unsure = v == 'unsure'
if v and not unsure then
  local _, _, untilMs, u, h = string.find(v, '^c|(%d+)|(%d)|(.+)$')
  if h ~= ARGV[1] and tonumber(untilMs) > now then return 'busy' end
  unsure = u == '1' or h ~= ARGV[1]
end
redis.call('SET', KEYS[1], 'c|' .. (now + tonumber(ARGV[2])) .. '|' .. (unsure and '1' or '0') .. '|' .. ARGV[1], 'EX', ARGV[3])
if unsure then return 'unsure' end
return 'claimed'`;
const RELEASE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v or string.sub(v, 1, 1) == '{' or v == 'unsure' then return 0 end
local _, _, untilMs, u, h = string.find(v, '^c|(%d+)|(%d)|(.+)$')
if h ~= ARGV[1] then return 0 end
if ARGV[2] == '1' or u == '1' then return redis.call('SET', KEYS[1], 'unsure', 'EX', ARGV[3]) end
return redis.call('DEL', KEYS[1])`;
const posted = (raw: string | null): PostedRef | undefined =>
  raw?.startsWith('{') ? (JSON.parse(raw) as PostedRef) : undefined;

/**
 * `replicated`: behind Sentinel, a post's record is waited onto a replica (WAIT) before the event moves on, so a
 * failover (asynchronous replication) does not forget it and make the event's redelivery post again.
 */
export function createRedisPostLedger(redis: RedisClient, prefix: string, replicated = false): PostLedger {
  const keys = stateKeys(prefix);
  const wrap = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch {
      // Not the error as the cause: ioredis keeps the command's arguments on it.
      throw new AppError('REDIS_UNAVAILABLE', 'Redis unavailable: could not read or record a chat post', {
        retryable: true,
      });
    }
  };
  return {
    async get(key) {
      return posted(await wrap(() => redis.get(keys.posted(key))));
    },
    async claim(key, holder, ttlMs): Promise<PostClaim> {
      const answer = String(
        await wrap(() => redis.eval(CLAIM_SCRIPT, 1, keys.posted(key), holder, Math.max(1, ttlMs), TTL_SECONDS)),
      );
      if (answer === 'busy') return { kind: 'busy' };
      if (answer === 'claimed' || answer === 'unsure') return { kind: 'claimed', mayExist: answer === 'unsure' };
      return { kind: 'posted', ref: JSON.parse(answer) as PostedRef };
    },
    async release(key, holder, unsure = false) {
      await wrap(() => redis.eval(RELEASE_SCRIPT, 1, keys.posted(key), holder, unsure ? '1' : '0', TTL_SECONDS));
    },
    async set(key, ref) {
      await wrap(() => redis.set(keys.posted(key), JSON.stringify(ref), 'EX', TTL_SECONDS));
      if (replicated) await redis.call('WAIT', 1, 500).catch(() => undefined);
    },
  };
}
