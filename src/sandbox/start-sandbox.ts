/**
 * The whole sandbox in one call (docs/architecture.md#sandbox): the world, the Kubernetes API, one cloud server for CS
 * (ROA) and ECS (RPC), a kubeconfig on disk, and the environment that points every other ack-migrate command at them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CloudServer, startCloudServer } from './cloud/cloud-server.js';
import { type KubernetesApi, kubeconfigYaml, startKubernetesApi } from './k8s/index.js';
import { loadScenarioFile, type Scenario } from './scenario/index.js';
import { createWorld, type World } from './world/index.js';

/** The default scenario: a 1.22 cluster with pool-a (6 Docker nodes, production) and pool-b (3, staging). */
export const DEMO_SCENARIO_PATH = join(dirname(fileURLToPath(import.meta.url)), 'scenarios', 'demo.yaml');

export interface SandboxOptions {
  scenario?: Scenario;
  /** Used when `scenario` is not given; default DEMO_SCENARIO_PATH. */
  scenarioPath?: string;
  /** Real seconds per simulated second (default 1). */
  timeScale?: number;
  k8sPort?: number;
  cloudPort?: number;
  /** Where to write the kubeconfig (default: a fresh temporary directory, removed by stop()). */
  kubeconfigOut?: string;
  accessKeyId?: string;
  /** Default: a random secret for this run (it is in `env`). */
  accessKeySecret?: string;
}

export interface SandboxEnv {
  KUBECONFIG: string;
  ALIBABA_CLOUD_ACCESS_KEY_ID: string;
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: string;
  ALIBABA_CLOUD_REGION: string;
  ALIBABA_CLOUD_CS_ENDPOINT: string;
  ALIBABA_CLOUD_ECS_ENDPOINT: string;
  ACK_CLUSTER_ID: string;
}

export interface Sandbox {
  world: World;
  k8s: KubernetesApi;
  cloud: CloudServer;
  /** Path of the kubeconfig file. */
  kubeconfig: string;
  env: SandboxEnv;
  stop(): Promise<void>;
}

export const DEFAULT_ACCESS_KEY_ID = 'LTAI5tSandboxAccessKey';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const scenario = options.scenario ?? loadScenarioFile(options.scenarioPath ?? DEMO_SCENARIO_PATH);
  const world = createWorld(scenario, { timeScale: options.timeScale ?? 1 });
  const accessKeyId = options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
  const accessKeySecret = options.accessKeySecret ?? randomBytes(18).toString('base64url');
  let k8s: KubernetesApi | undefined;
  let cloud: CloudServer | undefined;
  let tempDir: string | undefined;
  const stop = async () => {
    await Promise.allSettled([k8s?.close(), cloud?.close()]);
    world.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    k8s = await startKubernetesApi(world, { port: options.k8sPort ?? 0 });
    cloud = await startCloudServer({ world, accessKeyId, accessKeySecret, port: options.cloudPort ?? 0, scenario });
    let kubeconfig = options.kubeconfigOut;
    if (!kubeconfig) {
      tempDir = mkdtempSync(join(tmpdir(), 'ack-migrate-sandbox-'));
      kubeconfig = join(tempDir, 'kubeconfig');
    }
    writeFileSync(kubeconfig, kubeconfigYaml(k8s.url, { cluster: scenario.cluster.id }), { mode: 0o600 });
    return {
      world,
      k8s,
      cloud,
      kubeconfig,
      env: {
        KUBECONFIG: kubeconfig,
        ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
        ALIBABA_CLOUD_REGION: scenario.cluster.region,
        ALIBABA_CLOUD_CS_ENDPOINT: cloud.endpoint,
        ALIBABA_CLOUD_ECS_ENDPOINT: cloud.endpoint,
        ACK_CLUSTER_ID: scenario.cluster.id,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
