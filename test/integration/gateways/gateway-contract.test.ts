/**
 * The gateway contracts (test/contracts/gateways/) on the real gateways: AlicloudCloudGateway (signed OpenAPI calls)
 * and KubeClusterGateway (@kubernetes/client-node) against a fresh sandbox per test, on the contract's world. The
 * same contracts run on the fakes in the unit tier, so the fakes the pipeline's unit tests use behave like this.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateways } from '../../../src/app/gateways.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { parseScenario } from '../../../src/sandbox/scenario/index.js';
import { startSandbox } from '../../../src/sandbox/start-sandbox.js';
import { cloudGatewayContract } from '../../contracts/gateways/cloud-gateway.contract.js';
import { clusterGatewayContract } from '../../contracts/gateways/cluster-gateway.contract.js';
import { CONTRACT_SCENARIO, type SubjectFactory } from '../../contracts/gateways/contract-world.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'sandbox', 'scenarios');
/** Sandbox seconds per simulated second: a node's upgrade (about 10 simulated seconds here) takes 100 ms. */
const TIME_SCALE = 0.01;

const sandboxed: SubjectFactory = async () => {
  const sandbox = await startSandbox({
    scenario: parseScenario(CONTRACT_SCENARIO, SCENARIOS, 'contract world'),
    timeScale: TIME_SCALE,
  });
  const gateways = createGateways(loadConfig({ ...sandbox.env }), {
    cluster: { watchRetryMs: 50 },
    cloud: { checkPollMs: 20, retry: { baseDelayMs: 20 } },
  });
  const control = `http://${sandbox.env.ALIBABA_CLOUD_CS_ENDPOINT}/sandbox/faults`;
  return {
    cloud: gateways.cloud,
    cluster: gateways.cluster,
    pass: () => new Promise((resolve) => setTimeout(resolve, 10)),
    plantFault: async (node, step, error) => {
      const res = await fetch(control, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ faults: [{ node, step, error }] }),
      });
      if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
    },
    close: async () => {
      gateways.close();
      await sandbox.stop();
    },
  };
};

cloudGatewayContract('AlicloudCloudGateway over the sandbox', sandboxed);
clusterGatewayContract('KubeClusterGateway over the sandbox', sandboxed);
