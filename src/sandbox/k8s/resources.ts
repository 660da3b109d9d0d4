/**
 * The resources the sandbox serves for its cluster's Kubernetes minor, and the discovery documents (`/api`, `/apis`,
 * `/api/v1`, `/apis/G/V`) kubectl and client-node read before anything else. Which versions a minor serves comes
 * from src/sandbox/scenario/served-apis.ts (docs/contracts.md#scenario-file-format): a group-version the minor
 * does not serve is neither listed nor routed. `pods/eviction` must be listed for kubectl drain to use the
 * Eviction API instead of plain DELETE; its `version` tells kubectl which Eviction body to send.
 */
import { servedVersions } from '../scenario/served-apis.js';

export interface ResourceInfo {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  singular: string;
}

type Kind = Omit<ResourceInfo, 'version'>;

const READ = ['get', 'list'];
const WATCH = ['get', 'list', 'watch'];

function r(group: string, plural: string, kind: string, namespaced: boolean, shortNames: string[] = []): Kind {
  return { group, plural, kind, namespaced, shortNames, singular: kind.toLowerCase() };
}

const KINDS: Kind[] = [
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

const GROUPS = ['apps', 'batch', 'policy'];

function verbsOf(x: ResourceInfo): string[] {
  if (x.kind === 'Node') return [...WATCH, 'patch', 'update'];
  if (x.kind === 'Pod') return [...WATCH, 'delete'];
  return READ;
}

export function groupVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** What one Kubernetes minor serves: resources per group-version, and the Eviction versions it accepts. */
export class ApiSurface {
  private readonly resources: ResourceInfo[];
  /** Accepted Eviction body versions (group policy), the one discovery advertises first. */
  readonly evictionVersions: string[];

  constructor(readonly minor: number) {
    this.resources = KINDS.flatMap((k) => servedVersions(minor, k.group, k.kind).map((version) => ({ ...k, version })));
    this.evictionVersions = servedVersions(minor, 'policy', 'Eviction');
  }

  /** Served versions of a group, preferred first (a group-version with no resource is not served). */
  versionsOf(group: string): string[] {
    const versions: string[] = [];
    for (const x of this.resources) if (x.group === group && !versions.includes(x.version)) versions.push(x.version);
    return versions.sort((a, b) => rank(a) - rank(b));
  }

  serves(group: string, version: string): boolean {
    return this.resources.some((x) => x.group === group && x.version === version);
  }

  findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.resources.find((x) => x.group === group && x.version === version && x.plural === plural);
  }

  resourceList(group: string, version: string): Record<string, unknown> {
    const resources: Array<Record<string, unknown>> = this.resources
      .filter((x) => x.group === group && x.version === version)
      .map((x) => ({
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
          version: this.evictionVersions[0],
          kind: 'Eviction',
          verbs: ['create'],
        },
        { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
        { name: 'nodes/status', singularName: '', namespaced: false, kind: 'Node', verbs: ['get'] },
      );
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersionOf(group, version), resources };
  }

  apiGroupList(): Record<string, unknown> {
    const groups = GROUPS.map((name) => {
      const versions = this.versionsOf(name).map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions, preferredVersion: versions[0] };
    }).filter((g) => g.versions.length > 0);
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
}

/** v1 before v1beta1 before v1alpha1 (the apiserver's preference order). */
function rank(version: string): number {
  const m = /^v(\d+)(beta|alpha)?(\d*)$/.exec(version);
  if (!m) return 1e6;
  const stability = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
  return stability * 1e4 - Number(m[1]) * 100 - Number(m[3] || 0);
}

export function apiVersions(): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
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
