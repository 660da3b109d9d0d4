/**
 * A node's step during an in-place batch, derived from what can be observed: ACK's task (per-node step), the
 * Kubernetes node (cordoned, Ready, runtime) and the ECS instance (status, system disk). Steps only move forward,
 * so a late or out-of-order observation never makes the timeline go back.
 */
import type { InstanceFacts, NodeFacts } from '../cluster/snapshot.js';
import type { NodeStep } from './events.js';
import type { NodeBefore } from './record.js';
import { isContainerd } from './verification.js';

const ORDER: NodeStep[] = [
  'pending',
  'snapshot',
  'cordon',
  'drain',
  'stop',
  'replace-disk',
  'init',
  'start',
  'ready',
  'verify',
  'done',
];

export function stepRank(step: NodeStep): number {
  const i = ORDER.indexOf(step);
  return i < 0 ? ORDER.length : i;
}

const ACK_STEP: Record<string, NodeStep> = {
  cordon: 'cordon',
  drain: 'drain',
  drainnode: 'drain',
  drainnodes: 'drain',
  stop: 'stop',
  stopinstance: 'stop',
  replacesystemdisk: 'replace-disk',
  'replace-disk': 'replace-disk',
  replacedisk: 'replace-disk',
  init: 'init',
  initnode: 'init',
  start: 'start',
  startinstance: 'start',
  ready: 'ready',
};

export function ackStep(step: string | undefined): NodeStep | undefined {
  if (!step) return undefined;
  return ACK_STEP[step.toLowerCase().replace(/[_\s]/g, '')] ?? ACK_STEP[step.toLowerCase()];
}

export interface NodeObservation {
  node: Pick<NodeFacts, 'ready' | 'unschedulable' | 'runtimeVersion'> | undefined;
  instance: Pick<InstanceFacts, 'status' | 'systemDiskId'> | undefined;
  task: { step: string; state: 'pending' | 'running' | 'success' | 'failed' } | undefined;
}

export function observedStep(before: NodeBefore, o: NodeObservation): NodeStep {
  if (o.task?.state === 'failed') return 'failed';
  const diskChanged =
    !!before.systemDiskId && !!o.instance?.systemDiskId && o.instance.systemDiskId !== before.systemDiskId;
  if (o.node && isContainerd(o.node.runtimeVersion) && o.node.ready && !o.node.unschedulable) return 'ready';
  const fromTask = o.task && o.task.state !== 'pending' ? ackStep(o.task.step) : undefined;
  let seen: NodeStep = 'pending';
  const status = o.instance?.status;
  if (status === 'Stopping' || (status === 'Stopped' && !diskChanged)) seen = 'stop';
  else if (status === 'Stopped' && diskChanged) seen = 'replace-disk';
  else if (status === 'Starting' || status === 'Pending') seen = 'start';
  else if (status === 'Running' && diskChanged) seen = 'init';
  else if (o.node?.unschedulable) seen = 'drain';
  if (fromTask && stepRank(fromTask) > stepRank(seen)) seen = fromTask;
  return seen;
}

/** The next step to record, or undefined when nothing moved. */
export function progressed(previous: NodeStep, observed: NodeStep): NodeStep | undefined {
  if (previous === 'failed' || previous === 'skipped' || previous === 'done') return undefined;
  if (observed === 'failed') return 'failed';
  return stepRank(observed) > stepRank(previous) ? observed : undefined;
}
