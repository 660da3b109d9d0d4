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
import { fleetKubeconfigYaml, type KubernetesApi, startKubernetesApi } from './k8s/index.js';
import { loadFleetFile, type Scenario } from './scenario/index.js';
import { createWorld, type World } from './world/index.js';

/** The default scenario: a 1.22 cluster with pool-a (6 Docker nodes, production) and pool-b (3, staging). */
export const DEMO_SCENARIO_PATH = join(dirname(fileURLToPath(import.meta.url)), 'scenarios', 'demo.yaml');
/** The demo of `dev`: demo.yaml's c-demo and a second cluster in another region (c-demo-sh). */
export const DEMO_FLEET_PATH = join(dirname(fileURLToPath(import.meta.url)), 'scenarios', 'demo-fleet.yaml');

export interface SandboxOptions {
  scenario?: Scenario;
  /** A fleet: one scenario per cluster (docs/contracts.md#scenario-file-format); instead of `scenario`. */
  fleet?: Scenario[];
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

/** One cluster of the sandbox: its world and its own Kubernetes API. */
export interface SandboxCluster {
  id: string;
  region: string;
  world: World;
  k8s: KubernetesApi;
}

export interface Sandbox {
  /** The first cluster's world and Kubernetes API. */
  world: World;
  k8s: KubernetesApi;
  /** Every cluster, the first one first (one for a single-cluster scenario). */
  clusters: SandboxCluster[];
  cloud: CloudServer;
  /** Path of the kubeconfig file. */
  kubeconfig: string;
  env: SandboxEnv;
  stop(): Promise<void>;
}

export const DEFAULT_ACCESS_KEY_ID = 'LTAI5tSandboxAccessKey';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const fleet =
    options.fleet ??
    (options.scenario ? [options.scenario] : loadFleetFile(options.scenarioPath ?? DEMO_SCENARIO_PATH));
  const scenario = fleet[0]!;
  const worlds = fleet.map((s) => createWorld(s, { timeScale: options.timeScale ?? 1 }));
  const world = worlds[0]!;
  const accessKeyId = options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
  const accessKeySecret = options.accessKeySecret ?? randomBytes(18).toString('base64url');
  const k8sServers: KubernetesApi[] = [];
  let cloud: CloudServer | undefined;
  let tempDir: string | undefined;
  const stop = async () => {
    await Promise.allSettled([...k8sServers.map((k) => k.close()), cloud?.close()]);
    for (const w of worlds) w.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  try {
    cloud = await startCloudServer({
      world,
      worlds,
      accessKeyId,
      accessKeySecret,
      port: options.cloudPort ?? 0,
      scenario,
    });
    for (const [i, w] of worlds.entries()) {
      const state = cloud.states[i]!;
      // The given port is the first cluster's; the others take any free port.
      const k8s = await startKubernetesApi(w, {
        port: i === 0 ? (options.k8sPort ?? 0) : 0,
        temporaryTokens: state.kubeTokens,
      });
      k8sServers.push(k8s);
      state.k8sUrl = k8s.url;
    }
    const clusters = worlds.map((w, i) => ({
      id: w.cluster.id,
      region: w.cluster.region,
      world: w,
      k8s: k8sServers[i]!,
    }));
    let kubeconfig = options.kubeconfigOut;
    if (!kubeconfig) {
      tempDir = mkdtempSync(join(tmpdir(), 'ack-migrate-sandbox-'));
      kubeconfig = join(tempDir, 'kubeconfig');
    }
    writeFileSync(kubeconfig, fleetKubeconfigYaml(clusters.map((c) => ({ name: c.id, url: c.k8s.url }))), {
      mode: 0o600,
    });
    return {
      world,
      k8s: k8sServers[0]!,
      clusters,
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
