import { z } from 'zod';
import { LIMITS, type Range, shown } from '../domain/bounds.js';
import { checkDuration } from '../domain/duration.js';

const environment = z.enum(['production', 'staging', 'test']);
const ids = z.array(z.string().min(1)).default([]);
const day = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

/** An IANA zone Intl knows, so a window never fails at the first batch (docs/contracts.md#configuration). */
const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return zone.trim() !== '';
    } catch {
      return false;
    }
  },
  { error: (issue) => `${shown(String(issue.input))} is not an IANA time zone (e.g. Asia/Shanghai, UTC)` },
);

export const maintenanceWindowSchema = z.object({
  days: z.array(day).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
  start: clock,
  end: clock,
  timeZone: timeZone.default('UTC'),
});

export const clusterSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  region: z.string().optional(),
  /** Kubernetes access for clusters where ACK's temporary kubeconfig is not to be used (docs/contracts.md#configuration). */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  environment: environment.default('production'),
  pools: z.record(z.string(), z.object({ environment: environment })).default({}),
  approvers: z
    .object({ slack: ids, dingtalk: ids, console: ids, cli: ids })
    .default({ slack: [], dingtalk: [], console: [], cli: [] }),
  channels: z.object({ slack: ids, dingtalk: ids, console: ids }).default({ slack: [], dingtalk: [], console: [] }),
});

/** A duration such as `24h` in `range` (seconds), checked like the chat and CLI flags (docs/contracts.md#configuration). */
function durationSeconds(range: Range) {
  return z.string().transform((value, ctx) => {
    const checked = checkDuration(value, range);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: `${checked.reason} (got ${shown(value)})` });
    return z.NEVER;
  });
}

/** A YAML number that is a whole number in `range`. */
function wholeNumber(range: Range) {
  return z.number({ error: `must be a number between ${range.min} and ${range.max}` }).transform((value, ctx) => {
    if (Number.isInteger(value) && value >= range.min && value <= range.max) return value;
    const whole = Number.isInteger(value) || !Number.isFinite(value) ? '' : 'a whole number ';
    ctx.addIssue({ code: 'custom', message: `must be ${whole}between ${range.min} and ${range.max} (got ${value})` });
    return z.NEVER;
  });
}

const windows = LIMITS.maintenanceWindows.max;

export const settingsSchema = z.object({
  allowSelfApproval: z.boolean().default(false),
  approvalTtl: durationSeconds(LIMITS.approvalTtlSeconds).default(24 * 3600),
  maintenanceWindows: z.array(maintenanceWindowSchema).max(windows, `at most ${windows} windows`).default([]),
  minutesPerBatch: wholeNumber(LIMITS.minutesPerBatch).default(8),
  /** `fleet` also scans every cluster DescribeClustersV1 returns, not only the configured ones. */
  discover: z.boolean().default(false),
  /** Prechecks at once during a fleet scan. */
  fleetConcurrency: wholeNumber({ min: 1, max: 64 }).default(8),
  /** Migrations running at once, per cluster and overall; a start beyond either waits until a slot frees. */
  maxConcurrentMigrations: z
    .object({
      perCluster: wholeNumber({ min: 1, max: 1000 }).optional(),
      total: wholeNumber({ min: 1, max: 1000 }).optional(),
    })
    .strict()
    .default({}),
});

export const configFileSchema = z.object({
  clusters: z.array(clusterSchema).default([]),
  settings: settingsSchema.default(settingsSchema.parse({})),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
