/**
 * Top owners: Pod → ReplicaSet → Deployment, Pod → Job → CronJob, Pod → StatefulSet/DaemonSet. Built from the
 * ReplicaSet and Job lists (one entry per object, not per pod), so resolving 150,000 pods is a map lookup each.
 */
import type { WorkloadKind, WorkloadRef } from '../../domain/cluster/snapshot.js';
import type { Interner } from './interner.js';

const DIRECT: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob']);

export class OwnerIndex {
  /** `ns/name` of a ReplicaSet or Job → the kind and name of its controller, or null when it has none. */
  private readonly parents = new Map<string, { kind: string; name: string } | null>();

  constructor(private readonly interner: Interner) {}

  /** Records a ReplicaSet's or Job's own controller (a Deployment, a CronJob, …). */
  add(
    kind: 'ReplicaSet' | 'Job',
    namespace: string,
    name: string,
    controller: { kind?: string; name?: string } | undefined,
  ) {
    this.parents.set(
      `${kind}/${namespace}/${name}`,
      controller?.kind && controller.name ? { kind: controller.kind, name: controller.name } : null,
    );
  }

  has(kind: 'ReplicaSet' | 'Job', namespace: string, name: string): boolean {
    return this.parents.has(`${kind}/${namespace}/${name}`);
  }

  /**
   * The top-level workload of a pod, given its controller ownerReference. A pod with no controller, a mirror pod
   * (controller kind Node) or one owned by an unknown kind is its own owner (kind Pod).
   */
  topOwner(namespace: string, podName: string, controller: { kind?: string; name?: string } | undefined): WorkloadRef {
    const kind = controller?.kind;
    const name = controller?.name;
    if (!kind || !name) return this.ref('Pod', namespace, podName);
    if (DIRECT.has(kind)) return this.ref(kind as WorkloadKind, namespace, name);
    if (kind === 'ReplicaSet' || kind === 'Job') {
      const parent = this.parents.get(`${kind}/${namespace}/${name}`);
      const lifted = kind === 'ReplicaSet' ? 'Deployment' : 'CronJob';
      if (parent?.kind === lifted) return this.ref(lifted, namespace, parent.name);
      return this.ref(kind, namespace, name);
    }
    return this.ref('Pod', namespace, podName);
  }

  private ref(kind: WorkloadKind, namespace: string, name: string): WorkloadRef {
    return this.interner.intern({ kind, namespace, name });
  }
}
