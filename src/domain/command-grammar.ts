import { parseArgs } from 'node:util';
import { type Checked, checkWholeNumber, LIMITS, refusal } from './bounds.js';
import { checkDuration } from './duration.js';
import { looksLikeQuestion } from './faq/question.js';

/**
 * The chat command grammar of docs/contracts.md#command-grammar, shared by Slack, DingTalk, the web console and the CLI
 * mirror.
 */

export const MAX_COMMAND_LENGTH = 1000;
export const POOL_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export type MigrationMode = 'in-place' | 'rotate';

export type Command =
  | { verb: 'precheck'; pool: string; cluster?: string; maxParallel?: number }
  | { verb: 'plan'; pool: string; cluster?: string; maxParallel?: number }
  | {
      verb: 'start';
      pool: string;
      cluster?: string;
      maxParallel?: number;
      snapshot: boolean;
      soakSeconds: number;
      mode: MigrationMode;
    }
  | { verb: 'status'; pool?: string; cluster?: string }
  | { verb: 'pause' | 'resume' | 'abort'; pool: string; cluster?: string }
  | { verb: 'history'; pool?: string; cluster?: string }
  | { verb: 'cleanup'; pool: string; cluster?: string }
  /** A typed answer to the batch approval waiting on the pool: what the Approve / Reject buttons do. */
  | { verb: 'approve' | 'reject'; pool: string; cluster?: string; batch?: number }
  | { verb: 'faq'; question: string }
  | { verb: 'fleet' }
  | { verb: 'help' };

export type ParseResult = { ok: true; command: Command } | { ok: false; error: string };

export const USAGE = [
  'Usage: /migrate <command>',
  '  precheck <pool> [--cluster ID] [--max-parallel N]   impact report and batch plan',
  '  plan <pool> [--cluster ID] [--max-parallel N]       batch plan and ETA only',
  '  start <pool> [--max-parallel N] [--snapshot] [--soak 10m] [--mode in-place|rotate]',
  '  status [<pool>]   pause|resume|abort <pool>   history [<pool>]   cleanup <pool>',
  '  approve|reject <pool> [batch N]   answer the batch approval waiting on the pool',
  '  fleet             every cluster and pool: runtime, verdict, migration',
  '  faq <question>    help',
].join('\n');

export const SHORT_USAGE: Record<string, string> = {
  precheck: '/migrate precheck <pool> [--cluster ID] [--max-parallel N]',
  plan: '/migrate plan <pool> [--cluster ID] [--max-parallel N]',
  start: '/migrate start <pool> [--cluster ID] [--max-parallel N] [--snapshot] [--soak 10m] [--mode in-place|rotate]',
  status: '/migrate status [<pool>] [--cluster ID]',
  pause: '/migrate pause <pool> [--cluster ID]',
  resume: '/migrate resume <pool> [--cluster ID]',
  abort: '/migrate abort <pool> [--cluster ID]',
  history: '/migrate history [<pool>] [--cluster ID]',
  cleanup: '/migrate cleanup <pool> [--cluster ID]',
  approve: '/migrate approve <pool> [batch N] [--cluster ID]',
  reject: '/migrate reject <pool> [batch N] [--cluster ID]',
  faq: '/migrate faq <question>',
  fleet: '/migrate fleet',
  help: '/migrate help',
};

const VERBS = new Set(Object.keys(SHORT_USAGE));
const ALIASES: Record<string, string> = { ask: 'faq', '?': 'help' };

type FlagSpec = Record<string, { type: 'string' | 'boolean' }>;
const CLUSTER: FlagSpec = { cluster: { type: 'string' } };
const FLAGS: Record<string, FlagSpec> = {
  precheck: { ...CLUSTER, 'max-parallel': { type: 'string' } },
  plan: { ...CLUSTER, 'max-parallel': { type: 'string' } },
  start: {
    ...CLUSTER,
    'max-parallel': { type: 'string' },
    snapshot: { type: 'boolean' },
    soak: { type: 'string' },
    mode: { type: 'string' },
  },
};

/** Removes what chat platforms put before the command: @mentions (`<@U123>`, `@bot`), and the `/migrate` word. */
export function stripPrefix(text: string): string {
  let rest = text.replace(/\u00a0/g, ' ').trim();
  for (;;) {
    const m = /^(<@[^>]+>|@\S+)\s*/.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
  }
  return rest.replace(/^\/?migrate(\s+|$)/i, '').trim();
}

class GrammarError extends Error {}

function bad(message: string, verb?: string): never {
  throw new GrammarError(`${message}. Usage: ${verb ? SHORT_USAGE[verb] : '/migrate help'}`);
}

/** A flag's value checked against its range (docs/contracts.md#command-grammar), or the one-line refusal. */
function bounded(checked: Checked, flag: string, text: string, verb: string): number {
  if (!checked.ok) bad(refusal(`--${flag}`, text, checked.reason), verb);
  return checked.value;
}

function pool(name: string | undefined, verb: string): string {
  if (name === undefined) bad(`${verb} needs a pool name`, verb);
  if (!POOL_NAME.test(name))
    bad(`"${name.slice(0, 64)}" is not a valid pool name (lowercase letters, digits, "-", up to 63)`, verb);
  return name;
}

function parseFlags(verb: string, args: string[], spec: FlagSpec) {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: true });
  } catch (error) {
    const msg = error instanceof Error ? error.message.split('\n')[0]!.replace(/\. To specify.*$/, '') : String(error);
    return bad(msg.replace(/^Unknown option/, 'unknown flag'), verb);
  }
}

function build(verb: string, args: string[], questionText: string): Command {
  if (verb === 'help') return { verb: 'help' };
  if (verb === 'fleet') {
    const { positionals } = parseFlags(verb, args, {});
    if (positionals.length > 0) bad(`unexpected "${positionals[0]!.slice(0, 40)}"`, verb);
    return { verb: 'fleet' };
  }
  if (verb === 'faq') {
    if (!questionText) bad('faq needs a question', verb);
    return { verb: 'faq', question: questionText };
  }
  const { values, positionals } = parseFlags(verb, args, FLAGS[verb] ?? CLUSTER);
  const v = values as Record<string, string | boolean | undefined>;
  const cluster = typeof v.cluster === 'string' ? v.cluster : undefined;
  if (cluster !== undefined && !/^[\w-]{1,64}$/.test(cluster))
    bad(`"${cluster.slice(0, 64)}" is not a cluster id`, verb);
  const optionalPool = verb === 'status' || verb === 'history';
  if (verb === 'approve' || verb === 'reject') return decision(verb, positionals, cluster);
  if (positionals.length > 1) bad(`unexpected "${positionals[1]}"`, verb);
  if (optionalPool) {
    const p = positionals[0] === undefined ? undefined : pool(positionals[0], verb);
    return { verb, ...(p ? { pool: p } : {}), ...(cluster ? { cluster } : {}) } as Command;
  }
  const name = pool(positionals[0], verb);
  const base = { pool: name, ...(cluster ? { cluster } : {}) };
  const parallel = v['max-parallel'];
  const maxParallel =
    typeof parallel === 'string'
      ? bounded(checkWholeNumber(parallel, LIMITS.maxParallel), 'max-parallel', parallel, verb)
      : undefined;
  const withParallel = maxParallel === undefined ? base : { ...base, maxParallel };
  switch (verb) {
    case 'precheck':
    case 'plan':
      return { verb, ...withParallel };
    case 'start': {
      const mode = (v.mode ?? 'in-place') as string;
      if (mode !== 'in-place' && mode !== 'rotate') bad(`--mode must be in-place or rotate, got "${mode}"`, verb);
      const soak = v.soak;
      const soakSeconds =
        typeof soak === 'string' ? bounded(checkDuration(soak, LIMITS.soakSeconds), 'soak', soak, verb) : 0;
      return { verb, ...withParallel, snapshot: v.snapshot === true, soakSeconds, mode };
    }
    case 'pause':
    case 'resume':
    case 'abort':
    case 'cleanup':
      return { verb, ...base };
    default:
      return bad(`unknown command "${verb}"`);
  }
}

/** `approve|reject <pool> [batch N]`: the batch, when named, must be the one waiting (checked by the service). */
function decision(verb: 'approve' | 'reject', positionals: string[], cluster: string | undefined): Command {
  const name = pool(positionals[0], verb);
  const [word, number, extra] = positionals.slice(1);
  const base = { verb, pool: name, ...(cluster ? { cluster } : {}) };
  if (word === undefined) return base;
  if (word.toLowerCase() !== 'batch') bad(`unexpected "${word.slice(0, 40)}"`, verb);
  if (number === undefined) bad('batch needs its number', verb);
  if (extra !== undefined) bad(`unexpected "${extra.slice(0, 40)}"`, verb);
  const checked = checkWholeNumber(number, LIMITS.planNodes);
  if (!checked.ok) bad(refusal('batch', number.slice(0, 40), checked.reason), verb);
  return { ...base, batch: checked.value };
}

/** Text → typed command, or a one-line error that ends with the usage of the verb. Never throws. */
export function parseCommand(input: string): ParseResult {
  if (input.length > MAX_COMMAND_LENGTH) {
    return { ok: false, error: `Command is longer than ${MAX_COMMAND_LENGTH} characters. Usage: /migrate help` };
  }
  const text = stripPrefix(input);
  if (!text) return { ok: true, command: { verb: 'help' } };
  const [first = '', ...rest] = text.split(/\s+/);
  const word = first.toLowerCase();
  const verb = ALIASES[word] ?? word;
  try {
    if (!VERBS.has(verb)) {
      // "/migrate how do I roll back?": a question where a command was expected is one for the FAQ.
      if (looksLikeQuestion(text)) return { ok: true, command: { verb: 'faq', question: text } };
      bad(`unknown command "${first.slice(0, 40)}"`);
    }
    const questionText = text.slice(first.length).trim();
    return { ok: true, command: build(verb, rest, questionText) };
  } catch (error) {
    if (error instanceof GrammarError) return { ok: false, error: error.message };
    throw error;
  }
}
