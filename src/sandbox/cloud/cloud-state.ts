/**
 * The cloud side of the sandbox: what ACK and ECS know beyond the world's pools, instances and nodes (tasks,
 * cluster checks, snapshots, Cloud Assistant invocations, faults that tests can change at run time) and the
 * call counts. One per cloud server.
 */
import { randomBytes } from 'node:crypto';
import type { ApiFault, FaultStep, ScenarioFault, VersionMetadata } from '../scenario/types.js';
import { hashSeed } from '../world/ids.js';
import type { World } from '../world/index.js';
import { ApiFaults } from './api-faults.js';
import { CloudStats } from './stats.js';
import { Task, type TaskType } from './task.js';
import { versionTable } from './version-metadata.js';
import { ApiError } from './wire.js';

export interface SnapshotRecord {
  snapshotId: string;
  name: string;
  description: string;
  diskId: string;
  diskType: 'system' | 'data';
  instanceId: string;
  /** Simulated ms. */
  startedAt: number;
  /** Simulated seconds the snapshot takes. */
  seconds: number;
  /** Error code when a fault fails it. */
  fault: string | undefined;
}

export interface InvocationRecord {
  invokeId: string;
  commandId: string;
  content: string;
  startedAt: number;
  results: Array<{ instanceId: string; output: string; exitCode: number }>;
}

/** A failed item for ACK's NodePoolUpgrade check, set through POST /sandbox/faults. */
export interface CheckFailure {
  /** Pool id or name. */
  pool: string;
  name: string;
  level: 'error' | 'warning';
  message: string;
}

/** What the scenario says about the API beyond the world (docs/contracts.md#scenario-file-format). */
export interface CloudScenario {
  apiFaults?: ApiFault[];
  faultSeed?: number;
  versionMetadata?: VersionMetadata[];
}
/** The guide's tolerance for a snapshot before the node's upgrade gives up on it. */
export const SNAPSHOT_LIMIT_SECONDS = 40 * 60;
/** Simulated seconds a Cloud Assistant command runs. */
export const COMMAND_SECONDS = 5;

export class CloudState {
  readonly stats: CloudStats;
  /** Every cluster the cloud server serves, this one included (a fleet scenario has several). */
  fleet: CloudState[] = [this];
  /** The cluster's Kubernetes API, for DescribeClusterUserKubeconfig (set once it listens). */
  k8sUrl: string | undefined;
  /** Tokens DescribeClusterUserKubeconfig handed out → when they expire (real ms); the Kubernetes API checks them. */
  readonly kubeTokens = new Map<string, number>();
  readonly tasks = new Map<string, Task>();
  readonly checks = new Map<string, Record<string, unknown>>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  /** STS credentials handed out by GET /sandbox/sts-credentials: AccessKeyId → secret, token, expiry (real ms). */
  readonly sts = new Map<string, { secret: string; token: string; expiresAt: number }>();
  /** CreateSnapshot's ClientToken → the snapshot it created. */
  readonly snapshotTokens = new Map<string, string>();
  readonly invocations = new Map<string, InvocationRecord>();
  /** Bytes of old Docker data on each instance's data disk (0 once cleaned, or for nodes born on containerd). */
  readonly dockerDataBytes = new Map<string, number>();
  /** Simulated ms a pool was created, for nodepool_info.created. */
  readonly poolCreated = new Map<string, number>();
  faults: ScenarioFault[];
  checkFailures: CheckFailure[] = [];
  readonly apiFaults: ApiFaults;
  /** DescribeKubernetesVersionMetadata's table. */
  readonly versions: VersionMetadata[];
  /** A pool's scaling_group.desired_size: what its scaling group works towards. */
  readonly desired = new Map<string, number>();

  constructor(
    readonly world: World,
    scenario: CloudScenario = {},
    /** One count for the whole server, shared by the clusters of a fleet. */
    stats: CloudStats = new CloudStats(),
  ) {
    this.stats = stats;
    this.faults = [...world.faults];
    this.apiFaults = new ApiFaults(scenario.apiFaults ?? [], scenario.faultSeed ?? 1);
    this.versions = versionTable(world.cluster.version, scenario.versionMetadata);
    const now = world.clock.now();
    for (const pool of world.pools.values()) {
      this.poolCreated.set(pool.id, now - 90 * 24 * 3600 * 1000);
      this.desired.set(pool.id, world.listNodes(pool.id).length);
    }
    for (const instance of world.instances.values()) {
      const pool = world.pools.get(instance.poolId);
      const bytes = pool?.runtime === 'docker' ? 2_000_000_000 + (hashSeed(instance.instanceId) % 18_000_000_000) : 0;
      this.dockerDataBytes.set(instance.instanceId, bytes);
    }
  }

  now(): number {
    return this.world.clock.now();
  }

  faultFor(nodeName: string, step: FaultStep): ScenarioFault | undefined {
    return this.faults.find((f) => f.node === nodeName && f.step === step);
  }

  newTask(type: TaskType, poolId: string, parameters: Record<string, unknown>): Task {
    const task = new Task(`T-${randomBytes(12).toString('hex')}`, this.world.cluster.id, type, poolId, parameters, () =>
      this.now(),
    );
    this.tasks.set(task.id, task);
    return task;
  }

  /** The unfinished task on a pool, if any: ACK runs one node-pool operation at a time. */
  activeTask(poolId: string): Task | undefined {
    for (const task of this.tasks.values()) if (task.poolId === poolId && !task.finished) return task;
    return undefined;
  }

  assertIdle(poolId: string): void {
    const busy = this.activeTask(poolId);
    if (busy) {
      throw new ApiError(
        400,
        'ErrorNodePoolBusy',
        `node pool ${poolId} has a running task ${busy.id} (${busy.type}); wait for it to finish`,
      );
    }
  }

  mustTask(taskId: string): Task {
    const task = this.tasks.get(taskId);
    if (!task) throw new ApiError(404, 'ErrorTaskNotFound', `task ${taskId} not found`);
    return task;
  }

  /** Short-lived STS credentials, in the shape a credentials URI answers (Expiration in UTC, to the second). */
  issueSts(ttlSeconds: number) {
    const id = `STS.${randomBytes(12).toString('hex')}`;
    const secret = randomBytes(18).toString('base64url');
    const token = randomBytes(48).toString('base64url');
    const expiresAt = Date.now() + ttlSeconds * 1000;
    this.sts.set(id, { secret, token, expiresAt });
    return {
      Code: 'Success',
      AccessKeyId: id,
      AccessKeySecret: secret,
      SecurityToken: token,
      Expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  /** An id in the style of the service (`s-bp…`, `t-hz…`). */
  id(prefix: string, length = 20): string {
    return `${prefix}${randomBytes(length).toString('hex').slice(0, length)}`;
  }
}
