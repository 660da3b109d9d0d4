/** PostLedger in memory (src/ports/post-ledger.ts), for the unit tier. */
import type { PostClaim, PostedRef, PostLedger } from '../../ports/post-ledger.js';

type Entry = { ref: PostedRef } | { holder: string; until: number; unsure: boolean } | { unsure: true };

export function createMemoryPostLedger(): PostLedger & { size(): number } {
  const posts = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => posts.get(key);
  return {
    async get(key) {
      const entry = live(key);
      return entry && 'ref' in entry ? { ...entry.ref } : undefined;
    },
    async claim(key, holder, ttlMs): Promise<PostClaim> {
      const entry = live(key);
      if (entry && 'ref' in entry) return { kind: 'posted', ref: { ...entry.ref } };
      const lapsed = entry !== undefined && 'until' in entry && entry.until <= Date.now();
      if (entry && 'holder' in entry && entry.holder !== holder && !lapsed) return { kind: 'busy' };
      // A claim whose bot died (it lapsed) may have posted before it died.
      const unsure = entry !== undefined && (entry.unsure || (lapsed && 'holder' in entry && entry.holder !== holder));
      posts.set(key, { holder, until: Date.now() + ttlMs, unsure });
      return { kind: 'claimed', mayExist: unsure };
    },
    async release(key, holder, unsure = false) {
      const entry = live(key);
      if (!entry || !('holder' in entry) || entry.holder !== holder) return;
      if (unsure || entry.unsure) posts.set(key, { unsure: true });
      else posts.delete(key);
    },
    async set(key, ref) {
      posts.set(key, { ref: { ...ref } });
    },
    size: () => [...posts.values()].filter((e) => 'ref' in e).length,
  };
}
