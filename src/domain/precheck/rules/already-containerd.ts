import { isContainerd, isDocker } from '../../cluster/container-runtime.js';
import { finding, plural } from '../findings.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';

/**
 * The pool is configured for containerd and no node still runs Docker. Then the verdict is `nothing-to-do` and
 * this is the only finding: workload findings describe what a migration would break, and none will run. A pool
 * configured for containerd with Docker nodes left (an interrupted upgrade) is not done: it gets the full precheck.
 */
export function isPoolOnContainerd(input: PrecheckInput): boolean {
  return isContainerd(input.pool.runtime) && !input.snapshot.nodes.some((n) => isDocker(n.runtimeVersion));
}

export function alreadyContainerd(input: PrecheckInput): Finding[] {
  if (!isPoolOnContainerd(input)) return [];
  const { pool } = input;
  const version = pool.runtimeVersion ? ` ${pool.runtimeVersion}` : '';
  return [
    finding(
      'already-containerd',
      'info',
      { kind: 'NodePool', name: pool.name },
      `pool ${pool.name} already runs containerd${version} on ${plural(input.snapshot.nodes.length, 'node')}`,
      'Nothing to migrate here. Once every pool of the cluster runs containerd, the cluster can be upgraded to 1.24 or later.',
    ),
  ];
}
