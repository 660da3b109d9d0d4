/**
 * ACK's node-pool tasks in the fake world, stepped by `FakeWorld.tick()` instead of a clock: each task is a
 * generator that does one step per tick. The in-place upgrade mirrors src/sandbox/cloud/upgrade-runner.ts (drain →
 * stop → replace system disk → init with containerd → start → Ready → uncordon, max_parallelism nodes at a time, a
 * planted fault failing its node at its step, pause and cancel at node-group boundaries); scale-out, node removal and
 * pool deletion are in fake-pool-tasks.ts.
 */
import { type RawTask, toTaskFacts } from '../../../src/gateways/cloud/ack-task.js';
import type { TaskFacts } from '../../../src/ports/cloud-gateway.js';
import { cloudError } from './fake-errors.js';
import type { FakeWorld, FaultStep } from './fake-world.js';

/** Ticks the upgrade's drain keeps retrying evictions a PDB refuses before it replaces the node anyway. */
export const DRAIN_GRACE_TICKS = 6;
/** Ticks the upgrade waits for a restarted node to report Ready before it fails it (ACK: 30 minutes). */
export const READY_TIMEOUT_TICKS = 20;

export type TaskType =
  | 'nodepool_upgrade'
  | 'nodepool_create'
  | 'nodepool_scaleout'
  | 'nodepool_remove_nodes'
  | 'nodepool_delete';

const STEP_TEXT: Record<FaultStep, string> = {
  drain: 'draining the node',
  stop: 'stopping the ECS instance',
  'replace-disk': 'replacing the system disk',
  init: 'initialising the node with containerd',
  start: 'starting the ECS instance',
  ready: 'waiting for the node to become Ready',
  snapshot: 'creating a snapshot',
};

type StageState = 'pending' | 'running' | 'success' | 'failed' | 'skipped' | 'canceled';

export interface Stage {
  state: StageState;
  outputs: Record<string, string>;
}

type TaskError = { code: string; message: string };
type Work = Generator<void, void, void>;

export class FakeTask {
  state: 'running' | 'paused' | 'success' | 'fail' | 'canceled' = 'running';
  currentStage = '';
  error: TaskError | undefined;
  cancelRequested = false;
  readonly stages: Stage[] = [];
  readonly results = new Map<string, 'initial' | 'success' | 'failed'>();
  work: Work | undefined;

  constructor(
    readonly id: string,
    readonly type: TaskType,
    readonly poolId: string,
    readonly parameters: Record<string, unknown>,
  ) {}

  get finished(): boolean {
    return this.state === 'success' || this.state === 'fail' || this.state === 'canceled';
  }

  /** One step of the work. */
  step(): void {
    if (!this.finished && this.work?.next().done && !this.finished)
      this.finish('fail', { code: 'InternalError', message: 'the task stopped' });
  }

  pause(): void {
    if (this.state !== 'running') throw this.notIn('pause', 'PauseTask');
    this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused') throw this.notIn('resume', 'ResumeTask');
    this.state = 'running';
  }

  cancel(): void {
    if (this.finished) throw this.notIn('cancel', 'CancelTask');
    this.cancelRequested = true;
  }

  finish(state: 'success' | 'fail' | 'canceled', error?: TaskError): void {
    this.state = state;
    this.error = error;
    this.currentStage = 'Finish';
  }

  /** DescribeTaskInfo's answer, through the real gateway's mapping. */
  facts(): TaskFacts {
    const raw: RawTask = {
      task_id: this.id,
      state: this.state,
      current_stage: this.currentStage,
      ...(this.error ? { error: this.error } : {}),
      target: { id: this.poolId, type: 'nodepool' },
      task_result: [...this.results].map(([data, status]) => ({ data, status })),
    };
    return toTaskFacts(this.id, raw);
  }

  private notIn(verb: string, action: string) {
    return cloudError(
      'ACK',
      action,
      400,
      'ErrorTaskStateInvalid',
      `task ${this.id} is ${this.state}: cannot ${verb} it`,
    );
  }
}

export function setStage(stage: Stage, state: StageState, outputs: Record<string, string> = {}): void {
  stage.state = state;
  Object.assign(stage.outputs, outputs);
}

/** Runs the generators side by side, one step each per tick, and returns what each returned. */
function* lockstep<T>(runs: Array<Generator<void, T, void>>): Generator<void, T[], void> {
  const out = new Map<number, T>();
  for (;;) {
    runs.forEach((run, i) => {
      if (out.has(i)) return;
      const r = run.next();
      if (r.done) out.set(i, r.value);
    });
    if (out.size === runs.length) return runs.map((_, i) => out.get(i)!);
    yield;
  }
}

/** Every node of the upgrade is listed, pending, as soon as the task exists; the work starts at the next tick. */
export function runUpgrade(
  world: FakeWorld,
  task: FakeTask,
  plan: { nodes: string[]; runtimeVersion: string; maxParallelism: number },
): Work {
  const stages = new Map<string, Stage>();
  for (const name of plan.nodes) {
    const instanceId = world.nodes.get(name)!.instanceId;
    task.results.set(instanceId, 'initial');
    const stage: Stage = { state: 'pending', outputs: { node_name: name, instance_id: instanceId, step: 'pending' } };
    task.stages.push(stage);
    stages.set(name, stage);
  }
  return upgradeNodes(world, task, plan, stages);
}

function* upgradeNodes(
  world: FakeWorld,
  task: FakeTask,
  plan: { nodes: string[]; runtimeVersion: string; maxParallelism: number },
  stages: Map<string, Stage>,
): Work {
  let firstError: TaskError | undefined;
  for (let start = 0; start < plan.nodes.length; start += plan.maxParallelism) {
    while (task.state === 'paused' && !task.cancelRequested) yield;
    if (task.cancelRequested) {
      for (const s of stages.values()) if (s.state === 'pending') setStage(s, 'canceled', { step: 'canceled' });
      return task.finish('canceled');
    }
    const group = plan.nodes.slice(start, start + plan.maxParallelism);
    const outcomes = yield* lockstep(
      group.map((n) => upgradeNode(world, task, n, stages.get(n)!, plan.runtimeVersion)),
    );
    firstError ??= outcomes.find((o) => o !== undefined);
    if (firstError) {
      for (const s of stages.values()) if (s.state === 'pending') setStage(s, 'skipped', { step: 'skipped' });
      return task.finish('fail', firstError);
    }
  }
  const pool = world.pools.get(task.poolId);
  if (pool && world.poolNodes(pool.id).every((n) => n.runtime === 'containerd')) {
    pool.runtime = 'containerd';
    pool.runtimeVersion = plan.runtimeVersion;
  }
  task.finish('success');
}

function* upgradeNode(
  world: FakeWorld,
  task: FakeTask,
  name: string,
  stage: Stage,
  runtimeVersion: string,
): Generator<void, TaskError | undefined, void> {
  const node = world.nodes.get(name)!;
  const instance = world.instances.get(node.instanceId)!;
  const label = `node ${name} (${instance.instanceId})`;
  // Look before acting: a node already back on containerd is not replaced again.
  if (node.runtime === 'containerd' && node.ready && instance.status === 'Running') {
    setStage(stage, 'skipped', { step: 'skipped' });
    task.results.set(instance.instanceId, 'success');
    return undefined;
  }
  setStage(stage, 'running');
  const fail = (step: FaultStep, code: string, why: string): TaskError => {
    setStage(stage, 'failed', { step, error_code: code });
    task.results.set(instance.instanceId, 'failed');
    return { code, message: `${label} failed at step ${step}${why}` };
  };
  const steps: Array<[FaultStep, () => Generator<void, void, void>]> = [
    [
      'drain',
      function* () {
        world.setUnschedulable(name, true);
        for (let t = 0; world.evictAll(name) && t < DRAIN_GRACE_TICKS; t++) yield;
        yield;
      },
    ],
    [
      'stop',
      function* () {
        instance.status = 'Stopping';
        world.count(instance.instanceId, 'StopInstance');
        world.setReady(name, false);
        yield;
        instance.status = 'Stopped';
      },
    ],
    [
      'replace-disk',
      function* () {
        world.count(instance.instanceId, 'ReplaceSystemDisk');
        yield;
        setStage(stage, 'running', { system_disk_id: world.replaceSystemDisk(instance.instanceId) });
      },
    ],
    [
      'init',
      function* () {
        yield;
        world.setRuntime(name, 'containerd', runtimeVersion);
      },
    ],
    [
      'start',
      function* () {
        instance.status = 'Starting';
        world.count(instance.instanceId, 'StartInstance');
        yield;
        instance.status = 'Running';
      },
    ],
  ];
  for (const [step, work] of steps) {
    setStage(stage, 'running', { step });
    task.currentStage = step;
    const fault = world.faultFor(name, step);
    if (fault) {
      yield;
      return fail(step, fault.error, ` (${STEP_TEXT[step]}): ${fault.error}`);
    }
    yield* work();
  }
  setStage(stage, 'running', { step: 'ready' });
  const never = world.faultFor(name, 'ready');
  if (never) {
    for (let t = 0; t < READY_TIMEOUT_TICKS; t++) yield;
    return fail('ready', never.error, `: the node did not become Ready within 30 minutes (${never.error})`);
  }
  world.setReady(name, true);
  yield;
  setStage(stage, 'running', { step: 'uncordon' });
  world.setUnschedulable(name, false);
  setStage(stage, 'success', { step: 'done' });
  task.results.set(instance.instanceId, 'success');
  return undefined;
}
