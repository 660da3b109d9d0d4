/**
 * Kubernetes access from ACK's DescribeClusterUserKubeconfig: fetched on first use, fetched again before it
 * expires, so the gateway keeps working after the first token has stopped being accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudGateway } from '../../../src/app/gateways.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { AlicloudCloudGateway } from '../../../src/gateways/cloud/alicloud-cloud-gateway.js';
import { RenewingClusterGateway } from '../../../src/gateways/cluster/renewing-cluster-gateway.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';

let sandbox: Sandbox;
let cloud: AlicloudCloudGateway;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.01 });
  cloud = createCloudGateway(loadConfig({ ...sandbox.env }), { retry: { attempts: 1 } });
});
afterAll(() => sandbox?.stop());

describe('RenewingClusterGateway', () => {
  it('asks ACK once, then again before the kubeconfig expires, and keeps working past the first expiry', async () => {
    let clock = Date.now();
    const fetched: string[] = [];
    const gateway = new RenewingClusterGateway(
      'c-demo',
      async () => {
        const answer = await cloud.userKubeconfig('c-demo', 60);
        fetched.push(answer.expiration);
        return answer;
      },
      { now: () => clock, renewBeforeMs: 10 * 60_000 },
    );
    try {
      expect((await gateway.listPoolNodes('np-b')).map((n) => n.name)).toEqual(['pool-b-1', 'pool-b-2', 'pool-b-3']);
      expect(await gateway.getNode('pool-b-1')).toMatchObject({ name: 'pool-b-1' });
      expect(fetched).toHaveLength(1);

      // 51 minutes later: inside the last 10 minutes of the first kubeconfig, and ACK stops taking its token.
      clock += 51 * 60_000;
      const tokens = sandbox.cloud.state.kubeTokens;
      for (const token of tokens.keys()) tokens.set(token, Date.now() - 1);
      expect(await gateway.getNode('pool-b-2')).toMatchObject({ name: 'pool-b-2' });
      expect(fetched).toHaveLength(2);
      // Two calls at once share one renewal.
      clock += 51 * 60_000;
      await Promise.all([gateway.getNode('pool-b-1'), gateway.getNode('pool-b-3')]);
      expect(fetched).toHaveLength(3);
    } finally {
      gateway.close();
    }
  });
});
