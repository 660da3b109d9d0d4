import { describe, expect, it } from 'vitest';
import type { Button, Message } from '../../../../src/chat/core/message.js';
import { parseButtonValue } from '../../../../src/chat/slack/inbound.js';
import {
  escapeMrkdwn,
  fallbackText,
  progressBar,
  renderMessage,
  timelineTable,
} from '../../../../src/chat/slack/render-blocks.js';

const approve: Button = {
  label: 'Approve batch 3',
  style: 'primary',
  payload: { decision: 'approve', migrationId: '01JFAKEMIG', nonce: 'n3', batch: 3 },
  confirm: {
    title: 'Approve production batch?',
    text: 'Drains 4 nodes in *pool-a*.',
    confirm: 'Approve',
    deny: 'Cancel',
  },
};
const abort: Button = {
  label: 'Abort',
  style: 'danger',
  payload: { decision: 'abort', migrationId: '01JFAKEMIG', nonce: 'n3' },
};

const full: Message = {
  text: 'pool-a: batch 3 awaits approval',
  header: 'Migration pool-a',
  fields: [
    { label: 'Pool', value: 'pool-a' },
    { label: 'State', value: 'awaiting-approval' },
  ],
  progress: { done: 3, total: 12 },
  body: ['Batch 3 will drain:\n- node-a\n- node-b'],
  timeline: [
    { node: 'cn-hangzhou.10.0.0.1', step: 'done', duration: '7m12s' },
    { node: 'cn-hangzhou.10.0.0.2', step: 'drain', detail: '3 pods left' },
  ],
  buttons: [approve, abort],
  context: 'requested by alice · 01JFAKEMIG',
  mentions: ['U00FAKEUSER2'],
};

describe('renderMessage', () => {
  it('renders every part of the model in reading order', () => {
    const { blocks } = renderMessage(full);
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section', // mentions
      'section', // fields
      'section', // progress
      'section', // body
      'section', // timeline
      'actions',
      'context',
    ]);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Migration pool-a', emoji: true } });
    expect(blocks[1]).toMatchObject({ text: { type: 'mrkdwn', text: '<@U00FAKEUSER2>' } });
    expect(blocks[2]).toMatchObject({
      fields: [
        { type: 'mrkdwn', text: '*Pool*\npool-a' },
        { type: 'mrkdwn', text: '*State*\nawaiting-approval' },
      ],
    });
    expect(blocks[3]).toMatchObject({ text: { text: '`█████░░░░░░░░░░░░░░░ 3/12 (25%)`' } });
    expect(blocks[4]).toMatchObject({ text: { text: 'Batch 3 will drain:\n• node-a\n• node-b' } });
    expect(blocks[7]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'requested by alice · 01JFAKEMIG' }],
    });
  });

  it('always sets the fallback text, with the mentions first so the notification names the person', () => {
    expect(renderMessage(full).text).toBe('<@U00FAKEUSER2> pool-a: batch 3 awaits approval');
    expect(fallbackText({ text: '', header: 'Migration pool-a' })).toBe('Migration pool-a');
    expect(fallbackText({ text: '  ' })).toBe('ack-migrate');
  });

  it('renders buttons with the JSON payload as value, unique action ids and confirm dialogs', () => {
    const actions = renderMessage(full).blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({ block_id: 'actions:01JFAKEMIG:n3:0' });
    const [ok, stop] = (actions as unknown as { elements: Array<Record<string, unknown>> }).elements;
    expect(ok).toEqual({
      type: 'button',
      action_id: 'migrate:approve:0',
      text: { type: 'plain_text', text: 'Approve batch 3', emoji: true },
      value: JSON.stringify(approve.payload),
      style: 'primary',
      confirm: {
        title: { type: 'plain_text', text: 'Approve production batch?', emoji: true },
        text: { type: 'plain_text', text: 'Drains 4 nodes in pool-a.', emoji: true },
        confirm: { type: 'plain_text', text: 'Approve', emoji: true },
        deny: { type: 'plain_text', text: 'Cancel', emoji: true },
        style: 'primary',
      },
    });
    expect(parseButtonValue(ok!.value as string)).toEqual(approve.payload);
    // A destructive button without its own confirm still asks again, in red.
    expect(stop).toMatchObject({ action_id: 'migrate:abort:1', style: 'danger', confirm: { style: 'danger' } });
  });

  it('keeps many buttons within 25 per actions block with distinct block ids', () => {
    const buttons: Button[] = Array.from({ length: 30 }, (_, i) => ({
      label: `Skip node-${i}`,
      payload: { decision: 'skip-node', migrationId: 'm', nonce: 'n', node: `node-${i}` },
    }));
    const actions = renderMessage({ text: 'x', buttons }).blocks.filter((b) => b.type === 'actions');
    expect(actions.map((b) => (b as { elements: unknown[] }).elements.length)).toEqual([25, 5]);
    expect(new Set(actions.map((b) => b.block_id)).size).toBe(2);
  });

  it('clips texts that would make Slack reject the whole message', () => {
    const { blocks } = renderMessage({
      text: 'x',
      header: 'H'.repeat(400),
      buttons: [{ label: 'L'.repeat(100), payload: { decision: 'retry', migrationId: 'm', nonce: 'n' } }],
      body: ['B'.repeat(5000)],
    });
    expect((blocks[0] as { text: { text: string } }).text.text).toHaveLength(150);
    expect((blocks[1] as { text: { text: string } }).text.text).toHaveLength(3000);
    const button = (blocks[2] as { elements: Array<{ text: { text: string } }> }).elements[0]!;
    expect(button.text.text).toHaveLength(75);
  });

  it('never exceeds 50 blocks and keeps the buttons when it has to cut', () => {
    const { blocks } = renderMessage({
      text: 'x',
      body: Array.from({ length: 80 }, (_, i) => `p${i}`),
      buttons: [abort],
    });
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.at(-1)?.type).toBe('actions');
  });

  it('escapes user text but keeps Slack mentions and links', () => {
    expect(escapeMrkdwn('a <b> & c <@U00FAKEUSER2> <https://example.test/x|docs>')).toBe(
      'a &lt;b&gt; &amp; c <@U00FAKEUSER2> <https://example.test/x|docs>',
    );
    expect(renderMessage({ text: 'x', mentions: ['not an id'] }).text).toBe('@not an id x');
  });

  it('never lets user text broadcast: <!channel>, <!here> and <!everyone> from a question are shown, not sent', () => {
    // A FAQ answer echoes the question ("Q: …") in a visible message; Slack hands us @here typed by a user as <!here>.
    const { text, blocks } = renderMessage({
      text: '<!channel> how long is a drain?',
      context: 'Q: <!here> <!everyone> <!here|here> how long is a drain? · FAQ · drain',
    });
    const all = JSON.stringify(blocks) + text;
    expect(all).not.toMatch(/<!(here|channel|everyone)/);
    expect(text).toBe('&lt;!channel&gt; how long is a drain?');
  });
});

describe('progressBar and timelineTable', () => {
  it('draws the bar in proportion and survives an empty plan', () => {
    expect(progressBar(0, 0)).toBe(`${'░'.repeat(20)} 0/0 (0%)`);
    expect(progressBar(12, 12)).toBe(`${'█'.repeat(20)} 12/12 (100%)`);
    expect(progressBar(1, 3, 6)).toBe('██░░░░ 1/3 (33%)');
  });

  it('aligns the columns in a code block', () => {
    expect(
      timelineTable([
        { node: 'node-a', step: 'done', duration: '7m' },
        { node: 'node-bb', step: 'replace-disk' },
      ]),
    ).toBe(
      ['```', 'NODE     STEP          TIME  DETAIL', 'node-a   done          7m', 'node-bb  replace-disk', '```'].join(
        '\n',
      ),
    );
  });

  it('says how many rows it left out rather than overflowing a section', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ node: `cn-hangzhou.10.0.${i}.1`, step: 'pending' }));
    const table = timelineTable(rows);
    expect(table.length).toBeLessThanOrEqual(3000);
    expect(table).toMatch(/… \d+ more\n```$/);
  });
});
