import { z } from 'zod';
import { parseDuration } from '../domain/duration.js';

const environment = z.enum(['production', 'staging', 'test']);
const ids = z.array(z.string().min(1)).default([]);
const day = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const maintenanceWindowSchema = z.object({
  days: z.array(day).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
  start: clock,
  end: clock,
  timeZone: z.string().default('UTC'),
});

export const clusterSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  region: z.string().optional(),
  environment: environment.default('production'),
  pools: z.record(z.string(), z.object({ environment: environment })).default({}),
  approvers: z
    .object({ slack: ids, dingtalk: ids, console: ids, cli: ids })
    .default({ slack: [], dingtalk: [], console: [], cli: [] }),
  channels: z.object({ slack: ids, dingtalk: ids, console: ids }).default({ slack: [], dingtalk: [], console: [] }),
});

const durationSeconds = z.string().transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (e.g. 24h)` });
    return z.NEVER;
  }
});

export const settingsSchema = z.object({
  allowSelfApproval: z.boolean().default(false),
  approvalTtl: durationSeconds.default(24 * 3600),
  maintenanceWindows: z.array(maintenanceWindowSchema).default([]),
  minutesPerBatch: z.number().positive().default(8),
});

export const configFileSchema = z.object({
  clusters: z.array(clusterSchema).default([]),
  settings: settingsSchema.default(settingsSchema.parse({})),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
