/** PostLedger in memory (src/ports/post-ledger.ts), for the unit tier. */
import type { PostedRef, PostLedger } from '../../ports/post-ledger.js';

export function createMemoryPostLedger(): PostLedger & { size(): number } {
  const posts = new Map<string, PostedRef>();
  return {
    async get(key) {
      const ref = posts.get(key);
      return ref ? { ...ref } : undefined;
    },
    async set(key, ref) {
      posts.set(key, { ...ref });
    },
    size: () => posts.size,
  };
}
