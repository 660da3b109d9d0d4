/** `/migrate fleet` in chat: no cluster needed (it is about all of them), a compact table of what is left. */
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/bot/dispatcher.js';
import type { ThreadRecord } from '../../../src/bot/thread-record.js';
import { renderPlainText } from '../../../src/chat/core/render-text.js';
import { configFileSchema } from '../../../src/config/config-file.js';
import type { FleetView } from '../../../src/domain/fleet/fleet-view.js';
import type { Origin } from '../../../src/domain/migration/events.js';
import { createMemoryThreadStore } from '../../../src/stores/memory/thread-store.js';
import { FakeMigrationService } from './fake-migration-service.js';

const file = configFileSchema.parse({ clusters: [{ id: 'c-hz' }, { id: 'c-sh' }] });
const origin: Origin = { platform: 'console', channel: 'console', userId: 'operator' };

const VIEW: FleetView = {
  clusters: [
    {
      id: 'c-hz',
      name: 'hz',
      region: 'cn-hangzhou',
      version: '1.22.15-aliyun.1',
      dockerPools: 1,
      readyForUpgrade: false,
      pools: [{ id: 'np-a', name: 'pool-a', runtime: 'docker', nodes: 6, verdict: 'blocked', migration: null }],
    },
    {
      id: 'c-sh',
      name: 'sh',
      region: 'cn-shanghai',
      version: '1.22.15-aliyun.1',
      dockerPools: 0,
      readyForUpgrade: true,
      pools: [
        {
          id: 'np-s',
          name: 'pool-a',
          runtime: 'containerd',
          nodes: 2,
          verdict: 'nothing-to-do',
          migration: { id: 'mig-pool-a-01', state: 'completed' },
        },
      ],
    },
  ],
};

describe('/migrate fleet', () => {
  it('answers with one line per cluster and per pool, with several clusters configured and none named', async () => {
    let scans = 0;
    const dispatcher = createDispatcher({
      service: new FakeMigrationService(),
      threads: createMemoryThreadStore<ThreadRecord>(),
      config: { file, defaultClusterId: undefined },
      fleet: {
        scanFleet: async () => {
          scans++;
          return VIEW;
        },
      },
    });
    const reply = await dispatcher.onCommand({ origin, text: '/migrate fleet' });
    expect(scans).toBe(1);
    expect(reply.ephemeral).toBe(false);
    expect(renderPlainText(reply.message).split('\n')).toEqual([
      'Fleet: 2 clusters, 1 ready for 1.24',
      '*c-hz* (cn-hangzhou, 1.22.15-aliyun.1): 1 Docker pool left',
      '- `pool-a` docker, 6 nodes, blocked, no migration',
      '*c-sh* (cn-shanghai, 1.22.15-aliyun.1): ready for 1.24',
      '- `pool-a` containerd, 2 nodes, nothing-to-do, completed `mig-pool-a-01`',
    ]);
    const refused = await dispatcher.onCommand({ origin, text: '/migrate fleet pool-a' });
    expect(refused.message.text).toBe('⚠️ unexpected "pool-a". Usage: /migrate fleet');
    expect(scans).toBe(1);
  });

  it('lets the pool decide the cluster of a start when several are configured and none limits its channels', async () => {
    const service = new FakeMigrationService();
    const dispatcher = createDispatcher({
      service,
      threads: createMemoryThreadStore<ThreadRecord>(),
      config: { file, defaultClusterId: undefined },
    });
    await dispatcher.onCommand({ origin, text: '/migrate start pool-a' });
    expect(service.work()[0]?.args).toMatchObject({ pool: 'pool-a' });
    expect(service.work()[0]?.args).not.toHaveProperty('cluster');
    // A plan still needs its cluster named.
    const plan = await dispatcher.onCommand({ origin, text: '/migrate plan pool-a' });
    expect(plan.message.text).toContain('several clusters are configured (c-hz, c-sh): add --cluster ID');
  });
});
