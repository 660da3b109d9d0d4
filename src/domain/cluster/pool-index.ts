/**
 * Derived views of a snapshot that several rules and the planner need: the pods actually bound to the pool's
 * nodes, and which PDBs select which of the pods a drain evicts. Computed once per snapshot object (snapshots are
 * plain data and are never mutated after the gateway builds them).
 */
import { SelectorIndex } from './label-selector.js';
import { isEvicted } from './pod-roles.js';
import type { ClusterSnapshot, PdbFacts, PodFacts } from './snapshot.js';

export interface PdbCoverage {
  /** Every PDB that selects at least one evicted pod on the pool, with those pods. */
  podsByPdb: Map<PdbFacts, PodFacts[]>;
  /** Every evicted pod on the pool that at least one PDB selects, with those PDBs. */
  pdbsByPod: Map<PodFacts, readonly PdbFacts[]>;
}

const poolPodsCache = new WeakMap<ClusterSnapshot, PodFacts[]>();
const coverageCache = new WeakMap<ClusterSnapshot, PdbCoverage>();

/** Pods bound to one of the snapshot's nodes (the gateway should send only those; this makes sure). */
export function podsOnPool(snapshot: ClusterSnapshot): PodFacts[] {
  const cached = poolPodsCache.get(snapshot);
  if (cached) return cached;
  const names = new Set(snapshot.nodes.map((n) => n.name));
  const pods = snapshot.pods.filter((p) => p.nodeName !== undefined && names.has(p.nodeName));
  poolPodsCache.set(snapshot, pods);
  return pods;
}

export function pdbCoverage(snapshot: ClusterSnapshot): PdbCoverage {
  const cached = coverageCache.get(snapshot);
  if (cached) return cached;
  const index = new SelectorIndex(snapshot.pdbs);
  const podsByPdb = new Map<PdbFacts, PodFacts[]>();
  const pdbsByPod = new Map<PodFacts, readonly PdbFacts[]>();
  for (const pod of podsOnPool(snapshot)) {
    if (!isEvicted(pod)) continue;
    const pdbs = index.match(pod.namespace, pod.labels);
    if (pdbs.length === 0) continue;
    pdbsByPod.set(pod, pdbs);
    for (const pdb of pdbs) {
      const list = podsByPdb.get(pdb);
      if (list) list.push(pod);
      else podsByPdb.set(pdb, [pod]);
    }
  }
  const coverage = { podsByPdb, pdbsByPod };
  coverageCache.set(snapshot, coverage);
  return coverage;
}
