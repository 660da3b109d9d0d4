/** A small world and its cloud server for the cloud integration tests. */

import { type CloudServer, startCloudServer } from '../../../../src/sandbox/cloud/cloud-server.js';
import { parseScenario } from '../../../../src/sandbox/scenario/load-scenario.js';
import { createWorld, type World } from '../../../../src/sandbox/world/index.js';

export const AK = 'LTAI5tSandboxTestKey';
export const SECRET = 'sandbox-test-secret-0123456789';

export const SMALL_SCENARIO = `
cluster: {id: c-test, name: test, region: cn-hangzhou, version: 1.22.15-aliyun.1}
nodePools:
  - {id: np-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 3, instanceType: ecs.g7.xlarge, labels: {team: web}}
  - {id: np-b, name: pool-b, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.large}
manifests:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: default}
    spec:
      replicas: 4
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: nginx:1.25}]}
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: web, namespace: default}
    spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
timing: {drain: 30, stop: 20, replaceSystemDisk: 60, init: 240, start: 60, snapshot: 300, join: 120}
`;

export interface CloudFixture {
  world: World;
  cloud: CloudServer;
  close(): Promise<void>;
}

export async function startSmallCloud(timeScale: number, scenarioText = SMALL_SCENARIO): Promise<CloudFixture> {
  const scenario = parseScenario(scenarioText, process.cwd(), 'test-scenario');
  const world = createWorld(scenario, { timeScale });
  const cloud = await startCloudServer({ world, accessKeyId: AK, accessKeySecret: SECRET, scenario });
  return {
    world,
    cloud,
    close: async () => {
      await cloud.close();
      world.close();
    },
  };
}

export async function control(cloud: CloudServer, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`http://${cloud.endpoint}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** Polls until check() returns a value (the shared vi.waitFor wrapper). */
export { until } from '../../../support/wait.js';
