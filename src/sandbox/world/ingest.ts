/**
 * Turns scenario manifests into stored objects and pod groups, the way the API server and the controllers
 * would after `kubectl apply`: metadata filled in (uid, creationTimestamp, generation), Deployments get a
 * ReplicaSet with a pod-template-hash, Services/ConfigMaps/… are kept as they are.
 */
import type { KubeObject } from '../scenario/types.js';
import type { IdFactory } from './ids.js';
import { requirementsOf, type StructuredSelector } from './labels.js';
import { INITIAL_AGE_MS, type Workloads } from './workloads.js';

/** Kinds that are not namespaced (everything else defaults to `default`). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'PriorityClass',
]);

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function ingestManifests(
  workloads: Workloads,
  ids: IdFactory,
  manifests: readonly KubeObject[],
  nowMs: number,
  nextRv: () => number,
): void {
  const created = new Date(nowMs - INITIAL_AGE_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const stamp = (o: KubeObject): KubeObject => {
    const namespaced = !CLUSTER_SCOPED.has(o.kind);
    const { namespace: _ns, ...meta } = o.metadata;
    return {
      ...o,
      metadata: {
        ...meta,
        ...(namespaced ? { namespace: o.metadata.namespace ?? 'default' } : {}),
        uid: ids.uid(),
        resourceVersion: String(nextRv()),
        generation: 1,
        creationTimestamp: created,
      },
    } as KubeObject;
  };
  const namespaces = new Set(SYSTEM_NAMESPACES);
  for (const m of manifests) if (m.metadata.namespace) namespaces.add(m.metadata.namespace);
  for (const m of manifests) if (m.kind === 'Namespace') namespaces.delete(m.metadata.name);
  for (const name of namespaces) {
    workloads.putObject(
      stamp({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] } }),
    );
  }
  const barePods: KubeObject[] = [];
  for (const manifest of manifests) {
    const object = stamp(manifest);
    switch (object.kind) {
      case 'Pod':
        barePods.push(object);
        break;
      case 'Deployment':
        workloads.putObject(object);
        addDeploymentReplicaSet(workloads, ids, object, nextRv);
        break;
      case 'ReplicaSet':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'Job': {
        workloads.putObject(object);
        const labels = templateLabels(object);
        const hashed =
          object.kind === 'Job'
            ? { ...labels, 'controller-uid': object.metadata['uid'] as string, 'job-name': object.metadata.name }
            : object.kind === 'ReplicaSet'
              ? labels
              : { ...labels, 'controller-revision-hash': `${object.metadata.name}-${ids.templateHash()}` };
        workloads.addGroup(object.kind, object, undefined, hashed);
        break;
      }
      case 'PodDisruptionBudget':
        workloads.putObject(object);
        workloads.pdbs.set(`${object.metadata.namespace}/${object.metadata.name}`, {
          object,
          namespace: object.metadata.namespace!,
          name: object.metadata.name,
          selector: requirementsOf(object.spec?.['selector'] as StructuredSelector | undefined),
          disruptedPods: new Map(),
          matchCache: undefined,
        });
        break;
      default:
        workloads.putObject(object);
    }
  }
  workloads.buildAll(barePods);
}

/** The Deployment controller's ReplicaSet: `<deployment>-<pod-template-hash>`, owning the pods. */
function addDeploymentReplicaSet(
  workloads: Workloads,
  ids: IdFactory,
  deployment: KubeObject,
  nextRv: () => number,
): void {
  const hash = ids.templateHash();
  const spec = deployment.spec ?? {};
  const template = (spec['template'] ?? {}) as KubeObject;
  const labels = { ...templateLabels(deployment), 'pod-template-hash': hash };
  const selector = (spec['selector'] ?? {}) as StructuredSelector;
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      uid: ids.uid(),
      resourceVersion: String(nextRv()),
      generation: 1,
      creationTimestamp: deployment.metadata['creationTimestamp'],
      labels,
      annotations: {
        'deployment.kubernetes.io/revision': '1',
        'deployment.kubernetes.io/desired-replicas': String(spec['replicas'] ?? 1),
      },
      ownerReferences: [ownerRef(deployment)],
    },
    spec: {
      replicas: spec['replicas'] ?? 1,
      selector: { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash } },
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
    },
  };
  workloads.putObject(rs);
  workloads.addGroup('ReplicaSet', rs, deployment, labels);
}

export function ownerRef(owner: KubeObject): Record<string, unknown> {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata['uid'],
    controller: true,
    blockOwnerDeletion: true,
  };
}

function templateLabels(object: KubeObject): Record<string, string> {
  const template = (object.spec?.['template'] ?? {}) as { metadata?: { labels?: Record<string, string> } };
  return template.metadata?.labels ?? {};
}
