/**
 * Our own drain, with kubectl drain's semantics (filters in src/domain/drain/): cordon
 * first, refuse a node before evicting anything if a pod may not go (a bare pod without force), evict every
 * other pod at once through the Eviction API, retry a 429 (a PDB allows no disruption now) every 5 s, wait
 * until each evicted pod is gone (404 or another uid), all within one deadline per node. Past the deadline the
 * line stops, naming the pod and the PDB that holds it: never a silent hang.
 */

import type { PodFacts } from '../domain/cluster/snapshot.js';
import { planNodeDrain } from '../domain/drain/filters.js';
import type { ClusterGateway } from '../ports/cluster-gateway.js';
import { stepFailed } from './pipeline/step-failure.js';

export interface DrainSettings {
  timeoutMs: number;
  evictRetryMs: number;
  deletePollMs: number;
  /** Delete bare pods (kubectl --force). */
  force: boolean;
}

export interface DrainDeps {
  cluster: ClusterGateway;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Called between attempts: throws to stop (worker shutdown). */
  checkpoint: () => void;
}

export interface NodeDrainResult {
  node: string;
  evicted: number;
  ignored: number;
  warnings: string[];
}

export async function cordonNodes(cluster: ClusterGateway, nodes: readonly string[]): Promise<void> {
  for (const node of nodes) await cluster.setUnschedulable(node, true);
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

export async function drainNode(deps: DrainDeps, node: string, settings: DrainSettings): Promise<NodeDrainResult> {
  const pods = await deps.cluster.listPodsOnNode(node);
  const plan = planNodeDrain(pods, { force: settings.force });
  if (plan.refusals.length > 0) throw stepFailed(`cannot drain ${node}: ${plan.refusals.join('; ')}`, node);
  const deadline = deps.now().getTime() + settings.timeoutMs;
  let stop = false;
  const pastDeadline = () => deps.now().getTime() >= deadline;

  const waitGone = async (pod: PodFacts) => {
    while (await deps.cluster.podExists(pod.namespace, pod.name, pod.uid)) {
      if (stop) return;
      if (pastDeadline())
        throw stepFailed(
          `drain of ${node} timed out after ${minutes(settings.timeoutMs)}: pod ${pod.namespace}/${pod.name} did not terminate`,
          node,
        );
      deps.checkpoint();
      await deps.sleep(settings.deletePollMs);
    }
  };

  const evict = async (pod: PodFacts) => {
    for (;;) {
      if (stop) return;
      deps.checkpoint();
      const outcome = await deps.cluster.evictPod(pod.namespace, pod.name);
      if (outcome.status === 'evicted') return waitGone(pod);
      if (outcome.status === 'gone') return;
      if (outcome.status === 'misconfigured')
        throw stepFailed(`cannot evict ${pod.namespace}/${pod.name} from ${node}: ${outcome.reason}`, node);
      if (pastDeadline()) {
        const pdb = outcome.pdb ? `PodDisruptionBudget ${pod.namespace}/${outcome.pdb}` : 'a PodDisruptionBudget';
        throw stepFailed(
          `drain of ${node} blocked for ${minutes(settings.timeoutMs)}: ${pdb} allows no disruption of pod ${pod.namespace}/${pod.name} (${outcome.reason})`,
          node,
        );
      }
      await deps.sleep(settings.evictRetryMs);
    }
  };

  const results = await Promise.allSettled(
    plan.evict.map((pod) =>
      evict(pod).catch((error) => {
        stop = true;
        throw error;
      }),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { node, evicted: plan.evict.length, ignored: plan.ignored.length, warnings: plan.warnings };
}
