import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHttpServer, startHttpServer } from '../../../src/http/http-server.js';
import { createLogger } from '../../../src/log/logger.js';
import { createMetrics } from '../../../src/metrics/metrics.js';

describe('bot/worker HTTP server', () => {
  let server: RunningHttpServer;
  let redisUp = true;
  const metrics = createMetrics({ defaultMetrics: false });
  beforeAll(async () => {
    server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      metrics,
      logger: createLogger({ level: 'silent' }),
      readiness: [{ name: 'redis', check: async () => redisUp }],
      routes: [
        (req, res) => {
          if (req.url !== '/hello') return false;
          res.end('hi');
          return true;
        },
      ],
    });
  });
  afterAll(() => server.close());

  it('answers /healthz while alive and /readyz by its checks', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    redisUp = false;
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, checks: { redis: false } });
    redisUp = true;
  });

  it('serves Prometheus metrics that move', async () => {
    metrics.cloudApiCalls.inc({ action: 'DescribeTaskInfo' }, 3);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('ack_migrate_cloud_api_calls_total{action="DescribeTaskInfo"} 3');
  });

  it('hands other paths to the mounted routes, else 404', async () => {
    expect(await (await fetch(`${server.url}/hello`)).text()).toBe('hi');
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });
});
