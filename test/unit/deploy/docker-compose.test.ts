import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
  services: Record<string, Service>;
  volumes: object;
};
const dockerfile = readFileSync('Dockerfile', 'utf8');

describe('docker-compose.yml', () => {
  it('runs Redis with AOF, noeviction and a named volume', () => {
    const redis = compose.services.redis!;
    expect(redis.image).toMatch(/^redis:(7|8)/);
    expect(redis.command?.join(' ')).toContain('--appendonly yes');
    expect(redis.command?.join(' ')).toContain('--maxmemory-policy noeviction');
    const [volume] = redis.volumes ?? [];
    expect(volume).toMatch(/^[\w-]+:\/data$/);
    expect(Object.keys(compose.volumes)).toContain(volume!.split(':')[0]);
  });

  it('builds bot and worker from the one Dockerfile, pointed at that Redis', () => {
    for (const [name, cmd] of [
      ['bot', 'bot'],
      ['worker', 'worker'],
    ] as const) {
      const svc = compose.services[name]!;
      expect(svc.build).toBe('.');
      expect(svc.command).toEqual([cmd]);
      expect(svc.environment?.REDIS_URL).toBe('redis://redis:6379');
    }
  });

  it('runs two bots behind the load balancer that publishes the port, and two workers', () => {
    const services = compose.services as Record<string, Service & { deploy?: { replicas?: number }; ports?: string[] }>;
    expect(services.bot!.deploy?.replicas).toBe(2);
    expect(services.worker!.deploy?.replicas).toBe(2);
    expect(services.bot!.ports).toBeUndefined();
    expect(services.lb!.ports).toEqual(['3000:3000']);
    const lb = (compose as unknown as { configs: Record<string, { content: string }> }).configs['bot-lb']!.content;
    expect(lb).toContain('server bot:3000');
  });

  it('gives cloud credentials to the worker only', () => {
    expect(Object.keys(compose.services.worker!.environment ?? {})).toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
    expect(Object.keys(compose.services.bot!.environment ?? {}).filter((k) => k.startsWith('ALIBABA_CLOUD'))).toEqual(
      [],
    );
  });
});

describe('Dockerfile', () => {
  it('is multi-stage on Node 22 or newer and runs as a non-root user', () => {
    const froms = [...dockerfile.matchAll(/^FROM\s+node:(\d+)\S*\s+AS\s+(\w+)/gm)];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const m of froms) expect(Number(m[1])).toBeGreaterThanOrEqual(22);
    expect(dockerfile).toMatch(/^USER\s+(node|\d+)/m);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/ack-migrate.js"\]/);
  });
});
