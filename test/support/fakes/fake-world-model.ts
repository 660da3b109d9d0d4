/** The data of the fake world (fake-world.ts): what a test describes, and what the world keeps. */
import type { ClusterFacts } from '../../../src/domain/cluster/snapshot.js';
import type { BarePodSpec, ControllerSpec, PdbSpec } from './fake-workloads.js';

export type Runtime = 'docker' | 'containerd';
export type FaultStep = 'drain' | 'stop' | 'replace-disk' | 'init' | 'start' | 'ready' | 'snapshot';
export type InstanceStatus = 'Pending' | 'Running' | 'Stopping' | 'Stopped' | 'Starting';

export const DOCKER_VERSION = '19.03.15';
export const CONTAINERD_VERSION = '1.6.28';
/** Ticks a snapshot takes. */
export const SNAPSHOT_TICKS = 3;
/** Ticks a Cloud Assistant command runs. */
export const COMMAND_TICKS = 1;

export interface PoolSpec {
  id: string;
  name: string;
  nodes: number;
  runtime?: Runtime;
  labels?: Record<string, string>;
  instanceType?: string;
}

export interface FakeWorldSpec {
  cluster?: Partial<ClusterFacts>;
  pools: PoolSpec[];
  controllers?: ControllerSpec[];
  pods?: BarePodSpec[];
  pdbs?: PdbSpec[];
}

export interface FakePool {
  id: string;
  name: string;
  runtime: Runtime;
  runtimeVersion: string;
  instanceType: string;
  labels: Record<string, string>;
  counter: number;
}

export interface FakeNode {
  name: string;
  poolId: string;
  instanceId: string;
  internalIp: string;
  ready: boolean;
  unschedulable: boolean;
  runtime: Runtime;
  /** As ACK writes it (`19.03.15`); the kubelet's form is `runtimeString`. */
  runtimeVersion: string;
  labels: Record<string, string>;
}

export interface FakeInstance {
  instanceId: string;
  nodeName: string;
  poolId: string;
  status: InstanceStatus;
  privateIp: string;
  mac: string;
  systemDiskId: string;
  /** Old Docker data on the data disk (what the cleanup frees). */
  dockerBytes: number;
}

export interface Fault {
  node: string;
  step: FaultStep;
  error: string;
}

export interface CheckFailure {
  pool: string;
  name: string;
  level: 'error' | 'warning';
  message: string;
}

export interface FakeSnapshot {
  snapshotId: string;
  diskId: string;
  instanceId: string;
  name: string;
  progress: number;
  status: 'progressing' | 'accomplished' | 'failed';
  fault: string | undefined;
}

export interface FakeInvocation {
  invokeId: string;
  ticksLeft: number;
  results: Array<{ instanceId: string; output: string; exitCode: number }>;
}

/** `docker://19.3.15`, `containerd://1.6.28`: what the kubelet reports (Docker drops leading zeros). */
export function runtimeString(runtime: Runtime, version: string): string {
  if (runtime === 'docker') return `docker://${version.replace(/(^|\.)0+(\d)/g, '$1$2')}`;
  return `containerd://${version}`;
}
