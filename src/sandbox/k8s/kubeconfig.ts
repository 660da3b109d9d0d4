/** A kubeconfig that points kubectl and client-node at the sandbox (plain http, any token). */
import { stringify } from 'yaml';

export function kubeconfigYaml(url: string, options: { cluster?: string; token?: string } = {}): string {
  const cluster = options.cluster ?? 'sandbox';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: `${cluster}-admin`, user: { token: options.token ?? 'sandbox-token' } }],
    contexts: [{ name: cluster, context: { cluster, user: `${cluster}-admin` } }],
    'current-context': cluster,
    preferences: {},
  });
}
