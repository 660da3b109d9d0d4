import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  createNonceMemory,
  percentEncode,
  type SignedRequest,
  verifyAcs3,
} from '../../../../src/sandbox/cloud/signature.js';

/**
 * Vectors signed by @alicloud/openapi-util 0.3.3 `getAuthorization` (the signer inside @alicloud/openapi-client),
 * with the URL written the way tea-typescript writes it (querystring.stringify). Secret: `secret-xyz`.
 */
const common = {
  host: '127.0.0.1:8080',
  'x-acs-version': '2015-12-15',
  'x-acs-action': 'Test',
  'user-agent': 'x',
  'x-acs-date': '2026-11-05T10:00:00Z',
  'x-acs-signature-nonce': 'nonce-1',
  accept: 'application/json',
  'x-acs-credentials-provider': 'static_ak',
};
const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNED_NO_BODY =
  'host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version';

const roaWithBody: SignedRequest = {
  method: 'POST',
  url: '/clusters/c-demo/nodepools/np-a/upgrade',
  headers: {
    ...common,
    'content-type': 'application/json; charset=utf-8',
    'x-acs-content-sha256': '0aace07958e1b23294b3ed4dfc216a884c7c48db03ca616bf5475d7d8aead1ad',
    authorization: `ACS3-HMAC-SHA256 Credential=LTAIsandbox,SignedHeaders=content-type;${SIGNED_NO_BODY},Signature=769729e3ffadf0a8eb69889647d18d640d7717e020599c570fa04121763ed9da`,
  },
  body: Buffer.from('{"node_names":["pool-a-1"],"runtime_type":"containerd"}'),
};

const rpcWithOddQuery: SignedRequest = {
  method: 'POST',
  url: "/?CommandContent=echo%20'hi'%20(*)%20!done&InstanceId.1=i-1&RegionId=cn-hangzhou&Type=RunShellScript",
  headers: {
    ...common,
    'x-acs-content-sha256': EMPTY_SHA,
    authorization: `ACS3-HMAC-SHA256 Credential=LTAIsandbox,SignedHeaders=${SIGNED_NO_BODY},Signature=2ddc6d8e624d707589b651530a4c88898c30675cad237534144ffaccb999102c`,
  },
  body: Buffer.alloc(0),
};

const roaJsonQuery: SignedRequest = {
  method: 'DELETE',
  url: '/clusters/c1/nodepools/np1/nodes?instance_ids=%5B%22i-1%22%2C%22i-2%22%5D&drain_node=true',
  headers: {
    ...common,
    'x-acs-content-sha256': EMPTY_SHA,
    authorization: `ACS3-HMAC-SHA256 Credential=LTAIsandbox,SignedHeaders=${SIGNED_NO_BODY},Signature=c7a8d5fc264fd1ff299b23e10623534131f9969b0f8781ea626dabac0a2f63fb`,
  },
  body: Buffer.alloc(0),
};

const now = Date.parse('2026-11-05T10:03:00Z');
const keys: Record<string, string> = { LTAIsandbox: 'secret-xyz' };
const options = { secretFor: (ak: string) => keys[ak], now };

function withHeaders(req: SignedRequest, patch: Record<string, string | undefined>): SignedRequest {
  return { ...req, headers: { ...req.headers, ...patch } };
}

describe('ACS3-HMAC-SHA256 verification', () => {
  it("accepts requests signed by the Alibaba Cloud SDK: JSON body, RPC query with !'()*, JSON array in the query", () => {
    for (const req of [roaWithBody, rpcWithOddQuery, roaJsonQuery]) {
      expect(verifyAcs3(req, options)).toEqual({ ok: true, accessKeyId: 'LTAIsandbox' });
    }
  });

  it("re-encodes the query instead of trusting the raw string (the SDK leaves !'()* unescaped on the wire)", () => {
    expect(canonicalQuery("b=(x)&a=it's*!")).toBe('a=it%27s%2A%21&b=%28x%29');
    expect(percentEncode("!'()* ~")).toBe('%21%27%28%29%2A%20~');
  });

  it('refuses a wrong secret with SignatureDoesNotMatch (400) and shows the server string to sign', () => {
    const result = verifyAcs3(roaWithBody, { ...options, secretFor: () => 'wrong' });
    expect(result).toMatchObject({ ok: false, status: 400, code: 'SignatureDoesNotMatch' });
    if (!result.ok) expect(result.message).toMatch(/server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
  });

  it('refuses an unknown AccessKey id with InvalidAccessKeyId.NotFound (404)', () => {
    expect(verifyAcs3(roaWithBody, { ...options, secretFor: () => undefined })).toMatchObject({
      ok: false,
      status: 404,
      code: 'InvalidAccessKeyId.NotFound',
    });
  });

  it('refuses tampering: another path, query value, body or signed header', () => {
    const tampered: SignedRequest[] = [
      { ...roaWithBody, url: '/clusters/c-demo/nodepools/np-b/upgrade' },
      { ...rpcWithOddQuery, url: rpcWithOddQuery.url.replace('i-1', 'i-2') },
      { ...roaWithBody, method: 'PUT' },
      withHeaders(roaJsonQuery, { 'x-acs-action': 'Other' }),
    ];
    for (const req of tampered) expect(verifyAcs3(req, options)).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const otherBody = { ...roaWithBody, body: Buffer.from('{"node_names":["pool-a-2"]}') };
    expect(verifyAcs3(otherBody, options)).toMatchObject({ ok: false, status: 400, code: 'ContentSHA256NotMatch' });
  });

  it('refuses an unsigned x-acs-* header, a missing or malformed Authorization', () => {
    expect(verifyAcs3(withHeaders(roaJsonQuery, { 'x-acs-extra': '1' }), options)).toMatchObject({
      code: 'IncompleteSignature',
    });
    expect(verifyAcs3(withHeaders(roaJsonQuery, { authorization: undefined }), options)).toMatchObject({
      status: 400,
      code: 'MissingAuthorization',
    });
    expect(verifyAcs3(withHeaders(roaJsonQuery, { authorization: 'acs LTAIsandbox:abc=' }), options)).toMatchObject({
      code: 'IncompleteSignature',
    });
  });

  it('refuses a date outside the 15-minute window and a replayed nonce', () => {
    expect(verifyAcs3(roaWithBody, { ...options, now: now + 20 * 60_000 })).toMatchObject({
      code: 'InvalidTimeStamp.Expired',
    });
    const useNonce = createNonceMemory();
    expect(verifyAcs3(roaWithBody, { ...options, useNonce })).toMatchObject({ ok: true });
    expect(verifyAcs3(roaWithBody, { ...options, useNonce })).toMatchObject({ code: 'SignatureNonceUsed' });
  });
});
