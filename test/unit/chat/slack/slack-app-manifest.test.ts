import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_EVENTS_PATH } from '../../../../src/chat/slack/slack-platform.js';

interface Manifest {
  features: { slash_commands: Array<{ command: string; url: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync('deploy/slack-app-manifest.yaml', 'utf8')) as Manifest;

describe('deploy/slack-app-manifest.yaml', () => {
  it('sends the command, the clicks and the events to the one path the adapter serves', () => {
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/migrate']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('subscribes to the events the adapter answers, with no scope beyond them', () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      'app_mention',
      'message.channels',
      'message.groups',
    ]);
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual([
      'app_mentions:read',
      'channels:history',
      'chat:write',
      'commands',
      'groups:history',
    ]);
  });

  it('uses HTTP mode unless the operator turns Socket Mode on', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
