/** The Slack adapter's public surface: the only way the rest of the bot reaches @slack/*. */
export { createSlackPlatform } from './slack-platform.js';
