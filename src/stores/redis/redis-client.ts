/** One Redis connection, single node (or Sentinel-managed) or a Redis Cluster (docs/contracts.md#configuration). */
import type { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;
