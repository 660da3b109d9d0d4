/**
 * What the terminal commands (src/cli/) run against, assembled here like every other process part
 * (docs/architecture.md#folders-and-layers): the precheck and the plan over gateways built from the
 * environment, and the migration client over Redis. The SDKs load on first use, so commands that never touch
 * a cluster (`plan --nodes`, `--help`) start fast.
 */
import type { Config } from '../config/load-config.js';
import type { PrecheckReport } from '../domain/precheck/report.js';
import { redisErrorLog } from '../log/redis-errors.js';
import type { PoolPlan, PrecheckDeps, PrecheckRequest } from '../services/precheck-service.js';
import type { MigrationClient, MigrationClientOptions } from './migration-client.js';

export { DEFAULT_PREFIX } from '../queue/prefix.js';
export type { MigrationClient };

async function withPrecheckDeps<T>(config: Config, fn: (deps: PrecheckDeps) => Promise<T>): Promise<T> {
  const { createFleetGateways } = await import('./fleet-gateways.js');
  const gateways = createFleetGateways(config);
  try {
    // ACK_CLUSTER_ID, else the only cluster of the config file; else the service asks the cloud.
    const configured = config.file.clusters.length === 1 ? config.file.clusters[0]?.id : undefined;
    return await fn({
      cluster: gateways.cluster,
      cloud: gateways.cloud,
      access: gateways.access,
      fleet: config.file.clusters.map((c) => c.id),
      defaultClusterId: config.defaultClusterId ?? configured,
    });
  } finally {
    gateways.close();
  }
}

/** `ack-migrate precheck`: the report of one pool. */
export async function precheckFromCli(config: Config, request: PrecheckRequest): Promise<PrecheckReport> {
  const { runPrecheck } = await import('../services/precheck-service.js');
  return withPrecheckDeps(config, (deps) => runPrecheck(deps, request));
}

/** `ack-migrate plan --pool`: the pool's nodes assigned to batches, from the live cluster. */
export async function planFromCli(
  config: Config,
  request: PrecheckRequest,
  options: { minutesPerBatch?: number | undefined },
): Promise<PoolPlan> {
  const { planPool } = await import('../services/precheck-service.js');
  return withPrecheckDeps(config, (deps) => planPool(deps, request, options));
}

/**
 * The migration side over Redis, for the commands that start, follow or control migrations. It answers only once
 * Redis does: else one line says why (refused password, unreachable), and no connection error is printed besides.
 */
export async function openMigrationClient(options: MigrationClientOptions): Promise<MigrationClient> {
  const { createMigrationClient } = await import('./migration-client.js');
  const client = createMigrationClient({ errors: redisErrorLog({ url: options.redisUrl }), ...options });
  try {
    await client.stores.connected();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return client;
}
