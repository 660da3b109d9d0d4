import { describe, expect, it } from 'vitest';
import { buildApprovalRequest, buildFailureAlert } from '../../../../src/chat/core/messages/approval.js';
import { buildError, buildFaqAnswer, buildHelp, buildStatus } from '../../../../src/chat/core/messages/basic.js';
import { buildBatchProgress } from '../../../../src/chat/core/messages/batch.js';
import { buildFinalSummary } from '../../../../src/chat/core/messages/final.js';
import { buildMigrationCard, buildMigrationSummary } from '../../../../src/chat/core/messages/migration.js';
import { buildPrecheckMessage, buildPrecheckReport } from '../../../../src/chat/core/messages/precheck.js';
import { type BatchView, emptyView, type MigrationView } from '../../../../src/chat/core/migration-view.js';
import { renderPlainText } from '../../../../src/chat/core/render-text.js';
import { toMarkdown } from '../../../../src/chat/dingtalk/render.js';
import { renderMessage } from '../../../../src/chat/slack/render-blocks.js';
import type { Finding, PrecheckReport } from '../../../../src/domain/precheck/report.js';
import { summary } from '../../bot/fake-migration-service.js';

function finding(i: number, severity: Finding['severity']): Finding {
  return {
    rule: severity === 'blocker' ? 'docker-socket' : 'single-replica',
    severity,
    object: { kind: 'Deployment', namespace: 'ns', name: `app-${i}` },
    message: `problem ${i}`,
    hint: `fix ${i}`,
  };
}

const report = (findings: Finding[], verdict: PrecheckReport['verdict'] = 'warnings'): PrecheckReport => ({
  cluster: { id: 'c-demo', version: '1.22.15-aliyun.1' },
  pool: { id: 'np-a', name: 'pool-a', runtime: 'docker', runtimeVersion: '19.03.15', nodes: 6 },
  verdict,
  findings,
  plan: {
    maxParallel: 2,
    batches: [['pool-a-1'], ['pool-a-2', 'pool-a-3']],
    estimatedMinutes: 16,
    containerdVersion: '1.6.28',
  },
});

const batch = (patch: Partial<BatchView> = {}): BatchView => ({
  index: 2,
  nodes: ['pool-a-2', 'pool-a-3'],
  evictions: [
    { workload: 'shop/StatefulSet/cart', pods: 1 },
    { workload: 'web/Deployment/frontend', pods: 4 },
  ],
  phase: 'awaiting-approval',
  progress: {},
  ...patch,
});

describe('precheck messages', () => {
  it('groups findings by severity, blockers first, each with its hint, then the plan and ETA', () => {
    const text = renderPlainText(
      buildPrecheckReport(report([finding(1, 'warning'), finding(2, 'blocker')], 'blocked')),
    );
    expect(text.indexOf('Blockers (1)')).toBeLessThan(text.indexOf('Warnings (1)'));
    expect(text).toContain('`Deployment ns/app-2` (docker-socket): problem 2 → fix 2');
    expect(text).toContain('2 batches (1, 2), max parallel 2, to containerd 1.6.28, ETA ~16m');
    expect(text).toContain('Batch 2: `pool-a-2`, `pool-a-3`');
    expect(text).toContain('Fix the blockers');
  });

  it('shows every finding of a thread report up to its bound, and caps a one-message report', () => {
    const many = Array.from({ length: 250 }, (_, i) => finding(i, 'warning'));
    const whole = renderPlainText(buildPrecheckReport(report(many)));
    expect(whole).toContain('Warnings (250)');
    for (const i of [0, 123, 249]) expect(whole).toContain(`problem ${i}`);
    const capped = renderPlainText(buildPrecheckReport(report(many), 10));
    expect(capped).toContain('… and 240 more');
    expect(capped.length).toBeLessThan(4000);
  });

  it('gives platforms without threads one message with verdict, findings and a mention of the requester', () => {
    const origin = { platform: 'dingtalk' as const, channel: 'cid', userId: 'staff-1' };
    const message = buildPrecheckMessage(report([finding(1, 'warning')]), origin);
    expect(message.fields?.find((f) => f.label === 'Verdict')?.value).toContain('warnings');
    expect(renderPlainText(message)).toContain('problem 1');
    expect(message.mentions).toEqual(['staff-1']);
  });
});

describe('migration messages', () => {
  it('summarises pool, state, nodes with a progress bar, batch, ETA and requester', () => {
    const message = buildMigrationSummary(emptyView(summary({ state: 'paused', reason: 'pool-a-3 not Ready' })));
    expect(message.progress).toEqual({ done: 2, total: 6 });
    const text = renderPlainText(message);
    expect(text).toContain('▰▰▰▱▱▱▱▱▱▱ 2/6');
    expect(text).toMatch(/State: ⏸️ paused \| Nodes: 2\/6 \| Batch: 2 of 3 \| ETA: ~16m \| Requested by: U-req/);
    expect(text).toContain('Why*: pool-a-3 not Ready');
  });

  it('asks for approval with the nodes, the evictions by workload, the last batch and Approve/Reject', () => {
    const message = buildApprovalRequest({
      summary: summary(),
      batch: batch(),
      approval: { nonce: 'n-7', expiresAt: '2026-01-02T00:00:00Z', subject: 'batch', approvers: ['U-boss'] },
      lastBatch: { index: 1, seconds: 490, nodes: [{ node: 'pool-a-1', outcome: 'done', seconds: 490 }] },
    });
    const text = renderPlainText(message);
    expect(text).toContain('Nodes* (2): `pool-a-2`, `pool-a-3`');
    expect(text).toMatch(
      /Evicts 5 pods\* from 2 workloads:\n- `web\/Deployment\/frontend`: 4 pods\n- `shop\/StatefulSet\/cart`: 1 pod/,
    );
    expect(text).toContain('Last batch*: batch 1: 1 done in 8m10s');
    expect(message.buttons?.map((b) => [b.label, b.style, b.payload.decision, b.payload.nonce, !!b.confirm])).toEqual([
      ['Approve batch 2', 'primary', 'approve', 'n-7', false],
      ['Reject', 'danger', 'reject', 'n-7', true],
    ]);
  });

  it('shows a failure with what and why, mentions the requester, and offers Retry / Skip node / Abort', () => {
    const failure = {
      at: '2026-01-01T00:10:00Z',
      batch: 2,
      node: 'pool-a-3',
      reason: 'node not Ready after 10m',
      approval: { nonce: 'f-1', expiresAt: '', subject: 'batch' as const, approvers: [] },
    };
    const open = buildFailureAlert(summary(), failure);
    expect(open.mentions).toEqual(['U-req']);
    expect(renderPlainText(open)).toContain('Why*: node not Ready after 10m');
    expect(open.buttons?.map((b) => b.label)).toEqual(['Retry', 'Skip node', 'Abort']);
    expect(open.buttons?.filter((b) => b.confirm).map((b) => b.label)).toEqual(['Skip node', 'Abort']);
    const closed = buildFailureAlert(summary(), { ...failure, resolution: 'Aborted by U-boss' });
    expect(closed.buttons).toBeUndefined();
    expect(renderPlainText(closed)).toContain('Resolved*: Aborted by U-boss');
  });

  it('offers Skip node only with its button: a failure without a single node (rotate drain) has Retry / Abort', () => {
    const failure = {
      at: '2026-01-01T00:10:00Z',
      batch: 1,
      node: undefined,
      reason: 'drain of batch 1 timed out',
      approval: { nonce: 'f-2', expiresAt: '', subject: 'batch' as const, approvers: [] },
    };
    const open = buildFailureAlert(summary({ mode: 'rotate' }), failure);
    expect(open.buttons?.map((b) => b.label)).toEqual(['Retry', 'Abort']);
    expect(renderPlainText(open)).not.toMatch(/skip/i);
  });

  it('times each node through its steps in the batch message', () => {
    const view = batch({
      phase: 'running',
      approvedBy: 'U-boss',
      progress: {
        'pool-a-2': {
          node: 'pool-a-2',
          step: 'done',
          steps: [
            { step: 'cordon', at: '2026-01-01T00:00:00Z' },
            { step: 'drain', at: '2026-01-01T00:00:05Z' },
            { step: 'done', at: '2026-01-01T00:02:05Z' },
          ],
        },
        'pool-a-3': { node: 'pool-a-3', step: 'drain', steps: [{ step: 'drain', at: '2026-01-01T00:00:00Z' }] },
      },
    });
    const message = buildBatchProgress(summary(), view);
    expect(message.header).toContain('running, 1/2 nodes finished');
    expect(message.timeline).toEqual([
      { node: 'pool-a-2', step: '✅ done', duration: '2m5s', detail: 'cordon 5s › drain 2m › ✅ done' },
      { node: 'pool-a-3', step: 'drain', detail: 'drain' },
    ]);
    expect(message.context).toContain('Approved by U-boss');
  });

  it('ends with a per-node timeline, durations and what changed, naming skipped nodes', () => {
    const view: MigrationView = {
      ...emptyView(summary({ state: 'completed', nodesDone: 2, nodesTotal: 3 })),
      finished: {
        at: '2026-01-01T00:30:00Z',
        timeline: [
          { node: 'pool-a-1', step: 'cordon', at: '2026-01-01T00:01:00Z' },
          { node: 'pool-a-1', step: 'done', at: '2026-01-01T00:09:00Z' },
        ],
        batches: [
          { index: 1, seconds: 480, nodes: [{ node: 'pool-a-1', outcome: 'done', seconds: 480 }] },
          {
            index: 2,
            seconds: 600,
            nodes: [
              { node: 'pool-a-2', outcome: 'done', seconds: 590 },
              { node: 'pool-a-3', outcome: 'skipped', seconds: 10, detail: 'skipped by U-boss' },
            ],
          },
        ],
      },
    };
    const message = buildFinalSummary(view);
    expect(message.timeline?.map((r) => [r.node, r.step, r.duration])).toEqual([
      ['pool-a-1', '✅ done', '8m'],
      ['pool-a-2', '✅ done', '9m50s'],
      ['pool-a-3', '⏭️ skipped', '10s'],
    ]);
    const text = renderPlainText(message);
    expect(text).toContain('docker → containerd on 2 nodes');
    expect(text).toContain('private IPs, MACs and data disks unchanged');
    expect(text).toContain('Skipped, still on Docker: `pool-a-3`');
    expect(text).toContain('/migrate cleanup pool-a');
    expect(message.fields?.find((f) => f.label === 'Duration')?.value).toBe('30m');
  });

  it('puts the approval and its buttons on the one card of a platform without threads', () => {
    const view = emptyView(summary({ state: 'awaiting-approval' }));
    view.batches[2] = batch({
      approval: { nonce: 'n-9', expiresAt: '2026-01-02T00:00:00Z', subject: 'batch', approvers: [] },
    });
    const card = buildMigrationCard(view);
    expect(card.fields?.find((f) => f.label === 'State')?.value).toContain('awaiting approval');
    expect(card.buttons?.map((b) => b.label)).toEqual(['Approve batch 2', 'Reject']);
    expect(renderPlainText(card)).toContain('web/Deployment/frontend');
  });
});

describe('short answers', () => {
  it('renders an error as one line', () => {
    const message = buildError('unknown command "x".\nUsage: /migrate help');
    expect(message.text).toBe('⚠️ unknown command "x". Usage: /migrate help');
  });

  it('gives the usage for help, one command per line on every platform', () => {
    const help = buildHelp();
    expect(help.text).toContain('precheck <pool>');
    const lines = (help.body ?? []).flatMap((p) => p.split('\n')).filter((l) => l.startsWith('- '));
    for (const verb of ['precheck', 'plan', 'start', 'status', 'pause', 'resume', 'abort', 'history', 'cleanup']) {
      expect(
        lines.filter((l) => l.startsWith(`- \`/migrate ${verb} `)),
        verb,
      ).toHaveLength(1);
    }
    expect(lines.find((l) => l.includes('/migrate precheck'))).toMatch(/: impact report and batch plan$/);
    // Slack: a bullet per command; DingTalk markdown: a list item per command (a bare "\n" would run together).
    const slack = JSON.stringify(renderMessage(help).blocks);
    expect(slack.match(/• `\/migrate /g)?.length).toBe(lines.length);
    expect(toMarkdown(help).text.match(/^- \/migrate /gm)?.length).toBe(lines.length);
  });

  it('splits an FAQ answer into paragraphs and names its topic', () => {
    const message = buildFaqAnswer(
      { title: 'Rollback', answer: 'No.\n\nAbort keeps done nodes.', topic: 'rollback', confidence: 0.9, lang: 'en' },
      'can we roll back?',
    );
    expect(message.body).toEqual(['No.', 'Abort keeps done nodes.']);
    expect(message.context).toBe('Q: can we roll back? · FAQ · rollback');
  });

  it('lists migrations for status, or says there are none', () => {
    expect(buildStatus([]).text).toBe('No running or paused migrations.');
    expect(renderPlainText(buildStatus([summary()]))).toContain(
      '*pool-a* (c-demo): 🔄 running · 2/6 nodes · batch 2/3',
    );
  });
});
