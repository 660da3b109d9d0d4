/**
 * meta.k8s.io/v1 Table rows, what `kubectl get` asks for (`Accept: application/json;as=Table;…`): the same
 * columns a real API server prints, so `kubectl get nodes -o wide` and `get pods -A` look as they do on ACK.
 */
import type { KubeObject } from '../scenario/types.js';
import type { NodeRecord, PodRecord, World } from '../world/index.js';
import { runtimeVersionString } from '../world/index.js';
import { statusOf } from './objects.js';
import { kubeletVersion, podMetadata } from './serialize.js';

export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

function col(name: string, priority = 0, type = 'string', format = ''): Column {
  return { name, type, format, description: name, priority };
}

/** k8s.io/apimachinery duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 192) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (days < 730) return `${days}d`;
  const years = Math.floor(days / 365);
  if (days < 2920) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

export const NODE_COLUMNS = [
  col('Name', 0, 'string', 'name'),
  col('Status'),
  col('Roles'),
  col('Age'),
  col('Version'),
  col('Internal-IP', 1),
  col('External-IP', 1),
  col('OS-Image', 1),
  col('Kernel-Version', 1),
  col('Container-Runtime', 1),
];

export function nodeRow(world: World, node: NodeRecord): Record<string, unknown> {
  const status = (node.ready ? 'Ready' : 'NotReady') + (node.unschedulable ? ',SchedulingDisabled' : '');
  return {
    cells: [
      node.name,
      status,
      '<none>',
      humanDuration(world.clock.now() - node.createdAt),
      kubeletVersion(world),
      node.internalIp,
      '<none>',
      'Alibaba Cloud Linux (Aliyun Linux) 2.1903 LTS (Hunting Beagle)',
      '4.19.91-27.al7.x86_64',
      runtimeVersionString(node.runtime, node.runtimeVersion),
    ],
    object: partial({
      name: node.name,
      uid: node.uid,
      resourceVersion: String(node.resourceVersion),
      creationTimestamp: new Date(node.createdAt).toISOString(),
      labels: node.labels,
    }),
  };
}

export const POD_COLUMNS = [
  col('Name', 0, 'string', 'name'),
  col('Ready'),
  col('Status'),
  col('Restarts', 0, 'integer'),
  col('Age'),
  col('IP', 1),
  col('Node', 1),
  col('Nominated Node', 1),
  col('Readiness Gates', 1),
];

export function podRow(world: World, pod: PodRecord): Record<string, unknown> {
  const spec = (pod.group?.podSpec ?? pod.bare?.spec ?? {}) as { containers?: unknown[] };
  const containers = spec.containers?.length ?? 0;
  const ready = world.podReady(pod) ? containers : 0;
  const status =
    pod.deletionTimestamp !== undefined
      ? 'Terminating'
      : pod.phase === 'Running' && !pod.containersReady
        ? 'Running'
        : pod.phase;
  return {
    cells: [
      pod.name,
      `${ready}/${containers}`,
      status,
      0,
      humanDuration(world.clock.now() - pod.createdAt),
      pod.ip ?? '<none>',
      pod.nodeName ?? '<none>',
      '<none>',
      '<none>',
    ],
    object: partial(podMetadata(pod)),
  };
}

function partial(metadata: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

/** Columns and a row function for the stored kinds. */
export function objectTable(
  world: World,
  kind: string,
): { columns: Column[]; row: (o: KubeObject) => Record<string, unknown> } {
  const age = (o: KubeObject) => humanDuration(world.clock.now() - Date.parse(String(o.metadata['creationTimestamp'])));
  const st = (o: KubeObject) => (statusOf(world, o) ?? {}) as Record<string, number | string | undefined>;
  const spec = (o: KubeObject) => (o.spec ?? {}) as Record<string, unknown>;
  const defs: Record<string, [string[], (o: KubeObject) => unknown[]]> = {
    Deployment: [
      ['Ready', 'Up-to-date', 'Available', 'Age'],
      (o) => [
        `${st(o)['readyReplicas'] ?? 0}/${spec(o)['replicas'] ?? 1}`,
        st(o)['updatedReplicas'],
        st(o)['availableReplicas'],
        age(o),
      ],
    ],
    ReplicaSet: [
      ['Desired', 'Current', 'Ready', 'Age'],
      (o) => [spec(o)['replicas'] ?? 1, st(o)['replicas'], st(o)['readyReplicas'], age(o)],
    ],
    StatefulSet: [['Ready', 'Age'], (o) => [`${st(o)['readyReplicas'] ?? 0}/${spec(o)['replicas'] ?? 1}`, age(o)]],
    DaemonSet: [
      ['Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Age'],
      (o) => {
        const s = st(o);
        return [
          s['desiredNumberScheduled'],
          s['currentNumberScheduled'],
          s['numberReady'],
          s['updatedNumberScheduled'],
          s['numberAvailable'],
          age(o),
        ];
      },
    ],
    Job: [['Completions', 'Age'], (o) => [`0/${spec(o)['completions'] ?? 1}`, age(o)]],
    CronJob: [
      ['Schedule', 'Suspend', 'Active', 'Age'],
      (o) => [spec(o)['schedule'], String(spec(o)['suspend'] ?? false), 0, age(o)],
    ],
    PodDisruptionBudget: [
      ['Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'],
      (o) => [
        String(spec(o)['minAvailable'] ?? 'N/A'),
        String(spec(o)['maxUnavailable'] ?? 'N/A'),
        st(o)['disruptionsAllowed'],
        age(o),
      ],
    ],
    Namespace: [['Status', 'Age'], (o) => ['Active', age(o)]],
  };
  const [names, cells] = defs[kind] ?? [['Age'], (o: KubeObject) => [age(o)]];
  return {
    columns: [col('Name', 0, 'string', 'name'), ...names.map((n) => col(n))],
    row: (o) => ({
      cells: [o.metadata.name, ...cells(o).map((c) => (c === undefined ? 0 : c))],
      object: partial(o.metadata),
    }),
  };
}
