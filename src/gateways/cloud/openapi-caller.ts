/**
 * The one place that calls @alicloud/openapi-client: generic `callApi` with Params, ROA for ACK (CS 2015-12-15)
 * and RPC for ECS (2014-05-26), ACS3-HMAC-SHA256 signed. Every action has a kind (CALL_KINDS) and retry-policy.ts
 * decides per kind what is tried again; every call attempt is counted per action for the metrics.
 */
import * as OpenApiModule from '@alicloud/openapi-client';
import type { CloudConfig } from '../../config/load-config.js';
import { cloudApiError } from './cloud-errors.js';
import { renewingCredential } from './credential.js';
import {
  backoffMs,
  type CallKind,
  DEFAULT_RETRY,
  failureKind,
  mayRetry,
  type RetryPolicy,
  retryAfterMs,
} from './retry-policy.js';

export { DEFAULT_RETRY, type RetryPolicy };

/**
 * The kind of every action called (retry-policy.ts): reads; writes that are safe twice (the task controls: a second
 * pause of a paused task is refused, never done twice; CreateSnapshot with its ClientToken); and the rest.
 */
export const CALL_KINDS: Record<string, CallKind> = {
  DescribeClusterDetail: 'read',
  DescribeClustersV1: 'read',
  DescribeClusterUserKubeconfig: 'read',
  DescribeClusterNodePools: 'read',
  DescribeClusterNodePoolDetail: 'read',
  DescribeClusterNodes: 'read',
  DescribeKubernetesVersionMetadata: 'read',
  DescribeClusterTasks: 'read',
  DescribeTaskInfo: 'read',
  GetClusterCheck: 'read',
  // A second check of the same pool does no harm: another check id, nothing changed.
  RunClusterCheck: 'idempotent',
  UpgradeClusterNodepool: 'write',
  PauseTask: 'idempotent',
  ResumeTask: 'idempotent',
  CancelTask: 'idempotent',
  CreateClusterNodePool: 'write',
  ScaleClusterNodePool: 'write',
  RemoveNodePoolNodes: 'write',
  DeleteClusterNodepool: 'write',
  DescribeInstances: 'read',
  DescribeDisks: 'read',
  DescribeSnapshots: 'read',
  DescribeInvocationResults: 'read',
  CreateSnapshot: 'idempotent',
  RunCommand: 'write',
};

type ClientInstance = InstanceType<typeof OpenApiModule.default.default>;
type ClientClass = new (config: OpenApiModule.Config) => ClientInstance;
type Runtime = Parameters<ClientInstance['callApi']>[2];

/** ESM importing a CommonJS module sees `module.exports` as default; the class sits one `default` deeper. */
function clientClass(): ClientClass {
  let c: unknown = OpenApiModule.default;
  for (let i = 0; i < 3 && typeof c !== 'function'; i++) c = (c as { default?: unknown } | undefined)?.default;
  if (typeof c !== 'function') throw new Error('@alicloud/openapi-client: Client class not found');
  return c as ClientClass;
}

export interface CloudCallStats {
  /** HTTP attempts per action, retries included. */
  calls: Record<string, number>;
  retries: number;
  failures: number;
}

export interface Endpoint {
  host: string;
  protocol: 'http' | 'https';
}

/** `http://127.0.0.1:8080`, `127.0.0.1:8080` or `cs.cn-hangzhou.aliyuncs.com`; loopback without a scheme is http. */
export function parseEndpoint(value: string | undefined, fallbackHost: string): Endpoint {
  if (!value) return { host: fallbackHost, protocol: 'https' };
  const m = /^(https?):\/\/([^/]+)/.exec(value);
  if (m) return { host: m[2]!, protocol: m[1] as 'http' | 'https' };
  const host = value.replace(/\/+$/, '');
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host);
  return { host, protocol: loopback ? 'http' : 'https' };
}

export function ecsHost(region: string): string {
  // The ECS SDK's endpoint map sends cn-hangzhou to its own host name.
  return region === 'cn-hangzhou' ? 'ecs-cn-hangzhou.aliyuncs.com' : `ecs.${region}.aliyuncs.com`;
}

interface ServiceClient {
  client: ClientInstance;
  service: 'ACK' | 'ECS';
  version: string;
  endpointVar: string;
}

export interface RoaRequest {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Response body: `json` (default) or `none` for the task controls that answer with an empty body. */
  bodyType?: 'json' | 'none' | 'array';
}

export class OpenApiCaller {
  private readonly cs: ServiceClient;
  private readonly ecs: ServiceClient;
  private readonly counts = new Map<string, number>();
  private retries = 0;
  private failures = 0;
  private readonly secrets: string[];

  constructor(
    readonly config: CloudConfig,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    const Client = clientClass();
    const credential = renewingCredential(config);
    const make = (endpoint: Endpoint) =>
      new Client(
        new OpenApiModule.Config({
          ...(credential
            ? { credential }
            : {
                accessKeyId: config.accessKeyId,
                accessKeySecret: config.accessKeySecret,
                ...(config.securityToken ? { securityToken: config.securityToken } : {}),
              }),
          endpoint: endpoint.host,
          protocol: endpoint.protocol,
          regionId: config.region,
        }),
      );
    this.cs = {
      client: make(parseEndpoint(config.csEndpoint, `cs.${config.region}.aliyuncs.com`)),
      service: 'ACK',
      version: '2015-12-15',
      endpointVar: 'ALIBABA_CLOUD_CS_ENDPOINT',
    };
    this.ecs = {
      client: make(parseEndpoint(config.ecsEndpoint, ecsHost(config.region))),
      service: 'ECS',
      version: '2014-05-26',
      endpointVar: 'ALIBABA_CLOUD_ECS_ENDPOINT',
    };
    this.secrets = [config.accessKeySecret, config.securityToken].filter((s): s is string => !!s);
  }

  /** An ACK call: path parameters already encoded into `pathname`, JSON body. */
  async roa<T>(action: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', pathname: string, req: RoaRequest = {}) {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query[k] = String(v);
    const params = new OpenApiModule.Params({
      action,
      version: this.cs.version,
      protocol: 'HTTPS',
      pathname,
      method,
      authType: 'AK',
      style: 'ROA',
      reqBodyType: 'json',
      bodyType: req.bodyType ?? 'json',
    });
    const request = new OpenApiModule.OpenApiRequest({
      query,
      ...(req.body === undefined ? {} : { body: req.body }),
    });
    return (await this.call(this.cs, action, params, request)) as T;
  }

  /** An ECS call: every parameter in the query, arrays already flattened (`InstanceId.1`) or JSON strings. */
  async rpc<T>(action: string, query: Record<string, string | number | boolean | undefined>): Promise<T> {
    const q: Record<string, string> = { RegionId: this.config.region };
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q[k] = String(v);
    const params = new OpenApiModule.Params({
      action,
      version: this.ecs.version,
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    return (await this.call(this.ecs, action, params, new OpenApiModule.OpenApiRequest({ query: q }))) as T;
  }

  stats(): CloudCallStats {
    return { calls: Object.fromEntries(this.counts), retries: this.retries, failures: this.failures };
  }

  private async call(
    svc: ServiceClient,
    action: string,
    params: OpenApiModule.Params,
    request: OpenApiModule.OpenApiRequest,
  ): Promise<unknown> {
    const runtime = { readTimeout: 30_000, connectTimeout: 5_000 } as Runtime;
    const kind = CALL_KINDS[action] ?? 'write';
    for (let attempt = 1; ; attempt++) {
      this.counts.set(action, (this.counts.get(action) ?? 0) + 1);
      try {
        const res = await svc.client.callApi(params, request, runtime);
        return res.body;
      } catch (error) {
        const failure = failureKind(error);
        if (mayRetry(kind, failure, attempt, this.retry)) {
          this.retries++;
          await new Promise((r) => setTimeout(r, backoffMs(failure, attempt, this.retry, retryAfterMs(error))));
          continue;
        }
        this.failures++;
        const appError = cloudApiError(error, {
          service: svc.service,
          action,
          endpointVar: svc.endpointVar,
          secrets: this.secrets,
          attempts: attempt,
        });
        // A write that may have been done: the caller looks at the state before it asks again.
        if (kind === 'write' && failure === 'server') appError.details.outcome = 'unknown';
        throw appError;
      }
    }
  }
}
