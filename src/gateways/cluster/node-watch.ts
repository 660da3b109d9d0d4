/**
 * A watch on one pool's nodes that outlives server-side closes: it reconnects from the last resourceVersion it
 * saw (or from scratch after 410 Gone, which replays the current nodes as ADDED), with a growing delay while the
 * server keeps refusing. Only the first connection's failure is reported to the caller.
 */
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { NodeWatchEvent } from '../../ports/cluster-gateway.js';
import { clusterApiError } from './cluster-errors.js';
import type { RawNode } from './raw-types.js';
import { POOL_LABEL, trimNode } from './trim.js';

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED']);

export interface NodeWatchOptions {
  /** First reconnect delay; doubles on each quick failure, up to 30 s. */
  retryMs?: number;
  /** Asks the server to end each stream after this long (default 300 s); the watch then resumes from its last resourceVersion. */
  timeoutSeconds?: number;
  /** Called on every connection attempt (for the call counters). */
  onConnect?: () => void;
}

export async function watchPoolNodes(
  kc: KubeConfig,
  poolId: string,
  onEvent: (event: NodeWatchEvent) => void,
  options: NodeWatchOptions = {},
): Promise<() => void> {
  const baseDelay = options.retryMs ?? 500;
  let stopped = false;
  let controller: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  let resourceVersion: string | undefined;
  let delay = baseDelay;

  const connect = async (): Promise<unknown> => {
    let failure: unknown;
    let finished = false;
    const startedAt = Date.now();
    options.onConnect?.();
    const ctrl = await new Watch(kc).watch(
      '/api/v1/nodes',
      {
        labelSelector: `${POOL_LABEL}=${poolId}`,
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: options.timeoutSeconds ?? 300,
      },
      (type: string, obj: RawNode & { code?: number }) => {
        if (type === 'ERROR') {
          // 410 Gone: our resourceVersion is too old; start over from the current state.
          if (obj?.code === 410) resourceVersion = undefined;
          return;
        }
        const rv = obj?.metadata?.resourceVersion;
        if (rv) resourceVersion = rv;
        if (EVENT_TYPES.has(type) && !stopped) {
          delay = baseDelay;
          onEvent({ type: type as NodeWatchEvent['type'], node: trimNode(obj) });
        }
      },
      (err: unknown) => {
        finished = true;
        failure = err ?? undefined;
        if (stopped) return;
        if ((err as { statusCode?: number } | null)?.statusCode === 410) resourceVersion = undefined;
        // A stream that lived a while and ended cleanly is a normal server timeout: reconnect at once.
        const quick = err || Date.now() - startedAt < 1000;
        const wait = quick ? delay : 0;
        if (quick) delay = Math.min(delay * 2, 30_000);
        timer = setTimeout(() => {
          connect().catch(() => undefined);
        }, wait);
      },
    );
    controller = ctrl;
    if (stopped) ctrl.abort();
    return finished ? failure : undefined;
  };

  const first = await connect();
  if (first) {
    stopped = true;
    if (timer) clearTimeout(timer);
    throw clusterApiError(`watch nodes of pool ${poolId}`, first, kc.getCurrentCluster()?.server);
  }
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    controller?.abort();
  };
}
