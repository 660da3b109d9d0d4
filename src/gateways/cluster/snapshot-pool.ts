/**
 * One pool's snapshot from a handful of paginated lists, all in flight at once: the pool's nodes (by label), every
 * pod (filtered to those nodes as the pages arrive), the controllers needed to name top owners, and the PDBs.
 * Never one call per pod or per node.
 */
import type {
  ClusterSnapshot,
  NodeFacts,
  PdbFacts,
  WorkloadFacts,
  WorkloadKind,
  WorkloadRef,
} from '../../domain/cluster/snapshot.js';
import { OwnerIndex } from './owners.js';
import { type PendingPod, resolvePods, trimPod } from './pod-facts.js';
import type { RawKubeClient } from './raw-client.js';
import type { RawNode, RawPdb, RawPod, RawWorkload } from './raw-types.js';
import { controllerOf, Interner, POOL_LABEL, trimNode, trimPdb, trimWorkload } from './trim.js';

const WORKLOAD_PATHS: Array<[WorkloadKind, string]> = [
  ['Deployment', '/apis/apps/v1/deployments'],
  ['StatefulSet', '/apis/apps/v1/statefulsets'],
  ['DaemonSet', '/apis/apps/v1/daemonsets'],
  ['CronJob', '/apis/batch/v1/cronjobs'],
];

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

export async function snapshotPool(raw: RawKubeClient, poolId: string): Promise<ClusterSnapshot> {
  const interner = new Interner();
  const owners = new OwnerIndex(interner);
  const nodesP = listPoolNodes(raw, poolId);

  const podsP = (async () => {
    const pending: PendingPod[] = [];
    let names: Set<string> | undefined;
    for await (const page of raw.listPages<RawPod>('list pods', '/api/v1/pods')) {
      names ??= new Set((await nodesP).map((n) => n.name));
      if (names.size === 0) break;
      for (const p of page) {
        const node = p.spec?.nodeName;
        if (node !== undefined && names.has(node)) pending.push(trimPod(p, interner));
      }
    }
    return pending;
  })();

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
    WORKLOAD_PATHS.map(async ([kind, path]) => {
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
      '/apis/policy/v1/poddisruptionbudgets',
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
