import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AK, type CloudFixture, control, SECRET, startSmallCloud } from './fixtures.js';
import { sdkClient, sdkError } from './sdk-client.js';

let fx: CloudFixture;

beforeAll(async () => {
  fx = await startSmallCloud(0.01);
});
afterAll(async () => {
  await fx?.close();
});

describe('the cloud sandbox verifies signatures of the real @alicloud/openapi-client', () => {
  it('accepts signed ROA (CS) and RPC (ECS) calls with the right secret', async () => {
    const sdk = sdkClient(fx.cloud.endpoint, AK, SECRET);
    const cluster = await sdk.roa('DescribeClusterDetail', 'GET', '/clusters/c-test');
    expect(cluster).toMatchObject({ cluster_id: 'c-test', current_version: '1.22.15-aliyun.1', state: 'running' });
    const ecs = await sdk.rpc<{ TotalCount: number; Instances: { Instance: unknown[] } }>('DescribeInstances', {
      PageSize: '100',
    });
    expect(ecs.TotalCount).toBe(5);
    expect(ecs.Instances.Instance).toHaveLength(5);
  });

  it("accepts query values with !'()* and JSON arrays (the query re-encoding gotcha)", async () => {
    const sdk = sdkClient(fx.cloud.endpoint, AK, SECRET);
    const pools = await sdk.roa<{ nodepools: unknown[] }>(
      'DescribeClusterNodePools',
      'GET',
      '/clusters/c-test/nodepools',
      {
        query: { NodepoolName: "it's (not)*here!" },
      },
    );
    expect(pools.nodepools).toEqual([]);
    const ids = [...fx.world.instances.keys()].slice(0, 2);
    const ecs = await sdk.rpc<{ Instances: { Instance: Array<{ InstanceId: string }> } }>('DescribeInstances', {
      InstanceIds: JSON.stringify(ids),
    });
    expect(ecs.Instances.Instance.map((i) => i.InstanceId).sort()).toEqual([...ids].sort());
  });

  it('refuses a wrong secret with SignatureDoesNotMatch (400) on both styles', async () => {
    const sdk = sdkClient(fx.cloud.endpoint, AK, 'not-the-secret');
    for (const call of [
      sdk.roa('DescribeClusterDetail', 'GET', '/clusters/c-test'),
      sdk.rpc('DescribeInstances', {}),
    ]) {
      const error = await sdkError(call);
      expect(error.code).toBe('SignatureDoesNotMatch');
      expect(error.data.statusCode).toBe(400);
      expect(error.data['RequestId']).toMatch(/^[0-9A-F-]{36}$/);
      expect(String(error.data['Message'])).toContain('server string to sign is:ACS3-HMAC-SHA256');
    }
  });

  it('refuses an unknown AccessKey id with InvalidAccessKeyId.NotFound (404)', async () => {
    const sdk = sdkClient(fx.cloud.endpoint, 'LTAI5tSomebodyElse', SECRET);
    for (const call of [
      sdk.roa('DescribeClusterDetail', 'GET', '/clusters/c-test'),
      sdk.rpc('DescribeInstances', {}),
    ]) {
      const error = await sdkError(call);
      expect(error.code).toBe('InvalidAccessKeyId.NotFound');
      expect(error.data.statusCode).toBe(404);
    }
  });

  it('refuses an unsigned request and changes nothing', async () => {
    const before = await control(fx.cloud, '/sandbox/stats');
    const res = await fetch(`http://${fx.cloud.endpoint}/clusters/c-test/nodepools/np-a`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-acs-version': '2015-12-15' },
      body: JSON.stringify({ count: 3 }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ Code: 'MissingAuthorization' });
    expect(fx.world.listNodes('np-a')).toHaveLength(3);
    expect(await control(fx.cloud, '/sandbox/stats')).toEqual(before);
  });

  it('answers CS business errors in the CS shape and unknown actions as the gateway does', async () => {
    const sdk = sdkClient(fx.cloud.endpoint, AK, SECRET);
    const missing = await sdkError(
      sdk.roa('DescribeClusterNodePoolDetail', 'GET', '/clusters/c-test/nodepools/np-zzz'),
    );
    expect(missing.code).toBe('ErrorNodePoolNotFound');
    expect(missing.data).toMatchObject({ statusCode: 404, status: 404 });
    expect(missing.data['requestId']).toBeTypeOf('string');
    const unknown = await sdkError(sdk.rpc('RebootInstance', { InstanceId: 'i-x' }));
    expect(unknown.code).toBe('InvalidAction.NotFound');
    const ecs = await sdkError(sdk.rpc('StopInstance', { InstanceId: 'i-nope' }));
    expect(ecs.code).toBe('InvalidInstanceId.NotFound');
    expect(ecs.data.statusCode).toBe(404);
  });
});
