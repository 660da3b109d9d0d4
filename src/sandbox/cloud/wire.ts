/**
 * What the CS and ECS handlers get and give: parsed parameters in, a JSON body or an OpenAPI error out.
 * Errors look as the real endpoints answer them: the POP gateway (auth, throttling, and every ECS error) uses
 * PascalCase `{RequestId, HostId, Code, Message, Recommend}`; CS's own ROA errors are lower-case
 * `{code, message, requestId, status}`. @alicloud/openapi-client reads both.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** Thrown by a handler: the server turns it into the service's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function requestId(): string {
  return randomUUID().toUpperCase();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, id: string): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-acs-request-id': id,
  });
  res.end(text);
}

/** The POP gateway's error shape (auth failures for both styles; every ECS error). */
export function gatewayError(code: string, message: string, id: string, host: string, product: string) {
  return {
    RequestId: id,
    HostId: host,
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${product}&requestId=${id}`,
  };
}

/** CS's own error shape for ROA business errors. */
export function roaError(status: number, code: string, message: string, id: string) {
  return { code, message, requestId: id, status };
}

/** ECS parameter readers: RPC parameters are all strings; these give clear InvalidParameter errors. */
export class RpcParams {
  constructor(readonly values: Readonly<Record<string, string>>) {}

  optional(name: string): string | undefined {
    const v = this.values[name];
    return v === undefined || v === '' ? undefined : v;
  }

  required(name: string): string {
    const v = this.optional(name);
    if (v === undefined)
      throw new ApiError(
        400,
        `MissingParameter`,
        `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
      );
    return v;
  }

  /** A JSON array string such as InstanceIds='["i-1","i-2"]'. */
  jsonList(name: string): string[] | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      // fall through to the error below
    }
    throw new ApiError(
      400,
      `InvalidParameter`,
      `The specified parameter "${name}" is not valid: a JSON array of strings.`,
    );
  }

  /** A flattened list such as InstanceId.1, InstanceId.2, … */
  flatList(name: string): string[] {
    const out: Array<[number, string]> = [];
    for (const [key, value] of Object.entries(this.values)) {
      const m = new RegExp(`^${name.replace('.', '\\.')}\\.(\\d+)$`).exec(key);
      if (m?.[1]) out.push([Number(m[1]), value]);
    }
    return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.optional(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ApiError(400, `InvalidParameter`, `The specified parameter "${name}" is not valid: ${min}..${max}.`);
    }
    return n;
  }

  bool(name: string): boolean {
    return this.optional(name) === 'true';
  }
}

/** Page a list the way ECS does with PageNumber/PageSize, or MaxResults/NextToken when those are given. */
export function pageRpc<T>(
  items: T[],
  params: RpcParams,
  maxPage = 100,
): { page: T[]; extra: Record<string, unknown> } {
  if (params.optional('MaxResults') !== undefined || params.optional('NextToken') !== undefined) {
    const size = params.int('MaxResults', 10, 1, maxPage);
    const start = params.optional('NextToken') === undefined ? 0 : Number.parseInt(params.optional('NextToken')!, 10);
    if (!Number.isInteger(start) || start < 0)
      throw new ApiError(400, 'InvalidNextToken', 'The specified NextToken is not valid.');
    const page = items.slice(start, start + size);
    const next = start + size < items.length ? String(start + size) : '';
    return { page, extra: { TotalCount: items.length, NextToken: next, MaxResults: size } };
  }
  const size = params.int('PageSize', 10, 1, maxPage);
  const number = params.int('PageNumber', 1, 1, 1_000_000);
  const page = items.slice((number - 1) * size, number * size);
  return { page, extra: { TotalCount: items.length, PageNumber: number, PageSize: size } };
}
