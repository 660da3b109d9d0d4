import { describe, expect, it } from 'vitest';
import type { NodeTruth } from '../../../../src/domain/migration/events.js';
import { buildNodeReport } from '../../../../src/domain/migration/node-truth.js';
import { reconcileWithCluster } from '../../../../src/domain/migration/reconcile.js';
import { nodesDone, summarize } from '../../../../src/domain/migration/record.js';
import { stopTheLine } from '../../../../src/domain/migration/state-machine.js';
import { planned, T0 } from './fixtures.js';

const at = new Date(T0.getTime() + 600_000);
const truth = (node: string, condition: NodeTruth['condition']): NodeTruth => ({ node, condition, seen: node });

/** Batch 2 ([pool-a-2, pool-a-3]) stopped the line after batch 1 was verified. */
function stoppedAtBatch2() {
  const r = planned({ cursor: { step: 'execute', batch: 2, phase: 'started' } });
  const done = { step: 'done' as const, since: T0.toISOString(), outcome: 'done' as const };
  r.batches[0] = { ...r.batches[0]!, state: 'done', nodeStates: { 'pool-a-1': done } };
  r.batches[1] = { ...r.batches[1]!, state: 'running', startedAt: T0.toISOString(), nodeStates: {} };
  return stopTheLine(r, { batch: 2, node: undefined, reason: 'the migration job failed' }, 'n-1', T0);
}

describe('reconcileWithCluster', () => {
  it('marks done the nodes the cluster shows migrated, and a batch whose nodes all are', () => {
    const stopped = stoppedAtBatch2();
    expect(stopped.batches[1]!.state).toBe('failed');
    const report = buildNodeReport(at, [
      truth('pool-a-1', 'migrated'),
      truth('pool-a-2', 'migrated'),
      truth('pool-a-3', 'migrated'),
    ]);
    const r = reconcileWithCluster(stopped, report, at);
    expect(r.batches[1]!.state).toBe('done');
    expect(r.batches[1]!.nodeStates['pool-a-2']).toMatchObject({ step: 'done', outcome: 'done' });
    expect(nodesDone(r)).toBe(3);
    expect(summarize(r)).toMatchObject({ nodesDone: 3, nodesTotal: 3 });
    expect(r.results.find((x) => x.index === 2)?.nodes.map((n) => n.outcome)).toEqual(['done', 'done']);
    expect(r.timeline.filter((e) => e.step === 'done').map((e) => e.node)).toEqual(['pool-a-2', 'pool-a-3']);
    // The question stays open: a person still decides how to go on.
    expect(r.pending).toEqual(stopped.pending);
  });

  it('leaves a batch with a node mid-way as it was, and never touches a skipped node', () => {
    const stopped = stoppedAtBatch2();
    stopped.batches[1]!.nodeStates['pool-a-3'] = { step: 'skipped', since: T0.toISOString(), outcome: 'skipped' };
    const partial = reconcileWithCluster(
      stopped,
      buildNodeReport(at, [truth('pool-a-2', 'mid-way'), truth('pool-a-3', 'migrated')]),
      at,
    );
    expect(partial.batches[1]!.state).toBe('failed');
    expect(partial.batches[1]!.nodeStates['pool-a-3']!.outcome).toBe('skipped');
    expect(partial.batches[1]!.nodeStates['pool-a-2']).toBeUndefined();

    const rest = reconcileWithCluster(stopped, buildNodeReport(at, [truth('pool-a-2', 'migrated')]), at);
    expect(rest.batches[1]!.state).toBe('done');
    expect(rest.results.find((x) => x.index === 2)?.nodes).toEqual([
      expect.objectContaining({ node: 'pool-a-2', outcome: 'done' }),
      expect.objectContaining({ node: 'pool-a-3', outcome: 'skipped' }),
    ]);
  });

  it('changes nothing when the cluster could not be read, or in rotate mode', () => {
    const stopped = stoppedAtBatch2();
    const failed = { ...buildNodeReport(at, []), error: 'the Kubernetes API is down' };
    expect(reconcileWithCluster(stopped, failed, at)).toBe(stopped);
    const rotate = { ...stopped, mode: 'rotate' as const };
    expect(reconcileWithCluster(rotate, buildNodeReport(at, [truth('pool-a-2', 'migrated')]), at)).toBe(rotate);
  });
});
