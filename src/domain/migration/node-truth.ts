/**
 * What is true of each node of a migration, from what Kubernetes and ECS show rather than from the record
 * (docs/contracts.md#status-json). In place a node is migrated when it runs containerd, Ready and
 * schedulable, on a new system disk; untouched while it still runs Docker, Ready and schedulable; anything else
 * (cordoned, NotReady, stopped, gone) was left mid-way and needs a person. In rotate mode an old node is migrated
 * once its batch drained it. Each verdict says what was seen and what to do. Pure: the pipeline reads the world.
 */
import type { InstanceFacts, NodeFacts } from '../cluster/snapshot.js';
import type { MigrationMode, NodeReport, NodeTruth } from './events.js';
import type { MigrationRecord, NodeBefore } from './record.js';
import { isContainerd } from './verification.js';

export interface SeenNode {
  node: Pick<NodeFacts, 'ready' | 'unschedulable' | 'runtimeVersion'> | undefined;
  instance: Pick<InstanceFacts, 'status' | 'systemDiskId'> | undefined;
}

export interface ClassifyOptions {
  mode?: MigrationMode;
  /** Rotate: the node's batch drained it (its workloads run on the new pool). */
  drained?: boolean;
}

function truth(node: string, condition: NodeTruth['condition'], seen: string, todo?: string): NodeTruth {
  return todo === undefined ? { node, condition, seen } : { node, condition, seen, todo };
}

/** Kubernetes alone says the node was never touched: Docker, Ready, schedulable. */
export function plainlyUntouched(seen: SeenNode['node']): boolean {
  return !!seen && !isContainerd(seen.runtimeVersion) && seen.ready && !seen.unschedulable;
}

function runtimeOf(node: NonNullable<SeenNode['node']>): string {
  return node.runtimeVersion.split('://')[0] || 'an unknown runtime';
}

/** A node that is not where the migration left it finished: what it looks like and what to do. */
function midWay(before: NodeBefore, seen: SeenNode, mode: MigrationMode): NodeTruth {
  const name = before.name;
  const { node, instance } = seen;
  const uncordon = `\`kubectl uncordon ${name}\``;
  if (!node) {
    const where = instance
      ? `ECS instance ${before.instanceId} is ${instance.status}`
      : `ECS instance ${before.instanceId}`;
    return truth(
      name,
      'mid-way',
      `${name} is gone from Kubernetes (${where})${mode === 'in-place' ? ' after an interrupted upgrade' : ''}`,
      'check it in the ACK console, then add it back to the pool or remove it',
    );
  }
  if (!node.ready || (instance && instance.status !== 'Running')) {
    const state = node.unschedulable ? 'cordoned and NotReady' : 'NotReady';
    const then = node.unschedulable ? `, then ${uncordon} or remove it` : ', then remove it if it does not recover';
    return truth(
      name,
      'mid-way',
      `${name} is ${state} after an interrupted upgrade`,
      `check it in the ACK console${then}`,
    );
  }
  if (node.unschedulable) {
    if (isContainerd(node.runtimeVersion))
      return truth(name, 'mid-way', `${name} runs containerd but is still cordoned`, `check it, then ${uncordon}`);
    const why = mode === 'rotate' ? 'cordoned with the old pool, not drained' : 'the upgrade began to drain it';
    return truth(
      name,
      'mid-way',
      `${name} still runs ${runtimeOf(node)} and is cordoned (${why})`,
      `${uncordon} so it takes pods again, or migrate it again`,
    );
  }
  const disk = before.systemDiskId ? `system disk ${before.systemDiskId}` : 'system disk';
  const seenText = isContainerd(node.runtimeVersion)
    ? `${name} runs containerd but its ${disk} was not replaced`
    : `${name} still reports ${runtimeOf(node)} but its ${disk} was replaced`;
  return truth(name, 'mid-way', seenText, 'check it in the ACK console before you trust it');
}

export function classifyNode(before: NodeBefore, seen: SeenNode, options: ClassifyOptions = {}): NodeTruth {
  const mode = options.mode ?? 'in-place';
  const name = before.name;
  const { node, instance } = seen;
  if (mode === 'rotate') {
    if (options.drained)
      return truth(
        name,
        'migrated',
        node
          ? `${name} is drained: its workloads run on the new containerd pool`
          : `${name} was removed with the old pool`,
      );
    if (plainlyUntouched(node))
      return truth(name, 'untouched', `${name} still runs ${runtimeOf(node!)}, Ready and schedulable`, 'nothing to do');
    return midWay(before, seen, mode);
  }
  if (
    plainlyUntouched(node) &&
    (!instance || instance.systemDiskId === undefined || instance.systemDiskId === before.systemDiskId)
  )
    return truth(
      name,
      'untouched',
      `${name} still runs ${runtimeOf(node!)}, Ready and schedulable`,
      'nothing to do; a new migration of the pool takes it',
    );
  const newDisk = !before.systemDiskId || !instance?.systemDiskId || instance.systemDiskId !== before.systemDiskId;
  const running = !instance || instance.status === 'Running';
  if (node && isContainerd(node.runtimeVersion) && node.ready && !node.unschedulable && running && newDisk) {
    const disk = instance?.systemDiskId ? ` ${instance.systemDiskId}` : '';
    return truth(name, 'migrated', `${name} runs ${node.runtimeVersion}, Ready, on a new system disk${disk}`);
  }
  return midWay(before, seen, mode);
}

/** One line for a person: what is true, and what to do. */
export function describeTruth(t: NodeTruth): string {
  return t.todo ? `${t.seen}: ${t.todo}` : t.seen;
}

export function buildNodeReport(at: Date, nodes: NodeTruth[]): NodeReport {
  const count = (c: NodeTruth['condition']) => nodes.filter((n) => n.condition === c).length;
  return {
    at: at.toISOString(),
    migrated: count('migrated'),
    untouched: count('untouched'),
    midWay: count('mid-way'),
    nodes,
  };
}

export function unreadableReport(at: Date, error: string): NodeReport {
  return { ...buildNodeReport(at, []), error };
}

/** The nodes a report covers: the plan's (the Docker nodes of the pool), else the Docker nodes seen before. */
export function migrationNodes(record: Pick<MigrationRecord, 'plan' | 'before'>): string[] {
  if (record.plan) return record.plan.batches.flat();
  return Object.values(record.before)
    .filter((b) => !isContainerd(b.runtime))
    .map((b) => b.name);
}
