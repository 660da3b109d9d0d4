/**
 * What the Kubernetes API server's authorizer sees in a request: the RBAC verb, API group, resource (with its
 * subresource, e.g. `pods/eviction`), namespace and name, derived from the HTTP method, path and query the way
 * the apiserver's RequestInfoFactory does it. Used to check the worker's ClusterRole against the requests the
 * code really sends, and usable for per-resource metrics labels.
 */

export interface KubeRequestInfo {
  /** get, list, watch, create, update, patch, delete, deletecollection */
  verb: string;
  /** '' for the core group */
  group: string;
  /** `pods`, or `pods/eviction` for a subresource */
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
}

const VERB_BY_METHOD: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
};

/** RBAC's key for one verb on one resource of one group, e.g. `create policy/…`: `create pods/eviction` (core). */
export function permissionKey(p: { verb: string; group: string; resource: string }): string {
  return `${p.verb} ${p.group ? `${p.group}/` : ''}${p.resource}`;
}

/**
 * The request info of a resource request, or undefined for a non-resource URL (/version, /api, /healthz …).
 * `url` is the request target: a path with an optional query, or a full URL.
 */
export function kubeRequestInfo(method: string, url: string): KubeRequestInfo | undefined {
  const parsed = new URL(url, 'http://localhost');
  let parts = parsed.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    parts = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    parts = parts.slice(3);
  } else {
    return undefined;
  }
  if (parts.length === 0) return undefined; // discovery of one group version
  let watchPrefix = false;
  if (parts[0] === 'watch') {
    watchPrefix = true;
    parts = parts.slice(1);
  }
  let namespace: string | undefined;
  // `namespaces/NAME/…` scopes to a namespace; `namespaces` and `namespaces/NAME` are the namespace objects.
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [resource, name, ...sub] = parts;
  if (!resource) return undefined;
  const upper = method.toUpperCase();
  const watchParam = parsed.searchParams.get('watch');
  let verb: string;
  if (upper === 'GET' || upper === 'HEAD') {
    if (watchPrefix || watchParam === 'true' || watchParam === '1') verb = 'watch';
    else verb = name === undefined ? 'list' : 'get';
  } else if (upper === 'DELETE') {
    verb = name === undefined ? 'deletecollection' : 'delete';
  } else {
    verb = VERB_BY_METHOD[upper] ?? upper.toLowerCase();
  }
  return {
    verb,
    group,
    resource: sub.length > 0 ? `${resource}/${sub.join('/')}` : resource,
    namespace,
    name,
  };
}
