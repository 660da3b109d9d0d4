/**
 * "Ctrl-C, then a second npm start resumes where the first stopped": a demo stopped in the middle of a node's
 * upgrade comes back with the sandbox cluster as it was left (src/app/dev-state.ts) and the migration kept in
 * Redis (AOF under the same data dir), finishes it, and no system disk is replaced twice.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { DevApp } from '../../src/app/dev-app.js';
import type { ConsoleEntry } from '../../src/chat/console/console-store.js';
import { isAppError } from '../../src/errors.js';
import { readSandboxState, sandboxStatePath } from '../../src/sandbox/persist/persist-sandbox.js';
import { until } from '../support/wait.js';
import { removeDataDir, startDemo, tempDataDir } from './support/dev-harness.js';

/** A pool-b node takes about 4 s (drain 30 + stop 20 + disk 60 + init 240 + start 60 simulated seconds). */
const TIME_SCALE = 0.01;
const POOL_B = 'np-b';

async function command(app: DevApp, text: string): Promise<void> {
  const res = await fetch(`${app.url}/console/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  expect(res.status).toBe(200);
}

type Counts = Record<string, Record<string, number>>;

describe('dev restart', () => {
  const dirs: string[] = [];
  const apps: DevApp[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => {});
    for (const dir of dirs) removeDataDir(dir);
  });

  it('resumes a migration stopped mid-upgrade: no Docker node comes back and each system disk is replaced once', async () => {
    const dataDir = tempDataDir('restart');
    dirs.push(dataDir);
    const first = (await startDemo({ dataDir, timeScale: TIME_SCALE })).app;
    apps.push(first);
    expect(first.restored).toBeUndefined();
    const world1 = first.sandbox.world;
    const originalDisks = new Map(
      world1.listNodes(POOL_B).map((n) => [n.instanceId, world1.getInstanceByNode(n.name)?.systemDiskId]),
    );
    expect(originalDisks.size).toBe(3);

    await command(first, '/migrate start pool-b');
    // Stop while a node is down, its new system disk already ordered (counted) but the node not back yet.
    const inFlight = await until(
      'a pool-b node stopped with its disk replacement under way',
      () =>
        world1.listNodes(POOL_B).find((n) => {
          const ops = first.sandbox.cloud.state.stats.snapshot().instances[n.instanceId];
          return world1.getInstanceByNode(n.name)?.status === 'Stopped' && ops?.['ReplaceSystemDisk'] === 1;
        }),
      30_000,
    );
    await first.close();
    apps.pop();

    const saved = readSandboxState(dataDir);
    expect(saved?.nodes.find((n) => n.name === inFlight.name)).toMatchObject({ runtime: 'docker', ready: false });
    expect(saved?.tasks.filter((t) => t.state === 'running')).toHaveLength(1);
    const savedOps: Counts = saved?.operations ?? {};
    expect(savedOps[inFlight.instanceId]?.['ReplaceSystemDisk']).toBe(1);

    const second = (await startDemo({ dataDir, timeScale: TIME_SCALE })).app;
    apps.push(second);
    expect(second.restored?.finishedTasks).toHaveLength(1);
    const world2 = second.sandbox.world;
    // ACK finished that node while the demo was stopped: back on containerd, on a new disk.
    const node = world2.getNode(inFlight.name);
    expect(node?.runtime).toBe('containerd');
    expect(node?.ready).toBe(true);
    expect(world2.getInstanceByNode(inFlight.name)?.systemDiskId).not.toBe(originalDisks.get(inFlight.instanceId));

    const done = await until(
      'the resumed migration of pool-b to complete',
      async () => {
        const [summary] = await second.bot.client.service.status('pool-b');
        return summary && ['completed', 'failed', 'aborted', 'paused'].includes(summary.state) ? summary : undefined;
      },
      60_000,
    );
    expect(done).toMatchObject({ state: 'completed', nodesDone: 3, nodesTotal: 3 });

    // The console's thread says the migration resumed, and the resumed node's steps from before the restart
    // are still in its batch's timeline.
    const thread = await until(
      "the resumed line in the migration's thread",
      async () => {
        const state = (await (await fetch(`${second.url}/console/state`)).json()) as { messages: ConsoleEntry[] };
        const parent = state.messages.find((e) => e.message.header?.startsWith('Migration of pool-b'));
        const replies = state.messages.filter((e) => parent && e.threadId === parent.id);
        return replies.some((e) => e.message.text.startsWith('▶️ Resumed')) ? replies : undefined;
      },
      10_000,
    );
    const row = thread.flatMap((e) => e.message.timeline ?? []).find((r) => r.node === inFlight.name);
    expect(row?.detail).toMatch(/^(cordon \d+s › )?drain \d+s › stop \d+s › replace disk/);

    const res = await fetch(`http://${second.sandbox.cloud.endpoint}/sandbox/stats`);
    const stats = (await res.json()) as { instances: Counts };
    for (const n of world2.listNodes(POOL_B)) {
      const replaced =
        (savedOps[n.instanceId]?.['ReplaceSystemDisk'] ?? 0) +
        (stats.instances[n.instanceId]?.['ReplaceSystemDisk'] ?? 0);
      expect({ node: n.name, replaced }).toEqual({ node: n.name, replaced: 1 });
      expect(n.runtime).toBe('containerd');
      expect(n.ready && !n.unschedulable).toBe(true);
      expect(world2.getInstanceByNode(n.name)?.systemDiskId).not.toBe(originalDisks.get(n.instanceId));
    }
    // pool-a was never touched: still Docker after the restart.
    expect(new Set(world2.listNodes('np-a').map((n) => n.runtime))).toEqual(new Set(['docker']));

    await second.close();
    apps.pop();
    // The file counts every run: still one replacement per instance.
    const final = readSandboxState(dataDir);
    for (const id of originalDisks.keys()) expect(final?.operations[id]?.['ReplaceSystemDisk']).toBe(1);
  }, 90_000);

  it('refuses a damaged state file with a one-line hint instead of starting on a wrong cluster', () => {
    const dataDir = tempDataDir('damaged');
    dirs.push(dataDir);
    writeFileSync(sandboxStatePath(dataDir), '{"version": 1, "nodes": "oops"');
    let error: unknown;
    try {
      readSandboxState(dataDir);
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error) && error.code).toBe('CONFIG');
    expect(isAppError(error) && error.hint).toContain('delete');
  });
});
