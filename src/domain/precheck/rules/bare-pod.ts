import { isBarePod, isFinished } from '../../cluster/pod-roles.js';
import { podsOnPool } from '../../cluster/pool-index.js';
import { finding } from '../findings.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';

/** A running pod with no controller (not a mirror pod): the drain deletes it and nothing brings it back. */
export function barePod(input: PrecheckInput): Finding[] {
  return podsOnPool(input.snapshot)
    .filter((pod) => isBarePod(pod) && !isFinished(pod))
    .map((pod) =>
      finding(
        'bare-pod',
        'warning',
        { kind: 'Pod', namespace: pod.namespace, name: pod.name },
        `has no controller: draining ${pod.nodeName} deletes it and nothing recreates it`,
        'Run it under a Deployment, StatefulSet or Job before the migration, or save what it needs and accept that it is deleted.',
      ),
    );
}
