/**
 * Block Kit's documented limits, as the fake Slack Web API enforces them: a message that breaks one is answered
 * `invalid_blocks` (with Slack's `[ERROR] … [json-pointer:…]` lines), one whose block text passes about 12,000
 * characters `msg_blocks_too_long` (blocks, composition objects, button element, and the cumulative text
 * limit Slack gives for a message).
 */

export const BLOCK_KIT = {
  blocks: 50,
  blockId: 255,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Sum of every text object's text in one message. */
  totalText: 12_000,
  /** chat.postMessage `text`. */
  messageText: 40_000,
} as const;

const BLOCK_TYPES = new Set(['section', 'header', 'context', 'actions', 'divider', 'image', 'rich_text', 'input']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly errors: string[] = [];
  readonly blockIds = new Set<string>();
  readonly actionIds = new Set<string>();

  fail(pointer: string, message: string) {
    this.errors.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  }

  text(v: unknown, at: string, max: number, only?: 'plain_text') {
    if (!isObj(v) || (v.type !== 'plain_text' && v.type !== 'mrkdwn')) return this.fail(at, 'must be a text object');
    if (only && v.type !== only) return this.fail(`${at}/type`, `must be ${only}`);
    if (typeof v.text !== 'string' || v.text.length === 0)
      return this.fail(`${at}/text`, 'must be more than 0 characters');
    if (v.text.length > max) this.fail(`${at}/text`, `must be less than ${max + 1} characters`);
  }

  id(v: unknown, at: string, max: number, seen: Set<string>) {
    if (v === undefined) return;
    if (typeof v !== 'string' || v.length === 0 || v.length > max)
      return this.fail(at, `must be 1 to ${max} characters`);
    if (seen.has(v)) this.fail(at, `must be unique: ${v}`);
    seen.add(v);
  }

  button(b: Obj, at: string) {
    this.text(b.text, `${at}/text`, BLOCK_KIT.buttonText, 'plain_text');
    this.id(b.action_id, `${at}/action_id`, BLOCK_KIT.actionId, this.actionIds);
    if (b.value !== undefined && (typeof b.value !== 'string' || b.value.length > BLOCK_KIT.buttonValue))
      this.fail(`${at}/value`, `must be less than ${BLOCK_KIT.buttonValue + 1} characters`);
    if (b.url !== undefined && (typeof b.url !== 'string' || b.url.length > BLOCK_KIT.buttonUrl))
      this.fail(`${at}/url`, `must be less than ${BLOCK_KIT.buttonUrl + 1} characters`);
    if (b.style !== undefined && b.style !== 'primary' && b.style !== 'danger')
      this.fail(`${at}/style`, 'must be primary or danger');
    if (b.confirm !== undefined) {
      const c = b.confirm;
      if (!isObj(c)) return this.fail(`${at}/confirm`, 'must be a confirmation dialog');
      this.text(c.title, `${at}/confirm/title`, BLOCK_KIT.confirmTitle, 'plain_text');
      this.text(c.text, `${at}/confirm/text`, BLOCK_KIT.confirmText, 'plain_text');
      this.text(c.confirm, `${at}/confirm/confirm`, BLOCK_KIT.confirmButton, 'plain_text');
      this.text(c.deny, `${at}/confirm/deny`, BLOCK_KIT.confirmButton, 'plain_text');
    }
  }

  block(block: unknown, at: string) {
    if (!isObj(block) || typeof block.type !== 'string') return this.fail(at, 'must be a block object');
    if (!BLOCK_TYPES.has(block.type)) return this.fail(`${at}/type`, `unknown block type ${block.type}`);
    this.id(block.block_id, `${at}/block_id`, BLOCK_KIT.blockId, this.blockIds);
    switch (block.type) {
      case 'section': {
        if (block.text === undefined && block.fields === undefined) return this.fail(at, 'must provide text or fields');
        if (block.text !== undefined) this.text(block.text, `${at}/text`, BLOCK_KIT.sectionText);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > BLOCK_KIT.fields)
            return this.fail(`${at}/fields`, `must provide 1 to ${BLOCK_KIT.fields} items`);
          for (const [i, f] of block.fields.entries()) this.text(f, `${at}/fields/${i}`, BLOCK_KIT.fieldText);
        }
        return;
      }
      case 'header':
        return this.text(block.text, `${at}/text`, BLOCK_KIT.headerText, 'plain_text');
      case 'context': {
        const els = block.elements;
        if (!Array.isArray(els) || els.length === 0 || els.length > BLOCK_KIT.contextElements)
          return this.fail(`${at}/elements`, `must provide 1 to ${BLOCK_KIT.contextElements} items`);
        for (const [i, e] of els.entries()) {
          if (!isObj(e) || e.type !== 'image') this.text(e, `${at}/elements/${i}`, BLOCK_KIT.sectionText);
        }
        return;
      }
      case 'actions': {
        const els = block.elements;
        if (!Array.isArray(els) || els.length === 0 || els.length > BLOCK_KIT.actionsElements)
          return this.fail(`${at}/elements`, `must provide 1 to ${BLOCK_KIT.actionsElements} items`);
        for (const [i, e] of els.entries()) {
          if (isObj(e) && e.type === 'button') this.button(e, `${at}/elements/${i}`);
          else this.fail(`${at}/elements/${i}`, 'unsupported element');
        }
        return;
      }
      default:
        return;
    }
  }
}

/** Slack's `invalid_blocks` lines for these blocks; empty when they pass. */
export function blockKitErrors(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return ['[ERROR] must be an array [json-pointer:/blocks]'];
  const c = new Checker();
  if (blocks.length > BLOCK_KIT.blocks) c.fail('/blocks', `must provide no more than ${BLOCK_KIT.blocks} items`);
  for (const [i, b] of blocks.entries()) c.block(b, `/blocks/${i}`);
  return c.errors;
}

/** Every text object's text in the blocks, summed: what Slack measures for `msg_blocks_too_long`. */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + blockTextLength(v), 0);
  if (!isObj(value)) return 0;
  let sum = 0;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'text' && typeof v === 'string') sum += v.length;
    else if (typeof v === 'object') sum += blockTextLength(v);
  }
  return sum;
}
