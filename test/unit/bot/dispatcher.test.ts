import { beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/bot/dispatcher.js';
import type { BotThreadStore, ThreadRecord } from '../../../src/bot/thread-record.js';
import { renderPlainText } from '../../../src/chat/core/render-text.js';
import { configFileSchema } from '../../../src/config/config-file.js';
import type { Origin } from '../../../src/domain/migration/events.js';
import { AppError } from '../../../src/errors.js';
import { createMemoryThreadStore } from '../../../src/stores/memory/thread-store.js';
import { createFakeChatPlatform, type FakeChatPlatform } from '../../support/fake-chat-platform.js';
import { FakeMigrationService } from './fake-migration-service.js';

const file = configFileSchema.parse({
  clusters: [
    { id: 'c-prod', channels: { slack: ['C-ops'] }, approvers: { slack: ['U-boss'] } },
    { id: 'c-stage', environment: 'staging', channels: { slack: ['C-stage'] } },
  ],
});

describe('dispatcher', () => {
  let service: FakeMigrationService;
  let threads: BotThreadStore;
  let slack: FakeChatPlatform;

  beforeEach(async () => {
    service = new FakeMigrationService();
    threads = createMemoryThreadStore<ThreadRecord>();
    slack = createFakeChatPlatform({ platform: 'slack', channel: 'C-ops', userId: 'U-req' });
    await slack.start(createDispatcher({ service, threads, config: { file, defaultClusterId: undefined } }));
  });

  /** A migration's thread parent, as the notifier records it. */
  async function migrationThread() {
    const parent = await slack.post({ channel: 'C-ops' }, { text: 'Migration of pool-a' });
    await threads.set({
      migrationId: 'mig-pool-a-01JTEST',
      kind: 'migration',
      platform: 'slack',
      channel: 'C-ops',
      parent,
      requester: 'U-req',
      batches: {},
      alerts: {},
      milestones: [],
    });
    return parent;
  }

  it.each([
    ['/migrate frobnicate pool-a', /unknown command "frobnicate"/],
    ['/migrate precheck Bad_Name', /not a valid pool name/],
    ['/migrate start pool-a --max-parallel zero', /--max-parallel must be a whole number/],
    [`/migrate precheck ${'a'.repeat(1001)}`, /longer than 1000 characters/],
  ])('answers bad input %s with one ephemeral line and the usage; nothing is enqueued', async (text, error) => {
    const reply = await slack.command(text);
    expect(reply.ephemeral).toBe(true);
    expect(reply.message.text).toMatch(error);
    expect(reply.message.text).toContain('Usage:');
    expect(reply.message.text.split('\n')).toHaveLength(1);
    expect(service.work()).toEqual([]);
    expect(service.audits).toEqual([
      expect.objectContaining({ action: 'command', outcome: 'refused', userId: 'U-req' }),
    ]);
  });

  it('acks a precheck at once with the cluster bound to the channel, and enqueues it', async () => {
    const reply = await slack.command('/migrate precheck pool-a --max-parallel 2');
    expect(reply).toEqual({
      ephemeral: true,
      message: expect.objectContaining({ text: 'Running precheck for pool-a…' }),
    });
    expect(service.work()).toEqual([
      {
        method: 'requestPrecheck',
        args: {
          pool: 'pool-a',
          planOnly: false,
          cluster: 'c-prod',
          maxParallel: 2,
          origin: { platform: 'slack', channel: 'C-ops', userId: 'U-req' },
        },
      },
    ]);
  });

  it('refuses a command from a channel the cluster does not accept, and audits the refusal', async () => {
    const reply = await slack.command('/migrate start pool-a --cluster c-stage');
    expect(reply.ephemeral).toBe(true);
    expect(reply.message.text).toContain('not accepted in this channel');
    expect(service.work()).toEqual([]);
    expect(service.audits).toEqual([
      expect.objectContaining({ action: 'start', outcome: 'refused', pool: 'pool-a', platform: 'slack' }),
    ]);
  });

  it('asks for --cluster in a channel bound to no cluster when several are configured', async () => {
    const reply = await slack.command('/migrate plan pool-a', { channel: 'C-random' });
    expect(reply.message.text).toContain('several clusters are configured');
    expect(service.work()).toEqual([]);
  });

  it('uses the only cluster, or ACK_CLUSTER_ID, and allows every channel when none are listed', async () => {
    const single = createDispatcher({
      service,
      threads,
      config: { file: configFileSchema.parse({}), defaultClusterId: 'c-demo' },
    });
    const origin: Origin = { platform: 'console', channel: 'console', userId: 'operator' };
    const reply = await single.onCommand({ origin, text: '/migrate start pool-a --snapshot --soak 10m' });
    expect(reply.message.text).toContain('Starting the migration of pool-a');
    expect(service.work()[0]?.args).toMatchObject({
      cluster: 'c-demo',
      pool: 'pool-a',
      snapshot: true,
      soakSeconds: 600,
      mode: 'in-place',
    });
  });

  it('refuses an unknown --cluster', async () => {
    const reply = await slack.command('/migrate precheck pool-a --cluster c-nope');
    expect(reply.message.text).toContain('unknown cluster "c-nope"');
    expect(service.work()).toEqual([]);
  });

  it('answers status and history inline from the service', async () => {
    const status = await slack.command('/migrate status');
    expect(status.ephemeral).toBe(false);
    expect(renderPlainText(status.message)).toMatch(/pool-a.*2\/6 nodes.*batch 2\/3/);
    const history = await slack.command('/migrate history pool-a');
    expect(history.message.text).toContain('History of pool-a');
    expect(service.work().map((c) => c.method)).toEqual(['status', 'history']);
    expect(service.audits.map((a) => a.action)).toEqual(['status', 'history']);
  });

  it('sends pause/resume/abort/cleanup to the service and shows its refusal as an ephemeral line', async () => {
    service.decision = { ok: false, code: 'FORBIDDEN', message: 'U-req is not an approver for c-prod' };
    const reply = await slack.command('/migrate abort pool-a');
    expect(reply.ephemeral).toBe(true);
    expect(reply.message.text).toContain('not an approver');
    expect(service.work()[0]).toMatchObject({
      method: 'controlByPool',
      args: { pool: 'pool-a', decision: 'abort', cluster: 'c-prod' },
    });
    await slack.command('/migrate cleanup pool-a');
    expect(service.work()[1]?.method).toBe('requestCleanup');
  });

  it('turns a service error into a one-line message without internals', async () => {
    service.failWith = new AppError('NOT_FOUND', 'unknown pool "pool-z"', { hint: 'pools: pool-a, pool-b' });
    const reply = await slack.command('/migrate precheck pool-z');
    expect(reply.message.text).toBe('⚠️ unknown pool "pool-z" (pools: pool-a, pool-b)');
    service.failWith = new Error('ECONNRESET 10.0.0.1:6379');
    const hidden = await slack.command('/migrate precheck pool-z');
    expect(hidden.message.text).not.toContain('ECONNRESET');
  });

  it('never waits for slow work: a hanging service still gets an answer', async () => {
    let release = () => {};
    service.hang = new Promise<void>((resolve) => {
      release = resolve;
    });
    const quick = createDispatcher({ service, threads, config: { file }, replyTimeoutMs: 50 });
    const origin: Origin = { platform: 'slack', channel: 'C-ops', userId: 'U-req' };
    const reply = await quick.onCommand({ origin, text: '/migrate start pool-a' });
    expect(reply.message.text).toContain('Still working on `start pool-a`');
    release();
  });

  it('passes a button click to decide with the nonce and batch, and shows refusals ephemerally', async () => {
    const payload = { decision: 'approve' as const, migrationId: 'mig-pool-a-01JTEST', nonce: 'n2', batch: 2 };
    const ok = await slack.click(payload, { userId: 'U-boss' });
    expect(ok).toEqual({ ephemeral: true, message: expect.objectContaining({ text: 'Approved batch 2 of pool-a' }) });
    expect(service.work()[0]).toEqual({
      method: 'decide',
      args: {
        migrationId: 'mig-pool-a-01JTEST',
        decision: 'approve',
        nonce: 'n2',
        batch: 2,
        actor: { platform: 'slack', channel: 'C-ops', userId: 'U-boss' },
      },
    });
    service.decision = { ok: false, code: 'STALE', message: 'This button was already used' };
    const stale = await slack.click(payload, { userId: 'U-boss' });
    expect(stale.ephemeral).toBe(true);
    expect(stale.message.text).toContain('already used');
  });

  it('answers a question in a migration thread from the FAQ, and ignores chatter elsewhere', async () => {
    const parent = await migrationThread();
    const answer = await slack.say('can we roll back after the migration?', { threadId: parent.messageId });
    expect(answer?.ephemeral).toBe(false);
    expect(answer?.message.header).toBeTruthy();
    expect(renderPlainText(answer!.message).toLowerCase()).toContain('roll');
    expect(slack.thread(parent.messageId).map((m) => m.message.header)).toEqual([answer?.message.header]);

    expect(await slack.say('lunch anyone?')).toBeUndefined();
    expect(await slack.say('nice weather', { threadId: parent.messageId })).toBeUndefined();
    // A question off the FAQ's topics is still answered: with what the bot can answer.
    const offTopic = await slack.say('who won the football match?', { threadId: parent.messageId });
    expect(offTopic?.ephemeral).toBe(false);
    expect(renderPlainText(offTopic!.message)).toMatch(/I can answer questions about:[\s\S]*Rollback/);
    expect(await slack.say('asdf qwerty', { threadId: 'not-a-migration-thread' })).toBeUndefined();
    const mentioned = await slack.say('<@UBOT> will the IP change?', { mentioned: true });
    expect(mentioned?.message.header).toBeTruthy();
    expect(service.work()).toEqual([]);
  });

  it('treats "/migrate …" sent as a plain message (DingTalk, console thread) as a command', async () => {
    const reply = await slack.say('@ack-bot /migrate status pool-a', { mentioned: true });
    expect(reply?.message.header).toBe('Status of pool-a');
    expect(service.work()).toEqual([{ method: 'status', args: 'pool-a' }]);
  });

  it('reads a message of many run-together @words as chatter, not a command, without stalling the bot', async () => {
    // Every channel message is checked for a leading command; a pattern that backtracks over "@a@a@a…" froze the
    // whole process (all platforms, health checks) for minutes on a 60-character message.
    const reply = await slack.say(`${'@a'.repeat(500)}!`);
    expect(reply).toBeUndefined();
    expect(service.work()).toEqual([]);
    const command = await slack.say(`<@UBOT> @ack-bot/migrate status pool-a`, { mentioned: true });
    expect(command?.message.header).toBe('Status of pool-a');
  });

  it('answers a top-level question as the FAQ, not as an unknown command', async () => {
    const reply = await slack.command('/migrate how do I roll back?');
    expect(reply.ephemeral).toBe(false);
    expect(reply.message.context).toContain('FAQ · rollback');
    expect(service.work()).toEqual([]);
  });

  it('says when a question was too long to read whole', async () => {
    const long = `will the node IP change? ${'and also '.repeat(300)}`;
    const reply = await slack.command(`/migrate faq ${long.slice(0, 900)}`);
    expect(reply.message.context).not.toMatch(/characters/);
    const parent = await migrationThread();
    const answer = await slack.say(`${long}${'x'.repeat(2000)}`, { threadId: parent.messageId });
    expect(answer?.message.context).toContain('only its first 2,000 characters were read');
  });

  it('answers /migrate faq and help without touching the service', async () => {
    const faq = await slack.command('/migrate faq will the node IP change?');
    expect(faq.ephemeral).toBe(false);
    expect(faq.message.context).toContain('FAQ');
    const help = await slack.command('/migrate help');
    expect(help.message.text).toContain('Usage: /migrate');
    expect(service.work()).toEqual([]);
  });

  it('masks secrets people type before it answers, audits or hands anything to the service', async () => {
    const own = 'e2e1c0ffee0ddba11deadbeef0123456';
    const token = 'xoxp-1234567890-1234567890-abcdefabcdef';
    const masking = createFakeChatPlatform({ platform: 'slack', channel: 'C-ops', userId: 'U-req' });
    const dispatcher = createDispatcher({
      service,
      threads,
      config: { file, defaultClusterId: undefined },
      secrets: [own],
    });
    await masking.start(dispatcher);
    const replies = [
      await masking.command(`/migrate faq what is ${token}?`),
      await masking.command(`/migrate start ${own}`),
      await masking.command(`/migrate precheck pool-a --cluster ${own}`),
      await masking.command(`/migrate frobnicate ${token}`),
      await masking.say(`<@UBOT> is ${own} my secret?`, { mentioned: true }),
    ];
    const seen = JSON.stringify({ replies, audits: service.audits, work: service.work() });
    expect(seen).not.toContain(own);
    expect(seen).not.toContain('abcdefabcdef');
    expect(seen).toContain('[REDACTED]');
    expect(service.work()).toEqual([]);
  });
});
