/**
 * Every precheck rule (docs/contracts.md#precheck-json) by its stable id. Each is a pure function of the precheck
 * input.
 */
import type { PrecheckInput } from './input.js';
import type { Finding, RuleId } from './report.js';
import { ackCheck } from './rules/ack-check.js';
import { alreadyContainerd } from './rules/already-containerd.js';
import { barePod } from './rules/bare-pod.js';
import { clusterVersion } from './rules/cluster-version.js';
import { containerdTarget } from './rules/containerd-target.js';
import { dockerCli } from './rules/docker-cli.js';
import { dockerDataDir } from './rules/docker-data-dir.js';
import { dockerSocket } from './rules/docker-socket.js';
import { emptydir } from './rules/emptydir.js';
import { maxParallel } from './rules/max-parallel.js';
import { pdbBlocking } from './rules/pdb-blocking.js';
import { replicasOneBatch } from './rules/replicas-one-batch.js';
import { singleReplica } from './rules/single-replica.js';
import { systemDiskHostpath } from './rules/system-disk-hostpath.js';

export type PrecheckRule = (input: PrecheckInput) => Finding[];

export const PRECHECK_RULES: Readonly<Record<RuleId, PrecheckRule>> = {
  'already-containerd': alreadyContainerd,
  'cluster-version': clusterVersion,
  'containerd-target': containerdTarget,
  'ack-check': ackCheck,
  'docker-socket': dockerSocket,
  'docker-data-dir': dockerDataDir,
  'docker-cli': dockerCli,
  'system-disk-hostpath': systemDiskHostpath,
  emptydir: emptydir,
  'single-replica': singleReplica,
  'pdb-blocking': pdbBlocking,
  'replicas-one-batch': (input) => replicasOneBatch(input),
  'bare-pod': barePod,
  'max-parallel': maxParallel,
};
