/**
 * The default key prefix of the queues and the state keys: a `{hash-tag}`, so under Redis Cluster they all share
 * one slot (docs/architecture.md). A module of its own so that the terminal commands can name it without loading
 * a Redis client.
 */
export const DEFAULT_PREFIX = '{ack-migrate}';
