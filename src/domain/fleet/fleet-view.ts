/**
 * What is left to migrate across the fleet (docs/contracts.md#fleet-json): per cluster its pools with their runtime,
 * node count, a fresh precheck verdict and their newest migration, the Docker pools left and whether the cluster is
 * ready for the 1.24 upgrade (no Docker node left). Pure: the scan gathers the facts, this shapes and renders them.
 */
import type { ClusterFacts } from '../cluster/snapshot.js';
import type { Verdict } from '../precheck/report.js';

export interface FleetPool {
  id: string;
  name: string;
  runtime: string;
  nodes: number;
  /** The precheck's verdict, or `error` when it could not run (then `error` says why). */
  verdict: Verdict | 'error';
  error?: string;
  migration: { id: string; state: string } | null;
}

export interface FleetCluster {
  id: string;
  name: string;
  region: string;
  version: string;
  dockerPools: number;
  readyForUpgrade: boolean;
  pools: FleetPool[];
  /** Set when the cluster itself could not be read. */
  error?: string;
}

export interface FleetView {
  clusters: FleetCluster[];
}

/** A pool still has Docker nodes unless it runs containerd and its precheck found nothing to do. */
function dockerLeft(pool: FleetPool): boolean {
  return pool.runtime === 'docker' || pool.verdict !== 'nothing-to-do';
}

export function fleetCluster(facts: ClusterFacts, pools: FleetPool[]): FleetCluster {
  const sorted = [...pools].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const dockerPools = sorted.filter(dockerLeft).length;
  return {
    id: facts.id,
    name: facts.name,
    region: facts.region,
    version: facts.version,
    dockerPools,
    readyForUpgrade: dockerPools === 0,
    pools: sorted,
  };
}

/** A cluster that could not be read: not ready, and why. */
export function unreadableCluster(id: string, region: string, error: string): FleetCluster {
  return { id, name: id, region, version: '', dockerPools: 0, readyForUpgrade: false, pools: [], error };
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

/** The compact table of the terminal: one line per cluster, then its pools in columns under it. */
export function fleetTable(view: FleetView): string[] {
  const rows: string[][] = [['POOL', 'RUNTIME', 'NODES', 'VERDICT', 'MIGRATION']];
  for (const c of view.clusters)
    for (const p of c.pools) {
      const migration = p.migration ? `${p.migration.state} ${p.migration.id}` : '-';
      rows.push([p.name, p.runtime, String(p.nodes), p.verdict, migration]);
    }
  const padded = pad(rows);
  const out = [`  ${padded[0]}`];
  let next = 1;
  for (const c of view.clusters) {
    const summary = c.error
      ? `unreadable: ${c.error}`
      : c.readyForUpgrade
        ? 'ready for 1.24'
        : `${c.dockerPools} Docker pool${c.dockerPools === 1 ? '' : 's'} left`;
    out.push(`${c.id} (${c.region}${c.version ? `, ${c.version}` : ''}): ${summary}`);
    for (let i = 0; i < c.pools.length; i++) out.push(`  ${padded[next++]}`);
  }
  return out;
}
