import { type Logger, pino } from 'pino';
import { REDACTED, secretMasker } from './secret-mask.js';

export type { Logger };

/** Keys whose values are secrets wherever they appear in a logged object. */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'secret',
  'accessKeySecret',
  'accessKeyId',
  'securityToken',
  'password',
  'authorization',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DINGTALK_CLIENT_SECRET',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
];

const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/**
 * pino's error serializer, minus what clients copy onto their errors: ioredis keeps the failed command's
 * arguments (an AUTH password among them) on `command.args`, HTTP clients keep request options with headers.
 */
function serializeError(error: unknown): unknown {
  const out = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  const command = out.command as { name?: string } | undefined;
  if (command) out.command = { name: command.name };
  for (const key of ['config', 'request', 'options', 'headers']) delete out[key];
  return out;
}

export interface LoggerOptions {
  level?: string;
  /** Secret values (tokens, keys) that must never be written, whatever key or message carries them. */
  secrets?: readonly string[];
  destination?: NodeJS.WritableStream;
  name?: string;
}

/**
 * A pino logger that redacts secret keys and, as a second net, runs every line through the one secret masker
 * (./secret-mask.ts): known secret values and token-shaped credentials that slipped into a message or an error
 * (a URL with a password, a token someone typed into chat).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const mask = secretMasker(options.secrets);
  const out = options.destination ?? process.stderr;
  const stream = {
    write(line: string) {
      out.write(mask(line));
    },
  };
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: serializeError, error: serializeError },
      ...(options.name ? { name: options.name } : {}),
    },
    stream,
  );
}
