import { describe, expect, it } from 'vitest';
import { buildFailureAlert } from '../../../../src/chat/core/messages/approval.js';
import { buildFinalSummary } from '../../../../src/chat/core/messages/final.js';
import { applyEvent, emptyView, type MigrationView } from '../../../../src/chat/core/migration-view.js';
import { renderPlainText } from '../../../../src/chat/core/render-text.js';
import type { MigrationSummary, NodeReport } from '../../../../src/domain/migration/events.js';

const summary = (over: Partial<MigrationSummary> = {}): MigrationSummary => ({
  migrationId: 'mig-pool-a-01',
  clusterId: 'c-demo',
  poolId: 'np-a',
  poolName: 'pool-a',
  mode: 'in-place',
  state: 'aborted',
  origin: { platform: 'slack', channel: 'C1', userId: 'U-req' },
  nodesTotal: 3,
  nodesDone: 1,
  currentBatch: undefined,
  batchCount: 2,
  etaMinutes: 0,
  startedAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:20:00Z',
  reason: 'aborted by U-req (slack)',
  ...over,
});

const report: NodeReport = {
  at: '2026-01-01T00:20:00Z',
  migrated: 1,
  untouched: 1,
  midWay: 1,
  nodes: [
    { node: 'pool-a-1', condition: 'migrated', seen: 'pool-a-1 runs containerd://1.6.28, Ready, on a new system disk' },
    { node: 'pool-a-2', condition: 'untouched', seen: 'pool-a-2 still runs docker, Ready and schedulable' },
    {
      node: 'pool-a-3',
      condition: 'mid-way',
      seen: 'pool-a-3 is cordoned and NotReady after an interrupted upgrade',
      todo: 'check it in the ACK console, then `kubectl uncordon pool-a-3` or remove it',
    },
  ],
};

describe('the final summary with the node report', () => {
  it('states what is true of every node, with what to do, and counts what the cluster shows', () => {
    let view: MigrationView | undefined = emptyView(summary());
    view = applyEvent(view, {
      type: 'migration.finished',
      at: '2026-01-01T00:20:00Z',
      migration: summary(),
      timeline: [
        { node: 'pool-a-3', step: 'drain', at: '2026-01-01T00:10:00Z' },
        { node: 'pool-a-3', step: 'failed', at: '2026-01-01T00:15:00Z' },
      ],
      batches: [{ index: 1, seconds: 480, nodes: [{ node: 'pool-a-1', outcome: 'done', seconds: 480 }] }],
      nodeReport: report,
    });
    const message = buildFinalSummary(view);
    expect(message.text).toBe('Migration of pool-a aborted: 1/3 nodes on containerd in 20m');
    expect(message.fields).toContainEqual({ label: 'Nodes migrated', value: '1/3' });
    expect(message.fields).toContainEqual({ label: 'Untouched / left mid-way', value: '1 / 1' });
    const text = renderPlainText(message);
    expect(text).toContain('docker → containerd on 1 node');
    expect(text).toContain('Untouched (still on Docker, schedulable): `pool-a-2`');
    expect(text).toContain(
      'pool-a-3 is cordoned and NotReady after an interrupted upgrade: check it in the ACK console, then `kubectl uncordon pool-a-3` or remove it',
    );
    // The row says what the node is, not the last step seen of it.
    expect(message.timeline?.find((r) => r.node === 'pool-a-3')?.step).toBe('⚠️ left mid-way');
  });

  it('says so when the cluster could not be read, and falls back on the record', () => {
    const view = emptyView(summary());
    view.finished = {
      at: '2026-01-01T00:20:00Z',
      timeline: [],
      batches: [{ index: 1, seconds: 480, nodes: [{ node: 'pool-a-1', outcome: 'done', seconds: 480 }] }],
      nodeReport: {
        ...report,
        migrated: 0,
        untouched: 0,
        midWay: 0,
        nodes: [],
        error: 'the cluster could not be read: down',
      },
    };
    const message = buildFinalSummary(view);
    expect(message.fields).toContainEqual({ label: 'Nodes migrated', value: '1/3' });
    expect(renderPlainText(message)).toContain('the cluster could not be read: down');
  });
});

describe('the failure alert', () => {
  const failure = (resume?: {
    needsApproval: boolean;
    batch: number;
    by: Array<{ platform: 'slack'; userId: string }>;
  }) => ({
    at: '2026-01-01T00:10:00Z',
    batch: 2,
    node: undefined,
    reason: 'the migration job failed: job stalled more than allowable limit',
    approval: {
      nonce: 'n-1',
      expiresAt: '2026-02-01T00:00:00Z',
      subject: 'batch' as const,
      approvers: ['U-req', 'U-boss'],
    },
    ...(resume ? { resume } : {}),
  });

  it('names who may resume when resuming re-runs a production batch', () => {
    const text = renderPlainText(
      buildFailureAlert(
        summary({ state: 'paused' }),
        failure({ needsApproval: true, batch: 2, by: [{ platform: 'slack', userId: 'U-boss' }] }),
      ),
    );
    expect(text).toContain(
      'Resuming re-runs batch 2 of a production migration: it needs an approver other than U-req: U-boss (slack)',
    );
  });

  it('says the requester may resume when nothing is left to migrate', () => {
    const text = renderPlainText(
      buildFailureAlert(summary({ state: 'paused' }), failure({ needsApproval: false, batch: 2, by: [] })),
    );
    expect(text).toContain('Every node is already migrated');
  });
});
