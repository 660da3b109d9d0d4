/**
 * Which API versions a cluster of a given Kubernetes minor serves (docs/contracts.md#scenario-file-format): the
 * sandbox's discovery, its routes, the Eviction bodies it accepts and the manifests a scenario may use all come
 * from this one table.
 *
 * - PodDisruptionBudget: `policy/v1beta1` up to 1.24, `policy/v1` from 1.21.
 * - CronJob: `batch/v1beta1` up to 1.24, `batch/v1` from 1.21.
 * - Eviction bodies: `policy/v1beta1` up to 1.24, `policy/v1` from 1.22.
 * Everything else the sandbox runs (core v1, apps/v1, batch/v1 Jobs) is served in v1 on every minor it accepts.
 */

/** `1.20.11-aliyun.1` → 20. */
export function minorOf(clusterVersion: string): number {
  const m = /^v?1\.(\d+)/.exec(clusterVersion);
  return m ? Number(m[1]) : 22;
}

function between(minor: number, from: number, to = Number.POSITIVE_INFINITY): boolean {
  return minor >= from && minor <= to;
}

/** The versions (preferred first) of `group` in which `kind` is served on this minor. */
export function servedVersions(minor: number, group: string, kind: string): string[] {
  if (group === 'policy' && kind === 'PodDisruptionBudget') {
    return [...(between(minor, 21) ? ['v1'] : []), ...(between(minor, 0, 24) ? ['v1beta1'] : [])];
  }
  if (group === 'batch' && kind === 'CronJob') {
    return [...(between(minor, 21) ? ['v1'] : []), ...(between(minor, 0, 24) ? ['v1beta1'] : [])];
  }
  if (group === 'policy' && kind === 'Eviction') {
    return [...(between(minor, 22) ? ['v1'] : []), ...(between(minor, 0, 24) ? ['v1beta1'] : [])];
  }
  return ['v1'];
}

/** `policy/v1beta1` → {group: policy, version: v1beta1}; `v1` → {group: '', version: v1}. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Groups of the kinds whose served versions depend on the minor. */
const VERSIONED: Record<string, string> = { PodDisruptionBudget: 'policy', CronJob: 'batch' };

/**
 * Why a cluster of this minor would refuse the manifest (`kubectl apply` answers `no matches for kind …`), or
 * undefined when it is served. Only the kinds whose versions differ between minors are checked.
 */
export function unservedManifestReason(minor: number, apiVersion: string, kind: string): string | undefined {
  const group = VERSIONED[kind];
  if (group === undefined) return undefined;
  const gv = splitApiVersion(apiVersion);
  const served = servedVersions(minor, group, kind);
  if (gv.group === group && served.includes(gv.version)) return undefined;
  return `no matches for kind "${kind}" in version "${apiVersion}" on Kubernetes 1.${minor} (served: ${served.map((v) => `${group}/${v}`).join(', ')})`;
}
