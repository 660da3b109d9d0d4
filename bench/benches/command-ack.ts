/**
 * `npm run bench -- command-ack`: 200 signed /migrate slash commands at concurrency 20 against the Slack HTTP
 * receiver, mounted on the bot's own HTTP server, with a handler that answers at once (as the dispatcher does:
 * parse, enqueue, reply). Measures the time to the HTTP answer, which is what Slack's 3-second limit applies to.
 * Goal: p99 < 100 ms.
 *
 * The client is node:http with a keep-alive agent of 20 sockets (Slack, too, reuses connections), and a warm-up
 * of 60 requests at the same concurrency is not counted: it opens the sockets and warms the JIT, so the numbers
 * are the steady state of a running bot rather than its first second. Client and server share one process and
 * one event loop, so the figures include the client's own work.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import type { ChatHandler } from '../../src/chat/core/chat-platform.js';
import { createSlackPlatform } from '../../src/chat/slack/slack-platform.js';
import { startHttpServer } from '../../src/http/http-server.js';
import { createLogger } from '../../src/log/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { slackSignature, startFakeSlackApi } from '../../test/support/fake-slack-api.js';
import type { Benchmark } from '../run.js';

const SECRET = 'bench-signing-secret-0001';
const TOTAL = 200;
const CONCURRENCY = 20;
const WARMUP = 60;

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(url: string, body: string, ts: number, signature: string): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => ok(res.statusCode ?? 0));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const bench: Benchmark = {
  name: 'command-ack',
  async run() {
    const fake = await startFakeSlackApi();
    const logger = createLogger({
      level: 'warn',
      destination: new Writable({ write: (_c, _e, done) => done() }),
    });
    const platform = createSlackPlatform({
      config: { botToken: 'xoxb-bench-token-0001', signingSecret: SECRET, appToken: undefined, apiUrl: fake.apiUrl },
      logger,
    });
    const handler: ChatHandler = {
      onCommand: async (c) => ({ ephemeral: true, message: { text: `Queued: ${c.text}`, header: 'Precheck queued' } }),
      onAction: async () => ({ ephemeral: true, message: { text: 'ok' } }),
      onMessage: async () => undefined,
    };
    const http = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      routes: [platform.route!],
      readiness: [],
      metrics: createMetrics({ defaultMetrics: false }),
      logger,
    });
    try {
      await platform.start(handler);
      const url = `${http.url}/slack/events`;
      const form = (i: number) => ({
        team_id: 'T00FAKETEAM',
        channel_id: 'C00FAKECHAN1',
        user_id: 'U00FAKEUSER2',
        user_name: 'alice',
        command: '/migrate',
        text: `precheck pool-${i % 50}`,
        response_url: fake.responseUrl(String(i)),
        trigger_id: `t${i}`,
      });
      const one = async (i: number): Promise<number> => {
        // Signed just before sending, as Slack does; the clock starts when the request goes out.
        const body = new URLSearchParams(form(i)).toString();
        const ts = Math.floor(Date.now() / 1000);
        const t0 = performance.now();
        const status = await send(url, body, ts, slackSignature(SECRET, ts, body));
        const ms = performance.now() - t0;
        if (status !== 200) throw new Error(`request ${i} answered ${status}`);
        return ms;
      };
      const wave = async (count: number, first: number): Promise<number[]> => {
        const out: number[] = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < count) {
              const i = next++;
              out.push(await one(first + i));
            }
          }),
        );
        return out;
      };
      const cold = (await wave(WARMUP, 10_000)).sort((a, b) => a - b);

      const t0 = performance.now();
      const latencies = await wave(TOTAL, 0);
      const wall = performance.now() - t0;
      latencies.sort((a, b) => a - b);
      const round = (n: number) => Math.round(n * 10) / 10;
      return [
        { metric: 'ack-p50', value: round(percentile(latencies, 50)), unit: 'ms' },
        { metric: 'ack-p99', value: round(percentile(latencies, 99)), unit: 'ms', goal: '< 100' },
        { metric: 'ack-max', value: round(latencies.at(-1)!), unit: 'ms' },
        // The first requests after start (sockets opening, JIT cold), for the record.
        { metric: 'cold-start-p99', value: round(percentile(cold, 99)), unit: 'ms' },
        { metric: 'commands-per-second', value: Math.round((TOTAL / wall) * 1000), unit: 'ops/s' },
      ];
    } finally {
      agent.destroy();
      await platform.stop();
      await http.close();
      await fake.close();
    }
  },
};
export default bench;
