/**
 * Slack Web API failures → AppError('CHAT_API'). A 429 keeps its Retry-After as `details.retryAfterMs` and is
 * `retryable`, so the chat core's coalescer can wait it out instead of the WebClient sleeping on its own.
 */
import { webApi } from '@slack/bolt';
import { AppError } from '../../errors.js';
import { RateLimitedError } from '../core/rate-limit.js';

const RETRYABLE_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

const HINTS: Record<string, string> = {
  not_in_channel: 'invite the bot to the channel: /invite @ack-migrate',
  channel_not_found: 'check the channel id and that the bot was invited to it',
  is_archived: 'the channel is archived; use another channel',
  invalid_auth: 'check SLACK_BOT_TOKEN (xoxb-…)',
  not_authed: 'set SLACK_BOT_TOKEN',
  account_inactive: 'the Slack app was removed or its token revoked; reinstall the app and update SLACK_BOT_TOKEN',
  token_revoked: 'the token was revoked; reinstall the Slack app and update SLACK_BOT_TOKEN',
  missing_scope: 'add the missing bot scope in the Slack app (see deploy/slack-app-manifest.yaml) and reinstall',
  message_not_found: 'the message was deleted or the ts is wrong',
  cant_update_message: 'only messages posted by this bot can be edited',
  msg_too_long: 'the message is too long for Slack',
  invalid_blocks: 'a block broke a Block Kit rule (a renderer bug)',
  user_not_in_channel: 'the user is not a member of that channel',
};

/** The chat core's RateLimitedError (an AppError('CHAT_API'), retryable, details.retryAfterMs). */
export function rateLimitedError(method: string, retryAfterMs: number, cause?: unknown): RateLimitedError {
  const error = new RateLimitedError(
    retryAfterMs,
    `Slack rate-limited ${method}; retry after ${Math.ceil(retryAfterMs / 1000)}s`,
    cause,
  );
  Object.assign(error.details, { platform: 'slack', method });
  return error;
}

/** Turns whatever the WebClient threw into one AppError; never includes the request (it carries the token). */
export function slackCallError(method: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  if (e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number') {
    return rateLimitedError(method, e.retryAfter * 1000, error);
  }
  if (e?.code === webApi.ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    const hint = HINTS[code];
    return new AppError('CHAT_API', `Slack ${method} failed: ${code}`, {
      cause: error,
      retryable: RETRYABLE_PLATFORM_ERRORS.has(code),
      details: { platform: 'slack', method, slackError: code },
      ...(hint ? { hint } : {}),
    });
  }
  if (e?.code === webApi.ErrorCode.HTTPError) {
    const status = e.statusCode ?? 0;
    return new AppError('CHAT_API', `Slack ${method} failed: HTTP ${status}`, {
      cause: error,
      retryable: status >= 500,
      details: { platform: 'slack', method, status },
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  // A 429 without a readable Retry-After: still a rate limit, wait a second.
  if (/Retry header did not contain a valid timeout/.test(message)) return rateLimitedError(method, 1000, error);
  return new AppError('CHAT_API', `Slack ${method} failed: ${clipMessage(message)}`, {
    cause: error,
    retryable: true,
    hint: 'check that SLACK_API_URL (if set) is reachable',
    details: { platform: 'slack', method },
  });
}

function clipMessage(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 200 ? `${oneLine.slice(0, 199)}…` : oneLine;
}
