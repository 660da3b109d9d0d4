import { describe, expect, it } from 'vitest';
import { minorOf, servedVersions, unservedManifestReason } from '../../../../src/sandbox/scenario/served-apis.js';

describe('served API versions per minor (docs/contracts.md#scenario-file-format)', () => {
  it.each([
    [20, ['v1beta1'], ['v1beta1'], ['v1beta1']],
    [21, ['v1', 'v1beta1'], ['v1', 'v1beta1'], ['v1beta1']],
    [22, ['v1', 'v1beta1'], ['v1', 'v1beta1'], ['v1', 'v1beta1']],
    [25, ['v1'], ['v1'], ['v1']],
  ])('1.%i: PDB %j, CronJob %j, Eviction %j', (minor, pdb, cron, eviction) => {
    expect(servedVersions(minor, 'policy', 'PodDisruptionBudget')).toEqual(pdb);
    expect(servedVersions(minor, 'batch', 'CronJob')).toEqual(cron);
    expect(servedVersions(minor, 'policy', 'Eviction')).toEqual(eviction);
    expect(servedVersions(minor, 'apps', 'Deployment')).toEqual(['v1']);
  });

  it('reads the minor of an ACK version and refuses manifests in unserved versions only', () => {
    expect(minorOf('1.20.11-aliyun.1')).toBe(20);
    expect(unservedManifestReason(20, 'policy/v1beta1', 'PodDisruptionBudget')).toBeUndefined();
    expect(unservedManifestReason(20, 'policy/v1', 'PodDisruptionBudget')).toMatch(/served: policy\/v1beta1\)$/);
    expect(unservedManifestReason(20, 'batch/v1', 'CronJob')).toMatch(/no matches for kind "CronJob"/);
    expect(unservedManifestReason(21, 'batch/v1', 'CronJob')).toBeUndefined();
    expect(unservedManifestReason(25, 'batch/v1beta1', 'CronJob')).toMatch(/served: batch\/v1\)$/);
    expect(unservedManifestReason(20, 'apps/v1', 'Deployment')).toBeUndefined();
  });
});
