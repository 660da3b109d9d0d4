import { describe, expect, it } from 'vitest';
import {
  buildPrecheckReport,
  type Finding,
  PRECHECK_RULES,
  RULE_IDS,
  sortFindings,
} from '../../../../src/domain/precheck/index.js';
import {
  ackCheckItem,
  clusterFacts,
  container,
  hostPathTemplate,
  poolFacts,
  precheckInput,
  SnapshotBuilder,
  template,
} from '../../../support/snapshot-builders.js';

/** A pool of 6 Docker nodes with the ordinary things every cluster runs. */
function ordinaryPool(): SnapshotBuilder {
  return new SnapshotBuilder()
    .nodeRange('pool-a', 6)
    .daemonSet('kube-proxy', {
      namespace: 'kube-system',
      template: hostPathTemplate(['/lib/modules', '/run/xtables.lock'], {
        image: 'registry.k8s.io/kube-proxy:v1.22.15',
      }),
    })
    .daemonSet('calico-node', {
      namespace: 'kube-system',
      template: hostPathTemplate(
        [
          '/etc/cni/net.d',
          '/opt/cni/bin',
          '/var/log/calico/cni',
          { path: '/proc', readOnly: true },
          '/var/run/calico',
          '/var/lib/calico',
          '/var/lib/cni/networks',
          { path: '/lib/modules', readOnly: true },
          '/sys/fs/bpf',
        ],
        { image: 'calico/node:v3.26.1', privileged: true },
      ),
    })
    .deployment('coredns', { namespace: 'kube-system', on: ['pool-a-1', 'pool-a-4'] })
    .pdb('coredns', { namespace: 'kube-system', disruptionsAllowed: 1 })
    .deployment('web', { on: ['pool-a-1', 'pool-a-2', 'pool-a-3'] })
    .pdb('web', { disruptionsAllowed: 1, maxUnavailable: 1 })
    .deployment('api', { on: ['pool-a-2', 'pool-a-5'] })
    .pdb('api', { disruptionsAllowed: 1, minAvailable: 1, expectedPods: 2 })
    .workload('StatefulSet', 'redis', { on: ['pool-a-3', 'pool-a-4', 'pool-a-6'] })
    .pdb('redis', { disruptionsAllowed: 1 });
}

describe('buildPrecheckReport', () => {
  it('finds nothing on ordinary workloads, kube-proxy and the CNI: ready, with a plan of node names', () => {
    const report = buildPrecheckReport(precheckInput(ordinaryPool().build()));
    expect(report).toEqual({
      cluster: { id: 'c-demo', version: '1.22.15-aliyun.1' },
      pool: { id: 'np-a', name: 'pool-a', runtime: 'docker', runtimeVersion: '19.03.15', nodes: 6 },
      verdict: 'ready',
      findings: [],
      plan: {
        maxParallel: 1,
        batches: [['pool-a-1'], ['pool-a-2'], ['pool-a-3'], ['pool-a-4'], ['pool-a-5'], ['pool-a-6']],
        estimatedMinutes: 48,
        containerdVersion: null,
      },
    });
    expect(Object.keys(report)).toEqual(['cluster', 'pool', 'verdict', 'findings', 'plan']);
  });

  it('names the containerd version ACK installs, and says when ACK offers none or cannot say', () => {
    const input = precheckInput(ordinaryPool().build());
    const named = buildPrecheckReport({ ...input, containerd: { kind: 'version', runtimeVersion: '1.6.28' } });
    expect(named.plan.containerdVersion).toBe('1.6.28');
    expect(named.verdict).toBe('ready');
    const none = buildPrecheckReport({ ...input, containerd: { kind: 'none' } });
    expect(none.verdict).toBe('blocked');
    expect(none.plan.containerdVersion).toBeNull();
    expect(none.findings).toEqual([
      expect.objectContaining({
        rule: 'containerd-target',
        severity: 'blocker',
        object: { kind: 'Cluster', name: 'c-demo' },
        message: 'ACK offers no containerd version for Kubernetes 1.22.15-aliyun.1',
      }),
    ]);
    const unknown = buildPrecheckReport({ ...input, containerd: { kind: 'unknown', reason: 'ACK timed out' } });
    expect(unknown.verdict).toBe('warnings');
    expect(unknown.findings.map((f) => [f.rule, f.severity, f.message])).toEqual([
      ['containerd-target', 'warning', 'could not look up the containerd version ACK installs: ACK timed out'],
    ]);
  });

  it('names every planted problem with the right rule, object and severity, and nothing else', () => {
    const snapshot = ordinaryPool()
      .daemonSet('node-agent', { namespace: 'monitoring', template: hostPathTemplate(['/var/run/docker.sock']) })
      .daemonSet('log-collector', {
        namespace: 'logging',
        template: hostPathTemplate([{ path: '/var/lib/docker/containers', readOnly: true }, '/var/log']),
      })
      .deployment('builder', {
        namespace: 'ci',
        on: ['pool-a-1', 'pool-a-5'],
        template: template({ containers: [container({ image: 'docker:24-dind', privileged: true })] }),
      })
      .deployment('legacy', { on: ['pool-a-2', 'pool-a-6'], template: hostPathTemplate(['/data/legacy']) })
      .deployment('cache', {
        on: ['pool-a-3', 'pool-a-5'],
        template: template({ volumes: [{ name: 'tmp', emptyDir: true }] }),
      })
      .deployment('solo', { on: ['pool-a-4'] })
      .deployment('payments', { on: ['pool-a-1', 'pool-a-6'] })
      .pdb('payments', { disruptionsAllowed: 0, maxUnavailable: 0 })
      .deployment('pinned', { on: ['pool-a-5', 'pool-a-5'] })
      .barePod('debug', 'pool-a-6')
      .build();
    // Parallelism 2 (batches 1, 2, 2, 1): with 3 batches the web and redis PDBs (one pod per batch) plus the
    // planted pairs cannot all be satisfied, and replicas-one-batch would rightly join the list.
    const report = buildPrecheckReport(
      precheckInput(snapshot, {
        maxParallel: 2,
        ackChecks: [ackCheckItem({ name: 'NodePoolStatus' }), ackCheckItem({ name: 'DiskUsage', passed: false })],
      }),
    );
    expect(report.verdict).toBe('blocked');
    expect(
      report.findings.map((f) => [f.severity, f.rule, f.object.kind, f.object.namespace ?? '', f.object.name]),
    ).toEqual([
      ['blocker', 'docker-socket', 'DaemonSet', 'monitoring', 'node-agent'],
      ['blocker', 'pdb-blocking', 'PodDisruptionBudget', 'default', 'payments'],
      ['warning', 'ack-check', 'NodePool', '', 'pool-a'],
      ['warning', 'docker-data-dir', 'DaemonSet', 'logging', 'log-collector'],
      ['warning', 'docker-cli', 'Deployment', 'ci', 'builder'],
      ['warning', 'system-disk-hostpath', 'Deployment', 'default', 'legacy'],
      ['warning', 'single-replica', 'Deployment', 'default', 'solo'],
      ['warning', 'replicas-one-batch', 'Deployment', 'default', 'pinned'],
      ['warning', 'bare-pod', 'Pod', 'default', 'debug'],
      ['warning', 'max-parallel', 'NodePool', '', 'pool-a'],
      ['info', 'emptydir', 'Deployment', 'default', 'cache'],
    ]);
    for (const f of report.findings) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.hint.length).toBeGreaterThan(10);
    }
    expect(report.plan.maxParallel).toBe(2);
    expect(report.plan.batches.map((b) => b.length)).toEqual([1, 2, 2, 1]);
    expect(report.plan.estimatedMinutes).toBe(32);
  });

  it('says warnings when the worst is a warning, and ready when only info remains', () => {
    const warn = ordinaryPool().barePod('debug', 'pool-a-1').build();
    expect(buildPrecheckReport(precheckInput(warn)).verdict).toBe('warnings');
    const info = ordinaryPool()
      .deployment('cache', {
        on: ['pool-a-1', 'pool-a-2'],
        template: template({ volumes: [{ name: 't', emptyDir: true }] }),
      })
      .build();
    const report = buildPrecheckReport(precheckInput(info));
    expect(report.verdict).toBe('ready');
    expect(report.findings.map((f) => f.rule)).toEqual(['emptydir']);
  });

  it('gives nothing-to-do for a pool already on containerd: that finding only, and an empty plan', () => {
    const snapshot = ordinaryPool()
      .daemonSet('node-agent', { namespace: 'monitoring', template: hostPathTemplate(['/var/run/docker.sock']) })
      .build();
    for (const n of snapshot.nodes) n.runtimeVersion = 'containerd://1.6.28';
    const report = buildPrecheckReport(
      precheckInput(snapshot, {
        pool: poolFacts({ runtime: 'containerd', runtimeVersion: '1.6.28' }),
        cluster: clusterFacts({ version: '1.18.8-aliyun.1' }),
      }),
    );
    expect(report.verdict).toBe('nothing-to-do');
    expect(report.findings.map((f) => [f.rule, f.severity])).toEqual([['already-containerd', 'info']]);
    expect(report.plan).toEqual({ maxParallel: 1, batches: [], estimatedMinutes: 0, containerdVersion: null });
  });

  it('plans only the nodes still on Docker in a half-migrated pool', () => {
    const snapshot = ordinaryPool().build();
    snapshot.nodes[0]!.runtimeVersion = 'containerd://1.6.28';
    snapshot.nodes[3]!.runtimeVersion = 'containerd://1.6.28';
    const report = buildPrecheckReport(precheckInput(snapshot, { pool: poolFacts({ runtime: 'containerd' }) }));
    expect(report.verdict).toBe('ready');
    expect(report.plan.batches.flat().sort()).toEqual(['pool-a-2', 'pool-a-3', 'pool-a-5', 'pool-a-6']);
  });

  it('clamps the plan to ACK maximum of 10 and says so', () => {
    const snapshot = new SnapshotBuilder().nodeRange('n', 300).build();
    const report = buildPrecheckReport(precheckInput(snapshot, { maxParallel: 25 }), { minutesPerBatch: 5 });
    expect(report.plan.maxParallel).toBe(10);
    expect(Math.max(...report.plan.batches.map((b) => b.length))).toBe(10);
    expect(report.plan.estimatedMinutes).toBe(report.plan.batches.length * 5);
    expect(report.findings.map((f) => f.rule)).toEqual(['max-parallel']);
  });

  it('gives the same report whatever order the gateway lists things in', () => {
    const snapshot = ordinaryPool()
      .deployment('web-2', { on: ['pool-a-2', 'pool-a-3'] })
      .pdb('web', { disruptionsAllowed: 0, matchLabels: { app: 'web' } })
      .pdb('both', { disruptionsAllowed: 1, matchLabels: { app: 'web-2' } })
      .pdb('both-too', { disruptionsAllowed: 1, matchLabels: { app: 'web-2' } })
      .deployment('solo', { on: ['pool-a-5'] })
      .barePod('debug', 'pool-a-1')
      .build();
    const report = buildPrecheckReport(precheckInput(snapshot, { maxParallel: 2 }));
    const reversed = {
      nodes: [...snapshot.nodes].reverse(),
      pods: [...snapshot.pods].reverse(),
      workloads: [...snapshot.workloads].reverse(),
      pdbs: [...snapshot.pdbs].reverse(),
    };
    expect(buildPrecheckReport(precheckInput(reversed, { maxParallel: 2 }))).toEqual(report);
    expect(report.findings.length).toBeGreaterThan(3);
  });

  it('has a rule for every rule id', () => {
    expect(Object.keys(PRECHECK_RULES).sort()).toEqual([...RULE_IDS].sort());
  });
});

describe('sortFindings', () => {
  it('orders by severity, rule, namespace, name (then kind and message), whatever the input order', () => {
    const f = (
      severity: Finding['severity'],
      rule: Finding['rule'],
      namespace: string | undefined,
      name: string,
    ): Finding => ({
      rule,
      severity,
      object: { kind: 'Deployment', ...(namespace === undefined ? {} : { namespace }), name },
      message: 'm',
      hint: 'h',
    });
    const sorted = [
      f('blocker', 'cluster-version', undefined, 'c-1'),
      f('blocker', 'docker-socket', 'a', 'x'),
      f('blocker', 'docker-socket', 'b', 'a'),
      f('warning', 'docker-cli', 'a', 'a'),
      f('warning', 'bare-pod', 'a', 'a'),
      f('info', 'emptydir', 'a', 'a'),
    ];
    expect(sortFindings([...sorted].reverse())).toEqual(sorted);
    expect(sortFindings([sorted[3]!, sorted[0]!, sorted[5]!, sorted[2]!, sorted[4]!, sorted[1]!])).toEqual(sorted);
  });
});
