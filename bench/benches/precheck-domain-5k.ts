/**
 * The pure half of the precheck on a 5,000-node / 150,000-pod pool held in memory: batch planning and the whole
 * report (every rule + plan), without any API call. The end-to-end number against the sandbox is `precheck-5k`.
 * Also the planner's worst case seen so far: a PDB allowing 1 over 3,000 of the nodes, which every batch overruns,
 * so the greedy, the repair and their budgets all run to their limits.
 */
import { performance } from 'node:perf_hooks';
import type { ClusterSnapshot } from '../../src/domain/cluster/snapshot.js';
import { planBatches } from '../../src/domain/planner/index.js';
import { buildPrecheckReport } from '../../src/domain/precheck/index.js';
import { precheckInput, SnapshotBuilder, scaleSnapshot } from '../../test/support/snapshot-builders.js';
import type { Benchmark } from '../run.js';

const ROUNDS = 3;

/** Best of a few rounds; a fresh snapshot object each time, since derived indexes are cached per object. */
function best(snapshot: ClusterSnapshot, run: (s: ClusterSnapshot) => void): number {
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ROUNDS; i++) {
    const copy = { ...snapshot };
    const t0 = performance.now();
    run(copy);
    ms = Math.min(ms, performance.now() - t0);
  }
  return Math.round(ms);
}

const bench: Benchmark = {
  name: 'precheck-domain-5k',
  async run() {
    const snapshot = scaleSnapshot({ nodes: 5000, podsPerNode: 30 });
    const wide = new SnapshotBuilder()
      .deployment('wide', { on: Array.from({ length: 3000 }, (_, i) => `node-${i + 1}`) })
      .pdb('wide', { disruptionsAllowed: 1 })
      .build();
    const overloaded: ClusterSnapshot = {
      nodes: snapshot.nodes,
      pods: [...snapshot.pods, ...wide.pods],
      workloads: [...snapshot.workloads, ...wide.workloads],
      pdbs: [...snapshot.pdbs, ...wide.pdbs],
    };
    const plan = best(snapshot, (s) => planBatches({ snapshot: s, maxParallel: 10 }));
    const report = best(snapshot, (s) => buildPrecheckReport(precheckInput(s, { maxParallel: 10 })));
    const worst = best(overloaded, (s) => planBatches({ snapshot: s, maxParallel: 10 }));
    return [
      { metric: 'plan-ms', value: plan, unit: 'ms', nodes: 5000, pods: snapshot.pods.length },
      { metric: 'report-ms', value: report, unit: 'ms' },
      { metric: 'plan-overrun-pdb-ms', value: worst, unit: 'ms' },
      { metric: 'heap-used', value: Math.round(process.memoryUsage().heapUsed / 2 ** 20), unit: 'MB' },
    ];
  },
};
export default bench;
