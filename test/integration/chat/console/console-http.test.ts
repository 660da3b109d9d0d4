import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDispatcher } from '../../../../src/bot/dispatcher.js';
import { createNotifier } from '../../../../src/bot/notifier.js';
import type { ThreadRecord } from '../../../../src/bot/thread-record.js';
import type { ChatHandler, InboundCommand, Reply } from '../../../../src/chat/core/chat-platform.js';
import { configFileSchema } from '../../../../src/config/config-file.js';
import { createMemoryThreadStore } from '../../../../src/stores/memory/thread-store.js';
import { FakeMigrationService } from '../../../unit/bot/fake-migration-service.js';
import { migrationEvents } from '../../../unit/bot/migration-events.js';
import { type ConsoleHarness, openSse, seen, startConsole } from './console-harness.js';

const WAIT = { timeout: 5_000, interval: 20 };

const echo: ChatHandler = {
  onCommand: async (c: InboundCommand): Promise<Reply> => ({
    ephemeral: true,
    message: { text: `echo ${c.origin.userId}` },
  }),
  onAction: async () => ({ ephemeral: true, message: { text: 'ok' } }),
  onMessage: async () => undefined,
};

describe('console over HTTP', () => {
  let h: ConsoleHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('serves the page, its script and styles at / and /console/*, and leaves other paths to the host', async () => {
    h = await startConsole();
    const page = await fetch(`${h.base}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('/console/app.js');
    expect(html).toContain('id="command"');
    const js = await fetch(`${h.base}/console/app.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain('new EventSource(`/console/events');
    expect((await fetch(`${h.base}/console/style.css`)).headers.get('content-type')).toContain('text/css');
    // The page's modules: each import of app.js is served.
    for (const [, module] of (await (await fetch(`${h.base}/console/app.js`)).text()).matchAll(
      /from '\.\/(\w+\.js)'/g,
    )) {
      const res = await fetch(`${h.base}/console/${module}`);
      expect([module, res.status, res.headers.get('content-type')]).toEqual([
        module,
        200,
        'text/javascript; charset=utf-8',
      ]);
    }
    const other = await fetch(`${h.base}/healthz`);
    expect([other.status, await other.text()]).toEqual([404, 'not found']);
    expect((await fetch(`${h.base}/console/nope`)).status).toBe(404);
  });

  it('refuses a request whose Host is not loopback (a DNS-rebinding page cannot act as the operator)', async () => {
    h = await startConsole();
    await h.console.platform.start(echo);
    const { port } = new URL(h.base);
    const send = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/console/command',
            method: 'POST',
            headers: { host, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ text: '/migrate status' }));
      });
    expect(await send(`evil.example:${port}`)).toBe(403);
    expect(await send(`localhost:${port}`)).toBe(200);
  });

  it('replays earlier messages to a new SSE client and serves them at /console/state', async () => {
    h = await startConsole();
    await h.console.platform.start(echo);
    const parent = await h.console.platform.post({ channel: 'console' }, { text: 'one', header: 'One' });
    await h.console.platform.post({ channel: 'console', threadId: parent.messageId }, { text: 'two' });
    await h.console.platform.update(parent, { text: 'one, edited', header: 'One edited' });
    const late = await openSse(`${h.base}/console/events`);
    try {
      const entries = await vi.waitFor(() => {
        const e = [...late.entries.values()];
        expect(e).toHaveLength(2);
        return e;
      }, WAIT);
      expect(entries.map((e) => [e.message.text, e.threadId])).toEqual([
        ['one, edited', undefined],
        ['two', parent.messageId],
      ]);
      expect(late.events[0]).toEqual({ event: 'hello', data: { userId: 'operator' } });
    } finally {
      late.close();
    }
    const state = (await (await fetch(`${h.base}/console/state`)).json()) as { messages: unknown[]; started: boolean };
    expect(state.started).toBe(true);
    expect(state.messages).toHaveLength(2);
  });

  it('rejects bad requests with a clear status and never calls the handler', async () => {
    h = await startConsole();
    const calls: unknown[] = [];
    await h.console.platform.start({
      ...echo,
      onAction: async (a) => {
        calls.push(a);
        return { ephemeral: true, message: { text: '' } };
      },
    });
    const bad = await fetch(`${h.base}/console/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(bad.status).toBe(400);
    const form = await fetch(`${h.base}/console/command`, { method: 'POST', body: 'text=hi' });
    expect(form.status).toBe(415);
    expect((await h.post('/console/command', { text: 'x'.repeat(20_000) })).status).toBe(413);
    const forged = await h.post('/console/action', {
      payload: { decision: 'delete-cluster', migrationId: 'm', nonce: 'n' },
    });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: string }).error).toContain('payload.decision');
    expect((await h.post('/console/message', { text: '   ' })).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('answers 503 before the bot has started the platform', async () => {
    h = await startConsole();
    expect((await h.post('/console/command', { text: '/migrate help' })).status).toBe(503);
  });

  it('shows an ephemeral reply only to its user; the user is fixed unless switching is allowed', async () => {
    h = await startConsole({ allowUserSwitch: true });
    await h.console.platform.start(echo);
    const bob = await openSse(`${h.base}/console/events?user=bob`);
    try {
      expect((await h.post('/console/command', { text: '/migrate help', user: 'alice' })).status).toBe(200);
      const aliceView = await fetch(`${h.base}/console/state?user=alice`).then(
        (r) => r.json() as Promise<{ messages: Array<{ message: { text: string } }> }>,
      );
      expect(aliceView.messages.map((m) => m.message.text)).toContain('echo alice');
      // bob sees alice's typed command but not the ephemeral answer meant for her.
      await vi.waitFor(() => expect(bob.entries.size).toBeGreaterThanOrEqual(1), WAIT);
      expect([...bob.entries.values()].map((e) => e.message.text)).toEqual(['/migrate help']);
      // The default SSE client is "operator": it does not see alice's ephemeral reply either.
      expect([...h.sse.entries.values()].map(seen).find((m) => m.text === 'echo alice')).toBeUndefined();
    } finally {
      bob.close();
    }
    await h.close();
    h = await startConsole();
    await h.console.platform.start(echo);
    await h.post('/console/command', { text: '/migrate help', user: 'alice' });
    await expect.poll(() => [...h!.sse.entries.values()].map((e) => e.message.text), WAIT).toContain('echo operator');
  });

  it('keeps a bounded number of messages, dropping the oldest threads first', async () => {
    h = await startConsole({ maxMessages: 5 });
    const refs = [];
    for (let i = 0; i < 8; i++) refs.push(await h.console.platform.post({ channel: 'console' }, { text: `m${i}` }));
    expect(h.console.platform.state().map((e) => e.message.text)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7']);
    await expect(h.console.platform.update(refs[0]!, { text: 'gone' })).rejects.toMatchObject({ code: 'CHAT_API' });
  });

  it('puts a reply to a reply into the same thread', async () => {
    h = await startConsole();
    const parent = await h.console.platform.post({ channel: 'console' }, { text: 'parent' });
    const reply = await h.console.platform.post({ channel: 'console', threadId: parent.messageId }, { text: 'r1' });
    const nested = await h.console.platform.post({ channel: 'console', threadId: reply.messageId }, { text: 'r2' });
    expect(nested.threadId).toBe(parent.messageId);
  });

  it('a slow answer ("still working", Redis slow) shows up in the channel once it is ready', async () => {
    h = await startConsole();
    const service = new FakeMigrationService();
    let release = () => {};
    service.hang = new Promise<void>((resolve) => {
      release = resolve;
    });
    const threads = createMemoryThreadStore<ThreadRecord>();
    const config = { file: configFileSchema.parse({}), defaultClusterId: 'c-demo' };
    await h.console.platform.start(createDispatcher({ service, threads, config, replyTimeoutMs: 50 }));
    const texts = () => [...h!.sse.entries.values()].map((e) => e.message.text);
    expect((await h.post('/console/command', { text: '/migrate status pool-a' })).status).toBe(200);
    await expect.poll(texts, WAIT).toContainEqual(expect.stringContaining('Still working on `status pool-a`'));
    release();
    await expect.poll(texts, WAIT).toContainEqual(expect.stringMatching(/^Status of pool-a/));
    expect([...h.sse.entries.values()].at(-1)?.author.kind).toBe('bot');
  });

  it('runs a migration end to end with the real dispatcher and notifier: command, thread, approval click, FAQ', async () => {
    h = await startConsole();
    const service = new FakeMigrationService();
    const threads = createMemoryThreadStore<ThreadRecord>();
    const platform = h.console.platform;
    await platform.start(
      createDispatcher({ service, threads, config: { file: configFileSchema.parse({}), defaultClusterId: 'c-demo' } }),
    );
    const notifier = createNotifier({
      platforms: [platform],
      events: { subscribe: async () => async () => {} },
      threads,
    });
    const view = () => [...h!.sse.entries.values()];

    expect((await h.post('/console/command', { text: '/migrate start pool-a' })).status).toBe(200);
    await expect
      .poll(() => view().map((e) => e.message.text), WAIT)
      .toContainEqual(expect.stringMatching(/^Starting the migration of pool-a/));
    expect(service.work()[0]).toMatchObject({ method: 'start', args: { pool: 'pool-a', cluster: 'c-demo' } });

    const origin = { platform: 'console' as const, channel: 'console', userId: 'operator' };
    const events = migrationEvents({ origin, plan: [['pool-a-1'], ['pool-a-2', 'pool-a-3']] });
    const approvalAt = events.findIndex((e) => e.type === 'batch.awaiting-approval');
    for (const e of events.slice(0, approvalAt + 1)) await notifier.handle(e);
    const approval = await vi.waitFor(() => {
      const e = view().find((e) => e.message.buttons?.some((b) => b.label === 'Approve batch 1'));
      expect(e, 'the approval question').toBeDefined();
      return e;
    }, WAIT);
    const parent = view().find((e) => e.message.header?.startsWith('Migration of pool-a'))!;
    expect(approval!.threadId).toBe(parent.id);

    const button = approval!.message.buttons![0]!;
    expect((await h.post('/console/action', { payload: button.payload, messageId: approval!.id })).status).toBe(200);
    expect(service.work().at(-1)).toMatchObject({
      method: 'decide',
      args: { decision: 'approve', nonce: 'n1', batch: 1, actor: { platform: 'console', userId: 'operator' } },
    });

    for (const e of events.slice(approvalAt + 1)) await notifier.handle(e);
    await notifier.flush();
    await expect
      .poll(
        () =>
          view()
            .find((e) => e.id === parent.id)
            ?.message.fields?.find((f) => f.label === 'State')?.value,
        WAIT,
      )
      .toBe('✅ completed');

    expect((await h.post('/console/message', { text: 'can we roll back?', threadId: parent.id })).status).toBe(200);
    const answer = await vi.waitFor(() => {
      const e = view().find((e) => e.threadId === parent.id && e.message.context?.includes('FAQ'));
      expect(e, 'the FAQ answer').toBeDefined();
      return e;
    }, WAIT);
    expect(answer!.visibleTo).toBeUndefined();
    await notifier.stop();
  });
});
