import { describe, expect, it } from 'vitest';
import { planBatches } from '../../../../src/domain/planner/index.js';
import { AppError } from '../../../../src/errors.js';
import { scaleSnapshot, snapshotBuilder } from '../../../support/snapshot-builders.js';

const batchOf = (batches: string[][], node: string) => batches.findIndex((b) => b.includes(node));

describe('planBatches', () => {
  it('uses the schedule sizes and the default parallelism (10% of the nodes, 1..10), names sorted in a batch', () => {
    const snapshot = snapshotBuilder().nodeRange('n', 25).build();
    const plan = planBatches({ snapshot });
    expect(plan.maxParallel).toBe(2);
    expect(plan.batches.map((b) => b.length)).toEqual([1, ...new Array(12).fill(2)]);
    expect(plan.estimatedMinutes).toBe(13 * 8);
    for (const batch of plan.batches) expect(batch).toEqual([...batch].sort());
    expect(plan.batches.flat().sort()).toEqual(snapshot.nodes.map((n) => n.name).sort());
  });

  it('plans nothing for an empty pool and honours minutesPerBatch', () => {
    expect(planBatches({ snapshot: snapshotBuilder().build() })).toEqual({
      batches: [],
      maxParallel: 1,
      estimatedMinutes: 0,
      unsplittable: [],
      overBudget: [],
    });
    const plan = planBatches({
      snapshot: snapshotBuilder().nodeRange('n', 3).build(),
      maxParallel: 2,
      minutesPerBatch: 10,
    });
    expect(plan.estimatedMinutes).toBe(20);
  });

  it('rejects a parallelism below 1 or not whole with BAD_INPUT', () => {
    const snapshot = snapshotBuilder().nodeRange('n', 3).build();
    for (const maxParallel of [0, -1, 1.5]) {
      expect(() => planBatches({ snapshot, maxParallel })).toThrow(AppError);
      try {
        planBatches({ snapshot, maxParallel });
      } catch (error) {
        expect((error as AppError).code).toBe('BAD_INPUT');
      }
    }
  });

  it('keeps the two replicas of a workload in different batches, even when both would fit in the last one', () => {
    // 6 nodes at parallelism 3: sizes 1, 2, 3. Alphabetical filling would put n-5 and n-6 together.
    const snapshot = snapshotBuilder()
      .nodeRange('n', 6)
      .deployment('web', { on: ['n-5', 'n-6'] })
      .build();
    const plan = planBatches({ snapshot, maxParallel: 3 });
    expect(batchOf(plan.batches, 'n-5')).not.toBe(batchOf(plan.batches, 'n-6'));
    expect(plan.unsplittable).toEqual([]);
  });

  it('never puts more nodes with pods of a PDB in one batch than the PDB allows', () => {
    // 8 nodes at parallelism 4: sizes 1, 2, 4, 1. Four nodes hold one pod each of a PDB allowing 1.
    const snapshot = snapshotBuilder()
      .nodeRange('n', 8)
      .deployment('api', { on: ['n-1', 'n-2', 'n-3', 'n-4'], replicas: 4 })
      .pdb('api', { disruptionsAllowed: 1 })
      .build();
    const plan = planBatches({ snapshot, maxParallel: 4 });
    const batches = ['n-1', 'n-2', 'n-3', 'n-4'].map((n) => batchOf(plan.batches, n));
    expect(new Set(batches).size).toBe(4);
    expect(plan.overBudget).toEqual([]);
  });

  it('reports the one workload it cannot split when constraints conflict (pairs {a,b}, {a,c}, {b,c}; sizes 1, 2)', () => {
    const snapshot = snapshotBuilder()
      .nodeRange('n', 3)
      .deployment('ab', { on: ['n-1', 'n-2'] })
      .deployment('ac', { on: ['n-1', 'n-3'] })
      .deployment('bc', { on: ['n-2', 'n-3'] })
      .build();
    const plan = planBatches({ snapshot, maxParallel: 2 });
    expect(plan.unsplittable).toHaveLength(1);
    const [stuck] = plan.unsplittable;
    expect(stuck).toMatchObject({ kind: 'Deployment', namespace: 'default', pods: 2, nodes: 2, replicas: 2 });
    const together = plan.batches[stuck!.batch]!;
    const pairs: Record<string, string[]> = { ab: ['n-1', 'n-2'], ac: ['n-1', 'n-3'], bc: ['n-2', 'n-3'] };
    expect(together).toEqual(pairs[stuck!.name]);
  });

  it('reports replicas that share one node: no plan can split them', () => {
    const snapshot = snapshotBuilder()
      .nodeRange('n', 4)
      .deployment('cache', { on: ['n-2', 'n-2', 'n-2'] })
      .build();
    const plan = planBatches({ snapshot, maxParallel: 2 });
    expect(plan.unsplittable).toEqual([
      {
        kind: 'Deployment',
        namespace: 'default',
        name: 'cache',
        pods: 3,
        nodes: 1,
        replicas: 3,
        batch: batchOf(plan.batches, 'n-2'),
      },
    ]);
  });

  it('ignores DaemonSet, mirror and finished pods, single pods, and PDBs that allow nothing', () => {
    const snapshot = snapshotBuilder()
      .nodeRange('n', 4)
      .daemonSet('kube-proxy', { namespace: 'kube-system' })
      .deployment('done', { on: ['n-3', 'n-4'], phase: 'Succeeded' })
      .deployment('solo', { on: ['n-1'] })
      .pod('static-etcd', 'n-2', { mirror: true, controllerKind: 'Node' })
      .pod('static-etcd-2', 'n-2', { mirror: true, controllerKind: 'Node' })
      .pdb('kube-proxy', { namespace: 'kube-system', disruptionsAllowed: 0 })
      .pdb('solo', { disruptionsAllowed: 0 })
      .build();
    const plan = planBatches({ snapshot, maxParallel: 4 });
    expect(plan.unsplittable).toEqual([]);
    expect(plan.overBudget).toEqual([]);
  });

  it('lets a node that alone holds more pods than the budget have a batch to itself, and reports real overruns', () => {
    // n-1 holds 3 pods of a PDB allowing 1: that overruns in any plan and is not reported.
    const alone = snapshotBuilder()
      .nodeRange('n', 4)
      .deployment('db', { on: ['n-1', 'n-1', 'n-1', 'n-2'], replicas: 4 })
      .pdb('db', { disruptionsAllowed: 1 })
      .build();
    const plan = planBatches({ snapshot: alone, maxParallel: 2 });
    expect(batchOf(plan.batches, 'n-1')).not.toBe(batchOf(plan.batches, 'n-2'));
    expect(plan.overBudget).toEqual([]);

    // 3 nodes at parallelism 2 (sizes 1, 2) and three nodes with pods of a PDB allowing 1: one batch must overrun.
    const forced = snapshotBuilder()
      .nodeRange('n', 3)
      .deployment('db', { on: ['n-1', 'n-2', 'n-3'] })
      .pdb('db', { disruptionsAllowed: 1 })
      .build();
    const overrun = planBatches({ snapshot: forced, maxParallel: 2 });
    expect(overrun.overBudget).toEqual([{ namespace: 'default', name: 'db', batch: 1, pods: 2, allowed: 1 }]);
  });

  it('gives the same plan for the same pool whatever the order of the lists', () => {
    const snapshot = scaleSnapshot({ nodes: 60, podsPerNode: 12, seed: 7 });
    const plan = planBatches({ snapshot, maxParallel: 5 });
    const reversed = {
      nodes: [...snapshot.nodes].reverse(),
      pods: [...snapshot.pods].reverse(),
      workloads: [...snapshot.workloads].reverse(),
      pdbs: [...snapshot.pdbs].reverse(),
    };
    expect(planBatches({ snapshot: reversed, maxParallel: 5 })).toEqual(plan);
  });

  it('splits every workload spread over two or more nodes on a realistic 1,000-node pool', () => {
    const snapshot = scaleSnapshot({ nodes: 1000, podsPerNode: 20, seed: 3 });
    const plan = planBatches({ snapshot, maxParallel: 10 });
    expect(plan.batches.flat()).toHaveLength(1000);
    expect(plan.unsplittable.filter((w) => w.nodes >= 2)).toEqual([]);
    expect(plan.overBudget).toEqual([]);
  });
});
