/** Builds the progress events of a whole migration, as a worker would emit them, for notifier tests. */
import type {
  BatchResult,
  MigrationSummary,
  NodeStep,
  NodeTimelineEntry,
  Origin,
  ProgressEvent,
} from '../../../src/domain/migration/events.js';

export const STEPS: NodeStep[] = [
  'cordon',
  'drain',
  'stop',
  'replace-disk',
  'init',
  'start',
  'ready',
  'verify',
  'done',
];

export interface Scenario {
  origin?: Origin;
  plan?: string[][];
  /** Production batches wait for an approval. */
  approvals?: boolean;
  /** Fail this node at this step (stop-the-line), then retry it successfully. */
  failure?: { node: string; step: NodeStep };
}

export function migrationEvents(scenario: Scenario = {}): ProgressEvent[] {
  const origin: Origin = scenario.origin ?? {
    platform: 'slack',
    channel: 'C-test',
    userId: 'U-req',
    userName: 'alice',
  };
  const plan = scenario.plan ?? [['pool-a-1'], ['pool-a-2', 'pool-a-3'], ['pool-a-4', 'pool-a-5', 'pool-a-6']];
  const approvals = scenario.approvals ?? true;
  const total = plan.flat().length;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const at = (advanceSeconds = 0) => {
    clock += advanceSeconds * 1000;
    return new Date(clock).toISOString();
  };
  const startedAt = at();
  const summary: MigrationSummary = {
    migrationId: 'mig-pool-a-01JTEST',
    clusterId: 'c-demo',
    poolId: 'np-a',
    poolName: 'pool-a',
    mode: 'in-place',
    state: 'running',
    origin,
    nodesTotal: total,
    nodesDone: 0,
    currentBatch: undefined,
    batchCount: plan.length,
    etaMinutes: plan.length * 8,
    startedAt,
    updatedAt: startedAt,
  };
  const snap = (patch: Partial<MigrationSummary>): MigrationSummary => {
    Object.assign(summary, patch, { updatedAt: new Date(clock).toISOString() });
    return { ...summary };
  };
  const sizes = plan.map((nodes) => [nodes.length]);
  const events: ProgressEvent[] = [{ type: 'migration.started', at: at(), migration: snap({}), plan: sizes }];
  const timeline: NodeTimelineEntry[] = [];
  const results: BatchResult[] = [];
  let nonce = 0;
  plan.forEach((nodes, i) => {
    const index = i + 1;
    const batch = {
      index,
      nodes,
      evictions: [
        { workload: 'web/Deployment/frontend', pods: nodes.length * 2 },
        { workload: 'shop/StatefulSet/cart', pods: 1 },
      ],
    };
    if (approvals) {
      events.push({
        type: 'batch.awaiting-approval',
        at: at(1),
        migration: snap({ state: 'awaiting-approval', currentBatch: index }),
        batch,
        approval: {
          nonce: `n${++nonce}`,
          expiresAt: '2026-01-02T00:00:00Z',
          subject: 'batch',
          approvers: ['U-boss'],
        },
        lastBatch: results.at(-1),
      });
    }
    const batchStart = clock;
    events.push({
      type: 'batch.started',
      at: at(30),
      migration: snap({ state: 'running', currentBatch: index }),
      batch,
      ...(approvals ? { approvedBy: 'U-boss' } : {}),
    });
    for (const step of STEPS) {
      for (const node of nodes) {
        if (scenario.failure?.node === node && scenario.failure.step === step) {
          const failEntry: NodeTimelineEntry = { node, step: 'failed', at: at(5), detail: 'InstanceStartFailed' };
          events.push({
            type: 'node.step',
            at: failEntry.at,
            migration: snap({}),
            batch: index,
            entry: failEntry,
          });
          events.push({
            type: 'migration.failed',
            at: at(1),
            migration: snap({ state: 'paused', reason: `${node}: InstanceStartFailed` }),
            batch: index,
            node,
            reason: 'ECS StartInstance failed: InstanceStartFailed',
            approval: { nonce: `f${++nonce}`, expiresAt: '2026-01-02T00:00:00Z', subject: 'batch', approvers: [] },
          });
          events.push({
            type: 'migration.state',
            at: at(60),
            migration: snap({ state: 'running', reason: undefined }),
            by: 'U-boss',
            reason: 'retry',
          });
        }
        const entry: NodeTimelineEntry = { node, step, at: at(step === 'init' ? 60 : 10) };
        if (step === 'verify') entry.detail = 'disk d-old → d-new, IP and MAC unchanged';
        timeline.push(entry);
        const done = step === 'done' ? summary.nodesDone + 1 : summary.nodesDone;
        events.push({ type: 'node.step', at: entry.at, migration: snap({ nodesDone: done }), batch: index, entry });
      }
    }
    const seconds = (clock - batchStart) / 1000;
    const result: BatchResult = { index, seconds, nodes: nodes.map((node) => ({ node, outcome: 'done', seconds })) };
    results.push(result);
    events.push({
      type: 'batch.finished',
      at: at(1),
      migration: snap({ etaMinutes: (plan.length - index) * 8 }),
      result,
    });
  });
  events.push({
    type: 'migration.finished',
    at: at(1),
    migration: snap({ state: 'completed', currentBatch: undefined, etaMinutes: 0 }),
    timeline,
    batches: results,
  });
  return events;
}
