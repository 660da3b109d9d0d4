/**
 * What DescribeKubernetesVersionMetadata knows: the Kubernetes versions ACK offers and the runtimes (with their
 * versions) each one ships. A scenario's `versionMetadata:` replaces the built-in table
 * (docs/contracts.md#scenario-file-format); the cluster's own version is added to the built-in table only.
 */
import type { VersionMetadata } from '../scenario/types.js';

/** The containerd version of the built-in table. */
export const CONTAINERD_VERSION = '1.6.28';
const DOCKER_VERSION = '19.03.15';
const BUILT_IN = ['1.20.11-aliyun.1', '1.22.15-aliyun.1', '1.24.6-aliyun.1', '1.26.15-aliyun.1', '1.28.9-aliyun.1'];

export function minor(version: string): number {
  return Number(/^1\.(\d+)\./.exec(version)?.[1] ?? 0);
}

export function versionTable(clusterVersion: string, fromScenario: VersionMetadata[] | undefined): VersionMetadata[] {
  if (fromScenario) return fromScenario.map((v) => ({ version: v.version, runtimes: [...v.runtimes] }));
  const names = BUILT_IN.includes(clusterVersion) ? BUILT_IN : [...BUILT_IN, clusterVersion];
  return names.map((version) => ({
    version,
    runtimes: [
      ...(minor(version) <= 22 ? [{ name: 'docker', version: DOCKER_VERSION }] : []),
      ...(minor(version) >= 20 ? [{ name: 'containerd', version: CONTAINERD_VERSION }] : []),
    ],
  }));
}

/** The versions of `runtime` ACK offers with Kubernetes `version` (empty: none). */
export function runtimeVersions(table: VersionMetadata[], version: string, runtime: string): string[] {
  return (table.find((v) => v.version === version)?.runtimes ?? [])
    .filter((r) => r.name === runtime)
    .map((r) => r.version);
}
