/**
 * ECS CreateSnapshot / DescribeSnapshots. A snapshot takes timing.snapshot simulated seconds; its status and
 * progress are computed from the world's clock when asked. A snapshot that would take longer than the guide's
 * 40 minutes (or that a `snapshot` fault names) reports `failed`, so the migration fails that node untouched.
 */
import { type CloudState, SNAPSHOT_LIMIT_SECONDS, type SnapshotRecord } from './cloud-state.js';
import { ecsTime, findDisk, requireRegion } from './ecs-instances.js';
import { ApiError, pageRpc, type RpcParams, requestId } from './wire.js';

export function createSnapshot(state: CloudState, params: RpcParams) {
  const diskId = params.required('DiskId');
  // ECS answers a repeated ClientToken with the first request's result.
  const token = params.optional('ClientToken');
  const earlier = token === undefined ? undefined : state.snapshotTokens.get(token);
  if (earlier) return { RequestId: requestId(), SnapshotId: earlier };
  const disk = findDisk(state, diskId);
  if (!disk) throw new ApiError(404, 'InvalidDiskId.NotFound', 'The specified disk does not exist.');
  const fault = state.faultFor(disk.instance.nodeName, 'snapshot');
  const record: SnapshotRecord = {
    snapshotId: state.id('s-bp', 20),
    name: params.optional('SnapshotName') ?? '',
    description: params.optional('Description') ?? '',
    diskId,
    diskType: disk.type,
    instanceId: disk.instance.instanceId,
    startedAt: state.now(),
    seconds: state.world.timing.snapshot,
    fault: fault?.error,
  };
  state.snapshots.set(record.snapshotId, record);
  if (token !== undefined) state.snapshotTokens.set(token, record.snapshotId);
  state.stats.instance(disk.instance.instanceId, 'CreateSnapshot');
  return { RequestId: requestId(), SnapshotId: record.snapshotId };
}

function snapshotStatus(state: CloudState, s: SnapshotRecord) {
  const elapsed = (state.now() - s.startedAt) / 1000;
  const failAt =
    s.fault !== undefined
      ? Math.min(s.seconds, SNAPSHOT_LIMIT_SECONDS)
      : s.seconds > SNAPSHOT_LIMIT_SECONDS
        ? SNAPSHOT_LIMIT_SECONDS
        : undefined;
  if (failAt !== undefined && elapsed >= failAt) {
    return { status: 'failed', progress: Math.floor((100 * failAt) / Math.max(s.seconds, 1)), remain: 0 };
  }
  if (elapsed >= s.seconds) return { status: 'accomplished', progress: 100, remain: 0 };
  return {
    status: 'progressing',
    progress: Math.floor((100 * elapsed) / s.seconds),
    remain: Math.ceil(s.seconds - elapsed),
  };
}

export function describeSnapshots(state: CloudState, params: RpcParams) {
  requireRegion(params);
  const ids = params.jsonList('SnapshotIds');
  const diskId = params.optional('DiskId');
  const instanceId = params.optional('InstanceId');
  const wanted = params.optional('Status') ?? 'all';
  const list = [...state.snapshots.values()]
    .filter((s) => (!ids || ids.includes(s.snapshotId)) && (diskId === undefined || s.diskId === diskId))
    .filter((s) => instanceId === undefined || s.instanceId === instanceId)
    .map((s) => ({ s, st: snapshotStatus(state, s) }))
    .filter(({ st }) => wanted === 'all' || st.status === wanted);
  const { page, extra } = pageRpc(list, params);
  return {
    RequestId: requestId(),
    ...extra,
    Snapshots: {
      Snapshot: page.map(({ s, st }) => ({
        SnapshotId: s.snapshotId,
        SnapshotName: s.name,
        Description: s.description,
        Status: st.status,
        Progress: `${st.progress}%`,
        RemainTime: st.remain,
        Available: st.status === 'accomplished',
        SourceDiskId: s.diskId,
        SourceDiskType: s.diskType === 'system' ? 'System' : 'Data',
        SourceDiskSize: s.diskType === 'system' ? '120' : '200',
        SnapshotType: 'user',
        Category: 'standard',
        InstantAccess: false,
        Usage: 'none',
        CreationTime: ecsTime(s.startedAt),
        ...(s.fault && st.status === 'failed' ? { ErrorCode: s.fault } : {}),
      })),
    },
  };
}
