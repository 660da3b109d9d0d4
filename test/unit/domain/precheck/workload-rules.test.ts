import { describe, expect, it } from 'vitest';
import {
  barePod,
  emptydir,
  pdbBlocking,
  replicasOneBatch,
  singleReplica,
} from '../../../../src/domain/precheck/index.js';
import { precheckInput, SnapshotBuilder, template } from '../../../support/snapshot-builders.js';

const pool = () => new SnapshotBuilder().nodeRange('pool-a', 4);
const withEmptyDir = template({ volumes: [{ name: 'scratch', emptyDir: true }] });

describe('emptydir', () => {
  it('reports each workload with emptyDir pods on the pool once, as info, with the pod count', () => {
    const snapshot = pool()
      .deployment('web', { on: ['pool-a-1', 'pool-a-2', 'pool-a-3'], template: withEmptyDir })
      .daemonSet('agent', { namespace: 'kube-system', template: withEmptyDir })
      .deployment('plain', { on: ['pool-a-1'] })
      .workload('CronJob', 'nightly', { template: withEmptyDir })
      .build();
    const findings = emptydir(precheckInput(snapshot));
    expect(findings.map((f) => [f.rule, f.severity, f.object.kind, f.object.name, f.message])).toEqual([
      [
        'emptydir',
        'info',
        'DaemonSet',
        'agent',
        '4 pods on the pool use emptyDir volumes: their contents are lost when drained',
      ],
      [
        'emptydir',
        'info',
        'Deployment',
        'web',
        '3 pods on the pool use emptyDir volumes: their contents are lost when drained',
      ],
    ]);
  });
});

describe('single-replica', () => {
  it.each([
    ['a Deployment with replicas 1', 'Deployment' as const],
    ['a StatefulSet with replicas 1', 'StatefulSet' as const],
  ])('warns on %s that has its pod on the pool', (_, kind) => {
    const snapshot = pool()
      .workload(kind, 'solo', { on: ['pool-a-2'], replicas: 1 })
      .build();
    const findings = singleReplica(precheckInput(snapshot));
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'single-replica',
        severity: 'warning',
        object: { kind, namespace: 'default', name: 'solo' },
        message: 'runs a single replica (on pool-a-2): it is down while that node drains',
      }),
    ]);
  });

  it('ignores two replicas, a replica that runs elsewhere, DaemonSets and Jobs', () => {
    const snapshot = pool()
      .deployment('pair', { on: ['pool-a-1', 'pool-a-2'] })
      .deployment('elsewhere', { on: [], replicas: 1 })
      .daemonSet('agent')
      .workload('Job', 'once', { on: ['pool-a-3'] })
      .build();
    expect(singleReplica(precheckInput(snapshot))).toEqual([]);
  });
});

describe('bare-pod', () => {
  it('warns on a running pod without a controller, with the pod as the object', () => {
    const snapshot = pool().barePod('debug', 'pool-a-3', { namespace: 'ops' }).build();
    expect(barePod(precheckInput(snapshot))).toEqual([
      expect.objectContaining({
        rule: 'bare-pod',
        severity: 'warning',
        object: { kind: 'Pod', namespace: 'ops', name: 'debug' },
        message: 'has no controller: draining pool-a-3 deletes it and nothing recreates it',
      }),
    ]);
  });

  it('ignores mirror pods, finished pods and pods with a controller of an unknown kind', () => {
    const snapshot = pool()
      .pod('kube-apiserver-pool-a-1', 'pool-a-1', { mirror: true, controllerKind: 'Node' })
      .barePod('done', 'pool-a-2', { phase: 'Succeeded' })
      .pod('workflow-step', 'pool-a-3', { controllerKind: 'Workflow' })
      .deployment('web', { on: ['pool-a-1', 'pool-a-2'] })
      .build();
    expect(barePod(precheckInput(snapshot))).toEqual([]);
  });
});

describe('pdb-blocking', () => {
  const covered = () => pool().deployment('web', { on: ['pool-a-1', 'pool-a-2', 'pool-a-3'] });

  it.each([
    ['maxUnavailable 0', { disruptionsAllowed: 0, maxUnavailable: 0 }, '(maxUnavailable 0)'],
    ['maxUnavailable 0%', { disruptionsAllowed: 0, maxUnavailable: '0%' }, '(maxUnavailable 0%)'],
    ['minAvailable 100%', { disruptionsAllowed: 0, minAvailable: '100%' }, '(minAvailable 100%)'],
    [
      'minAvailable = pods',
      { disruptionsAllowed: 0, minAvailable: 3, expectedPods: 3 },
      '(minAvailable 3 with 3 pods)',
    ],
    [
      'too few healthy pods',
      { disruptionsAllowed: 0, maxUnavailable: 1, currentHealthy: 2, desiredHealthy: 2 },
      '(2 healthy, 2 required)',
    ],
  ])('blocks on a PDB with %s covering pods on the pool, with the PDB as the object', (_, options, why) => {
    const snapshot = covered().pdb('web', options).build();
    const findings = pdbBlocking(precheckInput(snapshot));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'pdb-blocking',
      severity: 'blocker',
      object: { kind: 'PodDisruptionBudget', namespace: 'default', name: 'web' },
    });
    expect(findings[0]!.message).toBe(
      `allows no disruption now ${why} and covers 3 pods on the pool: their drain cannot finish`,
    );
  });

  it('blocks on two PDBs that select the same pod (the eviction API answers 500)', () => {
    const snapshot = covered()
      .pdb('web', { disruptionsAllowed: 1 })
      .pdb('web-too', { disruptionsAllowed: 1, matchLabels: { app: 'web' } })
      .build();
    const findings = pdbBlocking(precheckInput(snapshot));
    expect(findings.map((f) => [f.object.name, f.message])).toEqual([
      [
        'web',
        'shares pod web-0 with PDB web-too: the eviction API refuses pods with more than one PDB: their drain cannot finish',
      ],
      [
        'web-too',
        'shares pod web-0 with PDB web: the eviction API refuses pods with more than one PDB: their drain cannot finish',
      ],
    ]);
  });

  it('ignores PDBs that allow a disruption, cover only DaemonSet pods, no pod on the pool, or another namespace', () => {
    const snapshot = covered()
      .daemonSet('agent', { namespace: 'kube-system' })
      .pdb('web', { disruptionsAllowed: 1 })
      .pdb('agent', { namespace: 'kube-system', disruptionsAllowed: 0 })
      .pdb('elsewhere', { disruptionsAllowed: 0 })
      .pdb('web', { namespace: 'other', disruptionsAllowed: 0 })
      .build();
    expect(pdbBlocking(precheckInput(snapshot))).toEqual([]);
  });
});

describe('replicas-one-batch', () => {
  it('warns on replicas that share one node, with the workload as the object', () => {
    const snapshot = pool()
      .deployment('cache', { on: ['pool-a-4', 'pool-a-4'] })
      .build();
    const findings = replicasOneBatch(precheckInput(snapshot, { maxParallel: 1 }));
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'replicas-one-batch',
        severity: 'warning',
        object: { kind: 'Deployment', namespace: 'default', name: 'cache' },
      }),
    ]);
    expect(findings[0]!.message).toMatch(
      /^its 2 replicas on the pool all run on one node, so batch \d takes them all down/,
    );
  });

  it('stays quiet when more replicas run outside the pool, or when the planner splits them', () => {
    const snapshot = pool()
      .deployment('wide', { on: ['pool-a-1', 'pool-a-1'], replicas: 6 })
      .deployment('web', { on: ['pool-a-1', 'pool-a-2'] })
      .build();
    expect(replicasOneBatch(precheckInput(snapshot, { maxParallel: 2 }))).toEqual([]);
  });

  it('warns on workloads the batch sizes cannot split, and on PDB budgets a batch must overrun', () => {
    const snapshot = new SnapshotBuilder()
      .nodeRange('n', 3)
      .deployment('ab', { on: ['n-1', 'n-2'] })
      .deployment('ac', { on: ['n-1', 'n-3'] })
      .deployment('bc', { on: ['n-2', 'n-3'] })
      .deployment('db', { on: ['n-1', 'n-2', 'n-3'], labels: { app: 'db' } })
      .pdb('db', { disruptionsAllowed: 1 })
      .build();
    const findings = replicasOneBatch(precheckInput(snapshot, { maxParallel: 2 }));
    expect(findings.map((f) => f.object.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget']);
    const pdb = findings.find((f) => f.object.kind === 'PodDisruptionBudget')!;
    expect(pdb.message).toBe(
      'batch 2 (2 pods) evicts more pods covered by this PDB than the 1 it allows now: the planner could not spread them further',
    );
  });
});
