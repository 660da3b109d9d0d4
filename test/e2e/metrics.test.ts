/**
 * "A metrics scrape during a sandbox migration shows the counters moving": the demo's /metrics (bot and worker
 * share one registry in dev) before, during and after a staging migration of pool-b.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevApp } from '../../src/app/dev-app.js';
import { removeDataDir, startDemo } from './support/dev-harness.js';

let app: DevApp;
let dataDir: string;

beforeAll(async () => {
  ({ app, dataDir } = await startDemo({ timeScale: 0.005 }));
}, 60_000);
afterAll(async () => {
  await app?.close();
  removeDataDir(dataDir);
});

async function scrape(): Promise<string> {
  const res = await fetch(`${app.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** Sum of a metric's samples whose labels contain `labels` (e.g. `action="DescribeTaskInfo"`). */
function value(text: string, name: string, labels = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? ([\d.e+-]+)$/.exec(line);
    if (m && m[1] === name && (m[2] ?? '').includes(labels)) sum += Number(m[3]);
  }
  return sum;
}

const SLOW = { timeout: 90_000, interval: 100 };

describe('metrics during a sandbox migration', () => {
  it('moves the cloud, Kubernetes, batch, node-step and migration metrics', async () => {
    const before = await scrape();
    expect(value(before, 'ack_migrate_batches_total')).toBe(0);
    const res = await fetch(`${app.url}/console/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '/migrate start pool-b' }),
    });
    expect(res.status).toBe(200);

    await expect
      .poll(async () => value(await scrape(), 'ack_migrate_batches_total'), { ...SLOW, message: 'the first batch' })
      .toBeGreaterThanOrEqual(1);
    const during = await scrape();
    expect(value(during, 'ack_migrate_cloud_api_calls_total', 'action="DescribeTaskInfo"')).toBeGreaterThan(0);
    expect(value(during, 'ack_migrate_kube_api_calls_total')).toBeGreaterThan(0);

    await expect
      .poll(async () => value(await scrape(), 'ack_migrate_migrations', 'state="completed"'), {
        ...SLOW,
        message: 'completion',
      })
      .toBe(1);
    const after = await scrape();
    expect(value(after, 'ack_migrate_batches_total', 'outcome="ok"')).toBeGreaterThanOrEqual(
      value(during, 'ack_migrate_batches_total', 'outcome="ok"'),
    );
    expect(value(after, 'ack_migrate_cloud_api_calls_total', 'action="UpgradeClusterNodepool"')).toBeGreaterThanOrEqual(
      2,
    );
    expect(value(after, 'ack_migrate_node_step_duration_seconds_count')).toBeGreaterThan(0);
    expect(value(after, 'ack_migrate_cloud_api_calls_total')).toBeGreaterThan(
      value(during, 'ack_migrate_cloud_api_calls_total'),
    );
  }, 120_000);
});
