/**
 * Stored objects (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, PDBs, Namespaces,
 * Services, …) with their status filled in live from the world's pods, as the controllers would report it.
 */
import type { KubeObject } from '../scenario/types.js';
import type { PodGroup, World } from '../world/index.js';
import { isoTime } from './serialize.js';

function counts(world: World, group: PodGroup | undefined): { total: number; ready: number } {
  let total = 0;
  let ready = 0;
  for (const p of group?.pods ?? []) {
    total++;
    if (world.podReady(p)) ready++;
  }
  return { total, ready };
}

function replicasOf(object: KubeObject): number {
  const r = object.spec?.['replicas'];
  return typeof r === 'number' ? r : 1;
}

export function statusOf(world: World, object: KubeObject): Record<string, unknown> | undefined {
  const w = world.workloads;
  const ns = object.metadata.namespace ?? 'default';
  const uid = object.metadata['uid'] as string;
  switch (object.kind) {
    case 'Deployment': {
      const { total, ready } = counts(world, w.groupOwnedBy(uid));
      const desired = replicasOf(object);
      const now = isoTime(world.clock.now());
      return {
        observedGeneration: 1,
        replicas: total,
        updatedReplicas: total,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(desired > ready ? { unavailableReplicas: desired - ready } : {}),
        conditions: [
          {
            type: 'Available',
            status: ready >= desired - Math.floor(desired / 4) ? 'True' : 'False',
            lastUpdateTime: now,
            lastTransitionTime: now,
            reason: ready >= desired ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message:
              ready >= desired
                ? 'Deployment has minimum availability.'
                : 'Deployment does not have minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            lastUpdateTime: now,
            lastTransitionTime: object.metadata['creationTimestamp'],
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${w.groupOwnedBy(uid)?.name ?? object.metadata.name}" has successfully progressed.`,
          },
        ],
      };
    }
    case 'ReplicaSet': {
      const { total, ready } = counts(world, w.groupOf('ReplicaSet', ns, object.metadata.name));
      return {
        replicas: total,
        fullyLabeledReplicas: total,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: 1,
      };
    }
    case 'StatefulSet': {
      const group = w.groupOf('StatefulSet', ns, object.metadata.name);
      const { total, ready } = counts(world, group);
      const revision = group?.podLabels['controller-revision-hash'];
      return {
        observedGeneration: 1,
        replicas: total,
        readyReplicas: ready,
        currentReplicas: total,
        updatedReplicas: total,
        availableReplicas: ready,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      };
    }
    case 'DaemonSet': {
      const group = w.groupOf('DaemonSet', ns, object.metadata.name);
      const { total, ready } = counts(world, group);
      const desired = group ? w.desired(group) : 0;
      return {
        currentNumberScheduled: total,
        desiredNumberScheduled: desired,
        numberAvailable: ready,
        numberMisscheduled: 0,
        numberReady: ready,
        observedGeneration: 1,
        updatedNumberScheduled: total,
        ...(desired > ready ? { numberUnavailable: desired - ready } : {}),
      };
    }
    case 'Job': {
      const { total } = counts(world, w.groupOf('Job', ns, object.metadata.name));
      return { active: total, startTime: object.metadata['creationTimestamp'] };
    }
    case 'CronJob':
      return {};
    case 'PodDisruptionBudget': {
      const pdb = w.pdbs.get(`${ns}/${object.metadata.name}`);
      if (!pdb) return undefined;
      const s = world.pdbStatus(pdb);
      return {
        observedGeneration: 1,
        disruptionsAllowed: s.disruptionsAllowed,
        currentHealthy: s.currentHealthy,
        desiredHealthy: s.desiredHealthy,
        expectedPods: s.expectedPods,
        conditions: [
          {
            type: 'DisruptionAllowed',
            status: s.disruptionsAllowed > 0 ? 'True' : 'False',
            reason: s.disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods',
            message: '',
            observedGeneration: 1,
            lastTransitionTime: object.metadata['creationTimestamp'],
          },
        ],
      };
    }
    case 'Namespace':
      return { phase: 'Active' };
    default:
      return undefined;
  }
}

/** The object as a GET returns it: stored fields plus live status. */
export function withStatus(world: World, object: KubeObject): KubeObject {
  const status = statusOf(world, object);
  return status === undefined ? object : { ...object, status };
}
