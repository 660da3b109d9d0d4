import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHttpServer, startHttpServer } from '../../../src/http/http-server.js';
import { createLogger } from '../../../src/log/logger.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { createQueueDashboard } from '../../../src/ops/queue-dashboard.js';
import { redisUrl, testPrefix } from '../../support/redis.js';

const USER = 'sre';
const PASSWORD = 'dashboard-Pa55word!';
const auth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let queue: Queue;
let server: RunningHttpServer;
let logged = '';

async function serve(routes: Parameters<typeof startHttpServer>[0]['routes']) {
  return await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes,
    readiness: [],
    metrics: createMetrics({ defaultMetrics: false }),
    logger: createLogger({
      destination: new Writable({
        write(chunk, _encoding, done) {
          logged += String(chunk);
          done();
        },
      }),
    }),
  });
}

beforeAll(async () => {
  queue = new Queue('migrations', {
    connection: { url: redisUrl(), maxRetriesPerRequest: null },
    prefix: testPrefix('dashboard'),
  });
  await queue.add('migrate', { migrationId: 'mig-pool-a-1' }, { jobId: 'mig-pool-a-1', delay: 60_000 });
  const route = createQueueDashboard({ credentials: { user: USER, password: PASSWORD }, queues: [queue] });
  if (!route) throw new Error('dashboard should be on with credentials');
  server = await serve([route]);
});

afterAll(async () => {
  await server?.close();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
});

describe('queue dashboard', () => {
  it('is off without credentials: nothing to mount, and the path is unknown', async () => {
    expect(createQueueDashboard({ credentials: undefined, queues: [queue] })).toBeUndefined();
    const plain = await serve([]);
    try {
      expect((await fetch(`${plain.url}/admin/queues`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('asks for basic auth and refuses wrong credentials', async () => {
    const none = await fetch(`${server.url}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    for (const header of [auth(USER, 'wrong'), auth('someone', PASSWORD), 'Bearer x', `Basic ${PASSWORD}`]) {
      const res = await fetch(`${server.url}/admin/queues/api/queues`, { headers: { authorization: header } });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('migrations');
    }
  });

  it('with credentials serves the page and lists the queue with its job, read-only', async () => {
    const headers = { authorization: auth(USER, PASSWORD) };
    const page = await fetch(`${server.url}/admin/queues`, { headers });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('ack-migrate');
    // The page's scripts resolve against <base href> under the same path, and load through the same auth.
    const baseHref = /<base href="([^"]+)"/.exec(html)?.[1];
    expect(baseHref).toMatch(/^\/admin\/queues\/?$/);
    const script = /src="([^"]+\.js)"/.exec(html)?.[1] ?? 'missing.js';
    const scriptUrl = new URL(script, new URL(baseHref!.endsWith('/') ? baseHref! : `${baseHref}/`, server.url));
    expect((await fetch(scriptUrl, { headers })).status).toBe(200);
    expect((await fetch(scriptUrl)).status).toBe(401);

    const res = await fetch(`${server.url}/admin/queues/api/queues?activeQueue=migrations&status=delayed`, {
      headers,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      queues: Array<{ name: string; readOnlyMode: boolean; allowRetries: boolean; counts: Record<string, number> }>;
    };
    expect(body.queues.map((q) => q.name)).toEqual(['migrations']);
    expect(body.queues[0]).toMatchObject({ readOnlyMode: true, allowRetries: false });
    expect(body.queues[0]!.counts.delayed).toBe(1);
  });

  it('cannot change the queue: every write answers 405 and the queue and its job stay as they were', async () => {
    const headers = { authorization: auth(USER, PASSWORD), 'content-type': 'application/json' };
    const writes: Array<[string, string]> = [
      ['PUT', '/admin/queues/api/queues/migrations/pause'],
      ['PUT', '/admin/queues/api/queues/pause'],
      ['PUT', '/admin/queues/api/queues/migrations/empty'],
      ['PUT', '/admin/queues/api/queues/migrations/promote'],
      ['PUT', '/admin/queues/api/queues/migrations/mig-pool-a-1/promote'],
      ['PUT', '/admin/queues/api/queues/migrations/mig-pool-a-1/clean'],
      ['POST', '/admin/queues/api/queues/migrations/add'],
      ['DELETE', '/admin/queues/api/queues/migrations/obliterate'],
      ['PATCH', '/admin/queues/api/queues/migrations/mig-pool-a-1/update-data'],
    ];
    for (const [method, path] of writes) {
      const res = await fetch(`${server.url}${path}`, { method, headers, body: '{"name":"x","data":{}}' });
      expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → 405`);
    }
    expect(await queue.isPaused()).toBe(false);
    const job = await queue.getJob('mig-pool-a-1');
    expect(await job?.getState()).toBe('delayed');
    expect(await queue.getJobCounts('wait', 'delayed', 'active')).toEqual({ wait: 0, delayed: 1, active: 0 });
  });

  it('never logs the password', () => {
    expect(logged).not.toContain(PASSWORD);
  });
});
