/**
 * Slack's rate limits as the fake Web API applies them: chat.postMessage about
 * one message per second per channel with short bursts allowed, chat.update Tier 3 (50+ a minute), and
 * chat.postEphemeral Tier 4 (100+ a minute). Token buckets: a call past its bucket is answered HTTP 429 with
 * Retry-After, the seconds until the next token.
 */

export interface Bucket {
  /** Calls allowed at once. */
  burst: number;
  /** Tokens regained per second. */
  perSecond: number;
}

export const SLACK_RATES: Record<string, Bucket & { perChannel: boolean }> = {
  'chat.postMessage': { burst: 4, perSecond: 1, perChannel: true },
  'chat.update': { burst: 50, perSecond: 50 / 60, perChannel: false },
  'chat.postEphemeral': { burst: 100, perSecond: 100 / 60, perChannel: false },
  // Tier 3 for internal (non-Marketplace) apps.
  'conversations.history': { burst: 50, perSecond: 50 / 60, perChannel: false },
  'conversations.replies': { burst: 50, perSecond: 50 / 60, perChannel: false },
};

export class RateBuckets {
  private readonly state = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rates: Record<string, Bucket & { perChannel: boolean }> = SLACK_RATES) {}

  /** Takes a token; answers the seconds to wait (≥ 1) when there is none. */
  take(method: string, channel: string, now = Date.now()): number | undefined {
    const rate = this.rates[method];
    if (!rate) return undefined;
    const key = rate.perChannel ? `${method}:${channel}` : method;
    const s = this.state.get(key) ?? { tokens: rate.burst, at: now };
    s.tokens = Math.min(rate.burst, s.tokens + ((now - s.at) / 1000) * rate.perSecond);
    s.at = now;
    this.state.set(key, s);
    if (s.tokens >= 1) {
      s.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - s.tokens) / rate.perSecond));
  }

  clear(): void {
    this.state.clear();
  }
}
