/**
 * The small in-memory world FakeCloudGateway and FakeClusterGateway share (the unit tier's sandbox): node pools, ECS
 * instances with system disks, Kubernetes nodes, workloads and PDBs (fake-workloads.ts), ACK tasks (fake-tasks.ts),
 * snapshots and Cloud Assistant invocations. Time is the test's: nothing moves until `tick()`, which does one step of
 * every running task, advances snapshots and commands, and lets the controllers and the scheduler catch up.
 * Faults are planted here: a node step that fails, a node that never becomes Ready, a throttled call.
 */
import type { ClusterFacts } from '../../../src/domain/cluster/snapshot.js';
import { runDeletePool, runRemoveNodes, runScaleOut } from './fake-pool-tasks.js';
import { type FakeTask, runUpgrade, type TaskType } from './fake-tasks.js';
import { FakeWorkloads } from './fake-workloads.js';
import {
  type CheckFailure,
  CONTAINERD_VERSION,
  DOCKER_VERSION,
  type FakeInstance,
  type FakeInvocation,
  type FakeNode,
  type FakePool,
  type FakeSnapshot,
  type FakeWorldSpec,
  type Fault,
  type FaultStep,
  type Runtime,
  SNAPSHOT_TICKS,
} from './fake-world-model.js';

export * from './fake-world-model.js';

export class FakeWorld {
  readonly cluster: ClusterFacts;
  readonly pools = new Map<string, FakePool>();
  readonly nodes = new Map<string, FakeNode>();
  readonly instances = new Map<string, FakeInstance>();
  readonly tasks = new Map<string, FakeTask>();
  readonly snapshots = new Map<string, FakeSnapshot>();
  readonly invocations = new Map<string, FakeInvocation>();
  readonly workloads: FakeWorkloads;
  faults: Fault[] = [];
  checkFailures: CheckFailure[] = [];
  /** Gateway calls, in order (method name and arguments), for tests to read. */
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  ticks = 0;
  private readonly throttles = new Map<string, number>();
  private readonly perInstance = new Map<string, Record<string, number>>();
  private readonly listeners = new Set<(type: 'ADDED' | 'MODIFIED' | 'DELETED', node: FakeNode) => void>();
  private serial = 0;
  private nodeSerial = 0;

  constructor(spec: FakeWorldSpec) {
    this.cluster = {
      id: 'c-demo',
      name: 'demo',
      region: 'cn-hangzhou',
      version: '1.22.15-aliyun.1',
      state: 'running',
      ...spec.cluster,
    };
    this.workloads = new FakeWorkloads(
      () => [...this.nodes.values()],
      () => this.id('uid-', 12),
    );
    for (const p of spec.pools) {
      this.addPool({
        id: p.id,
        name: p.name,
        runtime: p.runtime ?? 'docker',
        labels: p.labels ?? {},
        ...(p.instanceType ? { instanceType: p.instanceType } : {}),
      });
      for (let i = 0; i < p.nodes; i++) this.addNode(p.id, true);
    }
    for (const c of spec.controllers ?? []) this.workloads.addController(c);
    for (const pod of spec.pods ?? []) this.workloads.addBarePod(pod);
    for (const pdb of spec.pdbs ?? []) this.workloads.addPdb(pdb);
    this.workloads.reconcile();
  }

  // ---- time ------------------------------------------------------------------------------------------------

  /** Lets the world move on by `n` steps. */
  tick(n = 1): void {
    for (let i = 0; i < n; i++) {
      this.ticks++;
      for (const task of [...this.tasks.values()]) task.step();
      for (const s of this.snapshots.values()) {
        if (s.status !== 'progressing') continue;
        s.progress = Math.min(100, s.progress + Math.ceil(100 / SNAPSHOT_TICKS));
        if (s.progress >= 100) s.status = s.fault ? 'failed' : 'accomplished';
      }
      for (const inv of this.invocations.values()) inv.ticksLeft = Math.max(0, inv.ticksLeft - 1);
      this.workloads.reconcile();
    }
  }

  // ---- faults and bookkeeping ------------------------------------------------------------------------------

  /** Makes `step` fail on `node` every time it runs there (`ready`: the node never reports Ready). */
  plantFault(node: string, step: FaultStep, error: string): void {
    this.faults.push({ node, step, error });
  }

  faultFor(node: string, step: FaultStep): Fault | undefined {
    return this.faults.find((f) => f.node === node && f.step === step);
  }

  /** The next `times` calls of a gateway method fail as throttled (after the real gateway's own retries). */
  throttle(method: string, times = 1): void {
    this.throttles.set(method, (this.throttles.get(method) ?? 0) + times);
  }

  /** Records a gateway call; true when the call is to fail as throttled. */
  record(method: string, args: unknown[]): boolean {
    this.calls.push({ method, args: structuredClone(args) });
    const left = this.throttles.get(method) ?? 0;
    if (left <= 0) return false;
    this.throttles.set(method, left - 1);
    return true;
  }

  /** How often a method was called (optionally only calls whose arguments pass `where`). */
  callCount(method: string, where: (args: unknown[]) => boolean = () => true): number {
    return this.calls.filter((c) => c.method === method && where(c.args)).length;
  }

  count(instanceId: string, action: string): void {
    const stats = this.perInstance.get(instanceId) ?? {};
    stats[action] = (stats[action] ?? 0) + 1;
    this.perInstance.set(instanceId, stats);
  }

  /** ECS actions run on one instance (StopInstance, ReplaceSystemDisk, StartInstance, CreateSnapshot, RunCommand). */
  instanceStats(instanceId: string): Record<string, number> {
    return { ...this.perInstance.get(instanceId) };
  }

  id(prefix: string, length = 16): string {
    this.serial++;
    return `${prefix}${this.serial.toString(16).padStart(length, '0')}`;
  }

  // ---- pools, nodes, instances -----------------------------------------------------------------------------

  addPool(p: { id: string; name: string; runtime: Runtime; labels: Record<string, string>; instanceType?: string }) {
    this.pools.set(p.id, {
      id: p.id,
      name: p.name,
      runtime: p.runtime,
      runtimeVersion: p.runtime === 'docker' ? DOCKER_VERSION : CONTAINERD_VERSION,
      instanceType: p.instanceType ?? 'ecs.g7.large',
      labels: { ...p.labels },
      counter: 0,
    });
  }

  poolNodes(poolId: string): FakeNode[] {
    return [...this.nodes.values()].filter((n) => n.poolId === poolId);
  }

  /** A new instance and its node (Ready at once for the world's first nodes, joining for a scale-out). */
  addNode(poolId: string, ready: boolean): string {
    const pool = this.pools.get(poolId)!;
    pool.counter++;
    const n = ++this.nodeSerial;
    const name = `${pool.name}-${pool.counter}`;
    const instanceId = this.id('i-bp', 18);
    const ip = `10.0.${Math.floor(n / 200)}.${16 + (n % 200)}`;
    this.instances.set(instanceId, {
      instanceId,
      nodeName: name,
      poolId,
      status: ready ? 'Running' : 'Pending',
      privateIp: ip,
      mac: `00:16:3e:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`,
      systemDiskId: this.id('d-bp', 18),
      dockerBytes: pool.runtime === 'docker' ? 2_000_000_000 + n * 1_000_000 : 0,
    });
    const node: FakeNode = {
      name,
      poolId,
      instanceId,
      internalIp: ip,
      ready,
      unschedulable: false,
      runtime: pool.runtime,
      runtimeVersion: pool.runtimeVersion,
      labels: { ...pool.labels, 'alibabacloud.com/nodepool-id': poolId, 'kubernetes.io/hostname': name },
    };
    this.nodes.set(name, node);
    if (!ready) this.changed('ADDED', node);
    return name;
  }

  removeNode(name: string): void {
    const node = this.nodes.get(name);
    if (!node) return;
    this.nodes.delete(name);
    this.instances.delete(node.instanceId);
    this.workloads.nodeRemoved(name);
    this.changed('DELETED', node);
  }

  removePool(poolId: string): void {
    for (const n of this.poolNodes(poolId)) this.removeNode(n.name);
    this.pools.delete(poolId);
  }

  setUnschedulable(name: string, value: boolean): void {
    const node = this.nodes.get(name)!;
    node.unschedulable = value;
    this.changed('MODIFIED', node);
  }

  setReady(name: string, ready: boolean): void {
    const node = this.nodes.get(name)!;
    if (node.ready === ready) return;
    node.ready = ready;
    this.changed('MODIFIED', node);
  }

  setRuntime(name: string, runtime: Runtime, version: string): void {
    const node = this.nodes.get(name)!;
    node.runtime = runtime;
    node.runtimeVersion = version;
    this.changed('MODIFIED', node);
  }

  /** A new system disk; the private IP and the MAC stay. */
  replaceSystemDisk(instanceId: string): string {
    const instance = this.instances.get(instanceId)!;
    instance.systemDiskId = this.id('d-bp', 18);
    return instance.systemDiskId;
  }

  /** One round of ACK's drain of a node: every pod but DaemonSet pods evicted; true while a PDB still refuses one. */
  evictAll(node: string): boolean {
    let blocked = false;
    for (const pod of this.workloads.onNode(node)) {
      if (pod.controller?.kind === 'DaemonSet') continue;
      if (this.workloads.evict(pod.namespace, pod.name).status === 'blocked') blocked = true;
    }
    return blocked;
  }

  /** The unfinished task on a pool: ACK runs one node-pool task at a time. */
  activeTask(poolId: string): FakeTask | undefined {
    return [...this.tasks.values()].find((t) => t.poolId === poolId && !t.finished);
  }

  startTask(
    task: FakeTask,
    work: { upgrade?: { nodes: string[]; maxParallelism: number }; scaleOut?: number; remove?: string[] },
  ): FakeTask {
    this.tasks.set(task.id, task);
    const type: TaskType = task.type;
    if (type === 'nodepool_upgrade' && work.upgrade)
      task.work = runUpgrade(this, task, { ...work.upgrade, runtimeVersion: CONTAINERD_VERSION });
    else if ((type === 'nodepool_create' || type === 'nodepool_scaleout') && work.scaleOut !== undefined)
      task.work = runScaleOut(this, task, work.scaleOut);
    else if (type === 'nodepool_remove_nodes' && work.remove) task.work = runRemoveNodes(this, task, work.remove);
    else task.work = runDeletePool(this, task);
    return task;
  }

  // ---- node watch ------------------------------------------------------------------------------------------

  onNodeChange(listener: (type: 'ADDED' | 'MODIFIED' | 'DELETED', node: FakeNode) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(type: 'ADDED' | 'MODIFIED' | 'DELETED', node: FakeNode): void {
    for (const l of [...this.listeners]) l(type, structuredClone(node));
  }
}
