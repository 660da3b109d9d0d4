import { performance } from 'node:perf_hooks';
import { parseCommand } from '../../src/domain/command-grammar.js';
import type { Benchmark } from '../run.js';

const SAMPLES = [
  '/migrate precheck pool-a --cluster c-demo',
  '<@U0BOT> migrate start pool-a --max-parallel 4 --snapshot --soak 10m',
  '/migrate status',
  '/migrate faq 迁移后可以回滚吗',
  '/migrate precheck Bad_Name',
];

const bench: Benchmark = {
  name: 'command-parse',
  async run() {
    const n = 50_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) parseCommand(SAMPLES[i % SAMPLES.length]!);
    const ms = performance.now() - t0;
    return [{ metric: 'commands-per-second', value: Math.round((n / ms) * 1000), unit: 'ops/s' }];
  },
};
export default bench;
