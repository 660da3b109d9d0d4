/**
 * The worker's gateways for every cluster of the fleet (docs/architecture.md#fleet), built on first use and kept:
 * - the region: `clusters[].region` of the config file, else what ACK says of the cluster (DescribeClusterDetail);
 *   its endpoints are `cs.<region>.aliyuncs.com` and ECS's (with the SDK's special cases), unless
 *   ALIBABA_CLOUD_CS_ENDPOINT / ALIBABA_CLOUD_ECS_ENDPOINT serve every region;
 * - Kubernetes: `clusters[].kubeconfig` / `context` of the config file; else the KUBECONFIG context named by the
 *   cluster id, or KUBECONFIG's current context when it is the deployment's only cluster (or, without KUBECONFIG,
 *   the service account of a worker inside that cluster); else a temporary kubeconfig from ACK
 *   (DescribeClusterUserKubeconfig), renewed before it expires.
 */
import type { Config } from '../config/load-config.js';
import { AppError, isAppError } from '../errors.js';
import { AlicloudCloudGateway } from '../gateways/cloud/alicloud-cloud-gateway.js';
import { DEFAULT_RETRY, OpenApiCaller } from '../gateways/cloud/openapi-caller.js';
import { KubeClusterGateway } from '../gateways/cluster/kube-cluster-gateway.js';
import { loadKubeConfig } from '../gateways/cluster/kube-config.js';
import { RenewingClusterGateway } from '../gateways/cluster/renewing-cluster-gateway.js';
import type { ClusterAccess, ClusterGateways } from '../ports/cluster-access.js';
import type { ClusterGateway } from '../ports/cluster-gateway.js';
import { createCloudGateway, type GatewayOptions } from './gateways.js';

/** Minutes a temporary kubeconfig is asked for (ACK takes 15 to 4320); it is renewed 10 minutes before its end. */
const KUBECONFIG_MINUTES = 60;

type CallStats = { stats(): { calls: Record<string, number> } };

export interface FleetGateways {
  access: ClusterAccess;
  /** Stands in where the services want a Kubernetes gateway before a cluster is known; every call is refused. */
  cluster: ClusterGateway;
  /** The gateway of ALIBABA_CLOUD_REGION: cluster lists and lookups before a cluster is known. */
  cloud: AlicloudCloudGateway;
  /** Calls over every cluster's gateways, for the metrics. */
  stats: { cluster: CallStats; cloud: CallStats };
  close(): void;
}

interface Built {
  cluster: KubeClusterGateway | RenewingClusterGateway;
  cloud: AlicloudCloudGateway;
}

function sum(parts: CallStats[]): { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  for (const p of parts) for (const [k, n] of Object.entries(p.stats().calls)) calls[k] = (calls[k] ?? 0) + n;
  return { calls };
}

export function createFleetGateways(
  config: Pick<Config, 'kubeconfig' | 'cloud' | 'file' | 'defaultClusterId'>,
  options: GatewayOptions = {},
): FleetGateways {
  const base = createCloudGateway(config, options.cloud);
  const cloudConfig = config.cloud!;
  const byRegion = new Map<string, AlicloudCloudGateway>([[cloudConfig.region, base]]);
  const built = new Map<string, Promise<Built>>();
  const ready: Built[] = [];
  const configured = config.file.clusters;
  // A kubeconfig that cannot be read stops the worker at start, not its first job.
  for (const file of new Set([config.kubeconfig, ...configured.map((c) => c.kubeconfig)]))
    if (file) loadKubeConfig(file);

  const cloudFor = (region: string): AlicloudCloudGateway => {
    let gateway = byRegion.get(region);
    if (!gateway) {
      const caller = new OpenApiCaller({ ...cloudConfig, region }, { ...DEFAULT_RETRY, ...options.cloud?.retry });
      gateway = new AlicloudCloudGateway(caller, options.cloud);
      byRegion.set(region, gateway);
    }
    return gateway;
  };

  const kubeFor = (clusterId: string, cloud: AlicloudCloudGateway): KubeClusterGateway | RenewingClusterGateway => {
    const entry = configured.find((c) => c.id === clusterId);
    if (entry?.kubeconfig || entry?.context) {
      const kc = loadKubeConfig(entry.kubeconfig ?? config.kubeconfig);
      if (entry.context) useContext(kc, entry.context, clusterId);
      return new KubeClusterGateway(kc, options.cluster);
    }
    const only = configured.length === 0 || (configured.length === 1 && configured[0]!.id === clusterId);
    // A worker that runs inside its only cluster keeps using its service account, as before fleets.
    if (!config.kubeconfig && only && process.env['KUBERNETES_SERVICE_HOST'])
      return new KubeClusterGateway(loadKubeConfig(undefined), options.cluster);
    if (config.kubeconfig) {
      const kc = loadKubeConfig(config.kubeconfig);
      if (kc.getContexts().some((c) => c.name === clusterId)) {
        kc.setCurrentContext(clusterId);
        return new KubeClusterGateway(kc, options.cluster);
      }
      if (only) return new KubeClusterGateway(kc, options.cluster);
    }
    return new RenewingClusterGateway(
      clusterId,
      () => cloud.userKubeconfig(clusterId, KUBECONFIG_MINUTES),
      options.cluster,
    );
  };

  const build = async (clusterId: string): Promise<Built> => {
    let region = configured.find((c) => c.id === clusterId)?.region;
    if (!region) {
      try {
        region = (await base.describeCluster(clusterId)).region || cloudConfig.region;
      } catch (error) {
        // Not known in this account: the caller's own NOT_FOUND handling names the clusters there are.
        if (isAppError(error)) throw error;
        throw new AppError('CLOUD_API', `cannot read cluster ${clusterId}: ${(error as Error).message}`);
      }
    }
    const cloud = cloudFor(region);
    const gateways = { cluster: kubeFor(clusterId, cloud), cloud };
    ready.push(gateways);
    return gateways;
  };

  const access: ClusterAccess = (clusterId) => {
    let gateways = built.get(clusterId);
    if (!gateways) {
      gateways = build(clusterId);
      built.set(clusterId, gateways);
      // A failed build (a cluster that does not exist, a config error) is tried again next time.
      gateways.catch(() => built.delete(clusterId));
    }
    return gateways as Promise<ClusterGateways>;
  };

  return {
    access,
    cluster: UNSCOPED_CLUSTER,
    cloud: base,
    stats: {
      cluster: { stats: () => sum(ready.map((g) => g.cluster)) },
      cloud: { stats: () => sum([...byRegion.values()]) },
    },
    close: () => {
      for (const g of ready) g.cluster.close();
    },
  };
}

/** Services scope their gateways to a cluster (src/services/scoped-gateways.ts) before they call Kubernetes. */
const UNSCOPED_CLUSTER = new Proxy({} as ClusterGateway, {
  get: (_, name) =>
    name === 'then'
      ? undefined
      : () => Promise.reject(new AppError('INTERNAL', `Kubernetes call ${String(name)} before its cluster was known`)),
});

function useContext(kc: ReturnType<typeof loadKubeConfig>, context: string, clusterId: string): void {
  if (!kc.getContexts().some((c) => c.name === context)) {
    throw new AppError('CONFIG', `cluster ${clusterId}: context "${context}" is not in its kubeconfig`, {
      hint: `contexts there: ${
        kc
          .getContexts()
          .map((c) => c.name)
          .join(', ') || '(none)'
      }`,
    });
  }
  kc.setCurrentContext(context);
}
