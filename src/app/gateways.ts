/**
 * Builds the real gateways from the configuration: Kubernetes from KUBECONFIG, ACK and ECS from the
 * ALIBABA_CLOUD_* variables (ALIBABA_CLOUD_CS_ENDPOINT / ALIBABA_CLOUD_ECS_ENDPOINT point them at the sandbox).
 */
import type { Config } from '../config/load-config.js';
import { AppError } from '../errors.js';
import { AlicloudCloudGateway, type CloudGatewayOptions } from '../gateways/cloud/alicloud-cloud-gateway.js';
import { DEFAULT_RETRY, OpenApiCaller, type RetryPolicy } from '../gateways/cloud/openapi-caller.js';
import { KubeClusterGateway, type KubeClusterGatewayOptions } from '../gateways/cluster/kube-cluster-gateway.js';
import { loadKubeConfig } from '../gateways/cluster/kube-config.js';

export type { AlicloudCloudGateway, KubeClusterGateway };

export interface GatewayOptions {
  cluster?: KubeClusterGatewayOptions;
  cloud?: CloudGatewayOptions & { retry?: Partial<RetryPolicy> };
}

export interface Gateways {
  cluster: KubeClusterGateway;
  cloud: AlicloudCloudGateway;
  /** Closes kept-alive connections so a process can exit. */
  close(): void;
}

export function createClusterGateway(config: Pick<Config, 'kubeconfig'>, options: KubeClusterGatewayOptions = {}) {
  return new KubeClusterGateway(loadKubeConfig(config.kubeconfig), options);
}

export function createCloudGateway(
  config: Pick<Config, 'cloud'>,
  options: GatewayOptions['cloud'] = {},
): AlicloudCloudGateway {
  if (!config.cloud) {
    throw new AppError('CONFIG', 'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set', {
      hint: 'set them with ALIBABA_CLOUD_REGION (and ALIBABA_CLOUD_CS_ENDPOINT / ALIBABA_CLOUD_ECS_ENDPOINT for a sandbox)',
    });
  }
  const caller = new OpenApiCaller(config.cloud, { ...DEFAULT_RETRY, ...options.retry });
  return new AlicloudCloudGateway(caller, options);
}

export function createGateways(config: Pick<Config, 'kubeconfig' | 'cloud'>, options: GatewayOptions = {}): Gateways {
  const cloud = createCloudGateway(config, options.cloud);
  const cluster = createClusterGateway(config, options.cluster);
  return { cluster, cloud, close: () => cluster.close() };
}
