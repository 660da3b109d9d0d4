/**
 * Maintenance windows (settings.maintenanceWindows): a batch starts only inside one. Days and HH:MM are wall
 * time in the window's IANA time zone (Intl does the zone arithmetic, so DST is honoured). A window whose end is
 * not after its start runs past midnight into the next day; start = end means the whole day.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface MaintenanceWindowSpec {
  days: Weekday[];
  start: string;
  end: string;
  timeZone: string;
}

export type WindowStatus =
  | { open: true; closesAt: Date }
  | { open: false; opensAt: Date /** e.g. `Mon 01:00 Asia/Shanghai` */; opensAtLocal: string };

const DAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface Local {
  year: number;
  month: number;
  day: number;
  minutes: number;
  weekday: number;
}

function local(at: Date, timeZone: string): Local {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const weekday = DAYS.indexOf((parts.weekday ?? 'Sun').slice(0, 3).toLowerCase() as Weekday);
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday,
  };
}

function offsetMs(at: Date, timeZone: string): number {
  const l = local(at, timeZone);
  const seconds = at.getUTCSeconds();
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, Math.floor(l.minutes / 60), l.minutes % 60, seconds);
  return asUtc - (at.getTime() - at.getUTCMilliseconds());
}

/** The instant at which the wall clock in `timeZone` shows this date and minute of the day. */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);
  let guess = wall - offsetMs(new Date(wall), timeZone);
  guess = wall - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function clock(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function addDays(l: Local, days: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** Length of a window in minutes (overnight windows wrap; equal start and end is a whole day). */
function lengthOf(w: MaintenanceWindowSpec): number {
  const s = clock(w.start);
  const e = clock(w.end);
  return e > s ? e - s : e + 24 * 60 - s;
}

/** Opening instants of `w` on the days around `now`, oldest first. */
function openings(w: MaintenanceWindowSpec, now: Date): Date[] {
  const l = local(now, w.timeZone);
  const out: Date[] = [];
  for (let d = -1; d <= 8; d++) {
    const day = addDays(l, d);
    if (!w.days.includes(DAYS[day.weekday]!)) continue;
    out.push(instantOf(day.year, day.month, day.day, clock(w.start), w.timeZone));
  }
  return out;
}

export function windowStatus(windows: readonly MaintenanceWindowSpec[], now: Date): WindowStatus {
  if (windows.length === 0) return { open: true, closesAt: new Date(8.64e15) };
  let closesAt: Date | undefined;
  let next: { at: Date; w: MaintenanceWindowSpec } | undefined;
  for (const w of windows) {
    const len = lengthOf(w) * 60_000;
    for (const start of openings(w, now)) {
      const end = start.getTime() + len;
      if (start.getTime() <= now.getTime() && now.getTime() < end) {
        if (!closesAt || end > closesAt.getTime()) closesAt = new Date(end);
      } else if (start.getTime() > now.getTime() && (!next || start < next.at)) {
        next = { at: start, w };
      }
    }
  }
  if (closesAt) return { open: true, closesAt };
  if (!next) throw new RangeError('maintenance windows name no day');
  const l = local(next.at, next.w.timeZone);
  const label = `${DAYS[l.weekday]![0]!.toUpperCase()}${DAYS[l.weekday]!.slice(1)} ${next.w.start} ${next.w.timeZone}`;
  return { open: false, opensAt: next.at, opensAtLocal: label };
}
