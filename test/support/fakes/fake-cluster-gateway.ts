/**
 * ClusterGateway over the fake world, answering as KubeClusterGateway does against an API server
 * (src/gateways/cluster/): a pool is its nodes' label, an unknown node reads as undefined and lists nothing, patching
 * it is a CLUSTER_API 404, evictions come back as outcomes (429 blocked naming the PDB, 500 misconfigured, 404 gone),
 * the node watch replays the pool's nodes as ADDED first. Every call is recorded in `world.calls`.
 */
import type { ClusterSnapshot, NodeFacts, PodFacts, WorkloadRef } from '../../../src/domain/cluster/snapshot.js';
import type {
  ClusterGateway,
  EvictionOutcome,
  NodeWatchEvent,
  WorkloadStatus,
} from '../../../src/ports/cluster-gateway.js';
import { clusterError } from './fake-errors.js';
import { type FakeNode, type FakeWorld, runtimeString } from './fake-world.js';

const POOL_LABEL = 'alibabacloud.com/nodepool-id';

export class FakeClusterGateway implements ClusterGateway {
  constructor(readonly world: FakeWorld) {}

  async snapshotPool(poolId: string): Promise<ClusterSnapshot> {
    this.call('snapshotPool', [poolId], 'list nodes');
    const nodes = this.nodesOf(poolId);
    const names = new Set(nodes.map((n) => n.name));
    const w = this.world.workloads;
    const pods = w.all().filter((p) => p.nodeName !== undefined && names.has(p.nodeName));
    const owners = new Set(pods.map((p) => p.controller).filter((c) => c !== undefined));
    const namespaces = new Set(pods.map((p) => p.namespace));
    return {
      nodes: nodes.map(toFacts),
      pods: pods.map((p) => w.podFacts(p)),
      workloads: w.controllers.filter((c) => owners.has(c)).map((c) => w.workloadFacts(c)),
      pdbs: w.pdbs.filter((b) => namespaces.has(b.namespace)).map((b) => w.pdbFacts(b)),
    };
  }

  async listPoolNodes(poolId: string): Promise<NodeFacts[]> {
    this.call('listPoolNodes', [poolId], 'list nodes');
    return this.nodesOf(poolId).map(toFacts);
  }

  async getNode(name: string): Promise<NodeFacts | undefined> {
    this.call('getNode', [name], `get node ${name}`);
    const node = this.world.nodes.get(name);
    return node ? toFacts(node) : undefined;
  }

  async setUnschedulable(name: string, unschedulable: boolean): Promise<void> {
    const call = `${unschedulable ? 'cordon' : 'uncordon'} node ${name}`;
    this.call('setUnschedulable', [name, unschedulable], call);
    const node = this.world.nodes.get(name);
    if (!node) throw clusterError(call, 404, `nodes "${name}" not found`, 'NotFound');
    if (node.unschedulable !== unschedulable) this.world.setUnschedulable(name, unschedulable);
  }

  async listPodsOnNode(name: string): Promise<PodFacts[]> {
    this.call('listPodsOnNode', [name], `list pods on node ${name}`);
    const w = this.world.workloads;
    return w.onNode(name).map((p) => w.podFacts(p));
  }

  async evictPod(namespace: string, name: string): Promise<EvictionOutcome> {
    this.call('evictPod', [namespace, name], `evict pod ${namespace}/${name}`);
    return this.world.workloads.evict(namespace, name);
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    this.call('deletePod', [namespace, name], `delete pod ${namespace}/${name}`);
    const pod = this.world.workloads.get(namespace, name);
    if (pod) this.world.workloads.delete(pod);
  }

  async podExists(namespace: string, name: string, uid: string): Promise<boolean> {
    this.call('podExists', [namespace, name, uid], `get pod ${namespace}/${name}`);
    return this.world.workloads.get(namespace, name)?.uid === uid;
  }

  async watchPoolNodes(poolId: string, onEvent: (event: NodeWatchEvent) => void): Promise<() => void> {
    this.call('watchPoolNodes', [poolId], 'watch nodes');
    let stopped = false;
    for (const n of this.nodesOf(poolId)) onEvent({ type: 'ADDED', node: toFacts(n) });
    const off = this.world.onNodeChange((type, node) => {
      if (!stopped && node.labels[POOL_LABEL] === poolId) onEvent({ type, node: toFacts(node) });
    });
    return () => {
      stopped = true;
      off();
    };
  }

  async workloadStatus(refs: WorkloadRef[]): Promise<WorkloadStatus[]> {
    this.call('workloadStatus', [refs], 'get workloads');
    return refs.map((ref) => this.world.workloads.status(ref));
  }

  private nodesOf(poolId: string): FakeNode[] {
    return [...this.world.nodes.values()].filter((n) => n.labels[POOL_LABEL] === poolId);
  }

  private call(method: string, args: unknown[], call: string): void {
    if (this.world.record(method, args)) throw clusterError(call, 429, 'Too many requests, please try again later.');
  }
}

function toFacts(n: FakeNode): NodeFacts {
  return {
    name: n.name,
    poolId: n.labels[POOL_LABEL],
    instanceId: n.instanceId,
    internalIp: n.internalIp,
    ready: n.ready,
    unschedulable: n.unschedulable,
    runtimeVersion: runtimeString(n.runtime, n.runtimeVersion),
    labels: { ...n.labels },
  };
}
