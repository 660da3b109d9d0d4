/** The precheck report: the JSON contract of docs/contracts.md#precheck-json. */
import type { ObjectRef } from '../cluster/snapshot.js';

export const RULE_IDS = [
  'already-containerd',
  'cluster-version',
  'containerd-target',
  'ack-check',
  'docker-socket',
  'docker-data-dir',
  'docker-cli',
  'system-disk-hostpath',
  'emptydir',
  'single-replica',
  'pdb-blocking',
  'replicas-one-batch',
  'bare-pod',
  'max-parallel',
] as const;

export type RuleId = (typeof RULE_IDS)[number];
export type Severity = 'blocker' | 'warning' | 'info';
export type Verdict = 'ready' | 'warnings' | 'blocked' | 'nothing-to-do';

export interface Finding {
  rule: RuleId;
  severity: Severity;
  object: ObjectRef;
  message: string;
  hint: string;
}

export interface PrecheckReport {
  cluster: { id: string; version: string };
  pool: { id: string; name: string; runtime: string; runtimeVersion: string; nodes: number };
  verdict: Verdict;
  findings: Finding[];
  plan: {
    maxParallel: number;
    batches: string[][];
    estimatedMinutes: number;
    /** The containerd the nodes get (ACK's DescribeKubernetesVersionMetadata); null when not known. */
    containerdVersion: string | null;
  };
}
