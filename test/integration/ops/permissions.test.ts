/**
 * Permissions inventory: the worker's Kubernetes ClusterRole (deploy/kubernetes/rbac.yaml) and RAM policy
 * (deploy/ram-policy.json) must grant exactly what the code calls — nothing missing, nothing unused.
 *
 * How the inventory is collected (evidence from real calls first, then a static net):
 * 1. Kubernetes: the real KubeClusterGateway talks to the sandbox's Kubernetes API through a recording proxy
 *    (kube-recorder.ts). Every public gateway method is called once (CLUSTER_CALLS); each HTTP request is turned into
 *    the verb + group + resource the apiserver's authorizer sees (src/ops/kube-request-info.ts).
 * 2. Cloud: the real AlicloudCloudGateway makes signed calls to the sandbox's ACK/ECS server; every public method is
 *    called once (CLOUD_CALLS). The actions come from the gateway's own per-action counter, cross-checked with the
 *    sandbox's GET /sandbox/stats (what the server saw). ROA/RPC action names map to RAM actions as `cs:Name` /
 *    `ecs:Name`.
 * 3. Static net (gateway-scan.ts, TypeScript parser over src/gateways/**): the public methods of both gateway classes
 *    must be exactly the keys of CLUSTER_CALLS / CLOUD_CALLS, so a method added later fails here until it is
 *    exercised; every action name passed to roa()/rpc() must have been observed (or be listed in DEAD_ACTIONS with
 *    the reason); every client-node API call and every Kubernetes path literal must map to an observed resource.
 * 4. ACK stops and starts instances and replaces system disks itself, under its own service role, during
 *    UpgradeClusterNodepool: the sandbox records those per instance, never as calls of ours, and the RAM policy
 *    must not grant them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createCloudGateway, createClusterGateway } from '../../../src/app/gateways.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { WorkloadKind } from '../../../src/domain/cluster/snapshot.js';
import type { AlicloudCloudGateway } from '../../../src/gateways/cloud/alicloud-cloud-gateway.js';
import type { KubeClusterGateway } from '../../../src/gateways/cluster/kube-cluster-gateway.js';
import { kubeRequestInfo, permissionKey } from '../../../src/ops/kube-request-info.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import { until } from '../../support/wait.js';
import { cloudActionUses, kubeClientCalls, kubePaths, publicMethods } from './gateway-scan.js';
import { type KubeRecorder, startKubeRecorder } from './kube-recorder.js';

const ROOT = join(import.meta.dirname, '../../..');
const CLUSTER = 'c-demo';

/** Actions the gateway source names but no gateway method reaches; they must not be granted. */
const DEAD_ACTIONS: Record<string, string> = {};

/** ECS operations ACK performs itself during an in-place upgrade (its service role), never the worker. */
const ACK_OWN_OPERATIONS = ['StopInstance', 'StartInstance', 'ReplaceSystemDisk'];

/** Public methods that make no API call (closing connections, reading the gateway's own call counters). */
const NO_CALL_METHODS = ['close', 'stats'] as const;
type NoCall = (typeof NO_CALL_METHODS)[number];
type ClusterMethod = Exclude<keyof KubeClusterGateway, NoCall>;
type CloudMethod = Exclude<keyof AlicloudCloudGateway, NoCall>;

let sandbox: Sandbox;
let recorder: KubeRecorder;
let cluster: KubeClusterGateway;
let cloud: AlicloudCloudGateway;
/** Kubernetes permission keys per gateway method. */
const kubeByMethod = new Map<string, Set<string>>();
const nonResourceRequests: string[] = [];
/**
 * Discovery documents, read once per cluster to learn which versions it serves (PDBs, CronJobs, Eviction bodies):
 * Kubernetes' default ClusterRole system:discovery grants them to every authenticated user, so there is nothing
 * to add to deploy/kubernetes.
 */
const DISCOVERY = /^\/(api|apis|api\/v1|apis\/[^/?]+\/[^/?]+)(\?.*)?$/;
/** Cloud actions per gateway method, and the errors the service answered (by action). */
const cloudByMethod = new Map<string, Set<string>>();
const cloudErrors = new Map<string, string>();

/** ACK answers ErrorNodePoolBusy while a pool's previous task (create, remove nodes) still runs. */
async function whenNotBusy(call: () => Promise<void>): Promise<void> {
  // Any other error ends the wait at once (it is returned, not thrown, so it is not retried).
  const outcome = await until(
    'the node pool to finish its previous task',
    () =>
      call().then(
        () => ({ error: undefined }),
        (e: { details?: { code?: string } }) => (e.details?.code === 'ErrorNodePoolBusy' ? undefined : { error: e }),
      ),
    15_000,
  );
  if (outcome.error) throw outcome.error;
}

const WORKLOAD_KINDS: WorkloadKind[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
];

/** One call of every ClusterGateway method, in an order that leaves each a real object to act on. */
const CLUSTER_CALLS: Record<ClusterMethod, (g: KubeClusterGateway) => Promise<unknown>> = {
  snapshotPool: (g) => g.snapshotPool('np-a'),
  listPoolNodes: (g) => g.listPoolNodes('np-b'),
  getNode: (g) => g.getNode('pool-b-1'),
  setUnschedulable: async (g) => {
    await g.setUnschedulable('pool-b-1', true);
    await g.setUnschedulable('pool-b-1', false);
  },
  listPodsOnNode: (g) => g.listPodsOnNode('pool-b-1'),
  evictPod: async (g) => {
    const pod = sandbox.world.podsOnNode('pool-b-2').find((p) => p.group?.kind === 'ReplicaSet');
    if (!pod) throw new Error('no ReplicaSet pod on pool-b-2 to evict');
    return await g.evictPod(pod.namespace, pod.name);
  },
  deletePod: async (g) => {
    const pod = sandbox.world.podsOnNode('pool-b-3').find((p) => p.group?.kind !== 'DaemonSet');
    if (!pod) throw new Error('no pod on pool-b-3 to delete');
    await g.deletePod(pod.namespace, pod.name);
  },
  podExists: (g) => g.podExists('default', 'debug-shell', 'uid-of-another-pod'),
  watchPoolNodes: async (g) => {
    let seen = 0;
    const stop = await g.watchPoolNodes('np-b', () => {
      seen++;
    });
    try {
      await until('a node watch event', () => seen > 0, 15_000);
    } finally {
      stop();
    }
  },
  workloadStatus: (g) => g.workloadStatus(WORKLOAD_KINDS.map((kind) => ({ kind, namespace: 'web', name: 'frontend' }))),
};

const upgrade = (nodeNames: string[]) => ({
  nodeNames,
  runtimeType: 'containerd' as const,
  runtimeVersion: undefined,
  useReplace: true as const,
  maxParallelism: 1,
});

/** The nodes cloudCalls() upgrades. */
let upgraded: string[] = [];

/** One call of every CloudGateway method (a few wait for the sandbox's tasks in between). */
function cloudCalls(): Array<[CloudMethod, (g: AlicloudCloudGateway) => Promise<unknown>]> {
  let taskId = '';
  let snapshotId = '';
  let invokeId = '';
  let newPool = '';
  const instanceOf = (node: string) => sandbox.world.getNode(node)?.instanceId ?? '';
  return [
    ['describeCluster', (g) => g.describeCluster(CLUSTER)],
    ['containerdVersion', (g) => g.containerdVersion(CLUSTER)],
    ['listClusters', (g) => g.listClusters()],
    ['userKubeconfig', (g) => g.userKubeconfig(CLUSTER, 15)],
    ['listNodePools', (g) => g.listNodePools(CLUSTER)],
    ['listPoolNodes', (g) => g.listPoolNodes(CLUSTER, 'np-a')],
    ['describeInstances', (g) => g.describeInstances([instanceOf('pool-a-1')])],
    ['runUpgradeCheck', (g) => g.runUpgradeCheck(CLUSTER, 'np-a')],
    [
      'upgradeNodePool',
      async (g) => {
        // ACK ends an upgrade whose drain a PDB blocks: pick nodes the planted ledger (maxUnavailable 0) is not on.
        upgraded = sandbox.world
          .listNodes('np-a')
          .map((n) => n.name)
          .filter((n) => !sandbox.world.podsOnNode(n).some((p) => p.namespace === 'payments'))
          .slice(-2);
        taskId = (await g.upgradeNodePool(CLUSTER, 'np-a', upgrade(upgraded))).taskId;
      },
    ],
    ['describeTask', (g) => g.describeTask(taskId)],
    ['findActiveTask', (g) => g.findActiveTask(CLUSTER, 'np-a')],
    ['pauseTask', (g) => g.pauseTask(taskId)],
    ['resumeTask', (g) => g.resumeTask(taskId)],
    ['cancelTask', (g) => g.cancelTask(taskId)],
    [
      'createSnapshot',
      async (g) => {
        const disk = sandbox.world.instances.get(instanceOf('pool-a-2'))?.systemDiskId ?? '';
        snapshotId = (await g.createSnapshot(disk, 'before-containerd-pool-a-2')).snapshotId;
      },
    ],
    ['describeSnapshots', (g) => g.describeSnapshots([snapshotId])],
    [
      'createNodePool',
      async (g) => {
        const spec = { name: 'pool-b-ctd', runtime: 'containerd' as const, runtimeVersion: undefined, cloneOf: 'np-b' };
        newPool = (await g.createNodePool(CLUSTER, { ...spec, desiredSize: 0 })).poolId;
      },
    ],
    [
      'scaleNodePool',
      async (g) => {
        await whenNotBusy(() => g.scaleNodePool(CLUSTER, newPool, 1));
        await until('the scale-out', () => sandbox.world.listNodes(newPool).length === 1, 15_000);
      },
    ],
    [
      'removeNodePoolNodes',
      async (g) => {
        const names = sandbox.world.listNodes(newPool).map((n) => n.name);
        await whenNotBusy(() => g.removeNodePoolNodes(CLUSTER, newPool, names));
        await until('the removal', () => sandbox.world.listNodes(newPool).length === 0, 15_000);
      },
    ],
    ['deleteNodePool', (g) => whenNotBusy(() => g.deleteNodePool(CLUSTER, newPool))],
    [
      'runCommand',
      async (g) => {
        invokeId = (await g.runCommand([instanceOf('pool-a-3')], 'echo permissions')).invokeId;
      },
    ],
    ['describeInvocationResults', (g) => g.describeInvocationResults(invokeId)],
  ];
}

async function sandboxStats(): Promise<{
  actions: Record<string, number>;
  instances: Record<string, Record<string, number>>;
}> {
  const res = await fetch(`http://${sandbox.env.ALIBABA_CLOUD_CS_ENDPOINT}/sandbox/stats`);
  return (await res.json()) as Awaited<ReturnType<typeof sandboxStats>>;
}

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.002 });
  recorder = await startKubeRecorder(sandbox.k8s.url, CLUSTER);
  cluster = createClusterGateway({ kubeconfig: recorder.kubeconfig }, { watchRetryMs: 50 });
  cloud = createCloudGateway(loadConfig({ ...sandbox.env }), {
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
    checkPollMs: 20,
  });

  for (const [method, call] of Object.entries(CLUSTER_CALLS)) {
    const from = recorder.requests.length;
    await call(cluster);
    const keys = new Set<string>();
    for (const r of recorder.requests.slice(from)) {
      const info = kubeRequestInfo(r.method, r.url);
      if (info) keys.add(permissionKey(info));
      else if (!(r.method === 'GET' && DISCOVERY.test(r.url))) nonResourceRequests.push(`${r.method} ${r.url}`);
    }
    kubeByMethod.set(method, keys);
  }

  for (const [method, call] of cloudCalls()) {
    const before = { ...cloud.stats().calls };
    try {
      await call(cloud);
    } catch (error) {
      const details = (error as { details?: { action?: string; code?: string } }).details;
      if (!details?.action) throw error;
      cloudErrors.set(details.action, details.code ?? 'unknown');
    }
    const after = cloud.stats().calls;
    cloudByMethod.set(method, new Set(Object.keys(after).filter((a) => (after[a] ?? 0) > (before[a] ?? 0))));
  }
}, 60_000);

afterAll(async () => {
  cluster?.close();
  await recorder?.close();
  await sandbox?.stop();
});

function union(sets: Iterable<Set<string>>): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const v of s) out.add(v);
  return out;
}

const sorted = (values: Iterable<string>) => [...values].sort();

/** The worker's ClusterRole rules as `verb group/resource` keys; wildcards and name-scoped rules are refused. */
function clusterRoleGrants(): Set<string> {
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy/kubernetes/rbac.yaml'), 'utf8')).map((d) => d.toJS());
  const roles = docs.filter((d) => d?.kind === 'ClusterRole');
  expect(roles.map((r) => r.metadata?.name)).toEqual(['ack-migrate-worker']);
  const grants = new Set<string>();
  for (const rule of roles[0].rules as Array<Record<string, string[] | undefined>>) {
    expect(rule.nonResourceURLs, 'no non-resource URLs').toBeUndefined();
    expect(rule.resourceNames, 'no name-scoped rules').toBeUndefined();
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? [])
        for (const verb of rule.verbs ?? []) {
          expect([group, resource, verb]).not.toContain('*');
          grants.add(permissionKey({ verb, group, resource }));
        }
  }
  return grants;
}

interface RamStatement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

function ramPolicy(): RamStatement[] {
  const policy = JSON.parse(readFileSync(join(ROOT, 'deploy/ram-policy.json'), 'utf8')) as {
    Version: string;
    Statement: RamStatement[];
  };
  expect(policy.Version).toBe('1');
  return policy.Statement;
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

describe('the inventory covers the whole gateway surface', () => {
  it('exercised every public ClusterGateway and CloudGateway method (static scan of src/gateways)', () => {
    const clusterMethods = publicMethods('src/gateways/cluster/kube-cluster-gateway.ts', 'KubeClusterGateway');
    const cloudMethods = publicMethods('src/gateways/cloud/alicloud-cloud-gateway.ts', 'AlicloudCloudGateway');
    expect(sorted(clusterMethods.filter((m) => !(NO_CALL_METHODS as readonly string[]).includes(m)))).toEqual(
      sorted(kubeByMethod.keys()),
    );
    expect(sorted(cloudMethods.filter((m) => !(NO_CALL_METHODS as readonly string[]).includes(m)))).toEqual(
      sorted(cloudByMethod.keys()),
    );
    // Each method really reached its API (a method that silently made no call would prove nothing).
    for (const [method, keys] of [...kubeByMethod, ...cloudByMethod])
      expect([method, keys.size > 0]).toEqual([method, true]);
  });

  it('saw only resource requests and discovery on the Kubernetes side (no other URLs to grant)', () => {
    expect(nonResourceRequests).toEqual([]);
  });

  it('observed every cloud action named in src/gateways/cloud, except known dead code', () => {
    const observed = union(cloudByMethod.values());
    const scanned = cloudActionUses();
    const unexercised = scanned.filter((u) => !observed.has(u.action) && !(u.action in DEAD_ACTIONS));
    expect(unexercised.map((u) => `${u.action} (${u.at})`)).toEqual([]);
    // And nothing was called that the scan cannot see (an action built at run time would escape review).
    const names = new Set(scanned.map((u) => u.action));
    expect(sorted([...observed].filter((a) => !names.has(a)))).toEqual([]);
  });

  it('observed every resource behind the client-node calls and API paths in src/gateways/cluster', () => {
    const observedResources = new Set([...union(kubeByMethod.values())].map((k) => k.slice(k.indexOf(' ') + 1)));
    // client-node's typed calls, named <verb>[Namespaced]<Kind>[Subresource]; each must be in this table.
    const clientCalls: Record<string, string> = {
      patchNode: 'patch nodes',
      createNamespacedPodEviction: 'create pods/eviction',
      deleteNamespacedPod: 'delete pods',
    };
    const observed = union(kubeByMethod.values());
    for (const call of kubeClientCalls()) {
      expect(clientCalls[call.method], `${call.method} at ${call.at}: add it to clientCalls`).toBeDefined();
      expect(observed.has(clientCalls[call.method]!), `${call.method} at ${call.at} was not exercised`).toBe(true);
    }
    for (const p of kubePaths()) {
      if (DISCOVERY.test(p.path)) continue;
      const info = kubeRequestInfo('GET', p.path);
      expect(info, `${p.path} at ${p.at}`).toBeDefined();
      const resource = `${info!.group ? `${info!.group}/` : ''}${info!.resource}`;
      expect(observedResources.has(resource), `${p.path} at ${p.at} was not exercised`).toBe(true);
    }
  });

  it('counted the same cloud calls the sandbox served; only calls it does not simulate failed', async () => {
    const served = (await sandboxStats()).actions;
    const ours = cloud.stats().calls;
    const unserved = sorted(Object.keys(ours).filter((a) => served[a] === undefined));
    // The sandbox answers InvalidAction.NotFound for an API it does not simulate; the call was still made.
    for (const action of unserved)
      expect([action, cloudErrors.get(action)]).toEqual([action, 'InvalidAction.NotFound']);
    // Every other call succeeded in the end (ErrorNodePoolBusy retried above is not an error of the inventory).
    expect([...cloudErrors].filter(([a]) => !unserved.includes(a))).toEqual([]);
    for (const [action, count] of Object.entries(ours)) {
      if (served[action] !== undefined) expect([action, served[action]]).toEqual([action, count]);
    }
    expect(sorted(Object.keys(served).filter((a) => ours[a] === undefined))).toEqual([]);
  });
});

describe('deploy/kubernetes/rbac.yaml', () => {
  it('grants the worker exactly the verbs and resources the code uses', () => {
    const used = union(kubeByMethod.values());
    const granted = clusterRoleGrants();
    expect({ missing: sorted([...used].filter((k) => !granted.has(k))) }).toEqual({ missing: [] });
    expect({ unused: sorted([...granted].filter((k) => !used.has(k))) }).toEqual({ unused: [] });
  });
});

describe('deploy/ram-policy.json', () => {
  it('allows exactly the CS and ECS actions the worker calls', () => {
    const statements = ramPolicy();
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      for (const a of list(s.Action)) expect(a).toMatch(/^(cs|ecs):[A-Za-z0-9]+$/);
    }
    const service = new Map(cloudActionUses().map((u) => [u.action, u.service]));
    const used = new Set([...union(cloudByMethod.values())].map((a) => `${service.get(a)}:${a}`));
    const granted = new Set(statements.flatMap((s) => list(s.Action)));
    expect({ missing: sorted([...used].filter((a) => !granted.has(a))) }).toEqual({ missing: [] });
    expect({ unused: sorted([...granted].filter((a) => !used.has(a))) }).toEqual({ unused: [] });
    for (const dead of Object.keys(DEAD_ACTIONS)) expect(granted).not.toContain(`cs:${dead}`);
  });

  it('scopes cluster actions to cluster resources, and grants actions without a cluster in their path on *', () => {
    const resourcesOf = new Map<string, string[]>();
    for (const s of ramPolicy()) for (const a of list(s.Action)) resourcesOf.set(a, list(s.Resource));
    for (const use of cloudActionUses()) {
      if (use.service !== 'cs' || use.action in DEAD_ACTIONS) continue;
      const resources = resourcesOf.get(`cs:${use.action}`) ?? [];
      // RAM checks these against the cluster in the path; tasks and cluster lists have none, so only * matches them.
      const want = use.clusterScoped ? 'acs:cs:*:*:cluster/*' : '*';
      expect([use.action, resources]).toEqual([use.action, [want]]);
    }
  });

  it('leaves stopping, starting and re-imaging instances to ACK: the worker never calls them and may not', async () => {
    const granted = new Set(ramPolicy().flatMap((s) => list(s.Action)));
    const observed = union(cloudByMethod.values());
    for (const op of ACK_OWN_OPERATIONS) {
      expect(granted).not.toContain(`ecs:${op}`);
      expect(observed).not.toContain(op);
    }
    // Yet the upgrade did them: ACK stopped, re-imaged and started the first node under its own role.
    const instance = sandbox.world.getNode(upgraded[0] ?? '')?.instanceId ?? '';
    const stats = await until(
      `ACK to finish upgrading ${upgraded[0]}`,
      async () => {
        const now = await sandboxStats();
        return now.instances[instance]?.StartInstance ? now : undefined;
      },
      15_000,
    );
    expect(stats.instances[instance]).toMatchObject({ StopInstance: 1, ReplaceSystemDisk: 1, StartInstance: 1 });
    for (const op of ACK_OWN_OPERATIONS) expect(Object.keys(stats.actions)).not.toContain(op);
  });
});
