/**
 * The gateways of one cluster of the fleet (docs/architecture.md#fleet): its region's ACK and ECS endpoints and its
 * own Kubernetes API. The worker builds them on first use and keeps them; the unit tier answers with fakes.
 */
import type { CloudGateway } from './cloud-gateway.js';
import type { ClusterGateway } from './cluster-gateway.js';

export interface ClusterGateways {
  cluster: ClusterGateway;
  cloud: CloudGateway;
}

export type ClusterAccess = (clusterId: string) => Promise<ClusterGateways>;
