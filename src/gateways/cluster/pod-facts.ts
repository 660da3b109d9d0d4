/** Raw pods → PodFacts, keeping only pods on a given set of nodes and sharing what pods have in common. */
import type { PodFacts } from '../../domain/cluster/snapshot.js';
import type { Interner } from './interner.js';
import type { OwnerIndex } from './owners.js';
import type { RawPod } from './raw-types.js';
import { controllerOf, isConditionTrue, MIRROR_ANNOTATION, trimLabels, trimPodSpec } from './trim.js';

/** A pod whose top owner is resolved later, once the ReplicaSet and Job lists are in. */
export interface PendingPod {
  facts: Omit<PodFacts, 'owner'> & { owner?: PodFacts['owner'] };
  controllerName: string | undefined;
}

export function trimPod(raw: RawPod, interner: Interner): PendingPod {
  const meta = raw.metadata ?? {};
  const controller = controllerOf(meta);
  return {
    facts: {
      namespace: meta.namespace ?? '',
      name: meta.name ?? '',
      uid: meta.uid ?? '',
      nodeName: raw.spec?.nodeName,
      phase: raw.status?.phase ?? 'Unknown',
      ready: isConditionTrue(raw.status?.conditions, 'Ready'),
      labels: trimLabels(meta.labels, interner),
      controllerKind: controller?.kind,
      mirror: meta.annotations?.[MIRROR_ANNOTATION] !== undefined,
      spec: trimPodSpec(raw.spec, interner),
    },
    controllerName: controller?.name,
  };
}

export function resolvePods(pending: PendingPod[], owners: OwnerIndex): PodFacts[] {
  const out: PodFacts[] = new Array(pending.length);
  for (let i = 0; i < pending.length; i++) {
    const p = pending[i]!;
    const f = p.facts;
    f.owner = owners.topOwner(f.namespace, f.name, { kind: f.controllerKind, name: p.controllerName });
    out[i] = f as PodFacts;
  }
  return out;
}
