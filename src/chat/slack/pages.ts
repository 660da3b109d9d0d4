/**
 * A message too long for one Slack message (more than 50 blocks, or past the block-text budget Slack answers
 * with msg_blocks_too_long) is posted as pages: the first where it was meant to go, the rest as thread replies
 * under it, each marked "continued (2/3)". Nothing is clipped away: a precheck report shows every finding.
 */
import type { types } from '@slack/bolt';
import type { Message } from '../core/message.js';
import { blockText, fallbackText, renderAllBlocks, SLACK_LIMITS, type SlackRendered } from './render-blocks.js';

type KnownBlock = types.KnownBlock;

const MARK_BUDGET = 40;

export function renderPages(message: Message): SlackRendered[] {
  const blocks = renderAllBlocks(message);
  const pages: KnownBlock[][] = [[]];
  let used = 0;
  for (const block of blocks) {
    const size = blockText(block);
    const page = pages[pages.length - 1]!;
    if (
      page.length > 0 &&
      (page.length >= SLACK_LIMITS.blocks - 1 || used + size > SLACK_LIMITS.blockText - MARK_BUDGET)
    ) {
      pages.push([block]);
      used = size;
    } else {
      page.push(block);
      used += size;
    }
  }
  const text = fallbackText(message);
  if (pages.length === 1) return [{ text, blocks: pages[0]! }];
  return pages.map((page, i) => {
    const mark = `continued (${i + 1}/${pages.length})`;
    const blocksOut: KnownBlock[] =
      i === 0 ? page : [...page, { type: 'context', elements: [{ type: 'mrkdwn', text: mark }] }];
    return {
      text: i === 0 ? text : `${mark}: ${message.header ?? message.text}`.slice(0, SLACK_LIMITS.text),
      blocks: blocksOut,
    };
  });
}
