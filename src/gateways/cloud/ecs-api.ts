/**
 * ECS (2014-05-26, RPC): the operations the bot calls. Lists go 100 at a time (the API's page and id-list limit);
 * system disks are read per instance (DescribeDisks filters by one InstanceId), never the region's every disk.
 */
import { randomUUID } from 'node:crypto';
import type { InstanceFacts } from '../../domain/cluster/snapshot.js';
import type { InvocationResult } from '../../ports/cloud-gateway.js';
import type { OpenApiCaller } from './openapi-caller.js';

const PAGE = 100;

interface RawInstance {
  InstanceId?: string;
  Status?: string;
  HostName?: string;
  InstanceName?: string;
  VpcAttributes?: { PrivateIpAddress?: { IpAddress?: string[] } };
  NetworkInterfaces?: { NetworkInterface?: Array<{ MacAddress?: string; Type?: string; PrimaryIpAddress?: string }> };
}

interface RawDisk {
  DiskId?: string;
  InstanceId?: string;
  Type?: string;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function primaryMac(raw: RawInstance): string | undefined {
  const nics = raw.NetworkInterfaces?.NetworkInterface ?? [];
  return (nics.find((n) => n.Type === 'Primary') ?? nics[0])?.MacAddress;
}

const INVOCATION_STATES: Record<string, InvocationResult['status']> = {
  pending: 'running',
  scheduled: 'running',
  running: 'running',
  stopping: 'running',
  success: 'success',
  finished: 'success',
};

export class EcsApi {
  constructor(private readonly api: OpenApiCaller) {}

  /** DescribeInstances by id (JSON list of ≤100 per call) and the system disks of the same instances. */
  async describeInstances(instanceIds: string[]): Promise<InstanceFacts[]> {
    const wanted = [...new Set(instanceIds)];
    if (wanted.length === 0) return [];
    const instances: RawInstance[] = [];
    for (const ids of chunks(wanted, PAGE)) {
      let token: string | undefined;
      do {
        const body = await this.api.rpc<{ Instances?: { Instance?: RawInstance[] }; NextToken?: string }>(
          'DescribeInstances',
          { InstanceIds: JSON.stringify(ids), MaxResults: PAGE, NextToken: token },
        );
        instances.push(...(body.Instances?.Instance ?? []));
        token = body.NextToken || undefined;
      } while (token);
    }
    const disks = await this.systemDisks(new Set(wanted));
    return instances.map((i) => ({
      instanceId: i.InstanceId ?? '',
      // ECS does not know Kubernetes node names; the caller joins on instanceId.
      nodeName: undefined,
      status: i.Status ?? '',
      privateIp:
        i.VpcAttributes?.PrivateIpAddress?.IpAddress?.[0] ??
        i.NetworkInterfaces?.NetworkInterface?.[0]?.PrimaryIpAddress,
      mac: primaryMac(i),
      systemDiskId: disks.get(i.InstanceId ?? ''),
    }));
  }

  /** System disk per instance: DescribeDisks filtered by InstanceId (the filter ECS offers), one call each. */
  private async systemDisks(wanted: Set<string>): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const instanceId of wanted) {
      const body = await this.api.rpc<{ Disks?: { Disk?: RawDisk[] } }>('DescribeDisks', {
        InstanceId: instanceId,
        DiskType: 'system',
        MaxResults: 10,
      });
      const disk = (body.Disks?.Disk ?? []).find((d) => d.InstanceId === instanceId && d.DiskId);
      if (disk?.DiskId) found.set(instanceId, disk.DiskId);
    }
    return found;
  }

  /**
   * A fresh ClientToken per call: the SDK-level retries of this call share it (ECS does it once), while a person's
   * Retry after a failed snapshot gets a new snapshot, not the failed one back.
   */
  async createSnapshot(diskId: string, name: string): Promise<string> {
    const body = await this.api.rpc<{ SnapshotId?: string }>('CreateSnapshot', {
      DiskId: diskId,
      SnapshotName: name,
      ClientToken: randomUUID(),
    });
    return body.SnapshotId ?? '';
  }

  async describeSnapshots(snapshotIds: string[]) {
    const out: Array<{ snapshotId: string; status: string; progress: number }> = [];
    for (const ids of chunks([...new Set(snapshotIds)], PAGE)) {
      let token: string | undefined;
      do {
        const body = await this.api.rpc<{
          Snapshots?: { Snapshot?: Array<{ SnapshotId?: string; Status?: string; Progress?: string }> };
          NextToken?: string;
        }>('DescribeSnapshots', { SnapshotIds: JSON.stringify(ids), MaxResults: PAGE, NextToken: token });
        for (const s of body.Snapshots?.Snapshot ?? [])
          out.push({
            snapshotId: s.SnapshotId ?? '',
            status: s.Status ?? '',
            progress: Number.parseInt(String(s.Progress ?? '0'), 10) || 0,
          });
        token = body.NextToken || undefined;
      } while (token);
    }
    return out;
  }

  async runCommand(instanceIds: string[], script: string): Promise<string> {
    const query: Record<string, string | number> = {
      Type: 'RunShellScript',
      CommandContent: script,
      Timeout: 600,
    };
    instanceIds.forEach((id, i) => {
      query[`InstanceId.${i + 1}`] = id;
    });
    const body = await this.api.rpc<{ InvokeId?: string }>('RunCommand', query);
    return body.InvokeId ?? '';
  }

  async describeInvocationResults(invokeId: string): Promise<InvocationResult[]> {
    const out: InvocationResult[] = [];
    let token: string | undefined;
    do {
      const body = await this.api.rpc<{
        Invocation?: {
          InvocationResults?: {
            InvocationResult?: Array<{
              InstanceId?: string;
              InvocationStatus?: string;
              InvokeRecordStatus?: string;
              Output?: string;
              ExitCode?: number;
            }>;
          };
          /** Where DescribeInvocationResults puts its paging token. */
          NextToken?: string;
        };
      }>('DescribeInvocationResults', {
        InvokeId: invokeId,
        ContentEncoding: 'PlainText',
        MaxResults: PAGE,
        NextToken: token,
      });
      for (const r of body.Invocation?.InvocationResults?.InvocationResult ?? []) {
        const state = (r.InvocationStatus ?? r.InvokeRecordStatus ?? '').toLowerCase();
        let status = INVOCATION_STATES[state] ?? 'failed';
        if (status === 'success' && typeof r.ExitCode === 'number' && r.ExitCode !== 0) status = 'failed';
        out.push({
          instanceId: r.InstanceId ?? '',
          status,
          output: r.Output ?? '',
          exitCode: typeof r.ExitCode === 'number' ? r.ExitCode : undefined,
        });
      }
      token = body.Invocation?.NextToken || undefined;
    } while (token);
    return out;
  }
}
