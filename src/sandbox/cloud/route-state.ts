/**
 * Which cluster of a fleet a call is about (docs/contracts.md#scenario-file-format). CS names it in the path (a
 * cluster id, or a task id that belongs to one cluster). ECS names a region and the instance, disk or invocation:
 * the call goes to the cluster that owns it, and an id that lives in another region than `RegionId` does not exist
 * there, as ECS answers (`InvalidInstanceId.NotFound`, …).
 */
import type { CloudState } from './cloud-state.js';
import { ApiError, type RpcParams } from './wire.js';

export function csStateFor(
  states: readonly CloudState[],
  path: Record<string, string>,
  query: Record<string, string> = {},
): CloudState {
  const clusterId = path['ClusterId'] ?? path['cluster_id'];
  if (clusterId !== undefined) return states.find((s) => s.world.cluster.id === clusterId) ?? states[0]!;
  const taskId = path['task_id'];
  if (taskId !== undefined) return states.find((s) => s.tasks.has(taskId)) ?? states[0]!;
  // DescribeKubernetesVersionMetadata: the table of a cluster on that version (each adds its own to the built-in).
  const version = query['KubernetesVersion'];
  if (version) return states.find((s) => s.versions.some((v) => v.version === version)) ?? states[0]!;
  return states[0]!;
}

interface Owned {
  state: CloudState;
  /** Set when the id is one the action acts on (not a filter of a list): another region is a NotFound. */
  notFound?: ApiError;
}

const instanceNotFound = () =>
  new ApiError(404, 'InvalidInstanceId.NotFound', 'The specified InstanceId does not exist.');
const diskNotFound = () => new ApiError(404, 'InvalidDiskId.NotFound', 'The specified disk does not exist.');
const invokeNotFound = () => new ApiError(404, 'InvalidInvokeId.NotFound', 'The specified invoke id does not exist.');

function ownerOf(states: readonly CloudState[], params: RpcParams): Owned | undefined {
  const byInstance = (id: string) => states.find((s) => s.world.instances.has(id));
  const byDisk = (id: string) =>
    states.find((s) =>
      [...s.world.instances.values()].some((i) => i.systemDiskId === id || i.dataDiskIds.includes(id)),
    );
  const single = params.optional('InstanceId') ?? params.flatList('InstanceId')[0];
  if (single !== undefined) {
    const state = byInstance(single);
    return state && { state, notFound: instanceNotFound() };
  }
  const disk = params.optional('DiskId');
  if (disk !== undefined) {
    const state = byDisk(disk);
    return state && { state, notFound: diskNotFound() };
  }
  const invoke = params.optional('InvokeId');
  if (invoke !== undefined) {
    const state = states.find((s) => s.invocations.has(invoke));
    return state && { state, notFound: invokeNotFound() };
  }
  const listed = params.jsonList('InstanceIds')?.[0];
  if (listed !== undefined) return mapState(byInstance(listed));
  const listedDisk = params.jsonList('DiskIds')?.[0];
  if (listedDisk !== undefined) return mapState(byDisk(listedDisk));
  const snapshot = params.jsonList('SnapshotIds')?.[0];
  if (snapshot !== undefined) return mapState(states.find((s) => s.snapshots.has(snapshot)));
  return undefined;
}

function mapState(state: CloudState | undefined): Owned | undefined {
  return state && { state };
}

/**
 * The cluster an ECS call is about. Every call must name its region (`MissingRegionId`); the handlers filter lists
 * by it, and an instance, disk or invocation of another region is refused here.
 */
export function ecsStateFor(states: readonly CloudState[], params: RpcParams): CloudState {
  const region = params.optional('RegionId');
  if (region === undefined) throw new ApiError(400, 'MissingRegionId', 'RegionId is mandatory for this action.');
  const owner = ownerOf(states, params);
  if (owner) {
    if (owner.notFound && owner.state.world.cluster.region !== region) throw owner.notFound;
    return owner.state;
  }
  return states.find((s) => s.world.cluster.region === region) ?? states[0]!;
}
