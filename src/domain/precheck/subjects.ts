/**
 * The precheck scans "subjects": one per top-level workload (Deployment, StatefulSet, DaemonSet, Job, CronJob,
 * an owner-less ReplicaSet, a bare Pod). A workload's template is what its pods are recreated from after the
 * drain, so it is the truth for them (as in kubectl-dds); a pod's own spec is scanned only when its owner has no
 * template in the snapshot (bare pods, an owner-less ReplicaSet) or when it carries ephemeral containers, which
 * exist only on pods. Host paths and containers are deduplicated per subject, so 150,000 pods scan quickly.
 */

import { podsOnPool } from '../cluster/pool-index.js';
import type {
  ClusterSnapshot,
  ContainerSpec,
  PodFacts,
  PodTemplate,
  WorkloadFacts,
  WorkloadRef,
} from '../cluster/snapshot.js';
import { WorkloadIndex } from '../cluster/workload-index.js';
import { normaliseHostPath } from './host-paths.js';

export type ContainerSection = 'container' | 'init container' | 'ephemeral container';

export interface ScannedContainer {
  section: ContainerSection;
  spec: ContainerSpec;
}

export interface ScannedHostPath {
  /** As written in the spec (first seen). */
  path: string;
  normal: string;
  volume: string;
  /** Some container mounts it without readOnly. */
  writable: boolean;
}

export interface Subject {
  ref: WorkloadRef;
  workload: WorkloadFacts | undefined;
  /** Its pods on the pool (all phases). */
  pods: PodFacts[];
  /** Pods on the pool with an emptyDir volume. */
  podsWithEmptyDir: number;
  hostPaths: ScannedHostPath[];
  containers: ScannedContainer[];
}

interface Accumulator {
  subject: Subject;
  paths: Map<string, ScannedHostPath>;
  containerKeys: Set<string>;
  seenSpecs: Set<PodTemplate>;
}

const cache = new WeakMap<ClusterSnapshot, Subject[]>();

/** Subjects sorted by kind, namespace and name. */
export function scanSubjects(snapshot: ClusterSnapshot): Subject[] {
  const cached = cache.get(snapshot);
  if (cached) return cached;
  const index = new WorkloadIndex();
  const accumulators: Accumulator[] = [];
  const get = (ref: WorkloadRef): Accumulator => {
    const id = index.add(ref);
    if (id === accumulators.length) {
      const subject: Subject = {
        ref,
        workload: undefined,
        pods: [],
        podsWithEmptyDir: 0,
        hostPaths: [],
        containers: [],
      };
      accumulators.push({ subject, paths: new Map(), containerKeys: new Set(), seenSpecs: new Set() });
    }
    return accumulators[id]!;
  };
  for (const workload of snapshot.workloads) {
    const acc = get(workload.ref);
    acc.subject.workload = workload;
    scanSpec(acc, workload.template);
  }
  for (const pod of podsOnPool(snapshot)) {
    const acc = get(pod.owner);
    acc.subject.pods.push(pod);
    if (pod.spec.volumes.some((v) => v.emptyDir)) acc.subject.podsWithEmptyDir += 1;
    if (!acc.subject.workload || pod.spec.ephemeralContainers.length > 0) scanSpec(acc, pod.spec);
  }
  const subjects = index.sortedIds().map((id) => {
    const acc = accumulators[id]!;
    acc.subject.hostPaths = [...acc.paths.values()];
    return acc.subject;
  });
  cache.set(snapshot, subjects);
  return subjects;
}

function scanSpec(acc: Accumulator, spec: PodTemplate): void {
  if (acc.seenSpecs.has(spec)) return;
  acc.seenSpecs.add(spec);
  const sections: Array<[ContainerSection, ContainerSpec[]]> = [
    ['container', spec.containers],
    ['init container', spec.initContainers],
    ['ephemeral container', spec.ephemeralContainers],
  ];
  const writableVolumes = new Set<string>();
  for (const [section, containers] of sections) {
    for (const container of containers) {
      for (const mount of container.volumeMounts) if (!mount.readOnly) writableVolumes.add(mount.name);
      const key = containerKey(section, container);
      if (acc.containerKeys.has(key)) continue;
      acc.containerKeys.add(key);
      acc.subject.containers.push({ section, spec: container });
    }
  }
  for (const volume of spec.volumes) {
    if (!volume.hostPath) continue;
    const normal = normaliseHostPath(volume.hostPath.path);
    const writable = writableVolumes.has(volume.name);
    const known = acc.paths.get(normal);
    if (known) known.writable ||= writable;
    else acc.paths.set(normal, { path: volume.hostPath.path, normal, volume: volume.name, writable });
  }
}

function containerKey(section: ContainerSection, c: ContainerSpec): string {
  const dockerHost = c.env.find((e) => e.name === 'DOCKER_HOST')?.value ?? '';
  return [section, c.name, c.image, c.command.join('\u0001'), c.args.join('\u0001'), dockerHost].join('\u0000');
}
