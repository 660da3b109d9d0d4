/**
 * ClusterGateway over @kubernetes/client-node 1.4. Reads go through RawKubeClient (paginated plain JSON, see its
 * header for why); writes, evictions and the node watch go through client-node's typed API. What the cluster
 * serves (the PDB and CronJob versions, the Eviction body version) is discovered once per gateway, i.e. per
 * cluster (api-discovery.ts), so 1.20, 1.21 and 1.22 clusters are read and drained in their own versions.
 */
import { ApiException, CoreV1Api, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { ClusterSnapshot, NodeFacts, PodFacts, WorkloadRef } from '../../domain/cluster/snapshot.js';
import type { ClusterGateway, EvictionOutcome, NodeWatchEvent, WorkloadStatus } from '../../ports/cluster-gateway.js';
import { ApiDiscovery } from './api-discovery.js';
import { clusterApiError, parseStatus } from './cluster-errors.js';
import { Interner } from './interner.js';
import { watchPoolNodes } from './node-watch.js';
import { enc, WORKLOAD_PATH, workloadPath } from './object-paths.js';
import { OwnerIndex } from './owners.js';
import { resolvePods, trimPod } from './pod-facts.js';
import { RawKubeClient } from './raw-client.js';
import type { RawNode, RawPod, RawWorkload } from './raw-types.js';
import { listPoolNodes, type PodRead, snapshotPool } from './snapshot-pool.js';
import { controllerOf, isConditionTrue, trimNode } from './trim.js';

export interface KubeClusterGatewayOptions {
  /** First delay before a dropped node watch reconnects (ms). */
  watchRetryMs?: number;
  /** Server-side lifetime of one watch stream (s, default 300): a fresh stream resumes where the last one ended. */
  watchTimeoutSeconds?: number;
  /** How snapshotPool reads the pool's pods (default `by-node`; `full-list` pages through every pod). */
  podRead?: PodRead;
}

function is404(error: unknown): boolean {
  return (
    (error instanceof ApiException && error.code === 404) ||
    (error as { details?: { status?: unknown } })?.details?.status === 404
  );
}

/** Desired vs ready for one workload object, by kind. */
function countsOf(kind: WorkloadRef['kind'], obj: RawWorkload & RawPod): { desired: number; ready: number } {
  const status = obj.status as RawWorkload['status'] & RawPod['status'];
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return { desired: obj.spec?.replicas ?? 1, ready: status?.readyReplicas ?? 0 };
    case 'DaemonSet':
      return { desired: status?.desiredNumberScheduled ?? 0, ready: status?.numberReady ?? 0 };
    case 'Job':
      return { desired: obj.spec?.parallelism ?? 1, ready: status?.ready ?? status?.active ?? 0 };
    case 'CronJob':
      return { desired: 0, ready: 0 };
    case 'Pod':
      return { desired: 1, ready: isConditionTrue(status?.conditions, 'Ready') ? 1 : 0 };
  }
}

export class KubeClusterGateway implements ClusterGateway {
  private readonly raw: RawKubeClient;
  private readonly core: CoreV1Api;
  /** Typed calls (writes, watch connections) per kind; reads are counted by the raw client. */
  private readonly counts = new Map<string, number>();
  /** ReplicaSet/Job → controller links learnt by listPodsOnNode; ownership of a named object never changes. */
  private readonly owners = new OwnerIndex(new Interner());
  private readonly discovery: ApiDiscovery;

  constructor(
    private readonly kc: KubeConfig,
    private readonly options: KubeClusterGatewayOptions = {},
  ) {
    this.raw = new RawKubeClient(kc);
    this.discovery = new ApiDiscovery(this.raw);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  /** Kubernetes API requests per kind (`list pods`, `patch nodes`, `create pods/eviction` …) since construction. */
  stats(): { calls: Record<string, number> } {
    const calls: Record<string, number> = Object.fromEntries(this.raw.counts);
    for (const [k, n] of this.counts) calls[k] = (calls[k] ?? 0) + n;
    return { calls };
  }

  private count(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  async snapshotPool(poolId: string): Promise<ClusterSnapshot> {
    return snapshotPool(this.raw, await this.discovery.get(), poolId, this.options.podRead);
  }

  listPoolNodes(poolId: string): Promise<NodeFacts[]> {
    return listPoolNodes(this.raw, poolId);
  }

  async getNode(name: string): Promise<NodeFacts | undefined> {
    try {
      return trimNode(await this.raw.getJson<RawNode>(`get node ${name}`, `/api/v1/nodes/${enc(name)}`));
    } catch (error) {
      if (is404(error)) return undefined;
      throw error;
    }
  }

  async setUnschedulable(name: string, unschedulable: boolean): Promise<void> {
    // What kubectl cordon/uncordon send: the field is omitempty, so uncordon clears it with null.
    const body = { spec: { unschedulable: unschedulable ? true : null } };
    this.count('patch nodes');
    try {
      await this.core.patchNode({ name, body }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
    } catch (error) {
      throw clusterApiError(`${unschedulable ? 'cordon' : 'uncordon'} node ${name}`, error, this.raw.server);
    }
  }

  async listPodsOnNode(name: string): Promise<PodFacts[]> {
    const interner = new Interner();
    const pending = [];
    const query = { fieldSelector: `spec.nodeName=${name}` };
    for await (const page of this.raw.listPages<RawPod>(`list pods on node ${name}`, '/api/v1/pods', query)) {
      for (const p of page) pending.push(trimPod(p, interner));
    }
    // Look up each ReplicaSet/Job once (not per pod) to name the Deployment/CronJob above it.
    const missing = new Map<string, { kind: 'ReplicaSet' | 'Job'; ns: string; name: string }>();
    for (const p of pending) {
      const kind = p.facts.controllerKind;
      if ((kind === 'ReplicaSet' || kind === 'Job') && p.controllerName) {
        if (!this.owners.has(kind, p.facts.namespace, p.controllerName))
          missing.set(`${kind}/${p.facts.namespace}/${p.controllerName}`, {
            kind,
            ns: p.facts.namespace,
            name: p.controllerName,
          });
      }
    }
    await Promise.all(
      [...missing.values()].map(async ({ kind, ns, name: n }) => {
        try {
          const obj = await this.raw.getJson<RawWorkload>(`get ${kind} ${ns}/${n}`, WORKLOAD_PATH[kind](ns, n));
          this.owners.add(kind, ns, n, controllerOf(obj.metadata ?? {}));
        } catch (error) {
          if (!is404(error)) throw error;
        }
      }),
    );
    return resolvePods(pending, this.owners);
  }

  async evictPod(namespace: string, name: string): Promise<EvictionOutcome> {
    const { evictionVersion } = await this.discovery.get();
    this.count('create pods/eviction');
    try {
      // client-node's V1Eviction type; the body's apiVersion is the one the cluster's pods/eviction takes.
      await this.core.createNamespacedPodEviction({
        name,
        namespace,
        body: { apiVersion: `policy/${evictionVersion}`, kind: 'Eviction', metadata: { name, namespace } },
      });
      return { status: 'evicted' };
    } catch (error) {
      if (error instanceof ApiException) {
        const status = parseStatus(error.body);
        const causes = (status?.details?.causes ?? []).map((c) => c.message ?? '').filter(Boolean);
        const reason = [status?.message, ...causes].filter(Boolean).join(': ') || `HTTP ${error.code}`;
        if (error.code === 404) return { status: 'gone' };
        if (error.code === 429) {
          const pdb = /disruption budget (\S+)/i.exec(causes.join(' ') || (status?.message ?? ''))?.[1];
          return pdb ? { status: 'blocked', reason, pdb } : { status: 'blocked', reason };
        }
        if (error.code === 500 && /disruption ?budget/i.test(reason)) return { status: 'misconfigured', reason };
      }
      throw clusterApiError(`evict pod ${namespace}/${name}`, error, this.raw.server);
    }
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    this.count('delete pods');
    try {
      await this.core.deleteNamespacedPod({ name, namespace });
    } catch (error) {
      if (is404(error)) return;
      throw clusterApiError(`delete pod ${namespace}/${name}`, error, this.raw.server);
    }
  }

  async podExists(namespace: string, name: string, uid: string): Promise<boolean> {
    try {
      const pod = await this.raw.getJson<RawPod>(`get pod ${namespace}/${name}`, WORKLOAD_PATH.Pod(namespace, name));
      return pod.metadata?.uid === uid;
    } catch (error) {
      if (is404(error)) return false;
      throw error;
    }
  }

  watchPoolNodes(poolId: string, onEvent: (event: NodeWatchEvent) => void): Promise<() => void> {
    return watchPoolNodes(this.kc, poolId, onEvent, {
      retryMs: this.options.watchRetryMs,
      timeoutSeconds: this.options.watchTimeoutSeconds,
      onConnect: () => this.count('watch nodes'),
    });
  }

  async workloadStatus(refs: WorkloadRef[]): Promise<WorkloadStatus[]> {
    const apis = refs.some((r) => r.kind === 'CronJob') ? await this.discovery.get() : undefined;
    return await Promise.all(
      refs.map(async (ref) => {
        try {
          const obj = await this.raw.getJson<RawWorkload & RawPod>(
            `get ${ref.kind} ${ref.namespace}/${ref.name}`,
            workloadPath(apis, ref.kind)(ref.namespace, ref.name),
          );
          return { ref, ...countsOf(ref.kind, obj) };
        } catch (error) {
          // A workload deleted meanwhile wants nothing back.
          if (is404(error)) return { ref, desired: 0, ready: 0 };
          throw error;
        }
      }),
    );
  }

  /** Closes the keep-alive connections of the read path. */
  close(): void {
    this.raw.close();
  }
}
