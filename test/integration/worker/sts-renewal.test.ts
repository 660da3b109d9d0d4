/**
 * Credentials that renew (docs/contracts.md#environment-variables): the sandbox hands out STS credentials that live
 * one second and refuses an expired token (InvalidSecurityToken.Expired), as the POP gateway does. A worker whose
 * credentials come from a credentials URI (@alicloud/credentials renews them before they expire) completes a
 * migration many times longer than one token's life; a static STS token is refused once it expired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudGateway } from '../../../src/app/gateways.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { REQUESTER, scenarioYaml, WorkerHarness } from '../../support/worker-harness.js';

describe('STS credentials that expire during a migration', { timeout: 120_000 }, () => {
  let h: WorkerHarness;
  let env: Record<string, string>;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('sts-renewal'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({ poolA: 1, poolB: 3 }),
    });
    const { ALIBABA_CLOUD_ACCESS_KEY_ID: _id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: _secret, ...rest } = h.sandbox.env;
    env = { ...rest };
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a static STS token once it expired', async () => {
    const res = await fetch(`http://${env.ALIBABA_CLOUD_CS_ENDPOINT}/sandbox/sts-credentials?ttlSeconds=1`);
    const sts = (await res.json()) as { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
    const cloud = createCloudGateway(
      loadConfig({
        ...env,
        ALIBABA_CLOUD_ACCESS_KEY_ID: sts.AccessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: sts.AccessKeySecret,
        ALIBABA_CLOUD_SECURITY_TOKEN: sts.SecurityToken,
      }),
      { retry: { attempts: 1, baseDelayMs: 5 } },
    );
    expect((await cloud.describeCluster('c-demo')).id).toBe('c-demo');
    await new Promise((r) => setTimeout(r, 1_200));
    await expect(cloud.describeCluster('c-demo')).rejects.toMatchObject({
      code: 'CLOUD_API',
      details: { code: 'InvalidSecurityToken.Expired' },
    });
  });

  it('completes a migration that outlives many one-second tokens', async () => {
    const cloud = createCloudGateway(
      loadConfig({
        ...env,
        ALIBABA_CLOUD_CREDENTIALS_URI: `http://${env.ALIBABA_CLOUD_CS_ENDPOINT}/sandbox/sts-credentials?ttlSeconds=1`,
      }),
      { checkPollMs: 20, retry: { baseDelayMs: 20 } },
    );
    const lane = await h.lane();
    await lane.worker({ cloud });
    const issuedBefore = h.sandbox.cloud.state.sts.size;
    const started = Date.now();
    const { migration } = await lane.client.service.start({
      pool: 'pool-b',
      snapshot: false,
      soakSeconds: 0,
      mode: 'in-place',
      maxParallel: 1,
      origin: REQUESTER,
    });
    const done = await lane.untilState(migration.migrationId, ['completed', 'paused', 'aborted'], 90_000);
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('completed');
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(2);
    expect(h.sandbox.cloud.state.sts.size - issuedBefore).toBeGreaterThan(2);
    console.info(JSON.stringify({ seconds, tokensIssued: h.sandbox.cloud.state.sts.size - issuedBefore }));
  });
});
