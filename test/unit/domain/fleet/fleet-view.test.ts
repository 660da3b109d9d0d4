import { describe, expect, it } from 'vitest';
import {
  type FleetPool,
  fleetCluster,
  fleetTable,
  unreadableCluster,
} from '../../../../src/domain/fleet/fleet-view.js';

const facts = { id: 'c-hz', name: 'hz', region: 'cn-hangzhou', version: '1.22.15-aliyun.1', state: 'running' };
const pool = (over: Partial<FleetPool>): FleetPool => ({
  id: 'np-x',
  name: 'pool-x',
  runtime: 'docker',
  nodes: 3,
  verdict: 'ready',
  migration: null,
  ...over,
});

describe('fleet view', () => {
  it('counts a pool as Docker left unless it runs containerd with nothing to do', () => {
    const c = fleetCluster(facts, [
      pool({ id: 'np-b', name: 'pool-b', runtime: 'containerd', verdict: 'nothing-to-do' }),
      // Configured for containerd, but its precheck still found Docker nodes.
      pool({ id: 'np-c', name: 'pool-c', runtime: 'containerd', verdict: 'warnings' }),
      pool({ id: 'np-a', name: 'pool-a', verdict: 'error', error: 'ACK throttled' }),
    ]);
    expect(c.pools.map((p) => p.name)).toEqual(['pool-a', 'pool-b', 'pool-c']);
    expect([c.dockerPools, c.readyForUpgrade]).toEqual([2, false]);
    expect(fleetCluster(facts, [pool({ runtime: 'containerd', verdict: 'nothing-to-do' })])).toMatchObject({
      dockerPools: 0,
      readyForUpgrade: true,
    });
  });

  it('renders one line per cluster and per pool, an unreadable cluster with its reason', () => {
    const view = {
      clusters: [
        fleetCluster(facts, [pool({ name: 'pool-a', migration: { id: 'mig-pool-a-1', state: 'running' } })]),
        unreadableCluster('c-gone', 'cn-beijing', 'cluster c-gone not found'),
      ],
    };
    expect(fleetTable(view)).toEqual([
      '  POOL    RUNTIME  NODES  VERDICT  MIGRATION',
      'c-hz (cn-hangzhou, 1.22.15-aliyun.1): 1 Docker pool left',
      '  pool-a  docker   3      ready    running mig-pool-a-1',
      'c-gone (cn-beijing): unreadable: cluster c-gone not found',
    ]);
    expect(view.clusters[1]).toMatchObject({ readyForUpgrade: false, pools: [] });
  });
});
