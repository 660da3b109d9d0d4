import { describe, expect, it } from 'vitest';
import { type MaintenanceWindowSpec, windowStatus } from '../../../../src/domain/maintenance-window.js';

const night: MaintenanceWindowSpec = {
  days: ['mon', 'tue', 'wed', 'thu'],
  start: '01:00',
  end: '05:00',
  timeZone: 'Asia/Shanghai',
};

describe('maintenance windows', () => {
  it('is always open without windows', () => {
    expect(windowStatus([], new Date('2026-05-04T12:00:00Z')).open).toBe(true);
  });

  it('is open inside the window in its own time zone, with the closing time', () => {
    // Monday 2026-05-04 02:00 in Shanghai = 2026-05-03T18:00Z
    const s = windowStatus([night], new Date('2026-05-03T18:00:00Z'));
    expect(s).toEqual({ open: true, closesAt: new Date('2026-05-03T21:00:00Z') });
  });

  it('says until when it is closed: Thursday evening waits for Monday 01:00', () => {
    // Thursday 2026-05-07 06:00 Shanghai (after the window) → next Monday 2026-05-11 01:00 Shanghai
    const s = windowStatus([night], new Date('2026-05-06T22:00:00Z'));
    expect(s).toEqual({
      open: false,
      opensAt: new Date('2026-05-10T17:00:00Z'),
      opensAtLocal: 'Mon 01:00 Asia/Shanghai',
    });
  });

  it('handles windows past midnight and daylight saving time', () => {
    const overnight: MaintenanceWindowSpec = { days: ['sat'], start: '22:00', end: '02:00', timeZone: 'Europe/Berlin' };
    // Sunday 2026-03-29 01:30 Berlin (CET, before the 02:00 switch) is inside Saturday's window
    expect(windowStatus([overnight], new Date('2026-03-29T00:30:00Z')).open).toBe(true);
    // Saturday 2026-03-28 21:00 CET → opens 22:00 CET = 21:00Z
    expect(windowStatus([overnight], new Date('2026-03-28T20:00:00Z'))).toMatchObject({
      open: false,
      opensAt: new Date('2026-03-28T21:00:00Z'),
    });
    // the next Saturday is in CEST: 22:00 = 20:00Z
    expect(windowStatus([overnight], new Date('2026-03-29T12:00:00Z'))).toMatchObject({
      opensAt: new Date('2026-04-04T20:00:00Z'),
    });
  });

  it('picks the earliest of several windows', () => {
    const utc: MaintenanceWindowSpec = { days: ['mon'], start: '20:00', end: '21:00', timeZone: 'UTC' };
    const s = windowStatus([night, utc], new Date('2026-05-04T12:00:00Z'));
    expect(s).toMatchObject({ open: false, opensAt: new Date('2026-05-04T17:00:00Z') });
  });
});
