/**
 * The sandbox's Kubernetes API. `startKubernetesApi(world, {port})` → {url, port, close()} serves the world
 * on 127.0.0.1; `kubeconfigYaml(url)` is a kubeconfig for it (plain http, insecure-skip-tls-verify, any token).
 */

export { fleetKubeconfigYaml, kubeconfigYaml } from './kubeconfig.js';
export { type KubernetesApi, startKubernetesApi } from './server.js';
