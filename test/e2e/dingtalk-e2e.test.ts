/**
 * Issue "DingTalk", acceptance, end to end: the bot and the worker as the processes compose them, the sandbox
 * with the demo scenario, the test Redis, and the local fake DingTalk OpenAPI. Robot messages and card clicks
 * arrive as Stream frames through the DWClient's downstream handler (as the SDK hands over socket messages);
 * the HTTP callback route (/dingtalk/events) is checked on the bot's own server. What people see is read back
 * from the fake: cards by outTrackId with their latest variables, and robot messages.
 */
import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ButtonPayload } from '../../src/chat/core/message.js';
import { callbackRouteKeyOf } from '../../src/chat/dingtalk/dingtalk-platform.js';
import { signDingTalk } from '../../src/chat/dingtalk/sign.js';
import type { AuditEntry } from '../../src/ports/migration-service.js';
import { APPROVERS, CHANNELS, DINGTALK_CALLBACK_URL, DINGTALK_SECRETS, E2eHarness } from '../support/e2e-harness.js';
import type { FakeDingTalkApi } from '../support/fake-dingtalk-api.js';

const REQUESTER = { staffId: 'staff001', nick: 'Li Lei' };
const INTERN = 'intern007';
const TIME_SCALE = 0.002;

let h: E2eHarness;
let ding: FakeDingTalkApi;
let seq = 0;

beforeAll(async () => {
  h = await E2eHarness.start({ name: 'dingtalk-e2e', timeScale: TIME_SCALE, dingtalk: true });
  ding = h.dingtalk!;
});
afterAll(async () => {
  await h?.close();
});

/** A group robot message as DingTalk delivers it (Stream `data` and HTTP body alike). */
function robotMessage(content: string, sender = REQUESTER) {
  seq += 1;
  return {
    conversationId: CHANNELS.dingtalk,
    chatbotCorpId: 'dingcorp',
    chatbotUserId: '$:LWCP_v1:$bot',
    msgId: `msg-e2e-${seq}`,
    senderNick: sender.nick,
    isAdmin: false,
    senderStaffId: sender.staffId,
    sessionWebhookExpiredTime: Date.now() + 5_400_000,
    createAt: Date.now(),
    senderCorpId: 'dingcorp',
    conversationType: '2',
    conversationTitle: 'ops-migrations',
    senderId: '$:LWCP_v1:$sender',
    sessionWebhook: 'http://127.0.0.1:1/unused',
    robotCode: DINGTALK_SECRETS.robotCode,
    msgtype: 'text',
    text: { content },
    isInAtList: true,
  };
}

function sendRobot(content: string, sender = REQUESTER): string {
  const frameId = `frame-${++seq}`;
  h.streamFrame(TOPIC_ROBOT, frameId, robotMessage(content, sender));
  return frameId;
}

interface CardButton {
  outTrackId: string;
  payload: ButtonPayload;
}

/** Buttons currently on the cards (their `params.payload` is what DingTalk echoes back on a click). */
function cardButtons(): CardButton[] {
  const out: CardButton[] = [];
  for (const [outTrackId, card] of ding.cards) {
    const list = JSON.parse(card.params.buttons ?? '[]') as Array<{ params: { payload: string } }>;
    for (const b of list) out.push({ outTrackId, payload: JSON.parse(b.params.payload) as ButtonPayload });
  }
  return out;
}

function buttonFor(nonce: string, decision: ButtonPayload['decision'] = 'approve'): Promise<CardButton> {
  return h.until(`a ${decision} button for ${nonce} on a card`, () =>
    cardButtons().find((b) => b.payload.nonce === nonce && b.payload.decision === decision),
  );
}

/** A card button click as the Stream card topic delivers it. */
function clickCard(button: CardButton, userId: string): string {
  const frameId = `card-${++seq}`;
  h.streamFrame(TOPIC_CARD, frameId, {
    type: 'actionCallback',
    userId,
    corpId: 'dingcorp',
    outTrackId: button.outTrackId,
    content: JSON.stringify({
      cardPrivateData: { actionIds: [button.payload.decision], params: { payload: JSON.stringify(button.payload) } },
    }),
  });
  return frameId;
}

const acked = (frameId: string) =>
  h.until(`the Stream ack of ${frameId}`, () => h.streamAcks.find((a) => a.messageId === frameId));
/** The whole audit log (lookups included), newest first. */
const history = (): Promise<AuditEntry[]> => h.bot.client.service.history(undefined, 500, { all: true });
/** The audit entries written since there were `before` of them (newest first). */
const entriesSince = async (before: number): Promise<AuditEntry[]> => {
  const all = await history();
  return all.slice(0, all.length - before);
};
const oneToOne = (user: string) => ding.messages().filter((m) => m.to === `oto:${user}`);

/**
 * The first batch is answered by typing: an intern's `/migrate approve pool-a` is refused and changes nothing;
 * the approver's `/migrate approve pool-a batch N` approves it like the button. Its approval milestone card
 * @-mentions the approver, and names the typed form.
 */
async function typedApprovals(id: string, nonce: string, batch: number): Promise<void> {
  const milestone = await h.until('the batch approval milestone', () =>
    ding.calls.find(
      (c) =>
        c.path.endsWith('/createAndDeliver') &&
        String((c.body.cardData as { cardParamMap: { text?: string } }).cardParamMap.text).includes(
          `batch ${batch} of`,
        ),
    ),
  );
  expect(milestone.body.imGroupOpenDeliverModel).toMatchObject({
    atUserIds: expect.objectContaining({ [APPROVERS.dingtalk]: APPROVERS.dingtalk }),
  });
  const refusedBefore = (await history()).filter((e) => e.userId === INTERN && e.outcome === 'refused').length;
  await acked(sendRobot('/migrate approve pool-a', { staffId: INTERN, nick: 'intern' }));
  await h.until('the typed refusal in the audit log', async () => {
    const refused = (await history()).filter((e) => e.userId === INTERN && e.outcome === 'refused');
    return refused.length > refusedBefore ? refused : undefined;
  });
  expect(await h.record(id)).toMatchObject({ state: 'awaiting-approval', pending: { nonce } });
  await acked(sendRobot(`/migrate approve pool-a batch ${batch}`, { staffId: APPROVERS.dingtalk, nick: 'boss' }));
  const approved = await h.until('the typed approval', async () => {
    const r = await h.record(id);
    return r?.pending?.nonce !== nonce ? r : undefined;
  });
  expect(approved.batches.find((b) => b.index === batch)?.approvedBy).toMatchObject({
    platform: 'dingtalk',
    userId: APPROVERS.dingtalk,
  });
}

describe('DingTalk end to end: bot + worker + sandbox + Redis + fake DingTalk OpenAPI', () => {
  it('HTTP mode with a card template: the click route is registered before the first card, cards call back over HTTP', async () => {
    const key = callbackRouteKeyOf(DINGTALK_SECRETS.clientId);
    expect(ding.routes.get(key)).toBe(DINGTALK_CALLBACK_URL);
    await acked(sendRobot('/migrate status'));
    const cards = await h.until('a card', () => {
      const list = ding.calls.filter((c) => c.path.endsWith('/createAndDeliver'));
      return list.length ? list : undefined;
    });
    const register = ding.calls.findIndex((c) => c.path === '/v1.0/card/callbacks/register');
    expect(register).toBeGreaterThanOrEqual(0);
    expect(register).toBeLessThan(ding.calls.indexOf(cards[0]!));
    for (const c of cards) expect(c.body).toMatchObject({ callbackType: 'HTTP', callbackRouteKey: key });
    expect(ding.refusals()).toEqual([]);
  });

  it('"@bot /migrate precheck pool-a" through the Stream downstream handler: the report is sent to the group', async () => {
    const frame = sendRobot('@ack-migrate /migrate precheck pool-a');
    await acked(frame);
    const report = await h.until('the precheck report in the group', () =>
      [...ding.cards.values()].find((c) => c.params.title === 'Precheck: pool-a'),
    );
    expect(report.openSpaceId).toBe(`dtv1.card//IM_GROUP.${CHANNELS.dingtalk}`);
    expect(report.params.text).toContain('blocked');
    for (const rule of ['docker-socket', 'pdb-blocking', 'docker-data-dir', 'bare-pod'])
      expect(report.params.summary).toContain(rule);
    expect(report.params.summary).toContain('DaemonSet monitoring/node-agent');
    // The command's own acknowledgement goes to the asker alone.
    expect(oneToOne(REQUESTER.staffId).at(-1)?.text).toContain('precheck');
  });

  it('"/migrate start pool-a": a card; a non-approver is refused and audited; the approver\'s clicks run it to completed', {
    timeout: 90_000,
  }, async () => {
    const t0 = Date.now();
    const callsBefore = ding.calls.length;
    await acked(sendRobot('/migrate start pool-a'));
    const { id } = await h.migrationOf('pool-a');
    const [outTrackId] = await h.until('the migration card', () => {
      const found = [...ding.cards].find(([, c]) => c.params.title === 'Migration of pool-a to containerd');
      return found;
    });
    expect(ding.cards.get(outTrackId)!.openSpaceId).toBe(`dtv1.card//IM_GROUP.${CHANNELS.dingtalk}`);

    // The override of the planted blockers waits on the card; a non-approver's click is refused one-to-one.
    const override = await h.untilState(id, ['awaiting-approval']);
    expect(override.pending).toMatchObject({ kind: 'approval', subject: 'override-blockers' });
    const overrideButton = await buttonFor(override.pending!.nonce);
    expect(overrideButton.outTrackId).toBe(outTrackId);
    const before = oneToOne(INTERN).length;
    await acked(clickCard(overrideButton, INTERN));
    const refusal = await h.until('a one-to-one refusal to the non-approver', () => oneToOne(INTERN)[before]);
    expect(refusal.text).toMatch(/approver/i);
    const entry = await h.until('the refusal in the audit log', async () =>
      (await history()).find((e) => e.userId === INTERN),
    );
    expect(entry).toMatchObject({ platform: 'dingtalk', action: 'approve', outcome: 'refused', migrationId: id });
    const still = await h.record(id);
    expect(still).toMatchObject({ state: 'awaiting-approval', pending: { nonce: override.pending!.nonce } });
    expect(still?.approvals?.['override-blockers']).toBeUndefined();

    // The approver answers the override and then every production batch from the card.
    const answered: number[] = [];
    await acked(clickCard(overrideButton, APPROVERS.dingtalk));
    const seen = new Set<string>([override.pending!.nonce]);
    const heldBy: string[] = [];
    const done = await h.until(
      'the migration to end',
      async () => {
        const r = await h.record(id);
        if (!r) return undefined;
        const p = r.pending;
        if (
          r.state === 'paused' &&
          p?.kind === 'failure' &&
          !seen.has(p.nonce) &&
          /payments\/ledger/.test(r.reason ?? '')
        ) {
          // ACK ended the upgrade: the planted PDB held the drain past its grace. Relax it, then Retry.
          seen.add(p.nonce);
          heldBy.push(r.reason ?? '');
          await h.relaxPdb('payments', 'ledger');
          await acked(clickCard(await buttonFor(p.nonce, 'retry'), APPROVERS.dingtalk));
          return undefined;
        }
        if (r.state === 'completed' || r.state === 'aborted' || r.state === 'paused') return r;
        if (r.state === 'awaiting-approval' && p?.kind === 'approval' && !seen.has(p.nonce)) {
          seen.add(p.nonce);
          expect(p.subject).toBe('batch');
          if (answered.length === 0) {
            await typedApprovals(id, p.nonce, p.batch);
            answered.push(p.batch);
            return undefined;
          }
          const button = await buttonFor(p.nonce);
          expect(button.outTrackId).toBe(outTrackId);
          await acked(clickCard(button, APPROVERS.dingtalk));
          answered.push(p.batch);
        }
        return undefined;
      },
      80_000,
    );
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('completed');
    expect(done.approvals?.['override-blockers']?.userId).toBe(APPROVERS.dingtalk);
    expect(heldBy).toHaveLength(1);
    expect(heldBy[0]).toMatch(/PodDisruptionBudget payments\/ledger/);
    expect(answered).toEqual(done.batches.map((b) => b.index));
    for (const b of done.batches)
      expect(b.approvedBy).toMatchObject({ platform: 'dingtalk', userId: APPROVERS.dingtalk });

    // The one card ends in the final state; a milestone tells the requester.
    const card = await h.until('the card in its final state', () => {
      const c = ding.cards.get(outTrackId);
      return c?.params.text?.startsWith('pool-a: ✅ completed') ? c : undefined;
    });
    expect(card.params.text).toContain('6/6 nodes');
    expect(card.params.progress).toContain('6/6');
    expect(card.params.hasButtons).toBe('false');
    for (const b of done.batches) for (const node of b.nodes) expect(card.params.timeline).toContain(node);
    const milestone = await h.until('the completion milestone', () =>
      [...ding.cards].find(([, c]) => c.params.text?.startsWith('✅ pool-a migrated to containerd')),
    );
    expect(milestone[1].params.text).toContain('6/6 nodes');
    const delivery = ding.calls.find((c) => c.path.endsWith('/createAndDeliver') && c.body.outTrackId === milestone[0]);
    expect(delivery?.body.imGroupOpenDeliverModel).toMatchObject({
      atUserIds: { [REQUESTER.staffId]: REQUESTER.staffId },
    });
    const since = ding.calls.slice(callsBefore);
    const count = (method: string, path: string) => since.filter((c) => c.method === method && c.path === path).length;
    console.log(
      `[dingtalk-e2e] pool-a: ${done.batches.length} batches, completed in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
        `at time scale ${TIME_SCALE}; DingTalk OpenAPI calls since the start: ${since.length} ` +
        `(${count('POST', '/v1.0/card/instances/createAndDeliver')} cards created, ${count('PUT', '/v1.0/card/instances')} ` +
        `card updates, ${count('POST', '/v1.0/robot/oToMessages/batchSend')} one-to-one messages)`,
    );
  });

  describe('HTTP callback mode (/dingtalk/events on the bot server)', () => {
    const post = (body: unknown, headers: Record<string, string>) =>
      fetch(h.dingtalkUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    it('a wrong sign or a stale timestamp is refused with 401, and nothing is enqueued or audited', async () => {
      const auditBefore = (await history()).length;
      const now = String(Date.now());
      const wrong = await post(robotMessage('/migrate start pool-b'), {
        timestamp: now,
        sign: signDingTalk(now, 'not-the-app-secret'),
      });
      const staleTs = String(Date.now() - 2 * 3_600_000);
      const stale = await post(robotMessage('/migrate start pool-b'), {
        timestamp: staleTs,
        sign: signDingTalk(staleTs, DINGTALK_SECRETS.clientSecret),
      });
      expect(wrong.status).toBe(401);
      expect(stale.status).toBe(401);
      // A correctly signed callback after them: once its audit entry is written and its answer shown, the bot has
      // handled what came before it, and the refused callbacks left nothing behind.
      const cardsBefore = ding.cards.size;
      const signedTs = String(Date.now());
      const signed = await post(robotMessage('/migrate status pool-b'), {
        timestamp: signedTs,
        sign: signDingTalk(signedTs, DINGTALK_SECRETS.clientSecret),
      });
      expect(signed.status).toBe(200);
      const entry = await h.until('the audit entry of the signed status command', async () =>
        (await entriesSince(auditBefore)).find((e) => e.action === 'status' && e.userId === REQUESTER.staffId),
      );
      // Its answer: no migration of pool-b (the refused start enqueued nothing).
      await h.until('the status answer', () =>
        [...ding.cards.values()].slice(cardsBefore).find((c) => c.params.title === 'No migration of pool-b is known.'),
      );
      expect(entry).toMatchObject({ pool: 'pool-b', outcome: 'ok', platform: 'dingtalk' });
      expect(await entriesSince(auditBefore)).toEqual([entry]);
      expect(await h.bot.client.service.status('pool-b')).toEqual([]);
    });

    it('a correctly signed, fresh callback is taken and answered in the group', async () => {
      const ts = String(Date.now());
      const cardsBefore = ding.cards.size;
      const res = await post(robotMessage('/migrate status pool-a'), {
        timestamp: ts,
        sign: signDingTalk(ts, DINGTALK_SECRETS.clientSecret),
      });
      expect(res.status).toBe(200);
      const status = await h.until('the status answer', () =>
        ding.cards.size > cardsBefore ? [...ding.cards.values()].at(-1) : undefined,
      );
      expect(status.openSpaceId).toBe(`dtv1.card//IM_GROUP.${CHANNELS.dingtalk}`);
      expect(status.params.title).toBe('Status of pool-a');
      expect(status.params.summary).toContain('completed');
    });
  });
});
