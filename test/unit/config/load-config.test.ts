import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { AppError } from '../../../src/errors.js';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.slack).toBeUndefined();
    expect(c.dingtalk).toBeUndefined();
    expect(c.cloud).toBeUndefined();
    expect(c.file.settings.approvalTtl).toBe(24 * 3600);
    expect(c.file.settings.allowSelfApproval).toBe(false);
  });

  it('names SLACK_SIGNING_SECRET when only SLACK_BOT_TOKEN is set', () => {
    const e = errorOf(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('SLACK_SIGNING_SECRET');
  });

  it('accepts Socket Mode (app token) without a signing secret', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(c.slack?.appToken).toBe('xapp-1');
  });

  it.each([
    [{ DINGTALK_CLIENT_ID: 'id' }, 'DINGTALK_CLIENT_SECRET'],
    [{ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI' }, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
    [{ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's' }, 'ALIBABA_CLOUD_REGION'],
    [{ PORT: 'http' }, 'PORT'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [
      { DINGTALK_CLIENT_ID: 'a', DINGTALK_CLIENT_SECRET: 'b', DINGTALK_ROBOT_CODE: 'c', DINGTALK_MODE: 'ws' },
      'DINGTALK_MODE',
    ],
  ])('names the missing or bad variable (%j)', (env, name) => {
    expect(errorOf(() => loadConfig(env)).message).toContain(name);
  });

  it('validates the YAML config file and names the bad field', () => {
    const e = errorOf(() =>
      loadConfig({ ACK_MIGRATE_CONFIG: 'x.yaml' }, { configText: 'clusters:\n  - id: c1\n    environment: prod\n' }),
    );
    expect(e.message).toMatch(/clusters\.0\.environment/);
  });

  it('reads clusters, approvers, channels and settings from the file', () => {
    const c = loadConfig(
      { ACK_MIGRATE_CONFIG: 'x.yaml' },
      {
        configText: [
          'clusters:',
          '  - id: c-demo',
          '    environment: production',
          '    pools: {pool-b: {environment: staging}}',
          '    approvers: {slack: [U0APPROVER1], cli: [root]}',
          '    channels: {slack: [C0MIGRATIONS]}',
          'settings:',
          '  approvalTtl: 2h',
          '  maintenanceWindows: [{days: [mon], start: "01:00", end: "05:00", timeZone: Asia/Shanghai}]',
        ].join('\n'),
      },
    );
    const cluster = c.file.clusters[0]!;
    expect(cluster.pools['pool-b']?.environment).toBe('staging');
    expect(cluster.approvers.slack).toEqual(['U0APPROVER1']);
    expect(cluster.approvers.dingtalk).toEqual([]);
    expect(c.file.settings.approvalTtl).toBe(7200);
    expect(c.file.settings.maintenanceWindows[0]?.timeZone).toBe('Asia/Shanghai');
  });

  it('collects secret values so logs can mask them', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-secret-1', SLACK_SIGNING_SECRET: 'sign-secret-2' });
    expect(c.secrets).toEqual(expect.arrayContaining(['xoxb-secret-1', 'sign-secret-2']));
  });
});
