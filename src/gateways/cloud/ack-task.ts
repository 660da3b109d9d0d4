/** DescribeTaskInfo → TaskFacts: the task's state and, per node, the step it is at. */
import type { TaskFacts, TaskState } from '../../ports/cloud-gateway.js';

interface RawStage {
  state?: string;
  message?: string;
  outputs?: Record<string, string>;
}

export interface RawTask {
  task_id?: string;
  state?: string;
  current_stage?: string;
  error?: { code?: string; message?: string };
  stages?: RawStage[];
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
 * Per-node progress: from stages that carry a node in their outputs (`node_name`, `step`, `error_code`), else from
 * `task_result`, whose `data` is the instance id on real ACK (the caller joins on it).
 */
function taskNodes(raw: RawTask): TaskFacts['nodes'] {
  const results = new Map((raw.task_result ?? []).map((r) => [r.data ?? '', (r.status ?? '').toLowerCase()]));
  const perNode = (raw.stages ?? []).filter((s) => s.outputs?.node_name);
  if (perNode.length > 0) {
    return perNode.map((s) => {
      const out = s.outputs ?? {};
      const stage = (s.state ?? '').toLowerCase();
      // `skipped` covers a node already on containerd (its result is success) and nodes never started.
      const state =
        stage === 'skipped' || stage === 'canceled'
          ? results.get(out.instance_id ?? '') === 'success'
            ? 'success'
            : 'pending'
          : (NODE_STATES[stage] ?? 'running');
      const message = out.error_code ?? (state === 'failed' ? s.message : undefined);
      return { nodeName: out.node_name ?? '', step: out.step ?? '', state, ...(message ? { message } : {}) };
    });
  }
  return [...results].map(([data, status]) => ({
    nodeName: data,
    step: raw.current_stage ?? '',
    state: NODE_STATES[status] ?? 'running',
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
