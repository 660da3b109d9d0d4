import { delimiter } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../errors.js';

/**
 * A KubeConfig from the KUBECONFIG value (one path or several joined by ':', merged as kubectl does), else the
 * default lookup (~/.kube/config, then in-cluster). Fails with AppError('CONFIG') naming the file.
 */
export function loadKubeConfig(kubeconfig: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  const files = (kubeconfig ?? '').split(delimiter).filter((f) => f.length > 0);
  try {
    if (files.length === 0) kc.loadFromDefault();
    files.forEach((file, i) => {
      if (i === 0) kc.loadFromFile(file);
      else {
        const more = new KubeConfig();
        more.loadFromFile(file);
        kc.mergeConfig(more);
      }
    });
  } catch (error) {
    throw new AppError(
      'CONFIG',
      `KUBECONFIG ${files.join(delimiter) || '(default)'} cannot be read: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'point KUBECONFIG at a readable kubeconfig file',
      },
    );
  }
  if (!kc.getCurrentCluster()) {
    throw new AppError('CONFIG', 'KUBECONFIG has no current cluster', {
      hint: 'set KUBECONFIG to a kubeconfig whose current-context names a cluster',
    });
  }
  return kc;
}
