import { describe, expect, it } from 'vitest';
import {
  ackCheck,
  alreadyContainerd,
  clusterVersion,
  effectiveMaxParallel,
  maxParallel,
} from '../../../../src/domain/precheck/index.js';
import {
  ackCheckItem,
  clusterFacts,
  poolFacts,
  precheckInput,
  SnapshotBuilder,
} from '../../../support/snapshot-builders.js';

const nodes = (count: number, runtimeVersion = 'docker://19.3.15') =>
  new SnapshotBuilder().nodeRange('pool-a', count, { runtimeVersion }).build();

describe('cluster-version', () => {
  it.each(['1.22.15-aliyun.1', '1.20.11-aliyun.1', 'v1.20.4', '1.24.6-aliyun.1', '1.30'])(
    '%s can run containerd pools: nothing',
    (version) => {
      expect(clusterVersion(precheckInput(nodes(1), { cluster: clusterFacts({ version }) }))).toEqual([]);
    },
  );

  it.each([
    ['1.18.8-aliyun.1', 'cluster version 1.18.8-aliyun.1 cannot run containerd node pools (ACK needs 1.20 or later)'],
    ['1.16.9', 'cluster version 1.16.9 cannot run containerd node pools (ACK needs 1.20 or later)'],
    ['', 'cluster version "" is unknown, so containerd support (1.20+) cannot be confirmed'],
    ['latest', 'cluster version "latest" is unknown, so containerd support (1.20+) cannot be confirmed'],
  ])('%j is a blocker on the cluster', (version, message) => {
    const findings = clusterVersion(precheckInput(nodes(1), { cluster: clusterFacts({ version }) }));
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'cluster-version',
        severity: 'blocker',
        object: { kind: 'Cluster', name: 'c-demo' },
        message,
      }),
    ]);
  });
});

describe('ack-check', () => {
  it('relays each failed item with ACK level, on the node it names or else on the pool', () => {
    const ackChecks = [
      ackCheckItem({ name: 'NodePoolStatus', passed: true }),
      ackCheckItem({
        name: 'NodeReady',
        passed: false,
        level: 'blocker',
        message: 'node NotReady',
        target: 'pool-a-2',
      }),
      ackCheckItem({ name: 'DiskSpace', passed: false, level: 'warning', message: ' 85% used ' }),
      ackCheckItem({ name: 'Kernel', passed: false, level: 'info', message: '', target: 'np-a' }),
    ];
    const findings = ackCheck(precheckInput(nodes(3), { ackChecks }));
    expect(findings.map((f) => [f.severity, f.object, f.message])).toEqual([
      [
        'blocker',
        { kind: 'Node', name: 'pool-a-2' },
        `ACK's node pool upgrade check "NodeReady" failed: node NotReady`,
      ],
      ['warning', { kind: 'NodePool', name: 'pool-a' }, `ACK's node pool upgrade check "DiskSpace" failed: 85% used`],
      ['info', { kind: 'NodePool', name: 'pool-a' }, `ACK's node pool upgrade check "Kernel" failed`],
    ]);
    for (const f of findings) expect(f.rule).toBe('ack-check');
  });
});

describe('max-parallel', () => {
  it.each<[number, number | undefined, number | undefined, string | undefined]>([
    [30, undefined, undefined, undefined],
    [30, 3, undefined, undefined],
    [6, 1, undefined, undefined],
    [200, 10, undefined, undefined],
    [30, 4, undefined, "requested parallelism 4 is over 10% of the pool's 30 nodes (3); the plan uses 4"],
    [6, 2, undefined, "requested parallelism 2 is over 10% of the pool's 6 nodes (1); the plan uses 2"],
    [200, 11, undefined, "requested parallelism 11 is over ACK's maximum of 10; the plan uses 10"],
    [200, 10, 20, "requested parallelism 20 is over ACK's maximum of 10; the plan uses 10"],
  ])('%i nodes, --max-parallel %s (asked %s): %s', (count, requested, asked, message) => {
    const input = precheckInput(nodes(count), { maxParallel: requested, requestedMaxParallel: asked });
    const findings = maxParallel(input);
    if (message === undefined) return expect(findings).toEqual([]);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'max-parallel',
        severity: 'warning',
        object: { kind: 'NodePool', name: 'pool-a' },
        message,
      }),
    ]);
  });

  it('plans with the request or the default, never above 10', () => {
    expect(effectiveMaxParallel(precheckInput(nodes(30)))).toBe(3);
    expect(effectiveMaxParallel(precheckInput(nodes(30), { maxParallel: 5 }))).toBe(5);
    expect(effectiveMaxParallel(precheckInput(nodes(300), { maxParallel: 25 }))).toBe(10);
  });
});

describe('already-containerd', () => {
  it('is info when the pool is configured for containerd and no node runs Docker', () => {
    const input = precheckInput(nodes(3, 'containerd://1.6.28'), {
      pool: poolFacts({ runtime: 'containerd', runtimeVersion: '1.6.28' }),
    });
    expect(alreadyContainerd(input)).toEqual([
      expect.objectContaining({
        rule: 'already-containerd',
        severity: 'info',
        object: { kind: 'NodePool', name: 'pool-a' },
        message: 'pool pool-a already runs containerd 1.6.28 on 3 nodes',
      }),
    ]);
  });

  it('is nothing for a Docker pool, or a containerd pool with Docker nodes left (an interrupted upgrade)', () => {
    expect(alreadyContainerd(precheckInput(nodes(3)))).toEqual([]);
    const mixed = new SnapshotBuilder()
      .node('pool-a-1', { runtimeVersion: 'containerd://1.6.28' })
      .node('pool-a-2', { runtimeVersion: 'docker://19.3.15' })
      .build();
    expect(alreadyContainerd(precheckInput(mixed, { pool: poolFacts({ runtime: 'containerd' }) }))).toEqual([]);
  });
});
