/**
 * ROA plumbing for the CS API: a route table matched on method and path, and readers for JSON bodies and
 * query strings that turn bad input into CS-style 400 errors.
 */
import type { CloudState } from './cloud-state.js';
import { ApiError } from './wire.js';

export interface RoaRequest {
  path: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

export type RoaHandler = (state: CloudState, request: RoaRequest) => unknown;

export interface RoaRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  action: string;
  pattern: RegExp;
  keys: string[];
  handler: RoaHandler;
}

/** `/clusters/{ClusterId}/nodepools/{NodepoolId}` → a route that captures ClusterId and NodepoolId. */
export function route(method: RoaRoute['method'], template: string, action: string, handler: RoaHandler): RoaRoute {
  const keys: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { method, action, pattern: new RegExp(`^${source}/?$`), keys, handler };
}

export function matchRoute(
  routes: readonly RoaRoute[],
  method: string,
  pathname: string,
): { route: RoaRoute; path: Record<string, string> } | 'method' | undefined {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const path: Record<string, string> = {};
    r.keys.forEach((key, i) => {
      path[key] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { route: r, path };
  }
  return pathMatched ? 'method' : undefined;
}

export function badParam(message: string): ApiError {
  return new ApiError(400, 'ErrorParameterInvalid', message);
}

export function obj(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badParam(`${name} must be an object`);
  return value as Record<string, unknown>;
}

export function str(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badParam(`${name} must be a string`);
  return value;
}

export function bool(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badParam(`${name} must be true or false`);
}

export function int(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw badParam(`${name} must be a whole number in [${min}, ${max}]`);
  }
  return n;
}

export function strList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  let list = value;
  if (typeof value === 'string') {
    // Arrays in the query arrive as JSON strings (the SDK serialises them so).
    try {
      list = JSON.parse(value);
    } catch {
      list = value.split(',');
    }
  }
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))
    throw badParam(`${name} must be a list of strings`);
  return list;
}

/** RFC 3339 without milliseconds, as CS writes its times. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
