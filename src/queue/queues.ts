/**
 * Queue names, job shapes and connection settings shared by the bot (producer) and the workers. One
 * `migrations` queue carries migrations (job id = migration id) and cleanups; `prechecks` carries prechecks.
 * The prefix is configurable; the default is a `{hash-tag}` so the queues and the state keys share one Redis
 * Cluster slot.
 */
import type { ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { parseRedisUrl, redisClientFields } from '../config/redis-url.js';

export const MIGRATIONS_QUEUE = 'migrations';
export const PRECHECKS_QUEUE = 'prechecks';
/** Request/reply: a worker says which pool a command names, before anything is enqueued. */
export const LOOKUPS_QUEUE = 'lookups';
export { DEFAULT_PREFIX } from './prefix.js';

export const JOB_MIGRATE = 'migrate';
export const JOB_CLEANUP = 'cleanup';
export const JOB_PRECHECK = 'precheck';
export const JOB_LOOKUP_POOL = 'lookup-pool';
/** On the lookups queue too: a worker scans the fleet for `fleet` (docs/contracts.md#fleet-json). */
export const JOB_FLEET_SCAN = 'fleet-scan';

export interface MigrateJobData {
  migrationId: string;
}

export interface CleanupJobData {
  migrationId: string;
}

export interface QueueSettings {
  redisUrl: string;
  prefix: string;
}

/**
 * Workers need `maxRetriesPerRequest: null` (blocking calls); producers use the same for simplicity. Every form of
 * REDIS_URL (docs/contracts.md#configuration): a Sentinel set as ioredis options (BullMQ's connections follow the
 * master), a Redis Cluster as a Cluster client (the prefix's {hash tag} keeps each queue's keys in one slot).
 */
export function connectionOf(settings: QueueSettings): ConnectionOptions {
  const target = parseRedisUrl(settings.redisUrl);
  if (target.kind === 'single') return { url: settings.redisUrl, maxRetriesPerRequest: null } as ConnectionOptions;
  const options = { ...redisClientFields(settings.redisUrl), maxRetriesPerRequest: null };
  if (target.kind === 'sentinel') return options;
  // BullMQ does not close a client it was handed: releaseConnections() does, once the queues are closed.
  const cluster = new Cluster(target.nodes, { redisOptions: options });
  const key = `${settings.redisUrl}|${settings.prefix}`;
  clusterClients.set(key, [...(clusterClients.get(key) ?? []), cluster]);
  return cluster;
}

const clusterClients = new Map<string, Cluster[]>();

/** Disconnects the Redis Cluster clients handed to the queues of these settings (after closing the queues). */
export function releaseConnections(settings: QueueSettings): void {
  const key = `${settings.redisUrl}|${settings.prefix}`;
  for (const cluster of clusterClients.get(key) ?? []) cluster.disconnect();
  clusterClients.delete(key);
}
