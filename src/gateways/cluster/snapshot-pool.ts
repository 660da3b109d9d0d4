/**
 * One pool's snapshot: the pool's nodes (by label) and the pods on each of them (field selector
 * `spec.nodeName=<node>`, which the apiserver's watch cache indexes, a bounded number of nodes at a time), and beside
 * them, one list after another, the controllers needed to name top owners and the PDBs, each in the version the
 * cluster serves (api-discovery.ts).
 * Pages are trimmed as they arrive, so only what the rules need is kept; ReplicaSets, which only link pods to their
 * Deployments, are read as metadata. `full-list` pages through every pod and every whole ReplicaSet of the cluster
 * instead (the reference the pool's read is compared with). Never one call per pod.
 */
import type {
  ClusterSnapshot,
  NodeFacts,
  PdbFacts,
  WorkloadFacts,
  WorkloadKind,
  WorkloadRef,
} from '../../domain/cluster/snapshot.js';
import type { ServedApis } from './api-discovery.js';
import { httpStatusOf } from './cluster-errors.js';
import { Interner } from './interner.js';
import { WORKLOAD_PATH } from './object-paths.js';
import { OwnerIndex } from './owners.js';
import { type PendingPod, resolvePods, trimPod } from './pod-facts.js';
import { METADATA_LIST, type RawKubeClient } from './raw-client.js';
import type { RawNode, RawPdb, RawPod, RawWorkload } from './raw-types.js';
import { controllerOf, POOL_LABEL, trimNode, trimPdb, trimWorkload } from './trim.js';

const workloadPaths = (apis: ServedApis): Array<[WorkloadKind, string]> => [
  ['Deployment', '/apis/apps/v1/deployments'],
  ['StatefulSet', '/apis/apps/v1/statefulsets'],
  ['DaemonSet', '/apis/apps/v1/daemonsets'],
  ['CronJob', `/apis/batch/${apis.cronJobVersion}/cronjobs`],
];

export type PodRead = 'by-node' | 'full-list';

/** Nodes whose pods are read at the same time. */
export const NODE_READ_CONCURRENCY = 16;

export function refKey(ref: WorkloadRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/**
 * The ReplicaSets' metadata, page by page; an apiserver that will not answer metadata-only lists (406) is read in
 * full instead, before any page has been used.
 */
async function* replicaSetMetadata(raw: RawKubeClient, read: PodRead): AsyncGenerator<RawWorkload[]> {
  const path = '/apis/apps/v1/replicasets';
  if (read === 'full-list') {
    yield* raw.listPages<RawWorkload>('list replicasets', path);
    return;
  }
  let first = true;
  try {
    for await (const page of raw.listPages<RawWorkload>('list replicasets', path, {}, METADATA_LIST)) {
      first = false;
      yield page;
    }
  } catch (error) {
    if (!first || httpStatusOf(error) !== 406) throw error;
    yield* raw.listPages<RawWorkload>('list replicasets', path);
  }
}

export async function listPoolNodes(raw: RawKubeClient, poolId: string): Promise<NodeFacts[]> {
  const nodes: NodeFacts[] = [];
  const call = `list nodes of pool ${poolId}`;
  for await (const page of raw.listPages<RawNode>(call, '/api/v1/nodes', {
    labelSelector: `${POOL_LABEL}=${poolId}`,
  })) {
    for (const n of page) nodes.push(trimNode(n));
  }
  return nodes;
}

/** Whether a pod template with this nodeSelector could be scheduled on one of the nodes (taints aside). */
function fitsSomeNode(nodeSelector: Record<string, string>, nodes: NodeFacts[]): boolean {
  const entries = Object.entries(nodeSelector);
  if (entries.length === 0) return true;
  return nodes.some((n) => entries.every(([k, v]) => n.labels[k] === v));
}

/** The pods of each node through its field selector, `concurrency` nodes at a time. */
async function podsByNode(raw: RawKubeClient, nodes: NodeFacts[], interner: Interner): Promise<PendingPod[]> {
  const perNode: PendingPod[][] = nodes.map(() => []);
  let next = 0;
  const worker = async () => {
    while (next < nodes.length) {
      const i = next++;
      const name = nodes[i]!.name;
      const query = { fieldSelector: `spec.nodeName=${name}` };
      for await (const page of raw.listPages<RawPod>('list pods', '/api/v1/pods', query)) {
        for (const p of page) perNode[i]!.push(trimPod(p, interner));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(NODE_READ_CONCURRENCY, nodes.length) }, worker));
  return perNode.flat();
}

/** Every pod of the cluster, page by page, keeping those on the nodes. */
async function podsByFullList(raw: RawKubeClient, nodes: NodeFacts[], interner: Interner): Promise<PendingPod[]> {
  const pending: PendingPod[] = [];
  const names = new Set(nodes.map((n) => n.name));
  if (names.size === 0) return pending;
  for await (const page of raw.listPages<RawPod>('list pods', '/api/v1/pods')) {
    for (const p of page) {
      const node = p.spec?.nodeName;
      if (node !== undefined && names.has(node)) pending.push(trimPod(p, interner));
    }
  }
  return pending;
}

export async function snapshotPool(
  raw: RawKubeClient,
  apis: ServedApis,
  poolId: string,
  read: PodRead = 'by-node',
): Promise<ClusterSnapshot> {
  const interner = new Interner();
  const owners = new OwnerIndex(interner);
  const nodesP = listPoolNodes(raw, poolId);
  const podsP = nodesP.then((nodes) =>
    read === 'by-node' ? podsByNode(raw, nodes, interner) : podsByFullList(raw, nodes, interner),
  );

  // ReplicaSets matter only as links to their Deployment, so only their metadata is read; the rare ownerless one
  // is a workload of its own and is read whole.
  const replicaSets = async () => {
    const ownerless: Array<{ namespace: string; name: string }> = [];
    const orphans: WorkloadFacts[] = [];
    for await (const page of replicaSetMetadata(raw, read)) {
      for (const rs of page) {
        const meta = rs.metadata ?? {};
        const controller = controllerOf(meta);
        owners.add('ReplicaSet', meta.namespace ?? '', meta.name ?? '', controller);
        if (controller) continue;
        // A whole object (the full read) is trimmed at once; metadata alone is read whole below.
        if (rs.spec) orphans.push(trimWorkload('ReplicaSet', rs, interner));
        else ownerless.push({ namespace: meta.namespace ?? '', name: meta.name ?? '' });
      }
    }
    for (const { namespace, name } of ownerless) {
      const path = WORKLOAD_PATH.ReplicaSet(namespace, name);
      try {
        orphans.push(trimWorkload('ReplicaSet', await raw.getJson<RawWorkload>('get replicaset', path), interner));
      } catch (error) {
        // Deleted since the list: it owns no pod any more.
        if (httpStatusOf(error) !== 404) throw error;
      }
    }
    return orphans;
  };

  // Jobs link pods to CronJobs; a Job of its own counts while it still runs.
  const jobList = async () => {
    const jobs: Array<{ facts: WorkloadFacts; active: boolean }> = [];
    for await (const page of raw.listPages<RawWorkload>('list jobs', '/apis/batch/v1/jobs')) {
      for (const job of page) {
        const meta = job.metadata ?? {};
        const controller = controllerOf(meta);
        owners.add('Job', meta.namespace ?? '', meta.name ?? '', controller);
        if (controller?.kind !== 'CronJob')
          jobs.push({ facts: trimWorkload('Job', job, interner), active: (job.status?.active ?? 0) > 0 });
      }
    }
    return jobs;
  };

  const workloadList = async (kind: WorkloadKind, path: string) => {
    const out: WorkloadFacts[] = [];
    for await (const page of raw.listPages<RawWorkload>(`list ${kind.toLowerCase()}s`, path)) {
      for (const w of page) out.push(trimWorkload(kind, w, interner));
    }
    return out;
  };

  const pdbList = async () => {
    const out: PdbFacts[] = [];
    for await (const page of raw.listPages<RawPdb>(
      'list poddisruptionbudgets',
      `/apis/policy/${apis.pdbVersion}/poddisruptionbudgets`,
    )) {
      for (const p of page) out.push(trimPdb(p));
    }
    return out;
  };

  // The cluster-wide lists one after another, beside the pod reads: the apiserver answers them no faster at
  // once, and one list's pages in flight at a time keep the peak memory to a page or two.
  const listsP = (async () => {
    const orphanSets = await replicaSets();
    const jobs = await jobList();
    const workloadLists: WorkloadFacts[][] = [];
    for (const [kind, path] of workloadPaths(apis)) workloadLists.push(await workloadList(kind, path));
    const pdbs = await pdbList();
    return { orphanSets, jobs, workloadLists, pdbs };
  })();

  const [nodes, pending, { orphanSets, jobs, workloadLists, pdbs }] = await Promise.all([nodesP, podsP, listsP]);
  const pods = resolvePods(pending, owners);

  const owning = new Set(pods.map((p) => refKey(p.owner)));
  const namespaces = new Set(pods.map((p) => p.namespace));
  const workloads: WorkloadFacts[] = [];
  for (const w of [...workloadLists.flat(), ...orphanSets]) {
    const landsHere = w.ref.kind === 'CronJob' && fitsSomeNode(w.template.nodeSelector, nodes);
    if (owning.has(refKey(w.ref)) || landsHere) workloads.push(w);
  }
  for (const j of jobs) {
    if (owning.has(refKey(j.facts.ref)) || (j.active && fitsSomeNode(j.facts.template.nodeSelector, nodes)))
      workloads.push(j.facts);
  }
  return { nodes, pods, workloads, pdbs: pdbs.filter((p) => namespaces.has(p.namespace)) };
}
