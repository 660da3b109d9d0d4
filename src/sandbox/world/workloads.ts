/**
 * The controllers of the world: ReplicaSets (and the Deployments above them), StatefulSets, DaemonSets and Jobs
 * keep their pods, a deleted pod comes back after a short delay on a node that fits, DaemonSets keep one pod per
 * fitting node, and pods that fit nowhere wait unscheduled until a node frees up.
 */
import type { KubeObject } from '../scenario/types.js';
import type { SimClock } from './clock.js';
import { type IdFactory, ipv4 } from './ids.js';
import { matches } from './labels.js';
import { Placement } from './placement.js';
import { PodStore } from './pod-store.js';
import { fitsDaemonNode, nodeSelectorOf, tolerationsOf } from './scheduling.js';
import type { GroupKind, NodeRecord, PdbRecord, PodGroup, PodRecord, WorldChange } from './types.js';

/** What the controllers need from the world around them. */
export interface WorkloadsHost {
  readonly clock: SimClock;
  readonly ids: IdFactory;
  nextRv(): number;
  emit(change: WorldChange): void;
  /** All nodes, in creation order. */
  nodeList(): readonly NodeRecord[];
  nodeByName(name: string): NodeRecord | undefined;
  /** Changes whenever a node comes, goes, or changes in a way that matters to scheduling. */
  readonly nodesVersion: number;
}

/** Simulated seconds before a controller replaces a pod that was deleted or evicted. */
export const RECREATE_DELAY_SECONDS = 2;
/** Simulated seconds from a pod's creation on a node to Ready. */
export const POD_START_SECONDS = 3;

export class Workloads {
  readonly pods = new PodStore();
  readonly groups = new Map<string, PodGroup>();
  readonly pdbs = new Map<string, PdbRecord>();
  /** Bumped when groups come or go (PDB selector caches depend on it). */
  groupsVersion = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly groupsByNs = new Map<string, Set<PodGroup>>();
  private readonly groupByObject = new Map<string, PodGroup>();
  private readonly groupByOwner = new Map<string, PodGroup>();
  private readonly bareByNs = new Map<string, Set<PodRecord>>();
  private building = false;

  private readonly placement: Placement;

  constructor(private readonly host: WorkloadsHost) {
    this.placement = new Placement(host, this.pods, () => this.building);
  }

  // ---- objects -------------------------------------------------------------------------------------------

  putObject(object: KubeObject): void {
    let byKey = this.objects.get(object.kind);
    if (!byKey) {
      byKey = new Map();
      this.objects.set(object.kind, byKey);
    }
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    if (!byKey.has(key)) this.sortedKeys.delete(object.kind);
    byKey.set(key, object);
  }

  getObject(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(kind)?.get(objectKey(namespace, name));
  }

  /**
   * The keys of a kind's objects in order (`namespace/name`, or `name` when cluster-scoped), sorted once and kept
   * until an object is added: a list page is a binary search and a walk, as in the apiserver's watch cache.
   */
  objectKeys(kind: string): readonly string[] {
    let keys = this.sortedKeys.get(kind);
    if (!keys) {
      keys = [...(this.objects.get(kind)?.keys() ?? [])].sort();
      this.sortedKeys.set(kind, keys);
    }
    return keys;
  }

  /** The object stored under a key of objectKeys. */
  objectAt(kind: string, key: string): KubeObject | undefined {
    return this.objects.get(kind)?.get(key);
  }

  /** The pod group of a ReplicaSet, StatefulSet, DaemonSet or Job object. */
  groupOf(kind: string, namespace: string, name: string): PodGroup | undefined {
    return this.groupByObject.get(`${kind}/${namespace}/${name}`);
  }

  /** The ReplicaSet group a Deployment (by uid) owns. */
  groupOwnedBy(ownerUid: string): PodGroup | undefined {
    return this.groupByOwner.get(ownerUid);
  }

  groupsInNamespace(namespace: string): ReadonlySet<PodGroup> {
    return this.groupsByNs.get(namespace) ?? new Set();
  }

  barePodsInNamespace(namespace: string): ReadonlySet<PodRecord> {
    return this.bareByNs.get(namespace) ?? new Set();
  }

  // ---- groups ----------------------------------------------------------------------------------------------

  addGroup(
    kind: GroupKind,
    object: KubeObject,
    owner: KubeObject | undefined,
    podLabels: Record<string, string>,
  ): PodGroup {
    const spec = ((object.spec?.['template'] as KubeObject | undefined)?.spec ?? {}) as Record<string, unknown>;
    const ns = object.metadata.namespace ?? 'default';
    const group: PodGroup = {
      kind,
      namespace: ns,
      name: object.metadata.name,
      uid: object.metadata['uid'] as string,
      object,
      owner,
      podLabels,
      podSpec: spec,
      specJsonTail: undefined,
      nodeSelector: nodeSelectorOf(spec),
      tolerations: tolerationsOf(spec),
      pods: new Set(),
      pendingCreates: 0,
      byNode: new Map(),
      pendingNodes: new Set(),
    };
    this.groups.set(group.uid, group);
    this.groupByObject.set(`${kind}/${ns}/${group.name}`, group);
    if (owner) this.groupByOwner.set(owner.metadata['uid'] as string, group);
    let set = this.groupsByNs.get(ns);
    if (!set) {
      set = new Set();
      this.groupsByNs.set(ns, set);
    }
    set.add(group);
    this.groupsVersion++;
    return group;
  }

  /** Desired pods of a group (DaemonSets: one per fitting node, counted from the nodes). */
  desired(group: PodGroup): number {
    const spec = group.object.spec ?? {};
    if (group.kind === 'Job') return typeof spec['parallelism'] === 'number' ? spec['parallelism'] : 1;
    if (group.kind === 'DaemonSet') {
      return this.host.nodeList().filter((n) => fitsDaemonNode(n, group.nodeSelector, group.tolerations)).length;
    }
    return typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
  }

  /** Creates every pod of every group at once, Ready, with no timers: the world as it stood before we came. */
  buildAll(barePods: readonly KubeObject[] = []): void {
    this.building = true;
    try {
      for (const group of this.groups.values()) this.reconcile(group);
      for (const pod of barePods) this.addBarePod(pod);
    } finally {
      this.building = false;
    }
  }

  /** Brings a group to its desired pods: replacements after RECREATE_DELAY_SECONDS, extras deleted. */
  reconcile(group: PodGroup): void {
    if (!this.groups.has(group.uid)) return;
    if (group.kind === 'DaemonSet') {
      this.reconcileDaemonSet(group);
      return;
    }
    const want = this.desired(group);
    let missing = want - group.pods.size - group.pendingCreates;
    for (; missing > 0; missing--) {
      if (this.building) {
        this.createPod(group, undefined);
        continue;
      }
      group.pendingCreates++;
      this.host.clock.after(RECREATE_DELAY_SECONDS, () => {
        group.pendingCreates--;
        if (this.groups.has(group.uid) && group.pods.size < this.desired(group)) this.createPod(group, undefined);
      });
    }
    if (missing < 0 && group.pendingCreates === 0) {
      const extra = [...group.pods].slice(want);
      for (const pod of extra) this.deletePod(pod);
    }
  }

  private reconcileDaemonSet(group: PodGroup): void {
    for (const node of this.host.nodeList()) {
      const fits = fitsDaemonNode(node, group.nodeSelector, group.tolerations);
      const pod = group.byNode.get(node.name);
      if (fits && !pod && !group.pendingNodes.has(node.name)) {
        if (this.building) {
          this.createPod(group, node);
          continue;
        }
        group.pendingNodes.add(node.name);
        this.host.clock.after(1, () => {
          group.pendingNodes.delete(node.name);
          const current = this.host.nodeByName(node.name);
          if (
            current &&
            !group.byNode.has(node.name) &&
            fitsDaemonNode(current, group.nodeSelector, group.tolerations)
          ) {
            this.createPod(group, current);
          }
        });
      } else if (!fits && pod) this.deletePod(pod);
    }
  }

  // ---- pods ------------------------------------------------------------------------------------------------

  /** A pod of a controller; DaemonSet pods are created bound to their node. */
  private createPod(group: PodGroup, daemonNode: NodeRecord | undefined): PodRecord {
    const name = this.podName(group);
    const labels =
      group.kind === 'StatefulSet'
        ? { ...group.podLabels, 'statefulset.kubernetes.io/pod-name': name }
        : group.podLabels;
    const pod = this.newPod(group.namespace, name, group, undefined, labels);
    group.pods.add(pod);
    if (daemonNode) group.byNode.set(daemonNode.name, pod);
    this.pods.add(pod);
    this.host.emit({ type: 'ADDED', kind: 'Pod', resourceVersion: pod.resourceVersion, pod });
    const node = daemonNode ?? this.placement.choose(group.nodeSelector, group.tolerations, group);
    if (node) this.bind(pod, node);
    return pod;
  }

  /** A pod with no controller, as written in a manifest (spec.nodeName binds it directly). */
  addBarePod(manifest: KubeObject): PodRecord {
    const ns = manifest.metadata.namespace ?? 'default';
    const pod = this.newPod(ns, manifest.metadata.name, undefined, manifest, manifest.metadata.labels ?? {});
    this.pods.add(pod);
    let set = this.bareByNs.get(ns);
    if (!set) {
      set = new Set();
      this.bareByNs.set(ns, set);
    }
    set.add(pod);
    const spec = (manifest.spec ?? {}) as Record<string, unknown>;
    const fixed = typeof spec['nodeName'] === 'string' ? this.host.nodeByName(spec['nodeName']) : undefined;
    const node = fixed ?? this.placement.choose(nodeSelectorOf(spec), tolerationsOf(spec), undefined);
    this.host.emit({ type: 'ADDED', kind: 'Pod', resourceVersion: pod.resourceVersion, pod });
    if (node) this.bind(pod, node);
    return pod;
  }

  private newPod(
    namespace: string,
    name: string,
    group: PodGroup | undefined,
    bare: KubeObject | undefined,
    labels: Record<string, string>,
  ): PodRecord {
    const now = this.host.clock.now();
    return {
      key: `${namespace}/${name}`,
      namespace,
      name,
      uid: this.host.ids.uid(),
      group,
      bare,
      labels,
      nodeName: undefined,
      phase: 'Pending',
      containersReady: false,
      createdAt: this.building ? now - INITIAL_AGE_MS : now,
      startedAt: undefined,
      readySince: undefined,
      deletionTimestamp: undefined,
      ip: undefined,
      resourceVersion: this.host.nextRv(),
    };
  }

  /** The scheduler's bind and the kubelet's start: Running at once, Ready after POD_START_SECONDS. */
  private bind(pod: PodRecord, node: NodeRecord): void {
    const previous = { nodeName: pod.nodeName, phase: pod.phase };
    this.pods.bind(pod, node.name);
    pod.phase = 'Running';
    pod.startedAt = pod.createdAt;
    pod.ip = ipv4(((10 << 24) | (128 << 16)) + node.podRange * 256 + 2 + (node.nextPodIp++ % 250));
    pod.resourceVersion = this.host.nextRv();
    if (this.building) {
      pod.containersReady = true;
      pod.readySince = pod.createdAt;
      return;
    }
    this.host.emit({ type: 'MODIFIED', kind: 'Pod', resourceVersion: pod.resourceVersion, pod, previous });
    this.host.clock.after(POD_START_SECONDS, () => {
      if (this.pods.byKeyOf(pod.key) !== pod) return;
      pod.containersReady = true;
      pod.readySince = this.host.clock.now();
      this.touch(pod);
    });
  }

  /** Records a status change of a pod and tells the watchers. */
  touch(pod: PodRecord): void {
    pod.resourceVersion = this.host.nextRv();
    this.host.emit({ type: 'MODIFIED', kind: 'Pod', resourceVersion: pod.resourceVersion, pod });
  }

  /** Deletes a pod now; its controller (if any) replaces it after RECREATE_DELAY_SECONDS. */
  deletePod(pod: PodRecord, options: { replace?: boolean } = {}): void {
    if (this.pods.byKeyOf(pod.key) !== pod) return;
    this.pods.remove(pod);
    pod.deletionTimestamp = this.host.clock.now();
    pod.resourceVersion = this.host.nextRv();
    if (pod.bare) this.bareByNs.get(pod.namespace)?.delete(pod);
    const group = pod.group;
    if (group) {
      group.pods.delete(pod);
      if (pod.nodeName && group.byNode.get(pod.nodeName) === pod) group.byNode.delete(pod.nodeName);
    }
    this.host.emit({ type: 'DELETED', kind: 'Pod', resourceVersion: pod.resourceVersion, pod });
    if (group && options.replace !== false) this.reconcile(group);
  }

  podReady(pod: PodRecord): boolean {
    if (pod.phase !== 'Running' || !pod.containersReady || pod.deletionTimestamp !== undefined) return false;
    const node = pod.nodeName === undefined ? undefined : this.host.nodeByName(pod.nodeName);
    return node?.ready === true;
  }

  /** After nodes changed: DaemonSets follow the nodes, waiting pods get another chance. */
  onNodesChanged(): void {
    for (const group of this.groups.values()) if (group.kind === 'DaemonSet') this.reconcileDaemonSet(group);
    for (const pod of [...this.pods.unscheduled]) {
      const spec = pod.group?.podSpec ?? ((pod.bare?.spec ?? {}) as Record<string, unknown>);
      const node = this.placement.choose(
        pod.group?.nodeSelector ?? nodeSelectorOf(spec),
        pod.group?.tolerations ?? tolerationsOf(spec),
        pod.group,
      );
      if (node) this.bind(pod, node);
    }
  }

  private podName(group: PodGroup): string {
    if (group.kind === 'StatefulSet') {
      for (let i = 0; ; i++) {
        const name = `${group.name}-${i}`;
        if (!this.pods.has(`${group.namespace}/${name}`)) return name;
      }
    }
    for (;;) {
      const name = `${group.name}-${this.host.ids.podSuffix()}`;
      if (!this.pods.has(`${group.namespace}/${name}`)) return name;
    }
  }

  /** Selected pods of a PDB's selector in its namespace (groups matched once per group set). */
  pdbPods(pdb: PdbRecord): PodRecord[] {
    if (!pdb.matchCache || pdb.matchCache.version !== this.groupsVersion) {
      const groups = [...this.groupsInNamespace(pdb.namespace)].filter((g) => matches(pdb.selector, g.podLabels));
      pdb.matchCache = { version: this.groupsVersion, groups };
    }
    const out: PodRecord[] = [];
    for (const g of pdb.matchCache.groups) for (const p of g.pods) out.push(p);
    for (const p of this.barePodsInNamespace(pdb.namespace)) if (matches(pdb.selector, p.labels)) out.push(p);
    return out;
  }
}

/** Objects of the initial scenario look three days old, as in a cluster that has been running for a while. */
export const INITIAL_AGE_MS = 3 * 24 * 3600 * 1000;

function objectKey(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}/${name}`;
}
