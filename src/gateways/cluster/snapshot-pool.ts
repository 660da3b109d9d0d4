/**
 * One pool's snapshot, all reads in flight at once: the pool's nodes (by label), the pods on each of them (field
 * selector `spec.nodeName=<node>`, which the apiserver's watch cache indexes, a bounded number of nodes at a time),
 * the controllers needed to name top owners, and the PDBs, each in the version the cluster serves (api-discovery.ts).
 * Pages are trimmed as they arrive, so only what the rules need is kept. `pods: 'full-list'` pages through every
 * pod of the cluster instead (the reference the by-node read is compared with). Never one call per pod.
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
import { OwnerIndex } from './owners.js';
import { type PendingPod, resolvePods, trimPod } from './pod-facts.js';
import type { RawKubeClient } from './raw-client.js';
import type { RawNode, RawPdb, RawPod, RawWorkload } from './raw-types.js';
import { controllerOf, Interner, POOL_LABEL, trimNode, trimPdb, trimWorkload } from './trim.js';

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

  // ReplicaSets matter only as links to their Deployment; ownerless ones are workloads of their own.
  const orphanSetsP = (async () => {
    const orphans: WorkloadFacts[] = [];
    for await (const page of raw.listPages<RawWorkload>('list replicasets', '/apis/apps/v1/replicasets')) {
      for (const rs of page) {
        const meta = rs.metadata ?? {};
        const controller = controllerOf(meta);
        owners.add('ReplicaSet', meta.namespace ?? '', meta.name ?? '', controller);
        if (!controller) orphans.push(trimWorkload('ReplicaSet', rs, interner));
      }
    }
    return orphans;
  })();

  // Jobs link pods to CronJobs; a Job of its own counts while it still runs.
  const jobsP = (async () => {
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
  })();

  const workloadsP = Promise.all(
    workloadPaths(apis).map(async ([kind, path]) => {
      const out: WorkloadFacts[] = [];
      for await (const page of raw.listPages<RawWorkload>(`list ${kind.toLowerCase()}s`, path)) {
        for (const w of page) out.push(trimWorkload(kind, w, interner));
      }
      return out;
    }),
  );

  const pdbsP = (async () => {
    const out: PdbFacts[] = [];
    for await (const page of raw.listPages<RawPdb>(
      'list poddisruptionbudgets',
      `/apis/policy/${apis.pdbVersion}/poddisruptionbudgets`,
    )) {
      for (const p of page) out.push(trimPdb(p));
    }
    return out;
  })();

  const [nodes, pending, orphanSets, jobs, workloadLists, pdbs] = await Promise.all([
    nodesP,
    podsP,
    orphanSetsP,
    jobsP,
    workloadsP,
    pdbsP,
  ]);
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
