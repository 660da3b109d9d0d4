/**
 * An ACK task (as DescribeTaskInfo reports it: running, paused, canceled, fail, success) and its controls. The runner
 * that does the work calls `gate()` before starting anything new: a paused task waits there, a cancelled one stops
 * there, so pause and cancel take effect at node boundaries (a node already being replaced is finished, never left half
 * done).
 */
import { ApiError } from './wire.js';

export type TaskState = 'running' | 'paused' | 'success' | 'fail' | 'canceled';
export type StageState = 'pending' | 'running' | 'success' | 'failed' | 'skipped' | 'canceled';

export interface TaskStage {
  state: StageState;
  message: string;
  start_time: string | undefined;
  end_time: string | undefined;
  outputs: Record<string, string>;
}

export interface TaskEvent {
  action: string;
  level: 'Normal' | 'Warning';
  reason: string;
  message: string;
  source: 'ACK';
  timestamp: string;
}

export type TaskType =
  | 'nodepool_upgrade'
  | 'nodepool_create'
  | 'nodepool_scaleout'
  | 'nodepool_remove_nodes'
  | 'nodepool_delete';

export class Task {
  state: TaskState = 'running';
  currentStage = '';
  readonly stages: TaskStage[] = [];
  readonly events: TaskEvent[] = [];
  readonly results = new Map<string, 'initial' | 'success' | 'failed'>();
  error: { code: string; message: string } | undefined;
  readonly outputs: Record<string, unknown> = {};
  readonly created: string;
  updated: string;
  private cancelRequested = false;
  private resumeWaiters: Array<() => void> = [];

  constructor(
    readonly id: string,
    readonly clusterId: string,
    readonly type: TaskType,
    /** The node pool the task works on (ACK allows one node-pool task at a time per pool). */
    readonly poolId: string,
    readonly parameters: Record<string, unknown>,
    private readonly now: () => number,
  ) {
    this.created = this.stamp();
    this.updated = this.created;
  }

  get finished(): boolean {
    return this.state === 'success' || this.state === 'fail' || this.state === 'canceled';
  }

  stamp(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  event(action: string, reason: string, message: string, level: 'Normal' | 'Warning' = 'Normal'): void {
    this.events.push({ action, level, reason, message, source: 'ACK', timestamp: String(Math.round(this.now())) });
    this.currentStage = action;
    this.updated = this.stamp();
  }

  addStage(message: string, outputs: Record<string, string> = {}): TaskStage {
    const stage: TaskStage = { state: 'pending', message, start_time: undefined, end_time: undefined, outputs };
    this.stages.push(stage);
    return stage;
  }

  setStage(stage: TaskStage, state: StageState, outputs: Record<string, string> = {}): void {
    if (state === 'running' && !stage.start_time) stage.start_time = this.stamp();
    if (state !== 'running' && state !== 'pending') stage.end_time = this.stamp();
    stage.state = state;
    Object.assign(stage.outputs, outputs);
    this.updated = this.stamp();
  }

  /** Resolves 'go' when work may start, 'canceled' when the task was cancelled; waits while paused. */
  async gate(): Promise<'go' | 'canceled'> {
    while (this.state === 'paused' && !this.cancelRequested) {
      await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    }
    return this.cancelRequested ? 'canceled' : 'go';
  }

  /** The runner pauses itself between batches when the rolling policy says so. */
  pauseAfterBatch(message: string): void {
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.event('Pause', 'TaskPaused', message);
  }

  pause(): void {
    if (this.state !== 'running') throw this.notIn('pause');
    this.state = 'paused';
    this.event('Pause', 'TaskPaused', 'the task was paused by PauseTask');
  }

  resume(): void {
    if (this.state !== 'paused') throw this.notIn('resume');
    this.state = 'running';
    this.event('Resume', 'TaskResumed', 'the task was resumed by ResumeTask');
    this.wake();
  }

  cancel(): void {
    if (this.finished) throw this.notIn('cancel');
    this.cancelRequested = true;
    this.event('Cancel', 'TaskCancelRequested', 'cancel requested: nodes in progress finish, no new node starts');
    this.wake();
  }

  finish(state: 'success' | 'fail' | 'canceled', error?: { code: string; message: string }): void {
    this.state = state;
    this.error = error;
    if (state === 'success') this.event('Finish', 'TaskSucceeded', 'the task succeeded');
    else if (state === 'canceled') this.event('Finish', 'TaskCanceled', 'the task was canceled');
    else this.event('Finish', 'TaskFailed', error?.message ?? 'the task failed', 'Warning');
  }

  toJson(): Record<string, unknown> {
    return {
      task_id: this.id,
      cluster_id: this.clusterId,
      task_type: this.type,
      state: this.state,
      current_stage: this.currentStage,
      created: this.created,
      updated: this.updated,
      // The documented shape only: what a stage's outputs hold is not documented, so none are shown.
      stages: this.stages.map((s) => ({
        state: s.state,
        message: s.message,
        start_time: s.start_time,
        end_time: s.end_time,
        outputs: {},
      })),
      events: this.events,
      task_result: [...this.results].map(([data, status]) => ({ data, status })),
      error: this.error,
      target: { id: this.poolId, type: 'nodepool' },
      parameters: Object.fromEntries(Object.entries(this.parameters).filter(([k]) => k !== 'nodepool_id')),
      outputs: this.outputs,
    };
  }

  private wake(): void {
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
  }

  private notIn(action: string): ApiError {
    return new ApiError(400, 'ErrorTaskStateInvalid', `task ${this.id} is ${this.state}: cannot ${action} it`);
  }
}
