/**
 * The one small world both gateway contracts run on, written twice: as a sandbox scenario (for the real gateways
 * over HTTP) and as a fake world (for the fakes). pool-a (np-a): 3 Docker nodes labelled team=a running two
 * Deployments, `guarded` (2 replicas, PDB minAvailable 2: no disruption allowed) and `spread` (2 replicas, PDB
 * maxUnavailable 1); pool-b (np-b): 2 Docker nodes labelled team=b running the bare pod default/debug.
 */
import type { CloudGateway } from '../../../src/ports/cloud-gateway.js';
import type { ClusterGateway } from '../../../src/ports/cluster-gateway.js';
import type { ActiveTaskFinder } from '../../../src/services/pipeline/context.js';
import type { FakeWorldSpec } from '../../support/fakes/fake-world.js';

/** What a contract runs against: one fresh world per test. */
export interface GatewaySubject {
  cloud: CloudGateway & Partial<ActiveTaskFinder>;
  cluster: ClusterGateway;
  /** Lets the world move on a little: the fake takes a step, the sandbox is given a few real milliseconds. */
  pass(): Promise<void>;
  /** Makes `step` of an in-place upgrade fail on `node` with the cloud error code `error`. */
  plantFault(
    node: string,
    step: 'drain' | 'stop' | 'replace-disk' | 'init' | 'start' | 'ready',
    error: string,
  ): Promise<void>;
  close(): Promise<void>;
}

export type SubjectFactory = () => Promise<GatewaySubject>;

export const CLUSTER = { id: 'c-demo', name: 'demo', region: 'cn-hangzhou', version: '1.22.15-aliyun.1' };

export const CONTRACT_SCENARIO = `
cluster: { id: c-demo, name: demo, region: cn-hangzhou, version: 1.22.15-aliyun.1 }
nodePools:
  - { id: np-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 3, instanceType: ecs.g7.large, labels: { team: a } }
  - { id: np-b, name: pool-b, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.large, labels: { team: b } }
manifests:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: guarded, namespace: web, labels: { app: guarded } }
    spec:
      replicas: 2
      selector: { matchLabels: { app: guarded } }
      template:
        metadata: { labels: { app: guarded } }
        spec:
          nodeSelector: { team: a }
          containers: [{ name: app, image: registry.example.com/guarded:1.0 }]
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: guarded, namespace: web }
    spec: { minAvailable: 2, selector: { matchLabels: { app: guarded } } }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: spread, namespace: web, labels: { app: spread } }
    spec:
      replicas: 2
      selector: { matchLabels: { app: spread } }
      template:
        metadata: { labels: { app: spread } }
        spec:
          nodeSelector: { team: a }
          containers: [{ name: app, image: registry.example.com/spread:1.0 }]
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: spread, namespace: web }
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: spread } } }
  - apiVersion: v1
    kind: Pod
    metadata: { name: debug, namespace: default, labels: { run: debug } }
    spec:
      nodeSelector: { team: b }
      containers: [{ name: shell, image: registry.example.com/busybox:1.36 }]
timing: { drain: 1, stop: 1, replaceSystemDisk: 1, init: 1, start: 1, snapshot: 5, join: 1, drainGrace: 5 }
faults: []
`;

export const CONTRACT_WORLD: FakeWorldSpec = {
  cluster: CLUSTER,
  pools: [
    { id: 'np-a', name: 'pool-a', nodes: 3, labels: { team: 'a' }, instanceType: 'ecs.g7.large' },
    { id: 'np-b', name: 'pool-b', nodes: 2, labels: { team: 'b' }, instanceType: 'ecs.g7.large' },
  ],
  controllers: [
    { kind: 'Deployment', namespace: 'web', name: 'guarded', replicas: 2, nodeSelector: { team: 'a' } },
    { kind: 'Deployment', namespace: 'web', name: 'spread', replicas: 2, nodeSelector: { team: 'a' } },
  ],
  pods: [{ namespace: 'default', name: 'debug', node: 'pool-b-1', labels: { run: 'debug' } }],
  pdbs: [
    { namespace: 'web', name: 'guarded', selector: { app: 'guarded' }, minAvailable: 2 },
    { namespace: 'web', name: 'spread', selector: { app: 'spread' }, maxUnavailable: 1 },
  ],
};

/** Lets the world move until `check` returns a value (at most `steps` passes). */
export async function eventually<T>(
  subject: GatewaySubject,
  what: string,
  check: () => Promise<T | undefined | false>,
  steps = 400,
): Promise<T> {
  for (let i = 0; i < steps; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await subject.pass();
  }
  throw new Error(`${what}: not after ${steps} steps`);
}
