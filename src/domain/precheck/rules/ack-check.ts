import type { ObjectRef } from '../../cluster/snapshot.js';
import { finding } from '../findings.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';

/** Each failed item of ACK's own NodePoolUpgrade check, with ACK's severity; the object is the node it names, else the pool. */
export function ackCheck(input: PrecheckInput): Finding[] {
  const nodeNames = new Set(input.snapshot.nodes.map((n) => n.name));
  return input.ackChecks
    .filter((item) => !item.passed)
    .map((item) => {
      const object: ObjectRef =
        item.target && nodeNames.has(item.target)
          ? { kind: 'Node', name: item.target }
          : { kind: 'NodePool', name: input.pool.name };
      const detail = item.message.trim() ? `: ${item.message.trim()}` : '';
      return finding(
        'ack-check',
        item.level,
        object,
        `ACK's node pool upgrade check "${item.name}" failed${detail}`,
        "Fix what ACK's check reports (ACK console → node pool → upgrade → precheck shows the same item), then run the precheck again.",
      );
    });
}
