/**
 * A ClusterGateway on a temporary kubeconfig (ACK's DescribeClusterUserKubeconfig, docs/architecture.md#fleet):
 * fetched on first use and fetched again before it expires, so a migration that runs for hours never meets an
 * expired token. Calls in flight keep the gateway they started on; a watch lives on until it is stopped.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../errors.js';
import type { ClusterGateway, EvictionOutcome, NodeWatchEvent, WorkloadStatus } from '../../ports/cluster-gateway.js';
import { KubeClusterGateway, type KubeClusterGatewayOptions } from './kube-cluster-gateway.js';

export interface TemporaryKubeconfig {
  /** The kubeconfig YAML. */
  config: string;
  /** RFC 3339; when the credentials in it stop working. */
  expiration: string;
}

export interface RenewingOptions extends KubeClusterGatewayOptions {
  /** Renew this long before the expiration (ms, default 10 minutes). */
  renewBeforeMs?: number;
  now?: () => number;
}

type Stats = { calls: Record<string, number> };

export class RenewingClusterGateway implements ClusterGateway {
  private current: { gateway: KubeClusterGateway; expiresAt: number } | undefined;
  private pending: Promise<KubeClusterGateway> | undefined;
  private readonly retired: KubeClusterGateway[] = [];

  constructor(
    private readonly clusterId: string,
    private readonly fetch: () => Promise<TemporaryKubeconfig>,
    private readonly options: RenewingOptions = {},
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private gateway(): Promise<KubeClusterGateway> {
    const renewBefore = this.options.renewBeforeMs ?? 10 * 60_000;
    if (this.current && this.now() < this.current.expiresAt - renewBefore) return Promise.resolve(this.current.gateway);
    this.pending ??= this.renew().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async renew(): Promise<KubeClusterGateway> {
    const answer = await this.fetch();
    const expiresAt = Date.parse(answer.expiration);
    const kc = new KubeConfig();
    try {
      kc.loadFromString(answer.config);
    } catch (error) {
      throw new AppError('CLOUD_API', `ACK answered a kubeconfig for ${this.clusterId} that cannot be read`, {
        cause: error,
      });
    }
    if (!kc.getCurrentCluster() || Number.isNaN(expiresAt)) {
      throw new AppError('CLOUD_API', `ACK answered no usable kubeconfig for ${this.clusterId}`);
    }
    if (this.current) this.retired.push(this.current.gateway);
    const gateway = new KubeClusterGateway(kc, this.options);
    this.current = { gateway, expiresAt };
    return gateway;
  }

  /** Kubernetes API requests per kind, over every kubeconfig this gateway has used. */
  stats(): Stats {
    const calls: Record<string, number> = {};
    for (const g of [...this.retired, ...(this.current ? [this.current.gateway] : [])])
      for (const [k, n] of Object.entries(g.stats().calls)) calls[k] = (calls[k] ?? 0) + n;
    return { calls };
  }

  close(): void {
    for (const g of this.retired) g.close();
    this.current?.gateway.close();
  }

  async snapshotPool(poolId: string) {
    return (await this.gateway()).snapshotPool(poolId);
  }
  async listPoolNodes(poolId: string) {
    return (await this.gateway()).listPoolNodes(poolId);
  }
  async getNode(name: string) {
    return (await this.gateway()).getNode(name);
  }
  async setUnschedulable(name: string, unschedulable: boolean): Promise<void> {
    return (await this.gateway()).setUnschedulable(name, unschedulable);
  }
  async listPodsOnNode(name: string) {
    return (await this.gateway()).listPodsOnNode(name);
  }
  async evictPod(namespace: string, name: string): Promise<EvictionOutcome> {
    return (await this.gateway()).evictPod(namespace, name);
  }
  async deletePod(namespace: string, name: string): Promise<void> {
    return (await this.gateway()).deletePod(namespace, name);
  }
  async podExists(namespace: string, name: string, uid: string): Promise<boolean> {
    return (await this.gateway()).podExists(namespace, name, uid);
  }
  async watchPoolNodes(poolId: string, onEvent: (event: NodeWatchEvent) => void): Promise<() => void> {
    return (await this.gateway()).watchPoolNodes(poolId, onEvent);
  }
  async workloadStatus(refs: Parameters<ClusterGateway['workloadStatus']>[0]): Promise<WorkloadStatus[]> {
    return (await this.gateway()).workloadStatus(refs);
  }
}
