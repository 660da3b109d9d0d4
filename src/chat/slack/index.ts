/** The Slack adapter's public surface: the only way the rest of the bot reaches @slack/*. */
export { renderMessage, type SlackRendered } from './render-blocks.js';
export { rateLimitedError } from './slack-errors.js';
export {
  createSlackPlatform,
  normaliseApiUrl,
  SLACK_EVENTS_PATH,
  type SlackPlatform,
  type SlackPlatformOptions,
} from './slack-platform.js';
export type { SlackIdentity, SlackMetrics } from './slack-web-api.js';
