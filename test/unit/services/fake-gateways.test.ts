/** The gateway contracts on the fakes the unit tier runs the pipeline on (the same contracts run on the sandbox). */

import { cloudGatewayContract } from '../../contracts/gateways/cloud-gateway.contract.js';
import { clusterGatewayContract } from '../../contracts/gateways/cluster-gateway.contract.js';
import { CONTRACT_WORLD, type SubjectFactory } from '../../contracts/gateways/contract-world.js';
import { FakeCloudGateway } from '../../support/fakes/fake-cloud-gateway.js';
import { FakeClusterGateway } from '../../support/fakes/fake-cluster-gateway.js';
import { FakeWorld } from '../../support/fakes/fake-world.js';

const fakes: SubjectFactory = async () => {
  const world = new FakeWorld(structuredClone(CONTRACT_WORLD));
  return {
    cloud: new FakeCloudGateway(world),
    cluster: new FakeClusterGateway(world),
    pass: async () => world.tick(),
    plantFault: async (node, step, error) => world.plantFault(node, step, error),
    close: async () => {},
  };
};

cloudGatewayContract('fakes', fakes);
clusterGatewayContract('fakes', fakes);
