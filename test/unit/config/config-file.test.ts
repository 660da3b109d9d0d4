import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { isAppError } from '../../../src/errors.js';

/** The settings of the config file have ranges too (docs/contracts.md#config-file-ack_migrate_config). */
function settingsError(yaml: string): string {
  try {
    loadConfig({ ACK_MIGRATE_CONFIG: 'c.yaml' }, { configText: `settings:\n${yaml}\n` });
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.code).toBe('CONFIG');
    expect(error.message).not.toContain('\n');
    return error.message;
  }
  throw new Error(`expected settings ${JSON.stringify(yaml)} to be refused`);
}

function settings(yaml: string) {
  return loadConfig({ ACK_MIGRATE_CONFIG: 'c.yaml' }, { configText: `settings:\n${yaml}\n` }).file.settings;
}

describe('config file settings bounds', () => {
  it.each([
    ['  approvalTtl: 1000000000d', 'settings.approvalTtl: must be between 1s and 7d (got 1000000000d)'],
    ['  approvalTtl: 8d', 'settings.approvalTtl: must be between 1s and 7d (got 8d)'],
    ['  approvalTtl: 0s', 'settings.approvalTtl: must be between 1s and 7d (got 0s)'],
    ['  approvalTtl: "-1h"', 'settings.approvalTtl: must be a duration'],
    ['  approvalTtl: 1.5h', 'settings.approvalTtl: must be a duration'],
    ['  minutesPerBatch: 0', 'settings.minutesPerBatch: must be between 1 and 600'],
    ['  minutesPerBatch: 601', 'settings.minutesPerBatch: must be between 1 and 600'],
    ['  minutesPerBatch: 1.0e+30', 'settings.minutesPerBatch: must be between 1 and 600'],
    ['  minutesPerBatch: .inf', 'settings.minutesPerBatch: must be a number between 1 and 600'],
    ['  minutesPerBatch: "8"', 'settings.minutesPerBatch: must be a number between 1 and 600'],
    ['  minutesPerBatch: 2.5', 'settings.minutesPerBatch: must be a whole number'],
    [
      '  maintenanceWindows: [{start: "01:00", end: "05:00", timeZone: Mars/Olympus}]',
      'settings.maintenanceWindows.0.timeZone: "Mars/Olympus" is not an IANA time zone',
    ],
    [
      `  maintenanceWindows: [${Array.from({ length: 51 }, () => '{start: "01:00", end: "05:00"}').join(', ')}]`,
      'settings.maintenanceWindows: at most 50 windows',
    ],
  ])('refuses %s with one line naming the field', (yaml, message) => {
    expect(settingsError(yaml)).toContain(`ACK_MIGRATE_CONFIG (c.yaml): ${message}`);
  });

  it('accepts the edges and the usual values', () => {
    expect(settings('  approvalTtl: 7d\n  minutesPerBatch: 600')).toMatchObject({
      approvalTtl: 7 * 86_400,
      minutesPerBatch: 600,
    });
    expect(settings('  approvalTtl: 1s\n  minutesPerBatch: 1')).toMatchObject({ approvalTtl: 1, minutesPerBatch: 1 });
    expect(settings('  approvalTtl: 1h30m')).toMatchObject({ approvalTtl: 5400, minutesPerBatch: 8 });
    expect(
      settings('  maintenanceWindows: [{start: "01:00", end: "05:00", timeZone: Asia/Shanghai}]').maintenanceWindows,
    ).toHaveLength(1);
  });
});
