/**
 * A sandbox scenario (docs/contracts.md#scenario-file-format): the cluster, its node pools, the Kubernetes objects to
 * run on them, how long each simulated cloud step takes, and the faults to inject. Loaded from YAML or generated in
 * memory.
 */

export type Runtime = 'docker' | 'containerd';

export type FaultStep = 'drain' | 'stop' | 'replace-disk' | 'init' | 'start' | 'ready' | 'snapshot';

export interface ScenarioCluster {
  id: string;
  name: string;
  region: string;
  /** e.g. `1.22.15-aliyun.1` */
  version: string;
}

export interface ScenarioNodePool {
  id: string;
  name: string;
  runtime: Runtime;
  /** e.g. `19.03.15` for Docker, `1.6.28` for containerd */
  runtimeVersion: string;
  nodes: number;
  instanceType: string;
  labels: Record<string, string>;
  /** Free text such as `production` or `staging`; the bot decides approvals from it. */
  environment?: string;
}

/** Simulated durations in seconds (multiplied by the time scale at run time). */
export interface ScenarioTiming {
  drain: number;
  stop: number;
  replaceSystemDisk: number;
  init: number;
  start: number;
  snapshot: number;
  join: number;
  /**
   * How long an upgrade's drain waits on PodDisruptionBudgets before ACK ends the upgrade (30 minutes by default,
   * docs/contracts.md#scenario-file-format).
   */
  drainGrace: number;
}

export interface ScenarioFault {
  node: string;
  step: FaultStep;
  /** The error code the cloud reports, e.g. `InstanceStartFailed`. */
  error: string;
}

/** An API-level fault: `action` (or `*`) answers `status`/`code`, or holds its answer `timeoutMs`, for `rate` of calls. */
export type ApiFault =
  | { action: string; status: number; code: string; rate: number }
  | { action: string; timeoutMs: number; rate: number };

/** One entry of DescribeKubernetesVersionMetadata's array, as far as the sandbox serves it. */
export interface VersionMetadata {
  version: string;
  runtimes: Array<{ name: string; version: string }>;
}

/** A Kubernetes object as found in a manifest: apiVersion, kind, metadata.name at least. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Scenario {
  cluster: ScenarioCluster;
  nodePools: ScenarioNodePool[];
  /** Inline manifests followed by those of manifestFiles, in file order. */
  manifests: KubeObject[];
  timing: ScenarioTiming;
  faults: ScenarioFault[];
  /** `faults:` entries with an `action` (docs/contracts.md#scenario-file-format). */
  apiFaults?: ApiFault[];
  /** Seed of the fault dice, so a run with `apiFaults` repeats. */
  faultSeed?: number;
  /** Replaces the sandbox's built-in DescribeKubernetesVersionMetadata table. */
  versionMetadata?: VersionMetadata[];
  /** Where the scenario came from (a file path, or `generated`), for messages. */
  source: string;
}

export const DEFAULT_TIMING: ScenarioTiming = {
  drain: 30,
  stop: 20,
  replaceSystemDisk: 60,
  init: 240,
  start: 60,
  snapshot: 300,
  join: 120,
  drainGrace: 30 * 60,
};
