/**
 * The living cluster behind the sandbox's Kubernetes and ACK/ECS APIs: node pools, ECS instances, nodes, pods,
 * controllers and PDBs kept consistent on a scaled clock. The HTTP servers and the simulated cloud tasks only
 * read it and call its methods, so both sides always agree on what the cluster looks like.
 */
import { EventEmitter } from 'node:events';
import type { Runtime, Scenario, ScenarioCluster, ScenarioFault, ScenarioTiming } from '../scenario/types.js';
import { SimClock } from './clock.js';
import { evictPod } from './eviction.js';
import { IdFactory, ipv4, macOf } from './ids.js';
import { ingestManifests } from './ingest.js';
import { pdbStatus } from './pdb.js';
import type {
  EvictionResult,
  InstanceRecord,
  InstanceStatus,
  NodeRecord,
  PdbRecord,
  PdbStatus,
  PodRecord,
  PoolRecord,
  Taint,
  WorldChange,
} from './types.js';
import { INITIAL_AGE_MS, Workloads, type WorkloadsHost } from './workloads.js';

export interface WorldOptions {
  /** Real seconds per simulated second (default 1). */
  timeScale?: number;
  /** Seed for ids and names (default: the cluster id), so a scenario always yields the same world. */
  seed?: string;
}

export interface NodeChanges {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export interface NewPool {
  id: string;
  name: string;
  runtime: Runtime;
  runtimeVersion: string;
  instanceType: string;
  labels?: Record<string, string>;
  environment?: string;
}

/** Seconds between retries of a PDB-refused eviction (kubectl's EvictErrorRetryDelay). */
export const EVICT_RETRY_SECONDS = 5;
const ZONE_SUFFIXES = ['h', 'i', 'j', 'k'];

export class World implements WorkloadsHost {
  readonly cluster: ScenarioCluster;
  readonly pools = new Map<string, PoolRecord>();
  readonly instances = new Map<string, InstanceRecord>();
  readonly timing: ScenarioTiming;
  readonly faults: readonly ScenarioFault[];
  readonly clock: SimClock;
  readonly ids: IdFactory;
  readonly workloads: Workloads;
  /** Emits 'change' with a WorldChange for every node and pod that is added, modified or deleted. */
  readonly events = new EventEmitter();
  nodesVersion = 0;
  private readonly nodes = new Map<string, NodeRecord>();
  private nodeArray: NodeRecord[] | undefined;
  private rv = 1;
  private nodeSerial = 0;
  private readonly poolCounters = new Map<string, number>();

  constructor(scenario: Scenario, options: WorldOptions = {}) {
    this.cluster = scenario.cluster;
    this.timing = scenario.timing;
    this.faults = scenario.faults;
    this.clock = new SimClock(options.timeScale ?? 1);
    this.ids = new IdFactory(options.seed ?? scenario.cluster.id);
    this.events.setMaxListeners(0);
    this.workloads = new Workloads(this);
    for (const pool of scenario.nodePools) {
      this.addPool(pool);
      for (let i = 0; i < pool.nodes; i++) this.registerNode(pool.id, true);
    }
    ingestManifests(this.workloads, this.ids, scenario.manifests, this.clock.now(), () => this.nextRv());
  }

  get timeScale(): number {
    return this.clock.timeScale;
  }

  /** The current global resourceVersion (every change increments it). */
  get resourceVersion(): number {
    return this.rv;
  }

  nextRv(): number {
    return ++this.rv;
  }

  emit(change: WorldChange): void {
    this.events.emit('change', change);
  }

  /** Subscribes to node and pod changes; returns the unsubscribe function. */
  onChange(listener: (change: WorldChange) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  // ---- reads -----------------------------------------------------------------------------------------------

  nodeList(): readonly NodeRecord[] {
    if (!this.nodeArray) this.nodeArray = [...this.nodes.values()];
    return this.nodeArray;
  }

  nodeByName(name: string): NodeRecord | undefined {
    return this.nodes.get(name);
  }

  /** Nodes in creation order, optionally of one pool. */
  listNodes(poolId?: string): NodeRecord[] {
    const all = this.nodeList();
    return poolId === undefined ? [...all] : all.filter((n) => n.poolId === poolId);
  }

  getNode(name: string): NodeRecord | undefined {
    return this.nodes.get(name);
  }

  getInstanceByNode(name: string): InstanceRecord | undefined {
    const node = this.nodes.get(name);
    return node ? this.instances.get(node.instanceId) : undefined;
  }

  podsOnNode(name: string): PodRecord[] {
    return [...this.workloads.pods.onNode(name)];
  }

  podReady(pod: PodRecord): boolean {
    return this.workloads.podReady(pod);
  }

  pdbStatus(pdb: PdbRecord): PdbStatus {
    return pdbStatus(this.workloads, pdb, this.clock.now());
  }

  // ---- node state ------------------------------------------------------------------------------------------

  setUnschedulable(name: string, unschedulable: boolean): void {
    this.updateNode(name, { unschedulable });
  }

  /** Labels, annotations, taints and the cordon flag, as a PATCH of the node would change them. */
  updateNode(name: string, changes: NodeChanges): NodeRecord {
    const node = this.mustNode(name);
    const previous = { labels: node.labels, unschedulable: node.unschedulable };
    if (changes.labels) node.labels = { ...changes.labels };
    if (changes.annotations) node.annotations = { ...changes.annotations };
    if (changes.taints) node.taints = changes.taints.map((t) => ({ ...t }));
    if (changes.unschedulable !== undefined) node.unschedulable = changes.unschedulable;
    this.nodeChanged(node, 'MODIFIED', previous);
    return node;
  }

  /** Kubelet up or down. Pods stay bound; their Ready condition follows the node. */
  setNodeReady(name: string, ready: boolean): void {
    const node = this.mustNode(name);
    if (node.ready === ready) return;
    node.ready = ready;
    node.readySince = this.clock.now();
    this.nodeChanged(node, 'MODIFIED');
    for (const pod of this.workloads.pods.onNode(name)) this.workloads.touch(pod);
  }

  /** `docker://19.3.15` → `containerd://1.6.28` after the system disk was re-initialised. */
  setNodeRuntime(name: string, runtime: Runtime, version: string): void {
    const node = this.mustNode(name);
    node.runtime = runtime;
    node.runtimeVersion = version;
    this.nodeChanged(node, 'MODIFIED');
  }

  setPoolRuntime(poolId: string, runtime: Runtime, version: string): void {
    const pool = this.mustPool(poolId);
    pool.runtime = runtime;
    pool.runtimeVersion = version;
  }

  setInstanceStatus(instanceId: string, status: InstanceStatus): void {
    this.mustInstance(instanceId).status = status;
  }

  /** A new system disk id; private IP, MAC and data disks stay. */
  replaceSystemDisk(instanceId: string): string {
    const instance = this.mustInstance(instanceId);
    instance.systemDiskId = this.ids.diskId();
    return instance.systemDiskId;
  }

  // ---- pods ------------------------------------------------------------------------------------------------

  /** policy/v1 Eviction with PDBs honoured, as the API server does it; the HTTP API and drainNode both use it. */
  evictPod(namespace: string, name: string, options: { dryRun?: boolean } = {}): EvictionResult {
    return evictPod(this.workloads, namespace, name, this.clock.now(), options);
  }

  /** DELETE of a pod (no PDB check); false when there was no such pod. */
  deletePod(namespace: string, name: string): boolean {
    const pod = this.workloads.pods.get(namespace, name);
    if (!pod) return false;
    this.workloads.deletePod(pod);
    return true;
  }

  /**
   * Cordon, then evict every pod but DaemonSet and mirror pods, retrying PDB refusals every 5 simulated
   * seconds until timeoutSimSeconds; then rejects with an Error naming the PDB that blocked it.
   */
  async drainNode(name: string, options: { timeoutSimSeconds?: number } = {}): Promise<{ evicted: string[] }> {
    const timeout = options.timeoutSimSeconds ?? 600;
    this.setUnschedulable(name, true);
    const deadline = this.clock.now() + timeout * 1000;
    const evicted: string[] = [];
    for (;;) {
      const pods = this.podsOnNode(name).filter((p) => p.group?.kind !== 'DaemonSet' && !isMirror(p));
      let blocked: { pod: PodRecord; pdb: string; cause: string } | undefined;
      for (const pod of pods) {
        const result = this.evictPod(pod.namespace, pod.name);
        if (result.code === 201) evicted.push(pod.key);
        else if (result.code === 429) blocked = { pod, pdb: result.pdb, cause: result.cause };
        else if (result.code !== 404)
          throw new Error(`cannot evict pod ${pod.key} from node ${name}: ${result.message}`);
      }
      if (!blocked) return { evicted };
      if (this.clock.now() >= deadline) {
        throw new Error(
          `drain of node ${name} timed out after ${timeout}s: evicting pod ${blocked.pod.key} is refused by PodDisruptionBudget ${blocked.pdb} (${blocked.cause})`,
        );
      }
      await this.clock.sleep(Math.min(EVICT_RETRY_SECONDS, Math.max(0, (deadline - this.clock.now()) / 1000)));
    }
  }

  // ---- pools and nodes -------------------------------------------------------------------------------------

  addPool(pool: NewPool): PoolRecord {
    if (this.pools.has(pool.id)) throw new Error(`node pool ${pool.id} already exists`);
    const record: PoolRecord = {
      id: pool.id,
      name: pool.name,
      runtime: pool.runtime,
      runtimeVersion: pool.runtimeVersion,
      instanceType: pool.instanceType,
      labels: { ...(pool.labels ?? {}) },
      environment: pool.environment,
    };
    this.pools.set(pool.id, record);
    this.poolCounters.set(pool.id, 0);
    return record;
  }

  /** A new ECS instance and its node, registered NotReady (the caller marks it Ready when it has joined). */
  addNode(poolId: string): string {
    return this.registerNode(poolId, false).name;
  }

  /** Deletes the node, its instance and its pods; controllers put the pods elsewhere. */
  removeNode(name: string): void {
    const node = this.mustNode(name);
    this.nodes.delete(name);
    this.nodeArray = undefined;
    this.instances.delete(node.instanceId);
    for (const pod of [...this.workloads.pods.onNode(name)]) this.workloads.deletePod(pod);
    this.nodeChanged(node, 'DELETED');
  }

  removePool(poolId: string): void {
    this.mustPool(poolId);
    for (const node of this.listNodes(poolId)) this.removeNode(node.name);
    this.pools.delete(poolId);
  }

  /** Stops every timer; the world is unusable afterwards. */
  close(): void {
    this.clock.close();
    this.events.removeAllListeners();
  }

  private registerNode(poolId: string, initial: boolean): NodeRecord {
    const pool = this.mustPool(poolId);
    const n = (this.poolCounters.get(poolId) ?? 0) + 1;
    this.poolCounters.set(poolId, n);
    const serial = this.nodeSerial++;
    const name = `${pool.name}-${n}`;
    const zoneId = `${this.cluster.region}-${ZONE_SUFFIXES[serial % ZONE_SUFFIXES.length]}`;
    const now = this.clock.now();
    const createdAt = initial ? now - INITIAL_AGE_MS : now;
    const instance: InstanceRecord = {
      instanceId: this.ids.instanceId(),
      nodeName: name,
      poolId,
      status: 'Running',
      privateIp: ipv4((10 << 24) + 16 + serial),
      mac: macOf(0x100000 + serial),
      systemDiskId: this.ids.diskId(),
      dataDiskIds: [this.ids.diskId()],
      instanceType: pool.instanceType,
      zoneId,
      region: this.cluster.region,
      createdAt,
    };
    this.instances.set(instance.instanceId, instance);
    const node: NodeRecord = {
      name,
      uid: this.ids.uid(),
      poolId,
      instanceId: instance.instanceId,
      labels: {
        ...pool.labels,
        'ack.aliyun.com': this.cluster.id,
        'alibabacloud.com/nodepool-id': pool.id,
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': pool.instanceType,
        'beta.kubernetes.io/os': 'linux',
        'failure-domain.beta.kubernetes.io/region': this.cluster.region,
        'failure-domain.beta.kubernetes.io/zone': zoneId,
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': pool.instanceType,
        'topology.kubernetes.io/region': this.cluster.region,
        'topology.kubernetes.io/zone': zoneId,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      taints: [],
      unschedulable: false,
      ready: initial,
      runtime: pool.runtime,
      runtimeVersion: pool.runtimeVersion,
      internalIp: instance.privateIp,
      podRange: serial,
      nextPodIp: 0,
      createdAt,
      readySince: createdAt,
      resourceVersion: this.nextRv(),
    };
    this.nodes.set(name, node);
    this.nodeArray = undefined;
    if (!initial) this.nodeChanged(node, 'ADDED');
    return node;
  }

  private nodeChanged(
    node: NodeRecord,
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    previous?: Pick<NodeRecord, 'labels' | 'unschedulable'>,
  ): void {
    node.resourceVersion = this.nextRv();
    this.nodesVersion++;
    this.emit({ type, kind: 'Node', resourceVersion: node.resourceVersion, node, ...(previous ? { previous } : {}) });
    if (!this.clock.isClosed) this.workloads.onNodesChanged();
  }

  private mustNode(name: string): NodeRecord {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`node ${name} not found`);
    return node;
  }

  private mustPool(id: string): PoolRecord {
    const pool = this.pools.get(id);
    if (!pool) throw new Error(`node pool ${id} not found`);
    return pool;
  }

  private mustInstance(id: string): InstanceRecord {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`instance ${id} not found`);
    return instance;
  }
}

/** Static pods show up as mirror pods; kubectl drain skips them. */
export function isMirror(pod: PodRecord): boolean {
  const annotations = pod.bare?.metadata['annotations'] as Record<string, string> | undefined;
  return annotations?.['kubernetes.io/config.mirror'] !== undefined;
}

export function createWorld(scenario: Scenario, options: WorldOptions = {}): World {
  return new World(scenario, options);
}
