/**
 * What a drain does with a pod, as kubectl drain decides it: DaemonSet and mirror pods are left alone, finished pods
 * are deleted without a PDB check, everything else is evicted.
 */
import type { PodFacts, WorkloadKind, WorkloadRef } from './snapshot.js';

export function isDaemonSetPod(pod: PodFacts): boolean {
  return pod.controllerKind === 'DaemonSet' || pod.owner.kind === 'DaemonSet';
}

export function isFinished(pod: PodFacts): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

/** A pod that `kubectl drain` (and ACK's drain) evicts through the Eviction API, so PDBs apply to it. */
export function isEvicted(pod: PodFacts): boolean {
  return !pod.mirror && !isDaemonSetPod(pod) && !isFinished(pod);
}

/** A pod with no controller at all: a drain deletes it (with --force) and nothing recreates it. */
export function isBarePod(pod: PodFacts): boolean {
  return pod.owner.kind === 'Pod' && pod.controllerKind === undefined && !pod.mirror;
}

/** Kinds whose pods are interchangeable replicas kept at a count: the ones batch spreading protects. */
export const REPLICATED_KINDS: ReadonlySet<WorkloadKind> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

export function isReplicated(ref: WorkloadRef): boolean {
  return REPLICATED_KINDS.has(ref.kind);
}
