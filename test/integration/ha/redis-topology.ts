/**
 * Real Redis topologies for the HA tests and the chaos bench, each a set of `redis-server` processes on free
 * ports in a scratch folder: a master with a replica watched by a Sentinel (`redis-server --sentinel`), and a
 * Redis Cluster of three masters. `failover()` moves the master (SENTINEL FAILOVER, or CLUSTER FAILOVER on a
 * replica) while clients keep working.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../../src/infra/redis/private-redis.js';

export interface Topology {
  /** REDIS_URL of the topology. */
  url: string;
  failover(): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function ask<T>(port: number, call: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await r.connect();
    return await call(r);
  } finally {
    r.disconnect();
  }
}

function server(dir: string, args: string[]): ChildProcess {
  const child = spawn('redis-server', args, { cwd: dir, stdio: 'ignore' });
  child.on('error', () => undefined);
  return child;
}

function stopAll(children: ChildProcess[], dir: string): Promise<void> {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  return Promise.resolve();
}

const BASE = ['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'];

/** A master, a replica and one Sentinel (quorum 1) watching them as `mymaster`. */
export async function startSentinelSet(): Promise<Topology> {
  const dir = mkdtempSync(join(tmpdir(), 'ack-migrate-sentinel-'));
  const [master, replica, sentinel] = [await freePort(), await freePort(), await freePort()];
  const children = [
    server(dir, ['--port', String(master), ...BASE]),
    server(dir, ['--port', String(replica), ...BASE, '--replicaof', '127.0.0.1', String(master)]),
  ];
  await waitFor('the replica to sync', async () =>
    (await ask(replica, (r) => r.info('replication'))).includes('master_link_status:up'),
  );
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(
    conf,
    [
      `port ${sentinel}`,
      'bind 127.0.0.1',
      `sentinel monitor mymaster 127.0.0.1 ${master} 1`,
      'sentinel down-after-milliseconds mymaster 1000',
      'sentinel failover-timeout mymaster 4000',
      '',
    ].join('\n'),
  );
  children.push(server(dir, [conf, '--sentinel']));
  const masterPort = async () =>
    Number(
      ((await ask(sentinel, (r) => r.call('SENTINEL', 'get-master-addr-by-name', 'mymaster'))) as string[] | null)?.[1],
    );
  await waitFor('the Sentinel to know the replica', async () => {
    const replicas = (await ask(sentinel, (r) => r.call('SENTINEL', 'replicas', 'mymaster'))) as unknown[];
    return replicas.length > 0 && (await masterPort()) === master;
  });
  return {
    url: `redis+sentinel://127.0.0.1:${sentinel}/mymaster`,
    async failover() {
      const before = await masterPort();
      await ask(sentinel, (r) => r.call('SENTINEL', 'FAILOVER', 'mymaster'));
      await waitFor('the Sentinel to name a new master', async () => (await masterPort()) !== before);
    },
    stop: () => stopAll(children, dir),
  };
}

/** Three masters with one replica each, slots assigned and the cluster state ok. */
export async function startRedisCluster(): Promise<Topology> {
  const dir = mkdtempSync(join(tmpdir(), 'ack-migrate-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < 6; i++) ports.push(await freePort());
  const children = ports.map((port) =>
    server(dir, [
      '--port',
      String(port),
      ...BASE,
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      '2000',
    ]),
  );
  for (const port of ports) await waitFor(`redis ${port}`, async () => (await ask(port, (r) => r.ping())) === 'PONG');
  const create = spawn(
    'redis-cli',
    ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'],
    { stdio: 'ignore' },
  );
  await new Promise((ok) => create.once('exit', ok));
  await waitFor('the cluster state ok', async () =>
    (await Promise.all(ports.map((p) => ask(p, (r) => r.call('CLUSTER', 'INFO'))))).every((i) =>
      String(i).includes('cluster_state:ok'),
    ),
  );
  return {
    url: `redis+cluster://${ports
      .slice(0, 3)
      .map((p) => `127.0.0.1:${p}`)
      .join(',')}`,
    async failover() {
      // A replica of the slot of every {hash tag} the product uses is as good as any: fail every master over.
      for (const port of ports) {
        const role = String(await ask(port, (r) => r.call('ROLE')).then((x) => (x as unknown[])[0]));
        if (role === 'slave') await ask(port, (r) => r.call('CLUSTER', 'FAILOVER'));
      }
      await sleep(3000);
    },
    stop: () => stopAll(children, dir),
  };
}
