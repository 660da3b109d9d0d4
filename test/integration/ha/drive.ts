/**
 * A person driving one migration through Slack, as the HA tests and the chaos bench do: `/migrate start`, then
 * every approval clicked by the approver (a stopped line: Retry once, then Skip node), each request to the next
 * live bot in turn (a load balancer). No test framework: the bench uses it too.
 */
import type { MigrationRecord } from '../../../src/domain/migration/record.js';
import type { HaCluster } from './ha-cluster.js';
import type { SlackDriver, SlackUser } from './slack-driver.js';

export interface DriveOptions {
  ha: HaCluster;
  slack: SlackDriver;
  pool: string;
  requester: SlackUser;
  approver: SlackUser;
  /** Called once, when the first approval has been applied (the record moved on from it). */
  afterFirstApproval?: (migrationId: string) => Promise<void>;
  timeoutMs?: number;
}

export interface Driven {
  id: string;
  record: MigrationRecord;
  answered: string[];
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
let turn = 0;

/** The next live bot, round robin. */
export function nextBot(ha: HaCluster): string {
  const live = ha.bots;
  if (live.length === 0) throw new Error('no bot is running');
  return live[turn++ % live.length]!.url!;
}

/** Sends a request to the next live bot; a bot killed meanwhile makes it go to the next one. */
async function send(ha: HaCluster, request: (url: string) => Promise<{ status: number }>): Promise<boolean> {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      if ((await request(nextBot(ha))).status === 200) return true;
    } catch {
      // connection refused: that bot is gone
    }
    await sleep(200);
  }
  return false;
}

export async function driveMigration(o: DriveOptions): Promise<Driven> {
  const { ha, slack } = o;
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  if (!(await send(ha, (url) => slack.command(url, `start ${o.pool}`, o.requester))))
    throw new Error(`start ${o.pool} was not accepted`);
  let id: string | undefined;
  while (!id && Date.now() < deadline) {
    id = (await ha.client.service.status(o.pool).catch(() => []))[0]?.migrationId;
    if (!id) await sleep(100);
  }
  if (!id) throw new Error(`no migration of ${o.pool} appeared`);
  const answered: string[] = [];
  const clicked = new Map<string, number>();
  let failures = 0;
  let hooked = false;
  let last = '';
  while (Date.now() < deadline) {
    const r = await ha.client.store.get(id).catch(() => undefined);
    if (!r) {
      await sleep(200);
      continue;
    }
    last = `${r.state} ${r.pending?.kind ?? ''} ${r.pending?.nonce?.slice(0, 8) ?? ''} ${r.reason ?? ''}`;
    if (!hooked && answered.length > 0 && r.pending?.nonce !== answered[0]) {
      hooked = true;
      await o.afterFirstApproval?.(id);
    }
    if (r.state === 'completed' || r.state === 'aborted') return { id, record: r, answered };
    const p = r.pending;
    // A click whose bot died before applying it leaves the question open: a person clicks again after a while.
    const open =
      p && (p.kind === 'approval' || p.kind === 'failure') && Date.now() - (clicked.get(p.nonce) ?? 0) > 3000;
    if (p && open) {
      const decision = p.kind === 'approval' ? 'approve' : failures === 0 ? 'retry' : 'skip-node';
      const button = slack.button(p.nonce, decision);
      if (button && (await send(ha, (url) => slack.click(url, button, o.approver)))) {
        if (!answered.includes(p.nonce)) answered.push(p.nonce);
        if (p.kind === 'failure' && !clicked.has(p.nonce)) failures++;
        clicked.set(p.nonce, Date.now());
      }
    }
    await sleep(100);
  }
  // What a person would have seen: the questions' buttons in the channel (nonce and decision).
  const seen = [...new Set(slack.buttons().map((b) => `${b.payload.nonce.slice(0, 8)}:${b.payload.decision}`))];
  if (process.env.TEST_LOG_LEVEL) {
    for (const m of ha.slack.messages.values())
      process.stderr.write(
        `MSG ${m.ts} thread=${m.threadTs ?? '-'} updates=${m.updates} ${String(m.text).slice(0, 90)}\n`,
      );
    for (const c of ha.slack.calls.filter((c) => c.method.startsWith('chat.') || c.method.startsWith('conv')))
      process.stderr.write(
        `CALL ${c.at} ${c.method} ${c.status} ${String((c.params as Record<string, unknown>).ts ?? '')} ${c.refused ? JSON.stringify(c.refused).slice(0, 60) : ''} ${String((c.params as Record<string, unknown>).text ?? '').slice(0, 70)}\n`,
      );
  }
  throw new Error(
    `migration ${id} of ${o.pool} did not end in time; last seen: ${last}; buttons: ${seen.join(' ') || 'none'}`,
  );
}
