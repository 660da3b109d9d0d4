/**
 * The cluster gateway on 1.20, 1.21 and 1.22 clusters: it discovers once per cluster what the cluster serves and
 * reads PDBs and CronJobs, evicts and checks workloads in those versions. And the by-node read of a pool's pods
 * gives the same snapshot, and so the same findings, as paging through every pod of the cluster.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../src/domain/cluster/snapshot.js';
import { buildPrecheckReport } from '../../../src/domain/precheck/index.js';
import { KubeClusterGateway } from '../../../src/gateways/cluster/kube-cluster-gateway.js';
import { loadKubeConfig } from '../../../src/gateways/cluster/kube-config.js';
import { PAGE_LIMIT } from '../../../src/gateways/cluster/raw-client.js';
import { generateScaleScenario } from '../../../src/sandbox/scenario/index.js';
import { parseManifestText } from '../../../src/sandbox/scenario/load-scenario.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';

const ORPHAN_REPLICASET = `
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: log-shipper, namespace: team-1 }
spec:
  replicas: 2
  selector: { matchLabels: { app: log-shipper } }
  template:
    metadata: { labels: { app: log-shipper } }
    spec:
      nodeSelector: { alibabacloud.com/nodepool-id: np-1 }
      containers:
        - name: shipper
          image: registry.cn-hangzhou.aliyuncs.com/ops/log-shipper:2.1
          volumeMounts: [{ name: sock, mountPath: /var/run/docker.sock }]
      volumes: [{ name: sock, hostPath: { path: /var/run/docker.sock } }]
`;

const SCENARIOS = new URL('../../../src/sandbox/scenarios/', import.meta.url).pathname;

describe.each(['1.20', '1.21', '1.22'])('KubeClusterGateway on Kubernetes %s', (minor) => {
  let sandbox: Sandbox;
  let gateway: KubeClusterGateway;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenarioPath: `${SCENARIOS}k8s-${minor}.yaml`, timeScale: 0.01 });
    gateway = new KubeClusterGateway(loadKubeConfig(sandbox.kubeconfig));
  });
  afterAll(async () => {
    gateway?.close();
    await sandbox?.stop();
  });

  it('snapshots a pool with its PDBs and CronJobs in the served versions, discovering once', async () => {
    const snap = await gateway.snapshotPool('np-a');
    expect(snap.pdbs.find((p) => p.name === 'billing')).toMatchObject({ namespace: 'legacy', minAvailable: 2 });
    expect(snap.workloads.map((w) => `${w.ref.kind}/${w.ref.name}`)).toEqual(
      expect.arrayContaining(['CronJob/image-prune', 'Deployment/billing']),
    );
    await gateway.snapshotPool('np-b');
    const [cron] = await gateway.workloadStatus([{ kind: 'CronJob', namespace: 'legacy', name: 'image-prune' }]);
    expect(cron).toMatchObject({ desired: 0, ready: 0 });
    const discovery = gateway.stats().calls['discovery'];
    // /apis, /api/v1, then the group-versions tried for PDBs and CronJobs (preferred first).
    expect(discovery).toBe(minor === '1.20' ? 5 : 4);
  });

  it('evicts in the Eviction version the cluster takes', async () => {
    const pod = sandbox.world.listNodes('np-r').flatMap((n) => sandbox.world.podsOnNode(n.name))[0]!;
    const pods = sandbox.world.podsOnNode(pod.nodeName!).filter((p) => p.group?.kind === 'ReplicaSet');
    expect(await gateway.evictPod(pods[0]!.namespace, pods[0]!.name)).toEqual({ status: 'evicted' });
    expect(sandbox.world.workloads.pods.get(pods[0]!.namespace, pods[0]!.name)).toBeUndefined();
  });
});

function sortedSnapshot(s: ClusterSnapshot): ClusterSnapshot {
  const by =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  return {
    nodes: [...s.nodes].sort(by((n) => n.name)),
    pods: [...s.pods].sort(by((p) => `${p.namespace}/${p.name}`)),
    workloads: [...s.workloads].sort(by((w) => `${w.ref.kind}/${w.ref.namespace}/${w.ref.name}`)),
    pdbs: [...s.pdbs].sort(by((p) => `${p.namespace}/${p.name}`)),
  };
}

describe('reading a pool node by node', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    const scenario = generateScaleScenario({ nodes: 240, podsPerNode: 20, pools: 4 });
    // The demo's planted problems, on np-1: every precheck rule has something to find.
    const planted = readFileSync(`${SCENARIOS}demo/planted.yaml`, 'utf8').replaceAll('np-a', 'np-1');
    scenario.manifests.push(...parseManifestText(planted, 'planted.yaml'));
    // A ReplicaSet of its own (no Deployment) whose pods mount docker.sock on the pool: read whole, not as metadata.
    scenario.manifests.push(...parseManifestText(ORPHAN_REPLICASET, 'orphan.yaml'));
    sandbox = await startSandbox({ scenario, timeScale: 0.01 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('gives the same snapshot and every finding of the full read, without listing the other pools', async () => {
    const byNode = new KubeClusterGateway(loadKubeConfig(sandbox.kubeconfig));
    const full = new KubeClusterGateway(loadKubeConfig(sandbox.kubeconfig), { podRead: 'full-list' });
    try {
      const [a, b] = await Promise.all([byNode.snapshotPool('np-1'), full.snapshotPool('np-1')]);
      expect(a.pods.length).toBeGreaterThan(60 * 20 - 1);
      expect(sortedSnapshot(a)).toEqual(sortedSnapshot(b));
      const input = (snapshot: ClusterSnapshot) => ({
        cluster: { id: 'c-scale', name: 'scale', region: 'cn-hangzhou', version: '1.22.15-aliyun.1', state: 'running' },
        pool: {
          id: 'np-1',
          name: 'pool-1',
          runtime: 'docker',
          runtimeVersion: '19.03.15',
          nodeCount: 60,
          instanceTypes: ['ecs.g7.xlarge'],
          labels: {},
        },
        snapshot,
        ackChecks: [],
        maxParallel: undefined,
      });
      const fromNodes = buildPrecheckReport(input(a));
      const fromAll = buildPrecheckReport(input(b));
      expect(fromNodes.findings.length).toBeGreaterThanOrEqual(8);
      expect(fromNodes).toEqual(fromAll);
      const orphan = { kind: 'ReplicaSet', namespace: 'team-1', name: 'log-shipper' };
      expect(a.workloads.map((w) => w.ref)).toContainEqual(orphan);
      expect(fromNodes.findings).toContainEqual(expect.objectContaining({ rule: 'docker-socket', object: orphan }));
      // The pool's read takes the ReplicaSets' metadata and reads only the ownerless one whole.
      expect(byNode.stats().calls['get replicasets']).toBe(1);
      expect(full.stats().calls['get replicasets']).toBeUndefined();
      // One pod list per node of the pool (each fits a page) against the whole cluster's pages.
      expect(byNode.stats().calls['list pods']).toBe(60);
      expect(full.stats().calls['list pods']).toBe(Math.ceil(sandbox.world.workloads.pods.size / PAGE_LIMIT));
    } finally {
      byNode.close();
      full.close();
    }
  });
});
