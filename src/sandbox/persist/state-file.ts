/**
 * The file `ack-migrate dev` keeps its sandbox in between runs (`<dataDir>/sandbox-state.json`): its format,
 * checked on read, and an atomic write. What goes in and how it is applied: dev-state.ts.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../errors.js';

export const SANDBOX_STATE_FILE = 'sandbox-state.json';

const str = z.string();
const dict = z.record(z.string(), z.string());
const runtime = z.enum(['docker', 'containerd']);
const counts = z.record(z.string(), z.record(z.string(), z.number().int().min(0)));

const taskSchema = z.object({
  id: str,
  type: z.enum([
    'nodepool_upgrade',
    'nodepool_create',
    'nodepool_scaleout',
    'nodepool_remove_nodes',
    'nodepool_delete',
  ]),
  poolId: str,
  parameters: z.record(z.string(), z.unknown()),
  state: z.enum(['running', 'paused', 'success', 'fail', 'canceled']),
  stages: z.array(
    z.object({
      state: z.enum(['pending', 'running', 'success', 'failed', 'skipped', 'canceled']),
      message: str,
      start_time: str.optional(),
      end_time: str.optional(),
      outputs: dict,
    }),
  ),
  events: z.array(
    z.object({
      action: str,
      level: z.enum(['Normal', 'Warning']),
      reason: str,
      message: str,
      source: z.literal('ACK'),
      timestamp: str,
    }),
  ),
  results: z.record(z.string(), z.enum(['initial', 'success', 'failed'])),
  error: z.object({ code: str, message: str }).optional(),
  outputs: z.record(z.string(), z.unknown()),
});

const stateSchema = z.object({
  version: z.literal(1),
  clusterId: str,
  savedAt: str,
  pools: z.array(
    z.object({
      id: str,
      name: str,
      runtime,
      runtimeVersion: str,
      instanceType: str,
      labels: dict,
      environment: str.optional(),
    }),
  ),
  nodes: z.array(
    z.object({
      name: str,
      poolId: str,
      runtime,
      runtimeVersion: str,
      ready: z.boolean(),
      unschedulable: z.boolean(),
      labels: dict,
      annotations: dict,
      taints: z.array(
        z.object({
          key: str,
          value: str.optional(),
          effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
          timeAdded: str.optional(),
        }),
      ),
    }),
  ),
  instances: z.array(
    z.object({
      instanceId: str,
      nodeName: str,
      status: z.enum(['Pending', 'Running', 'Stopping', 'Stopped', 'Starting']),
      systemDiskId: str,
      dockerDataBytes: z.number().min(0),
    }),
  ),
  tasks: z.array(taskSchema),
  /** Instance operations (StopInstance, ReplaceSystemDisk, StartInstance, …) counted over every run so far. */
  operations: counts,
});

export type SavedSandbox = z.infer<typeof stateSchema>;
export type SavedTask = z.infer<typeof taskSchema>;
export type Counts = z.infer<typeof counts>;

export function sandboxStatePath(dataDir: string): string {
  return join(dataDir, SANDBOX_STATE_FILE);
}

/** The saved state, or undefined on a first run. A file that cannot be used stops the start with a hint. */
export function readSandboxState(dataDir: string): SavedSandbox | undefined {
  const path = sandboxStatePath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    return stateSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new AppError('CONFIG', `the saved sandbox state ${path} cannot be read`, {
      cause: error,
      hint: `delete ${dataDir} to start the demo afresh`,
    });
  }
}

/** Written to a temporary file first, so a crash mid-write never leaves half a file. */
export function writeSandboxState(dataDir: string, state: SavedSandbox): void {
  const path = sandboxStatePath(dataDir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
}
