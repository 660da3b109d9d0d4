/** A kubeconfig that points kubectl and client-node at the sandbox (plain http, any token). */
import { stringify } from 'yaml';

export interface KubeconfigEntry {
  /** The cluster, user and context name (a fleet names them by cluster id). */
  name: string;
  url: string;
  token?: string;
}

export function kubeconfigYaml(url: string, options: { cluster?: string; token?: string } = {}): string {
  return fleetKubeconfigYaml([
    { name: options.cluster ?? 'sandbox', url, ...(options.token ? { token: options.token } : {}) },
  ]);
}

/** One context per cluster, the first one current. */
export function fleetKubeconfigYaml(entries: readonly KubeconfigEntry[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((e) => ({ name: e.name, cluster: { server: e.url, 'insecure-skip-tls-verify': true } })),
    users: entries.map((e) => ({ name: `${e.name}-admin`, user: { token: e.token ?? 'sandbox-token' } })),
    contexts: entries.map((e) => ({ name: e.name, context: { cluster: e.name, user: `${e.name}-admin` } })),
    'current-context': entries[0]?.name ?? '',
    preferences: {},
  });
}
