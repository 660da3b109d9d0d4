/**
 * The forms of REDIS_URL (docs/contracts.md#configuration): one Redis, a Sentinel set that names the master, or
 * a Redis Cluster. Pure parsing; the stores (src/stores/redis/) and the queues (src/queue/) build their
 * connections from the result.
 *
 *   redis://[user:password@]host[:port][/db]            rediss:// for TLS
 *   redis+sentinel://[user:password@]host[:port][,host[:port]…]/<master name>[/db]   rediss+sentinel:// for TLS
 *   redis+cluster://[user:password@]host[:port][,host[:port]…]                      rediss+cluster:// for TLS
 *
 * The password (and user) of a Sentinel URL is the one of the master and its replicas; `?sentinelPassword=…`
 * gives the Sentinels' own when they have one.
 */
export interface HostPort {
  host: string;
  port: number;
}

interface Credentials {
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisTarget =
  | ({ kind: 'single'; url: string } & Credentials)
  | ({ kind: 'sentinel'; sentinels: HostPort[]; name: string; db?: number; sentinelPassword?: string } & Credentials)
  | ({ kind: 'cluster'; nodes: HostPort[] } & Credentials);

const FORM = /^(rediss?)(\+sentinel|\+cluster)?:\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/;

export class RedisUrlError extends Error {}

function hosts(list: string, defaultPort: number): HostPort[] {
  return list.split(',').map((item) => {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(item.trim());
    if (!m?.[1]) throw new RedisUrlError(`"${item}" is not host[:port]`);
    const port = m[2] ? Number(m[2]) : defaultPort;
    if (port < 1 || port > 65535) throw new RedisUrlError(`port ${port} is out of range`);
    return { host: m[1].replace(/^\[|\]$/g, ''), port };
  });
}

export function parseRedisUrl(url: string): RedisTarget {
  const m = FORM.exec(url.trim());
  if (!m) {
    throw new RedisUrlError(
      'must be redis://host:port, redis+sentinel://host:port[,host:port…]/<master> or redis+cluster://host:port[,…]',
    );
  }
  const [, scheme, variant, auth, list = '', path = '', query = ''] = m;
  const tls = scheme === 'rediss';
  const credentials: Credentials = { tls };
  if (auth) {
    const colon = auth.indexOf(':');
    const user = decodeURIComponent(colon < 0 ? '' : auth.slice(0, colon));
    const password = decodeURIComponent(colon < 0 ? auth : auth.slice(colon + 1));
    if (user) credentials.username = user;
    if (password) credentials.password = password;
  }
  if (!variant) {
    hosts(list, 6379);
    return { kind: 'single', url, ...credentials };
  }
  if (variant === '+cluster') {
    if (path && path !== '/') throw new RedisUrlError('a cluster URL takes no path (Redis Cluster has only db 0)');
    return { kind: 'cluster', nodes: hosts(list, 6379), ...credentials };
  }
  const [name, db, ...rest] = path.split('/').filter(Boolean);
  if (!name || rest.length > 0) throw new RedisUrlError('a Sentinel URL must name the master: …/<master name>[/db]');
  if (db !== undefined && !/^\d{1,2}$/.test(db)) throw new RedisUrlError(`"${db}" is not a database number`);
  const sentinelPassword = new URLSearchParams(query).get('sentinelPassword') ?? undefined;
  return {
    kind: 'sentinel',
    sentinels: hosts(list, 26379),
    name: decodeURIComponent(name),
    ...(db !== undefined ? { db: Number(db) } : {}),
    ...(sentinelPassword ? { sentinelPassword } : {}),
    ...credentials,
  };
}

/**
 * The client options a URL's form asks for, as ioredis names them (for a cluster: each node's `redisOptions`).
 * A plain URL gives none: the URL itself is handed over.
 */
export function redisClientFields(url: string): Record<string, unknown> {
  const t = parseRedisUrl(url);
  const auth = { ...(t.username ? { username: t.username } : {}), ...(t.password ? { password: t.password } : {}) };
  if (t.kind === 'single') return {};
  if (t.kind === 'cluster') return { ...auth, ...(t.tls ? { tls: {} } : {}) };
  return {
    sentinels: t.sentinels,
    name: t.name,
    ...auth,
    ...(t.db !== undefined ? { db: t.db } : {}),
    ...(t.sentinelPassword ? { sentinelPassword: t.sentinelPassword } : {}),
    ...(t.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
  };
}

/** The password of any form (masked as a secret everywhere). */
export function redisPassword(url: string): string | undefined {
  try {
    return parseRedisUrl(url).password;
  } catch {
    return undefined;
  }
}
