import { describe, expect, it } from 'vitest';
import { kubeRequestInfo, permissionKey } from '../../../src/ops/kube-request-info.js';

const key = (method: string, url: string) => {
  const info = kubeRequestInfo(method, url);
  return info ? permissionKey(info) : undefined;
};

describe('kubeRequestInfo (the verb and resource RBAC checks)', () => {
  it('reads list, get and watch from GET requests, core and named groups alike', () => {
    expect(key('GET', '/api/v1/nodes?labelSelector=a%3Db&limit=500')).toBe('list nodes');
    expect(key('GET', '/api/v1/nodes/pool-a-1')).toBe('get nodes');
    expect(key('GET', '/api/v1/nodes?watch=true&resourceVersion=5')).toBe('watch nodes');
    expect(key('GET', '/api/v1/watch/nodes')).toBe('watch nodes');
    expect(key('GET', '/apis/apps/v1/namespaces/web/deployments/frontend')).toBe('get apps/deployments');
    expect(key('GET', '/apis/policy/v1/poddisruptionbudgets')).toBe('list policy/poddisruptionbudgets');
    expect(key('HEAD', '/api/v1/namespaces/web/pods/p')).toBe('get pods');
  });

  it('maps writes to create, update, patch, delete and deletecollection, with subresources', () => {
    expect(key('POST', '/api/v1/namespaces/web/pods/p-1/eviction')).toBe('create pods/eviction');
    expect(key('PATCH', '/api/v1/nodes/pool-a-1')).toBe('patch nodes');
    expect(key('PUT', '/api/v1/nodes/pool-a-1/status')).toBe('update nodes/status');
    expect(key('DELETE', '/api/v1/namespaces/web/pods/p-1')).toBe('delete pods');
    expect(key('DELETE', '/api/v1/namespaces/web/pods')).toBe('deletecollection pods');
  });

  it('keeps the namespace and name, and tells namespaces themselves apart', () => {
    expect(kubeRequestInfo('GET', '/api/v1/namespaces/web/pods/p-1')).toEqual({
      verb: 'get',
      group: '',
      resource: 'pods',
      namespace: 'web',
      name: 'p-1',
    });
    expect(key('GET', '/api/v1/namespaces/web')).toBe('get namespaces');
    expect(key('GET', '/api/v1/namespaces')).toBe('list namespaces');
  });

  it('has no resource for discovery and other non-resource URLs', () => {
    for (const url of ['/version', '/api', '/api/v1', '/apis', '/apis/apps/v1', '/healthz', '/openapi/v2']) {
      expect([url, kubeRequestInfo('GET', url)]).toEqual([url, undefined]);
    }
  });
});
