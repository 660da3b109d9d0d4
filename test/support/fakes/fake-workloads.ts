/**
 * The Kubernetes objects of the fake world: Deployments, StatefulSets and DaemonSets that keep their pods (a
 * deleted or evicted pod is replaced at the next tick and scheduled on a Ready, schedulable node its nodeSelector
 * matches), bare pods, and PodDisruptionBudgets whose status is computed live the way the disruption controller does
 * (src/sandbox/world/pdb.ts and eviction.ts are the reference). Plain data; the world drives it.
 */
import type {
  LabelSelector,
  PdbFacts,
  PodFacts,
  PodTemplate,
  WorkloadFacts,
  WorkloadRef,
} from '../../../src/domain/cluster/snapshot.js';
import type { EvictionOutcome, WorkloadStatus } from '../../../src/ports/cluster-gateway.js';
import { template } from '../snapshot-builders.js';

export interface ControllerSpec {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
  /** Deployments and StatefulSets (default 1); a DaemonSet runs one pod per matching node. */
  replicas?: number;
  /** The pods' labels, also the selector (default `{ app: <name> }`). */
  labels?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  template?: Partial<PodTemplate>;
}

export interface BarePodSpec {
  namespace: string;
  name: string;
  node: string;
  labels?: Record<string, string>;
  template?: Partial<PodTemplate>;
}

export interface PdbSpec {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

export interface Controller {
  kind: ControllerSpec['kind'];
  namespace: string;
  name: string;
  replicas: number;
  labels: Record<string, string>;
  template: PodTemplate;
}

export interface FakePod {
  namespace: string;
  name: string;
  uid: string;
  nodeName: string | undefined;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  labels: Record<string, string>;
  controller: Controller | undefined;
  template: PodTemplate;
}

/** What the workloads need to know of a node. */
export interface NodeView {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  labels: Record<string, string>;
}

export const WOULD_VIOLATE = "Cannot evict pod as it would violate the pod's disruption budget.";
export const TOO_MANY_PDBS =
  'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(value);
}

export class FakeWorkloads {
  readonly controllers: Controller[] = [];
  readonly pdbs: PdbSpec[] = [];
  private pods: FakePod[] = [];
  private serial = 0;

  constructor(
    private readonly nodes: () => NodeView[],
    private readonly uid: () => string,
  ) {}

  addController(spec: ControllerSpec): void {
    const labels = spec.labels ?? { app: spec.name };
    this.controllers.push({
      kind: spec.kind,
      namespace: spec.namespace,
      name: spec.name,
      replicas: spec.replicas ?? 1,
      labels,
      template: template({ nodeSelector: spec.nodeSelector ?? {}, ...spec.template }),
    });
  }

  addBarePod(spec: BarePodSpec): void {
    this.pods.push({
      namespace: spec.namespace,
      name: spec.name,
      uid: this.uid(),
      nodeName: spec.node,
      phase: 'Running',
      labels: spec.labels ?? { run: spec.name },
      controller: undefined,
      template: template(spec.template),
    });
  }

  addPdb(spec: PdbSpec): void {
    this.pdbs.push(spec);
  }

  all(): FakePod[] {
    return this.pods;
  }

  get(namespace: string, name: string): FakePod | undefined {
    return this.pods.find((p) => p.namespace === namespace && p.name === name);
  }

  onNode(node: string): FakePod[] {
    return this.pods.filter((p) => p.nodeName === node);
  }

  delete(pod: FakePod): void {
    this.pods = this.pods.filter((p) => p !== pod);
  }

  /** A node went away: its pods go with it (their controllers put them elsewhere). */
  nodeRemoved(node: string): void {
    this.pods = this.pods.filter((p) => p.nodeName !== node);
  }

  podReady(pod: FakePod): boolean {
    return pod.phase === 'Running' && this.nodes().find((n) => n.name === pod.nodeName)?.ready === true;
  }

  /** One pass of the controllers and the scheduler: missing pods created, pending pods placed and started. */
  reconcile(): void {
    const nodes = this.nodes();
    for (const c of this.controllers) {
      const mine = this.pods.filter((p) => p.controller === c);
      if (c.kind === 'DaemonSet') {
        for (const n of nodes.filter((x) => matches(c.template.nodeSelector, x.labels))) {
          if (!mine.some((p) => p.nodeName === n.name))
            this.pods.push(this.newPod(c, `${c.name}${this.suffix()}`, n.name));
        }
        continue;
      }
      if (c.kind === 'StatefulSet') {
        for (let i = 0; i < c.replicas; i++) {
          if (!mine.some((p) => p.name === `${c.name}-${i}`)) this.pods.push(this.newPod(c, `${c.name}-${i}`));
        }
        continue;
      }
      for (let i = mine.length; i < c.replicas; i++) this.pods.push(this.newPod(c, `${c.name}-7d4b9c${this.suffix()}`));
    }
    for (const pod of this.pods.filter((p) => p.nodeName === undefined)) {
      const fit = nodes
        .filter((n) => n.ready && !n.unschedulable && matches(pod.template.nodeSelector, n.labels))
        .sort((a, b) => this.onNode(a.name).length - this.onNode(b.name).length || a.name.localeCompare(b.name))[0];
      if (fit) {
        pod.nodeName = fit.name;
        pod.phase = 'Running';
      }
    }
  }

  pdbsFor(pod: FakePod): PdbSpec[] {
    return this.pdbs.filter((b) => b.namespace === pod.namespace && matches(b.selector, pod.labels));
  }

  pdbStatus(pdb: PdbSpec): Pick<PdbFacts, 'disruptionsAllowed' | 'currentHealthy' | 'desiredHealthy' | 'expectedPods'> {
    const pods = this.pods.filter(
      (p) => p.namespace === pdb.namespace && matches(pdb.selector, p.labels) && p.phase !== 'Succeeded',
    );
    const byControllers = () => {
      const seen = new Set<Controller>();
      let total = 0;
      for (const p of pods) {
        if (!p.controller) total += 1;
        else if (!seen.has(p.controller)) {
          seen.add(p.controller);
          total += p.controller.replicas;
        }
      }
      return total;
    };
    let expectedPods: number;
    let desiredHealthy: number;
    if (pdb.maxUnavailable !== undefined) {
      expectedPods = byControllers();
      desiredHealthy = Math.max(0, expectedPods - scaled(pdb.maxUnavailable, expectedPods));
    } else if (typeof pdb.minAvailable === 'string') {
      expectedPods = byControllers();
      desiredHealthy = scaled(pdb.minAvailable, expectedPods);
    } else {
      expectedPods = pods.length;
      desiredHealthy = pdb.minAvailable ?? 1;
    }
    const currentHealthy = pods.filter((p) => this.podReady(p)).length;
    const disruptionsAllowed = expectedPods <= 0 ? 0 : Math.max(0, currentHealthy - desiredHealthy);
    return { disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods };
  }

  /** policy/v1 Eviction as the API server answers it (404 gone, 500 two PDBs, 429 no disruption left). */
  evict(namespace: string, name: string): EvictionOutcome {
    const pod = this.get(namespace, name);
    if (!pod) return { status: 'gone' };
    const pdbs = pod.phase === 'Running' ? this.pdbsFor(pod) : [];
    if (pdbs.length > 1) return { status: 'misconfigured', reason: TOO_MANY_PDBS };
    const pdb = pdbs[0];
    if (pdb) {
      const s = this.pdbStatus(pdb);
      const unhealthyMayGo = !this.podReady(pod) && s.currentHealthy >= s.desiredHealthy && s.desiredHealthy > 0;
      if (!unhealthyMayGo && s.disruptionsAllowed <= 0) {
        const cause = `The disruption budget ${pdb.name} needs ${s.desiredHealthy} healthy pods and has ${s.currentHealthy} currently`;
        return { status: 'blocked', reason: `${WOULD_VIOLATE}: ${cause}`, pdb: pdb.name };
      }
    }
    this.delete(pod);
    return { status: 'evicted' };
  }

  refOf(pod: FakePod): WorkloadRef {
    const c = pod.controller;
    return c
      ? { kind: c.kind, namespace: c.namespace, name: c.name }
      : { kind: 'Pod', namespace: pod.namespace, name: pod.name };
  }

  podFacts(pod: FakePod): PodFacts {
    const kind = pod.controller?.kind;
    return structuredClone({
      namespace: pod.namespace,
      name: pod.name,
      uid: pod.uid,
      nodeName: pod.nodeName,
      phase: pod.phase,
      ready: this.podReady(pod),
      labels: pod.labels,
      owner: this.refOf(pod),
      controllerKind: kind === 'Deployment' ? 'ReplicaSet' : kind,
      mirror: false,
      spec: pod.template,
    });
  }

  workloadFacts(c: Controller): WorkloadFacts {
    const ready = this.pods.filter((p) => p.controller === c && this.podReady(p)).length;
    const selector: LabelSelector = { matchLabels: { ...c.labels } };
    return structuredClone({
      ref: { kind: c.kind, namespace: c.namespace, name: c.name },
      replicas: c.kind === 'DaemonSet' ? undefined : c.replicas,
      readyReplicas: c.kind === 'DaemonSet' ? undefined : ready,
      selector,
      template: c.template,
    });
  }

  pdbFacts(pdb: PdbSpec): PdbFacts {
    return {
      namespace: pdb.namespace,
      name: pdb.name,
      selector: { matchLabels: { ...pdb.selector } },
      minAvailable: pdb.minAvailable,
      maxUnavailable: pdb.maxUnavailable,
      ...this.pdbStatus(pdb),
    };
  }

  /** Desired vs ready, as KubeClusterGateway.workloadStatus reads them; an unknown workload wants nothing. */
  status(ref: WorkloadRef): WorkloadStatus {
    if (ref.kind === 'Pod') {
      const pod = this.get(ref.namespace, ref.name);
      return { ref, desired: pod ? 1 : 0, ready: pod && this.podReady(pod) ? 1 : 0 };
    }
    const c = this.controllers.find((x) => x.kind === ref.kind && x.namespace === ref.namespace && x.name === ref.name);
    if (!c) return { ref, desired: 0, ready: 0 };
    const mine = this.pods.filter((p) => p.controller === c);
    const ready = mine.filter((p) => this.podReady(p)).length;
    if (c.kind !== 'DaemonSet') return { ref, desired: c.replicas, ready };
    const desired = this.nodes().filter((n) => matches(c.template.nodeSelector, n.labels)).length;
    return { ref, desired, ready };
  }

  private newPod(c: Controller, name: string, nodeName?: string): FakePod {
    return {
      namespace: c.namespace,
      name,
      uid: this.uid(),
      nodeName,
      phase: nodeName ? 'Running' : 'Pending',
      labels: { ...c.labels },
      controller: c,
      template: c.template,
    };
  }

  private suffix(): string {
    this.serial++;
    return `-${(this.serial * 7919).toString(36).padStart(5, 'x').slice(-5)}`;
  }
}
