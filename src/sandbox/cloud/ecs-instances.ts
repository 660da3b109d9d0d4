/**
 * ECS instance and disk calls (RPC 2014-05-26): DescribeInstances, StopInstance, StartInstance,
 * ReplaceSystemDisk and DescribeDisks, in ECS's PascalCase JSON with its XML-style wrappers. Stop and start are
 * asynchronous as in ECS: the call returns at once, the status moves on the world's clock.
 */
import type { InstanceRecord } from '../world/index.js';
import type { CloudState } from './cloud-state.js';
import { fakeId, IMAGE_ID } from './cs-pools.js';
import { ApiError, pageRpc, type RpcParams, requestId } from './wire.js';

/** `2026-11-05T10:00Z`: ECS writes instance and disk times to the minute. */
export function ecsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
}

export function requireRegion(params: RpcParams): string {
  const region = params.optional('RegionId');
  if (region === undefined) throw new ApiError(400, 'MissingRegionId', 'RegionId is mandatory for this action.');
  return region;
}

export function mustInstance(state: CloudState, id: string): InstanceRecord {
  const instance = state.world.instances.get(id);
  if (!instance) throw new ApiError(404, 'InvalidInstanceId.NotFound', 'The specified InstanceId does not exist.');
  return instance;
}

function incorrectStatus(instance: InstanceRecord): ApiError {
  return new ApiError(
    403,
    'IncorrectInstanceStatus',
    `The current status of the resource does not support this operation. (instance ${instance.instanceId} is ${instance.status})`,
  );
}

function instanceJson(state: CloudState, i: InstanceRecord) {
  const { cluster } = state.world;
  const eni = fakeId('eni-bp', i.instanceId, 18);
  return {
    InstanceId: i.instanceId,
    InstanceName: `worker-k8s-for-cs-${cluster.id}`,
    HostName: i.nodeName,
    Status: i.status,
    StoppedMode: i.status === 'Stopped' ? 'KeepCharging' : 'Not-applicable',
    OperationLocks: { LockReason: [] },
    ImageId: IMAGE_ID,
    InstanceType: i.instanceType,
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByTraffic',
    OSType: 'linux',
    OSName: 'Alibaba Cloud Linux  3.2104 LTS 64位',
    RegionId: i.region,
    ZoneId: i.zoneId,
    CreationTime: ecsTime(i.createdAt),
    ExpiredTime: '2099-12-31T15:59Z',
    VpcAttributes: {
      VpcId: fakeId('vpc-', cluster.id),
      VSwitchId: fakeId('vsw-', cluster.id),
      PrivateIpAddress: { IpAddress: [i.privateIp] },
      NatIpAddress: '',
    },
    NetworkInterfaces: {
      NetworkInterface: [
        {
          NetworkInterfaceId: eni,
          MacAddress: i.mac,
          PrimaryIpAddress: i.privateIp,
          Type: 'Primary',
          PrivateIpSets: { PrivateIpSet: [{ PrivateIpAddress: i.privateIp, Primary: true }] },
        },
      ],
    },
    SecurityGroupIds: { SecurityGroupId: [fakeId('sg-', cluster.id, 20)] },
    Tags: {
      Tag: [
        { TagKey: 'ack.aliyun.com', TagValue: cluster.id },
        { TagKey: 'ack.alibabacloud.com/nodepool-id', TagValue: i.poolId },
      ],
    },
  };
}

export function describeInstances(state: CloudState, params: RpcParams) {
  const region = requireRegion(params);
  const ids = params.jsonList('InstanceIds');
  const ips = params.jsonList('PrivateIpAddresses');
  const status = params.optional('Status');
  if (ids && ids.length > 100) throw new ApiError(400, 'InvalidParameter', 'InstanceIds accepts at most 100 ids.');
  let list: InstanceRecord[];
  if (ids) list = ids.map((id) => state.world.instances.get(id)).filter((i) => i !== undefined);
  else list = [...state.world.instances.values()];
  list = list.filter(
    (i) => i.region === region && (!ips || ips.includes(i.privateIp)) && (status === undefined || i.status === status),
  );
  const { page, extra } = pageRpc(list, params);
  return { RequestId: requestId(), ...extra, Instances: { Instance: page.map((i) => instanceJson(state, i)) } };
}

function faultFor(state: CloudState, instance: InstanceRecord, step: 'stop' | 'start' | 'replace-disk') {
  const fault = state.faultFor(instance.nodeName, step);
  if (fault)
    throw new ApiError(403, fault.error, `The operation failed on instance ${instance.instanceId}: ${fault.error}`);
}

export function stopInstance(state: CloudState, params: RpcParams) {
  const instance = mustInstance(state, params.required('InstanceId'));
  if (instance.status !== 'Running') throw incorrectStatus(instance);
  faultFor(state, instance, 'stop');
  const { world } = state;
  world.setInstanceStatus(instance.instanceId, 'Stopping');
  if (world.getNode(instance.nodeName)) world.setNodeReady(instance.nodeName, false);
  state.stats.instance(instance.instanceId, 'StopInstance');
  world.clock.after(world.timing.stop, () => {
    if (world.instances.get(instance.instanceId)?.status === 'Stopping')
      world.setInstanceStatus(instance.instanceId, 'Stopped');
  });
  return { RequestId: requestId() };
}

export function startInstance(state: CloudState, params: RpcParams) {
  const instance = mustInstance(state, params.required('InstanceId'));
  if (instance.status !== 'Stopped') throw incorrectStatus(instance);
  faultFor(state, instance, 'start');
  const { world } = state;
  world.setInstanceStatus(instance.instanceId, 'Starting');
  state.stats.instance(instance.instanceId, 'StartInstance');
  world.clock.after(world.timing.start, () => {
    if (world.instances.get(instance.instanceId)?.status !== 'Starting') return;
    world.setInstanceStatus(instance.instanceId, 'Running');
    // The kubelet comes back unless the scenario says this node never becomes Ready.
    if (world.getNode(instance.nodeName) && !state.faultFor(instance.nodeName, 'ready')) {
      world.setNodeReady(instance.nodeName, true);
    }
  });
  return { RequestId: requestId() };
}

export function replaceSystemDisk(state: CloudState, params: RpcParams) {
  const instance = mustInstance(state, params.required('InstanceId'));
  params.required('ImageId');
  if (instance.status !== 'Stopped') throw incorrectStatus(instance);
  faultFor(state, instance, 'replace-disk');
  const diskId = state.world.replaceSystemDisk(instance.instanceId);
  state.stats.instance(instance.instanceId, 'ReplaceSystemDisk');
  return { RequestId: requestId(), DiskId: diskId };
}

interface DiskView {
  diskId: string;
  type: 'system' | 'data';
  instance: InstanceRecord;
}

export function allDisks(state: CloudState): DiskView[] {
  const out: DiskView[] = [];
  for (const instance of state.world.instances.values()) {
    out.push({ diskId: instance.systemDiskId, type: 'system', instance });
    for (const d of instance.dataDiskIds) out.push({ diskId: d, type: 'data', instance });
  }
  return out;
}

export function findDisk(state: CloudState, diskId: string): DiskView | undefined {
  return allDisks(state).find((d) => d.diskId === diskId);
}

function diskJson(d: DiskView) {
  const system = d.type === 'system';
  return {
    DiskId: d.diskId,
    DiskName: '',
    Type: d.type,
    Category: 'cloud_essd',
    PerformanceLevel: 'PL0',
    Size: system ? 120 : 200,
    Status: 'In_use',
    Device: system ? '/dev/xvda' : '/dev/xvdb',
    InstanceId: d.instance.instanceId,
    ImageId: system ? IMAGE_ID : '',
    SourceSnapshotId: '',
    DeleteWithInstance: true,
    Encrypted: false,
    Portable: !system,
    EnableAutoSnapshot: false,
    RegionId: d.instance.region,
    ZoneId: d.instance.zoneId,
    CreationTime: ecsTime(d.instance.createdAt),
  };
}

export function describeDisks(state: CloudState, params: RpcParams) {
  const region = requireRegion(params);
  const instanceId = params.optional('InstanceId');
  const type = params.optional('DiskType') ?? 'all';
  if (!['system', 'data', 'all'].includes(type)) {
    throw new ApiError(400, 'InvalidDiskType.ValueNotSupported', 'The specified DiskType is not supported.');
  }
  const ids = params.jsonList('DiskIds');
  const disks = allDisks(state).filter(
    (d) =>
      d.instance.region === region &&
      (instanceId === undefined || d.instance.instanceId === instanceId) &&
      (type === 'all' || d.type === type) &&
      (!ids || ids.includes(d.diskId)),
  );
  const { page, extra } = pageRpc(disks, params);
  return { RequestId: requestId(), ...extra, Disks: { Disk: page.map(diskJson) } };
}
