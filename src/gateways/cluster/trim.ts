/**
 * Raw Kubernetes objects → the snapshot's plain facts. Only the fields the rules read survive, and identical
 * pod templates, label sets and owner refs are shared (interned): the pods of one ReplicaSet carry the same spec,
 * so 150,000 pods cost a few thousand templates instead of 150,000.
 */
import type {
  ContainerSpec,
  LabelSelector,
  NodeFacts,
  PdbFacts,
  PodTemplate,
  VolumeSpec,
  WorkloadFacts,
  WorkloadKind,
} from '../../domain/cluster/snapshot.js';
import type { Interner } from './interner.js';
import type {
  RawCondition,
  RawContainer,
  RawNode,
  RawPdb,
  RawPodSpec,
  RawSelector,
  RawVolume,
  RawWorkload,
} from './raw-types.js';

export const POOL_LABEL = 'alibabacloud.com/nodepool-id';
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

function strings(values: unknown): string[] {
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}

export function isConditionTrue(conditions: RawCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function trimContainer(c: RawContainer): ContainerSpec {
  return {
    name: c.name ?? '',
    image: c.image ?? '',
    command: strings(c.command),
    args: strings(c.args),
    volumeMounts: (c.volumeMounts ?? []).map((m) => ({
      name: m.name ?? '',
      mountPath: m.mountPath ?? '',
      readOnly: m.readOnly === true,
    })),
    env: (c.env ?? []).map((e) =>
      e.value === undefined ? { name: e.name ?? '' } : { name: e.name ?? '', value: e.value },
    ),
    privileged: c.securityContext?.privileged === true,
  };
}

function trimVolume(v: RawVolume): VolumeSpec {
  const out: VolumeSpec = { name: v.name ?? '' };
  if (v.hostPath) {
    out.hostPath =
      v.hostPath.type === undefined || v.hostPath.type === ''
        ? { path: v.hostPath.path ?? '' }
        : { path: v.hostPath.path ?? '', type: v.hostPath.type };
  }
  if (v.emptyDir !== undefined && v.emptyDir !== null) out.emptyDir = true;
  return out;
}

export function trimPodSpec(spec: RawPodSpec | undefined, interner: Interner): PodTemplate {
  const s = spec ?? {};
  return interner.intern<PodTemplate>({
    containers: (s.containers ?? []).map(trimContainer),
    initContainers: (s.initContainers ?? []).map(trimContainer),
    ephemeralContainers: (s.ephemeralContainers ?? []).map(trimContainer),
    // Projected service-account tokens and config maps never matter to the rules; keep what could.
    volumes: (s.volumes ?? []).filter((v) => v.hostPath || v.emptyDir).map(trimVolume),
    nodeSelector: s.nodeSelector ?? {},
    tolerations: (s.tolerations ?? []).map((t) => ({
      ...(t.key === undefined ? {} : { key: t.key }),
      ...(t.operator === undefined ? {} : { operator: t.operator }),
      ...(t.value === undefined ? {} : { value: t.value }),
      ...(t.effect === undefined ? {} : { effect: t.effect }),
    })),
  });
}

export function trimLabels(labels: Record<string, string> | undefined, interner: Interner): Record<string, string> {
  if (!labels) return EMPTY as Record<string, string>;
  return interner.intern(labels);
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

export function trimSelector(selector: RawSelector | undefined): LabelSelector {
  const out: LabelSelector = {};
  if (selector?.matchLabels) out.matchLabels = selector.matchLabels;
  const expressions = (selector?.matchExpressions ?? []).filter((e) => OPERATORS.has(e.operator ?? ''));
  if (expressions.length > 0) {
    out.matchExpressions = expressions.map((e) => ({
      key: e.key ?? '',
      operator: e.operator as 'In' | 'NotIn' | 'Exists' | 'DoesNotExist',
      ...(e.values ? { values: e.values } : {}),
    }));
  }
  return out;
}

export function trimNode(raw: RawNode): NodeFacts {
  const labels = raw.metadata?.labels ?? {};
  const providerId = raw.spec?.providerID;
  // ACK writes providerID as `<region>.<instance-id>`.
  const dot = providerId?.indexOf('.') ?? -1;
  return {
    name: raw.metadata?.name ?? '',
    poolId: labels[POOL_LABEL],
    instanceId: providerId && dot > 0 ? providerId.slice(dot + 1) : providerId || undefined,
    internalIp: raw.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
    ready: isConditionTrue(raw.status?.conditions, 'Ready'),
    unschedulable: raw.spec?.unschedulable === true,
    runtimeVersion: raw.status?.nodeInfo?.containerRuntimeVersion ?? '',
    labels,
  };
}

/** The pod template of a workload: `spec.template`, or `spec.jobTemplate.spec.template` for a CronJob. */
export function trimWorkload(kind: WorkloadKind, raw: RawWorkload, interner: Interner): WorkloadFacts {
  const spec = raw.spec ?? {};
  const status = raw.status ?? {};
  const template = kind === 'CronJob' ? spec.jobTemplate?.spec?.template : spec.template;
  const selector = kind === 'CronJob' ? spec.jobTemplate?.spec?.selector : spec.selector;
  const scaled = kind === 'Deployment' || kind === 'StatefulSet' || kind === 'ReplicaSet';
  let readyReplicas: number | undefined;
  if (scaled) readyReplicas = status.readyReplicas ?? 0;
  else if (kind === 'DaemonSet') readyReplicas = status.numberReady ?? 0;
  return {
    ref: { kind, namespace: raw.metadata?.namespace ?? '', name: raw.metadata?.name ?? '' },
    // spec.replicas defaults to 1 when omitted.
    replicas: scaled ? (spec.replicas ?? 1) : undefined,
    readyReplicas,
    selector: trimSelector(selector),
    template: trimPodSpec(template?.spec, interner),
  };
}

export function trimPdb(raw: RawPdb): PdbFacts {
  const status = raw.status ?? {};
  return {
    namespace: raw.metadata?.namespace ?? '',
    name: raw.metadata?.name ?? '',
    selector: trimSelector(raw.spec?.selector),
    minAvailable: raw.spec?.minAvailable,
    maxUnavailable: raw.spec?.maxUnavailable,
    disruptionsAllowed: status.disruptionsAllowed ?? 0,
    currentHealthy: status.currentHealthy ?? 0,
    desiredHealthy: status.desiredHealthy ?? 0,
    expectedPods: status.expectedPods ?? 0,
  };
}

/** The ownerReference with controller: true (metav1.GetControllerOf). */
export function controllerOf(meta: {
  ownerReferences?: Array<{ kind?: string; name?: string; controller?: boolean }>;
}) {
  return meta.ownerReferences?.find((o) => o.controller === true);
}
