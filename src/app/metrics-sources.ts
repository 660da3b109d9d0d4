/**
 * Feeds the metrics registry from what the parts already know, without the parts importing it: the gateways'
 * call counters (read at scrape time), the progress events (batches, node step durations, approval waits) and
 * the queues' job counts.
 */
import type { ProgressEvent } from '../domain/migration/events.js';
import type { Metrics } from '../metrics/metrics.js';

interface CallStats {
  stats(): { calls: Record<string, number>; failures?: number };
}

/** Counters only go up: add what each gateway counted since the last scrape. */
export function collectGatewayCalls(metrics: Metrics, gateways: { cluster: CallStats; cloud: CallStats }): void {
  const seen = new Map<string, number>();
  const delta = (key: string, total: number) => {
    const d = total - (seen.get(key) ?? 0);
    seen.set(key, total);
    return d;
  };
  metrics.onCollect(() => {
    for (const [action, n] of Object.entries(gateways.cloud.stats().calls)) {
      const d = delta(`cloud:${action}`, n);
      if (d > 0) metrics.cloudApiCalls.inc({ action }, d);
    }
    for (const [key, n] of Object.entries(gateways.cluster.stats().calls)) {
      const [verb = key, resource = ''] = key.split(' ');
      const d = delta(`kube:${key}`, n);
      if (d > 0) metrics.kubeApiCalls.inc({ verb, resource }, d);
    }
  });
}

interface JobCounts {
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

export function collectQueueDepth(metrics: Metrics, queues: Record<string, JobCounts>): void {
  metrics.onCollect(async () => {
    for (const [queue, q] of Object.entries(queues)) {
      const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, n] of Object.entries(counts)) metrics.queueDepth.set({ queue, state }, n);
    }
  });
}

/** Turns progress events into batch, node-step and approval-wait metrics. */
export function progressEventMetrics(metrics: Metrics): (event: ProgressEvent) => void {
  const lastStep = new Map<string, { step: string; at: number }>();
  const waitingSince = new Map<string, number>();
  return (event) => {
    switch (event.type) {
      case 'node.step': {
        const key = `${event.migration.migrationId}/${event.entry.node}`;
        const at = Date.parse(event.entry.at);
        const previous = lastStep.get(key);
        if (previous && at >= previous.at)
          metrics.nodeStepSeconds.observe({ step: previous.step }, (at - previous.at) / 1000);
        if (event.entry.step === 'done' || event.entry.step === 'failed' || event.entry.step === 'skipped')
          lastStep.delete(key);
        else lastStep.set(key, { step: event.entry.step, at });
        break;
      }
      case 'batch.awaiting-approval':
        waitingSince.set(`${event.migration.migrationId}/${event.batch.index}`, Date.parse(event.at));
        break;
      case 'batch.started': {
        const key = `${event.migration.migrationId}/${event.batch.index}`;
        const since = waitingSince.get(key);
        if (since !== undefined) metrics.approvalWaitSeconds.observe((Date.parse(event.at) - since) / 1000);
        waitingSince.delete(key);
        break;
      }
      case 'batch.finished': {
        const failed = event.result.nodes.some((n) => n.outcome === 'failed');
        metrics.batches.inc({ outcome: failed ? 'failed' : 'ok' });
        break;
      }
      default:
        break;
    }
  };
}
