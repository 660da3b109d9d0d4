/**
 * Which cluster a chat command is about (docs/contracts.md#command-grammar) and whether this channel may
 * command it (docs/contracts.md#configuration):
 * `--cluster`, else the cluster the channel is bound to in the config file, else the only configured cluster,
 * else ACK_CLUSTER_ID. A cluster that lists channels for the platform accepts commands only there; with no
 * channels listed, every channel may.
 */
import type { ConfigFile } from '../config/config-file.js';
import type { Origin } from '../domain/migration/events.js';

export interface ClusterSource {
  file: Pick<ConfigFile, 'clusters'>;
  defaultClusterId?: string | undefined;
}

export type Scope = { ok: true; cluster: string | undefined } | { ok: false; message: string };

type Cluster = ConfigFile['clusters'][number];

function channelsOf(cluster: Cluster, platform: Origin['platform']): string[] {
  if (platform === 'cli') return [];
  return cluster.channels[platform] ?? [];
}

/**
 * `poolDecides` (start): with several clusters configured and none named, bound or defaulted, the pool's own cluster
 * decides (a pool in several is refused naming them, src/services/fleet-pool-search.ts), as long as no cluster
 * limits the platform's channels: a channel binding is never bypassed.
 */
export function resolveScope(
  source: ClusterSource,
  origin: Origin,
  requested: string | undefined,
  options: { poolDecides?: boolean } = {},
): Scope {
  const clusters = source.file.clusters;
  let cluster: string | undefined;
  if (requested) {
    if (clusters.length > 0 && !clusters.some((c) => c.id === requested) && requested !== source.defaultClusterId) {
      return {
        ok: false,
        message: `unknown cluster "${requested}" (configured: ${clusters.map((c) => c.id).join(', ')})`,
      };
    }
    cluster = requested;
  } else {
    const bound = clusters.filter((c) => channelsOf(c, origin.platform).includes(origin.channel));
    if (bound.length > 1) {
      return {
        ok: false,
        message: `this channel serves several clusters (${bound.map((c) => c.id).join(', ')}): add --cluster ID`,
      };
    }
    if (bound[0]) cluster = bound[0].id;
    else if (clusters.length === 1) cluster = clusters[0]!.id;
    else if (source.defaultClusterId) cluster = source.defaultClusterId;
    else if (clusters.length > 1) {
      if (options.poolDecides && clusters.every((c) => channelsOf(c, origin.platform).length === 0))
        return { ok: true, cluster: undefined };
      return {
        ok: false,
        message: `several clusters are configured (${clusters.map((c) => c.id).join(', ')}): add --cluster ID`,
      };
    }
  }
  const config = clusters.find((c) => c.id === cluster);
  const allowed = config ? channelsOf(config, origin.platform) : [];
  if (config && allowed.length > 0 && !allowed.includes(origin.channel)) {
    return {
      ok: false,
      message: `commands for cluster ${config.id} are not accepted in this channel (allowed: ${allowed.join(', ')})`,
    };
  }
  return { ok: true, cluster };
}
