/**
 * Message → Slack Block Kit. Pure: no I/O, so unit tests pin the exact blocks. Slack rejects a whole message when
 * one block breaks a limit (header 150 chars, section 3000, button text 75, value 2000, 10 fields, 25 buttons,
 * 50 blocks), so every piece is clipped here rather than trusted.
 */
import type { types } from '@slack/bolt';
import type { Decision } from '../../ports/migration-service.js';
import type { Button, Message, TimelineRow } from '../core/message.js';

type KnownBlock = types.KnownBlock;
type SlackButton = types.Button;
type ConfirmationDialog = types.ConfirmationDialog;

export interface SlackRendered {
  /** Fallback and notification text; never empty. */
  text: string;
  blocks: KnownBlock[];
}

/** Every button we render has an action_id with this prefix; the adapter listens on it. */
export const ACTION_ID_PREFIX = 'migrate:';

const LIMIT = {
  header: 150,
  section: 3000,
  field: 2000,
  fields: 10,
  buttonText: 75,
  buttonValue: 2000,
  buttonsPerBlock: 25,
  blocks: 50,
  id: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  text: 3900,
  /** Block text of one message: Slack refuses more with msg_blocks_too_long (about 12,000; a margin kept). */
  blockText: 11_000,
} as const;

const DESTRUCTIVE: ReadonlySet<Decision> = new Set(['reject', 'abort', 'skip-node']);

/** Slack ids that render as mentions when wrapped in <@…>. */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * Keep Slack's own tokens (<@U…>, <#C…>, <https://…|label>) and escape every other &, < and >. Broadcasts
 * (<!here>, <!channel>, <!everyone>) are escaped too: the bot never sends one itself, so any in its text came from
 * a user (a question echoed back) and would ping the whole channel with the bot's rights.
 */
export function escapeMrkdwn(text: string): string {
  const parts = text.split(/(<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+(?:\|[^>]*)?|https?:\/\/[^\s<>|]+(?:\|[^<>]*)?)>)/);
  return parts
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function mention(userId: string): string {
  return USER_ID.test(userId) ? `<@${userId}>` : `@${escapeMrkdwn(userId)}`;
}

export function progressBar(done: number, total: number, width = 20): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total} (${Math.round(ratio * 100)}%)`;
}

/** The message model's markdown subset (*bold*, `code`, "- " lists) is Slack mrkdwn already, except list bullets. */
function paragraph(text: string): string {
  return escapeMrkdwn(text).replace(/^(\s*)- /gm, '$1• ');
}

/** A fixed-width table inside a code block: the only way to align columns in a Slack message. */
export function timelineTable(rows: TimelineRow[], maxChars: number = LIMIT.section): string {
  const header = ['NODE', 'STEP', 'TIME', 'DETAIL'];
  const cells = rows.map((r) => [r.node, r.step, r.duration ?? '', r.detail ?? '']);
  const widths = header.map((h, col) => Math.min(40, Math.max(h.length, ...cells.map((c) => (c[col] ?? '').length))));
  const line = (c: string[]) =>
    c
      .map((v, col) => clip(v, widths[col] ?? 40).padEnd(widths[col] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [line(header)];
  // Code blocks show text verbatim, so only the fence itself must be kept out of the cells.
  const budget = maxChars - 8;
  let used = lines[0]!.length;
  for (let i = 0; i < cells.length; i++) {
    const next = line(cells[i]!.map((v) => v.replace(/```/g, "'''")));
    const more = `… ${cells.length - i} more`;
    if (used + next.length + 1 > budget - (i < cells.length - 1 ? more.length + 1 : 0)) {
      lines.push(more);
      break;
    }
    lines.push(next);
    used += next.length + 1;
  }
  return `\`\`\`\n${lines.join('\n')}\n\`\`\``;
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: clip(text || ' ', max), emoji: true };
}

function confirmFor(button: Button): ConfirmationDialog | undefined {
  const c =
    button.confirm ??
    (DESTRUCTIVE.has(button.payload.decision)
      ? {
          title: `${button.label}?`,
          text: `This cannot be undone from this message. ${button.label} migration ${button.payload.migrationId}${
            button.payload.batch !== undefined ? `, batch ${button.payload.batch}` : ''
          }${button.payload.node ? `, node ${button.payload.node}` : ''}?`,
          confirm: button.label,
          deny: 'Cancel',
        }
      : undefined);
  if (!c) return undefined;
  return {
    title: plain(c.title, LIMIT.confirmTitle),
    // A confirmation dialog's text is plain_text: the markdown subset's marks would show.
    text: plain(c.text.replace(/[*`]/g, ''), LIMIT.confirmText),
    confirm: plain(c.confirm, LIMIT.confirmButton),
    deny: plain(c.deny, LIMIT.confirmButton),
    style: button.style === 'danger' || DESTRUCTIVE.has(button.payload.decision) ? 'danger' : 'primary',
  };
}

export function renderButton(button: Button, index: number): SlackButton {
  const value = JSON.stringify(button.payload);
  if (value.length > LIMIT.buttonValue) throw new Error(`button payload too long for Slack (${value.length} chars)`);
  const out: SlackButton = {
    type: 'button',
    action_id: `${ACTION_ID_PREFIX}${button.payload.decision}:${index}`,
    text: plain(button.label, LIMIT.buttonText),
    value,
  };
  if (button.style) out.style = button.style;
  const confirm = confirmFor(button);
  if (confirm) out.confirm = confirm;
  return out;
}

function actionBlocks(buttons: Button[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let start = 0; start < buttons.length; start += LIMIT.buttonsPerBlock) {
    const chunk = buttons.slice(start, start + LIMIT.buttonsPerBlock);
    const first = chunk[0]!.payload;
    // A new block_id per nonce makes Slack treat a re-rendered message's buttons as new ones.
    const blockId = clip(`actions:${first.migrationId}:${first.nonce}:${start / LIMIT.buttonsPerBlock}`, LIMIT.id);
    blocks.push({
      type: 'actions',
      block_id: blockId,
      elements: chunk.map((b, i) => renderButton(b, start + i)),
    });
  }
  return blocks;
}

/** Fallback text: mentions first (so the notification names the person), then the message's own text. */
export function fallbackText(message: Message): string {
  const mentions = (message.mentions ?? []).map(mention).join(' ');
  const base = message.text.trim() || message.header?.trim() || 'ack-migrate';
  return clip(mentions ? `${mentions} ${escapeMrkdwn(base)}` : escapeMrkdwn(base), LIMIT.text);
}

/** A paragraph as section blocks: cut at line ends so no section passes 3,000 characters and no line is lost. */
function sections(text: string): KnownBlock[] {
  const out: KnownBlock[] = [];
  let current = '';
  for (const line of paragraph(text).split('\n')) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length <= LIMIT.section) current = next;
    else {
      if (current) out.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = clip(line, LIMIT.section);
    }
  }
  if (current.trim()) out.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return out;
}

/** Every block of the message, nothing left out: a long message may need several Slack messages (pages.ts). */
export function renderAllBlocks(message: Message): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (message.header) blocks.push({ type: 'header', text: plain(message.header, LIMIT.header) });
  if (message.mentions?.length) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: message.mentions.map(mention).join(' ') } });
  }
  const fields = message.fields ?? [];
  for (let i = 0; i < fields.length; i += LIMIT.fields) {
    blocks.push({
      type: 'section',
      fields: fields.slice(i, i + LIMIT.fields).map((f) => ({
        type: 'mrkdwn' as const,
        text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value) || ' '}`, LIMIT.field),
      })),
    });
  }
  if (message.progress) {
    const bar = progressBar(message.progress.done, message.progress.total);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `\`${bar}\`` } });
  }
  for (const p of message.body ?? []) if (p.trim()) blocks.push(...sections(p));
  if (message.timeline?.length) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: timelineTable(message.timeline) } });
  }
  if (message.buttons?.length) blocks.push(...actionBlocks(message.buttons));
  if (message.context) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(message.context), 3000) }] });
  }
  return blocks;
}

/** Characters of text in the blocks, as Slack counts them for msg_blocks_too_long. */
export function blockText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + blockText(v), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let sum = 0;
  for (const [key, v] of Object.entries(value))
    sum += key === 'text' && typeof v === 'string' ? v.length : blockText(v);
  return sum;
}

const SHORTENED: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: '_(message shortened)_' }] };

/**
 * One Slack message (edits, ephemerals): at most 50 blocks and the block-text budget. Keeps the head and the
 * interactive tail: losing a middle paragraph beats losing the buttons.
 */
export function renderMessage(message: Message): SlackRendered {
  const blocks = renderAllBlocks(message);
  const fits = (b: KnownBlock[]) => b.length <= LIMIT.blocks && blockText(b) <= LIMIT.blockText;
  if (!fits(blocks)) {
    const tail = blocks.filter((b) => b.type === 'actions' || b.type === 'context');
    const head = blocks.filter((b) => b.type !== 'actions' && b.type !== 'context');
    const budget = LIMIT.blockText - blockText(tail) - blockText(SHORTENED);
    const kept: KnownBlock[] = [];
    let used = 0;
    for (const b of head) {
      if (kept.length >= LIMIT.blocks - tail.length - 1 || used + blockText(b) > budget) break;
      kept.push(b);
      used += blockText(b);
    }
    blocks.splice(0, blocks.length, ...kept, SHORTENED, ...tail);
  }
  return { text: fallbackText(message), blocks };
}

export const SLACK_LIMITS = LIMIT;
