/** The store contract on the in-memory stores the unit tier runs on (each factory call a fresh set). */
import type { ThreadRecordBase } from '../../../src/ports/thread-store.js';
import { createMemoryStores } from '../../../src/stores/memory/memory-stores.js';
import { MemoryPoolLease } from '../../../src/stores/memory/pool-lease.js';
import { createMemoryPostLedger } from '../../../src/stores/memory/post-ledger.js';
import { createMemoryThreadStore } from '../../../src/stores/memory/thread-store.js';
import { storeContract } from '../../contracts/stores.contract.js';

storeContract('memory', {
  migrations: () => createMemoryStores().migrations,
  decisions: () => createMemoryStores().decisions,
  lease: (alive) => new MemoryPoolLease(alive),
  audit: () => createMemoryStores().audit,
  threads: () => {
    // In memory a restart keeps the same object (what a bot restart on Redis keeps is the data).
    const store = createMemoryThreadStore<ThreadRecordBase & { extra: string[] }>();
    return { store, restarted: () => store };
  },
  events: () => {
    const stream = createMemoryStores().events;
    return {
      publisher: stream,
      source: (consumer) => stream.source({ consumer }),
      shared: () => stream.source({ group: 'notifier' }),
    };
  },
  posts: () => createMemoryPostLedger(),
});
