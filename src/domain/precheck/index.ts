export { buildPrecheckReport, type PrecheckOptions } from './build-report.js';
export { dockerInvocation, isDockerImage, parseImage } from './docker-usage.js';
export { compareFindings, finding, SEVERITIES, sortFindings, verdictOf } from './findings.js';
export {
  DOCKER_SOCKET_PARENTS,
  dockerSocketMatch,
  isDockerDataPath,
  isNodeManagedPath,
  NODE_MANAGED_PATHS,
  normaliseHostPath,
} from './host-paths.js';
export { effectiveMaxParallel, type PrecheckInput, poolNodeCount, requestedParallelism } from './input.js';
export type { Finding, PrecheckReport, RuleId, Severity, Verdict } from './report.js';
export { RULE_IDS } from './report.js';
export { ackCheck } from './rules/ack-check.js';
export { alreadyContainerd, isPoolOnContainerd } from './rules/already-containerd.js';
export { barePod } from './rules/bare-pod.js';
export { clusterVersion, MIN_CONTAINERD_VERSION } from './rules/cluster-version.js';
export { dockerCli } from './rules/docker-cli.js';
export { dockerDataDir } from './rules/docker-data-dir.js';
export { dockerSocket } from './rules/docker-socket.js';
export { emptydir } from './rules/emptydir.js';
export { maxParallel } from './rules/max-parallel.js';
export { pdbBlocking } from './rules/pdb-blocking.js';
export { nodesToMigrate, planForPrecheck, replicasOneBatch } from './rules/replicas-one-batch.js';
export { singleReplica } from './rules/single-replica.js';
export { systemDiskHostpath } from './rules/system-disk-hostpath.js';
export { PRECHECK_RULES, type PrecheckRule } from './rules.js';
export { type Subject, scanSubjects } from './subjects.js';
