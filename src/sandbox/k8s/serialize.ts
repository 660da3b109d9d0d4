/**
 * Kubernetes JSON for the world's nodes and pods, built on demand. A controller's pods share one pre-rendered
 * spec string, so `kubectl get pods -A -o json` over 150,000 pods spends its time writing, not stringifying.
 */

import { type NodeRecord, type PodGroup, type PodRecord, runtimeVersionString, type World } from '../world/index.js';
import { effectiveTaints } from '../world/scheduling.js';

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function kubeletVersion(world: World): string {
  return `v${world.cluster.version}`;
}

/** vCPU and memory of an ECS instance type from its size suffix (g: 4 GiB per vCPU, c: 2, r: 8). */
function capacityOf(instanceType: string): { cpu: number; memoryKi: number } {
  const m = /^ecs\.([a-z]+)\d*[a-z]*\.(\d*)x?(large|xlarge)$/.exec(instanceType);
  let cpu = 4;
  if (m) cpu = m[3] === 'large' && !m[2] ? 2 : (Number(m[2]) || 1) * 4;
  const family = m?.[1] ?? 'g';
  const perCpu = family.startsWith('c') ? 2 : family.startsWith('r') ? 8 : 4;
  return { cpu, memoryKi: cpu * perCpu * 1024 * 1024 - 400_000 };
}

export function nodeObject(world: World, node: NodeRecord): Record<string, unknown> {
  const instance = world.instances.get(node.instanceId);
  const { cpu, memoryKi } = capacityOf(instance?.instanceType ?? 'ecs.g7.xlarge');
  const taints = effectiveTaints(node);
  const heartbeat = isoTime(world.clock.now());
  const since = isoTime(node.readySince);
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'False',
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: isoTime(node.createdAt),
    reason,
    message,
  });
  const running = instance?.status === 'Running';
  const ready = node.ready
    ? { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
    : running
      ? { status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready' }
      : { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
  const podRange = `10.${128 + (node.podRange >> 8)}.${node.podRange & 255}.0/24`;
  const hex = node.uid.replace(/-/g, '');
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: {
      name: node.name,
      uid: node.uid,
      resourceVersion: String(node.resourceVersion),
      creationTimestamp: isoTime(node.createdAt),
      labels: node.labels,
      annotations: node.annotations,
    },
    spec: {
      podCIDR: podRange,
      podCIDRs: [podRange],
      providerID: `${world.cluster.region}.${node.instanceId}`,
      ...(node.unschedulable ? { unschedulable: true } : {}),
      ...(taints.length > 0 ? { taints } : {}),
    },
    status: {
      capacity: { cpu: String(cpu), 'ephemeral-storage': '123722704Ki', memory: `${memoryKi}Ki`, pods: '110' },
      allocatable: {
        cpu: `${cpu * 1000 - 200}m`,
        'ephemeral-storage': '114022843818',
        memory: `${memoryKi - 1_000_000}Ki`,
        pods: '110',
      },
      conditions: [
        condition('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        { type: 'Ready', ...ready, lastHeartbeatTime: heartbeat, lastTransitionTime: since },
      ],
      addresses: [
        { type: 'InternalIP', address: node.internalIp },
        { type: 'Hostname', address: node.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: hex,
        systemUUID: hex.toUpperCase(),
        bootID: hex,
        kernelVersion: '4.19.91-27.al7.x86_64',
        osImage: 'Alibaba Cloud Linux (Aliyun Linux) 2.1903 LTS (Hunting Beagle)',
        containerRuntimeVersion: runtimeVersionString(node.runtime, node.runtimeVersion),
        kubeletVersion: kubeletVersion(world),
        kubeProxyVersion: kubeletVersion(world),
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/** The API server's defaults on a pod spec (what `kubectl get pod -o yaml` shows beyond the manifest). */
function defaultedSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const tolerations = Array.isArray(spec['tolerations']) ? (spec['tolerations'] as unknown[]) : [];
  return {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
    ...spec,
    tolerations: [...tolerations, ...DEFAULT_TOLERATIONS],
  };
}

function specTail(group: PodGroup): string {
  if (group.specJsonTail === undefined) group.specJsonTail = JSON.stringify(defaultedSpec(group.podSpec)).slice(1);
  return group.specJsonTail;
}

function podSpecJson(pod: PodRecord): string {
  if (!pod.group) {
    const spec = defaultedSpec((pod.bare?.spec ?? {}) as Record<string, unknown>);
    return JSON.stringify(pod.nodeName ? { ...spec, nodeName: pod.nodeName } : spec);
  }
  const tail = specTail(pod.group);
  return pod.nodeName ? `{"nodeName":${JSON.stringify(pod.nodeName)},${tail}` : `{${tail}`;
}

function containersOf(pod: PodRecord): Array<{ name: string; image: string }> {
  const spec = (pod.group?.podSpec ?? pod.bare?.spec ?? {}) as { containers?: Array<{ name: string; image: string }> };
  return spec.containers ?? [];
}

export function podMetadata(pod: PodRecord): Record<string, unknown> {
  const group = pod.group;
  const meta: Record<string, unknown> = {
    name: pod.name,
    namespace: pod.namespace,
    uid: pod.uid,
    resourceVersion: String(pod.resourceVersion),
    creationTimestamp: isoTime(pod.createdAt),
  };
  if (group && group.kind !== 'StatefulSet') meta['generateName'] = `${group.name}-`;
  if (pod.deletionTimestamp !== undefined) {
    meta['deletionTimestamp'] = isoTime(pod.deletionTimestamp);
    meta['deletionGracePeriodSeconds'] = 0;
  }
  meta['labels'] = pod.labels;
  const annotations = pod.bare?.metadata['annotations'];
  if (annotations) meta['annotations'] = annotations;
  if (group) {
    meta['ownerReferences'] = [
      {
        apiVersion: group.object.apiVersion,
        kind: group.kind,
        name: group.name,
        uid: group.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
  }
  return meta;
}

function podStatus(world: World, pod: PodRecord): Record<string, unknown> {
  const created = isoTime(pod.createdAt);
  if (pod.nodeName === undefined) {
    return {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: created,
          reason: 'Unschedulable',
          message: `0/${world.listNodes().length} nodes are available: no node matches the pod's node selector, tolerations and cordons.`,
        },
      ],
      qosClass: 'BestEffort',
    };
  }
  const node = world.getNode(pod.nodeName);
  const ready = world.podReady(pod);
  const containersReady = pod.containersReady;
  const started = isoTime(pod.startedAt ?? pod.createdAt);
  const readyAt = isoTime(pod.readySince ?? node?.readySince ?? pod.createdAt);
  const cond = (type: string, ok: boolean, at: string) => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: at,
  });
  const runtime = node?.runtime ?? 'docker';
  const idHex = pod.uid.replace(/-/g, '').padEnd(64, '0');
  return {
    phase: pod.phase,
    conditions: [
      cond('Initialized', true, started),
      cond('Ready', ready, readyAt),
      cond('ContainersReady', containersReady, readyAt),
      cond('PodScheduled', true, created),
    ],
    hostIP: node?.internalIp,
    podIP: pod.ip,
    podIPs: pod.ip ? [{ ip: pod.ip }] : [],
    startTime: started,
    containerStatuses: containersOf(pod).map((c, i) => ({
      name: c.name,
      state:
        containersReady || pod.phase === 'Running'
          ? { running: { startedAt: started } }
          : { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      ready: ready,
      restartCount: 0,
      image: c.image,
      imageID: `${c.image.split(':')[0]}@sha256:${idHex}`,
      containerID: `${runtime}://${idHex.slice(i)}${idHex.slice(0, i)}`,
      started: pod.phase === 'Running',
    })),
    qosClass: 'BestEffort',
  };
}

/** A pod's JSON text (fast path: the spec of controller pods is a cached string). */
export function podJson(world: World, pod: PodRecord): string {
  return `{"kind":"Pod","apiVersion":"v1","metadata":${JSON.stringify(podMetadata(pod))},"spec":${podSpecJson(pod)},"status":${JSON.stringify(podStatus(world, pod))}}`;
}
