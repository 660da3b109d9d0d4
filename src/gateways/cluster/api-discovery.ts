/**
 * What a cluster serves, read once per cluster from its discovery documents (`/apis`, `/apis/<group>/<version>`,
 * `/api/v1`), as kubectl does: the version in which each kind we read is served (PodDisruptionBudget in
 * `policy/v1` from 1.21, `policy/v1beta1` before; CronJob likewise in `batch`) and the version of the Eviction body
 * the `pods/eviction` subresource takes (`policy/v1` from 1.22). See docs/architecture.md#migration-pipeline.
 */
import { AppError } from '../../errors.js';
import type { RawKubeClient } from './raw-client.js';

/** Versions, e.g. all three `v1beta1` on 1.20. */
export interface ServedApis {
  /** of poddisruptionbudgets in group policy */
  pdbVersion: string;
  /** of cronjobs in group batch */
  cronJobVersion: string;
  /** of the Eviction body (group policy) that pods/eviction takes */
  evictionVersion: string;
}

interface RawGroupList {
  groups?: Array<{
    name?: string;
    versions?: Array<{ groupVersion?: string }>;
    preferredVersion?: { groupVersion?: string };
  }>;
}

interface RawResourceList {
  resources?: Array<{ name?: string; kind?: string; group?: string; version?: string }>;
}

/** The group's served group-versions, the preferred one first. */
function groupVersions(list: RawGroupList, group: string): string[] {
  const g = (list.groups ?? []).find((x) => x.name === group);
  if (!g) return [];
  const all = (g.versions ?? []).map((v) => v.groupVersion ?? '').filter(Boolean);
  const preferred = g.preferredVersion?.groupVersion;
  return preferred && all.includes(preferred) ? [preferred, ...all.filter((v) => v !== preferred)] : all;
}

async function firstServing(raw: RawKubeClient, list: RawGroupList, group: string, plural: string): Promise<string> {
  for (const gv of groupVersions(list, group)) {
    const version = gv.slice(group.length + 1);
    const resources = await raw.getJson<RawResourceList>(`discover ${gv}`, `/apis/${group}/${version}`);
    if ((resources.resources ?? []).some((r) => r.name === plural)) return version;
  }
  throw new AppError('CLUSTER_API', `the cluster serves no version of ${plural}.${group}`, {
    details: { call: `discover ${plural}.${group}` },
    hint: 'check the cluster version (ACK clusters from 1.16 serve them)',
  });
}

export async function discoverApis(raw: RawKubeClient): Promise<ServedApis> {
  const [groups, core] = await Promise.all([
    raw.getJson<RawGroupList>('discover apis', '/apis'),
    raw.getJson<RawResourceList>('discover v1', '/api/v1'),
  ]);
  const [pdbVersion, cronJobVersion] = await Promise.all([
    firstServing(raw, groups, 'policy', 'poddisruptionbudgets'),
    firstServing(raw, groups, 'batch', 'cronjobs'),
  ]);
  const eviction = (core.resources ?? []).find((r) => r.name === 'pods/eviction' && r.kind === 'Eviction');
  if (eviction?.group !== 'policy' || !eviction.version) {
    throw new AppError('CLUSTER_API', 'the cluster does not offer the pods/eviction subresource', {
      details: { call: 'discover v1' },
      hint: 'drains need the Eviction API so that PodDisruptionBudgets are honoured',
    });
  }
  return { pdbVersion, cronJobVersion, evictionVersion: eviction.version };
}

/** discoverApis once per cluster (per gateway); a failed discovery is tried again on the next call. */
export class ApiDiscovery {
  private pending: Promise<ServedApis> | undefined;

  constructor(private readonly raw: RawKubeClient) {}

  get(): Promise<ServedApis> {
    if (!this.pending) {
      const p = discoverApis(this.raw);
      this.pending = p;
      p.catch(() => {
        if (this.pending === p) this.pending = undefined;
      });
    }
    return this.pending;
  }
}
