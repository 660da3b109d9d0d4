/** DescribeTaskInfo → TaskFacts: the task's state and, per instance, its result (the documented fields only). */
import type { TaskFacts, TaskState } from '../../ports/cloud-gateway.js';

export interface RawTask {
  task_id?: string;
  state?: string;
  current_stage?: string;
  error?: { code?: string; message?: string };
  task_type?: string;
  /** The object the task acts on: `{id: <node pool id>, type}` for node-pool tasks. */
  target?: { id?: string; type?: string };
  /** Per resource (real ACK: the instance id in `data`). */
  task_result?: Array<{ data?: string; status?: string }>;
}

const TASK_STATES: Record<string, TaskState> = {
  running: 'running',
  pending: 'running',
  paused: 'paused',
  success: 'success',
  succeeded: 'success',
  fail: 'failed',
  failed: 'failed',
  canceled: 'canceled',
  cancelled: 'canceled',
};

const NODE_STATES: Record<string, TaskFacts['nodes'][number]['state']> = {
  initial: 'pending',
  pending: 'pending',
  running: 'running',
  success: 'success',
  succeeded: 'success',
  fail: 'failed',
  failed: 'failed',
};

/**
 * Per-resource progress from `task_result` (documented: `data` is the resource, the instance id for a node pool's
 * nodes); the caller joins instance ids to nodes through its before-state. `current_stage` is shown as the step.
 */
function taskNodes(raw: RawTask): TaskFacts['nodes'] {
  return (raw.task_result ?? [])
    .filter((r) => r.data)
    .map((r) => ({
      nodeName: '',
      instanceId: r.data!,
      step: raw.current_stage ?? '',
      state: NODE_STATES[(r.status ?? '').toLowerCase()] ?? 'running',
    }));
}

export function toTaskFacts(taskId: string, raw: RawTask): TaskFacts {
  return {
    taskId: raw.task_id ?? taskId,
    state: TASK_STATES[(raw.state ?? '').toLowerCase()] ?? 'running',
    nodes: taskNodes(raw),
    error:
      raw.error?.code || raw.error?.message
        ? { code: raw.error.code ?? '', message: raw.error.message ?? '' }
        : undefined,
  };
}
