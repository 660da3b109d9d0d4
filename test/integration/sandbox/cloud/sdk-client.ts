/**
 * The real @alicloud/openapi-client, configured as ack-api.md §3.5 says for a local simulator (endpoint
 * `127.0.0.1:PORT`, protocol http), with thin helpers for ROA (CS) and RPC (ECS) calls.
 */
import * as OpenApi from '@alicloud/openapi-client';

type ClientCtor = new (
  config: OpenApi.Config,
) => {
  callApi(params: OpenApi.Params, request: OpenApi.OpenApiRequest, runtime: unknown): Promise<Record<string, unknown>>;
};

// The package is CommonJS: under ESM its class is `default.default`, under CJS interop plain `default`.
const namespace = OpenApi as unknown as { default: ClientCtor | { default: ClientCtor } };
const Client: ClientCtor = 'default' in namespace.default ? namespace.default.default : namespace.default;

export interface SdkError extends Error {
  code: string;
  data: Record<string, unknown> & { statusCode: number };
}

export function sdkClient(endpoint: string, accessKeyId: string, accessKeySecret: string) {
  const client = new Client(
    new OpenApi.Config({ accessKeyId, accessKeySecret, endpoint, protocol: 'http', regionId: 'cn-hangzhou' }),
  );
  const runtime = { readTimeout: 10_000, connectTimeout: 5_000 };
  return {
    async roa<T = Record<string, unknown>>(
      action: string,
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      pathname: string,
      options: { query?: Record<string, string>; body?: unknown; bodyType?: 'json' | 'array' | 'none' } = {},
    ): Promise<T> {
      const res = await client.callApi(
        new OpenApi.Params({
          action,
          version: '2015-12-15',
          protocol: 'HTTPS',
          pathname,
          method,
          authType: 'AK',
          style: 'ROA',
          reqBodyType: 'json',
          bodyType: options.bodyType ?? 'json',
        }),
        new OpenApi.OpenApiRequest({ query: options.query, body: options.body }),
        runtime,
      );
      return res['body'] as T;
    },
    async rpc<T = Record<string, unknown>>(action: string, query: Record<string, string>): Promise<T> {
      const res = await client.callApi(
        new OpenApi.Params({
          action,
          version: '2014-05-26',
          protocol: 'HTTPS',
          pathname: '/',
          method: 'POST',
          authType: 'AK',
          style: 'RPC',
          reqBodyType: 'formData',
          bodyType: 'json',
        }),
        new OpenApi.OpenApiRequest({ query: { RegionId: 'cn-hangzhou', ...query } }),
        runtime,
      );
      return res['body'] as T;
    },
  };
}

export type SdkClient = ReturnType<typeof sdkClient>;

/** Runs a call that must fail and returns the SDK's error. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('the call succeeded but was expected to fail');
}
