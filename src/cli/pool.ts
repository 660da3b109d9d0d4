import type { Command } from 'commander';
import type { Config, Env } from '../config/load-config.js';
import { readConfig } from '../config/read-config.js';
import { AppError } from '../errors.js';

/** `--pool <name|id>` beside the positional pool: every pool verb takes either (docs/contracts.md#terminal). */
export function poolOption(command: Command): Command {
  return command.option('--pool <name|id>', 'node pool name or id (instead of the argument)');
}

/**
 * The pool of a command from its argument or `--pool`: the same value twice is fine, two different ones are a
 * usage error; with `required`, neither is one too.
 */
export function pickPool(positional: string | undefined, flag: string | undefined, required: true): string;
export function pickPool(
  positional: string | undefined,
  flag: string | undefined,
  required?: false,
): string | undefined;
export function pickPool(
  positional: string | undefined,
  flag: string | undefined,
  required = false,
): string | undefined {
  if (positional !== undefined && flag !== undefined && positional !== flag) {
    throw new AppError('BAD_INPUT', `two pools given: ${positional} and --pool ${flag}; give one`);
  }
  const pool = positional ?? flag;
  if (pool === undefined && required) {
    throw new AppError('BAD_INPUT', 'which pool? give it as an argument or with --pool <name|id>');
  }
  return pool;
}

const CHAT = /^(SLACK|DINGTALK)_/;

/**
 * The configuration of a command that does not start the bot: the chat settings are dropped before they are
 * checked, so a half-set SLACK_* or DINGTALK_* (only the bot needs them complete) stops nothing else.
 */
export function cliConfig(env: Env = process.env): Config {
  const withoutChat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (!CHAT.test(name)) withoutChat[name] = value;
  return readConfig(withoutChat);
}
