/**
 * The resources the sandbox serves, and the discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/G/V`)
 * kubectl and client-node read before anything else. `pods/eviction` must be listed for kubectl drain to use
 * the Eviction API instead of plain DELETE (kubectl looks for it in `/api/v1` discovery and, without it, deletes
 * pods with no PDB check).
 */

export interface ResourceInfo {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  singular: string;
}

const READ = ['get', 'list'];
const WATCH = ['get', 'list', 'watch'];

function r(group: string, plural: string, kind: string, namespaced: boolean, shortNames: string[] = []): ResourceInfo {
  return { group, version: 'v1', plural, kind, namespaced, shortNames, singular: kind.toLowerCase() };
}

export const RESOURCES: ResourceInfo[] = [
  r('', 'namespaces', 'Namespace', false, ['ns']),
  r('', 'nodes', 'Node', false, ['no']),
  r('', 'pods', 'Pod', true, ['po']),
  r('', 'services', 'Service', true, ['svc']),
  r('', 'configmaps', 'ConfigMap', true, ['cm']),
  r('apps', 'deployments', 'Deployment', true, ['deploy']),
  r('apps', 'replicasets', 'ReplicaSet', true, ['rs']),
  r('apps', 'statefulsets', 'StatefulSet', true, ['sts']),
  r('apps', 'daemonsets', 'DaemonSet', true, ['ds']),
  r('batch', 'jobs', 'Job', true),
  r('batch', 'cronjobs', 'CronJob', true, ['cj']),
  r('policy', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb']),
];

export const GROUPS = ['apps', 'batch', 'policy'];

export function findResource(group: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => x.group === group && x.plural === plural);
}

function verbsOf(x: ResourceInfo): string[] {
  if (x.kind === 'Node') return [...WATCH, 'patch', 'update'];
  if (x.kind === 'Pod') return [...WATCH, 'delete'];
  return READ;
}

export function resourceList(group: string): Record<string, unknown> {
  const groupVersion = group === '' ? 'v1' : `${group}/v1`;
  const resources: Array<Record<string, unknown>> = RESOURCES.filter((x) => x.group === group).map((x) => ({
    name: x.plural,
    singularName: x.singular,
    namespaced: x.namespaced,
    kind: x.kind,
    verbs: verbsOf(x),
    ...(x.shortNames.length > 0 ? { shortNames: x.shortNames } : {}),
    ...(x.kind === 'Pod' || x.kind === 'Deployment' || x.kind === 'DaemonSet' ? { categories: ['all'] } : {}),
  }));
  if (group === '') {
    resources.push(
      {
        name: 'pods/eviction',
        singularName: '',
        namespaced: true,
        group: 'policy',
        version: 'v1',
        kind: 'Eviction',
        verbs: ['create'],
      },
      { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
      { name: 'nodes/status', singularName: '', namespaced: false, kind: 'Node', verbs: ['get'] },
    );
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

export function apiVersions(): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  };
}

export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: GROUPS.map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  };
}

export function versionInfo(clusterVersion: string): Record<string, unknown> {
  const m = /^(\d+)\.(\d+)/.exec(clusterVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '22',
    gitVersion: `v${clusterVersion}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2023-01-01T00:00:00Z',
    goVersion: 'go1.16.15',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
