/**
 * The pure half of the precheck on a 5,000-node / 150,000-pod pool held in memory: batch planning and the whole
 * report (every rule + plan), without any API call. The end-to-end number against the sandbox is `precheck-5k`.
 */
import { performance } from 'node:perf_hooks';
import { planBatches } from '../../src/domain/planner/index.js';
import { buildPrecheckReport } from '../../src/domain/precheck/index.js';
import { precheckInput, scaleSnapshot } from '../../test/support/snapshot-builders.js';
import type { Benchmark } from '../run.js';

const bench: Benchmark = {
  name: 'precheck-domain-5k',
  async run() {
    const snapshot = scaleSnapshot({ nodes: 5000, podsPerNode: 30 });
    const rounds = 3;
    let plan = Number.POSITIVE_INFINITY;
    let report = Number.POSITIVE_INFINITY;
    let findings = 0;
    for (let i = 0; i < rounds; i++) {
      // A fresh object each round: derived indexes are cached per snapshot object.
      let t0 = performance.now();
      planBatches({ snapshot: { ...snapshot }, maxParallel: 10 });
      plan = Math.min(plan, performance.now() - t0);
      t0 = performance.now();
      findings = buildPrecheckReport(precheckInput({ ...snapshot }, { maxParallel: 10 })).findings.length;
      report = Math.min(report, performance.now() - t0);
    }
    return [
      { metric: 'plan-ms', value: Math.round(plan), unit: 'ms', nodes: 5000, pods: snapshot.pods.length },
      { metric: 'report-ms', value: Math.round(report), unit: 'ms', findings },
      { metric: 'heap-used', value: Math.round(process.memoryUsage().heapUsed / 2 ** 20), unit: 'MB' },
    ];
  },
};
export default bench;
