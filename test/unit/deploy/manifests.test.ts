/**
 * The Kubernetes manifests in deploy/kubernetes/, read as Kubernetes would read them: the bot holds no cloud
 * credentials and no ServiceAccount token, the worker reads its keys from a Secret and is the only subject of the
 * ClusterRole, nothing runs on the pools it migrates, the bot has a PDB that does not block drains, and the
 * ConfigMap holds a config file the bot accepts. (Which verbs the ClusterRole grants is checked against the code by
 * test/integration/ops/permissions.test.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { configFileSchema } from '../../../src/config/config-file.js';

const DIR = join(import.meta.dirname, '../../../deploy/kubernetes');
const NAMESPACE = 'ack-migrate';
const CONTROL = { 'ack-migrate/role': 'control' };

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML; each test checks the fields it reads.
type Obj = Record<string, any>;

const docs: Array<Obj & { file: string }> = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
      expect(d.errors, file).toEqual([]);
      return { ...(d.toJS() as Obj), file };
    }),
  );

function one(kind: string, name: string): Obj {
  const found = docs.filter((d) => d.kind === kind && d.metadata?.name === name);
  expect(found.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([`${kind}/${name}`]);
  return found[0]!;
}

const bot = () => one('Deployment', 'ack-migrate-bot');
const worker = () => one('Deployment', 'ack-migrate-worker');
const container = (d: Obj) => d.spec.template.spec.containers[0] as Obj;
const envNames = (c: Obj) => (c.env ?? []).map((e: Obj) => e.name as string);
const secretRefs = (c: Obj) => (c.envFrom ?? []).map((e: Obj) => e.secretRef?.name).filter(Boolean);
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

describe('deploy/kubernetes', () => {
  it('parses into named objects, all in the ack-migrate namespace except the cluster-wide ones', () => {
    expect(docs.length).toBeGreaterThan(8);
    for (const d of docs) {
      expect(d.apiVersion, d.file).toBeTruthy();
      expect(d.metadata?.name, d.file).toBeTruthy();
      const clusterWide = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(d.kind);
      expect([d.file, d.kind, d.metadata.namespace]).toEqual([d.file, d.kind, clusterWide ? undefined : NAMESPACE]);
    }
  });

  it('commits no secret: no Secret objects, and no credential given as a literal value', () => {
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    for (const d of docs.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
      for (const c of d.spec.template.spec.containers as Obj[]) {
        for (const e of (c.env ?? []) as Obj[]) {
          if (/SECRET|TOKEN|PASSWORD|ACCESS_KEY/.test(e.name))
            expect([d.metadata.name, e.name, e.value]).toEqual([d.metadata.name, e.name, undefined]);
          if (typeof e.value === 'string') expect(e.value).not.toMatch(/:\/\/[^/]*:[^@/]+@/);
        }
      }
    }
  });

  it('gives the bot no cloud credentials and no Kubernetes token or rights', () => {
    const spec = bot().spec.template.spec;
    const c = container(bot());
    expect(c.args).toEqual(['bot']);
    expect(envNames(c).filter((n: string) => n.startsWith('ALIBABA_CLOUD_'))).toEqual([]);
    expect(secretRefs(c)).toEqual(['ack-migrate-chat']);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe('ack-migrate-bot');
    expect(one('ServiceAccount', 'ack-migrate-bot').automountServiceAccountToken).toBe(false);
    const bindings = docs.filter((d) => d.kind === 'ClusterRoleBinding' || d.kind === 'RoleBinding');
    const subjects = bindings.flatMap((b) => (b.subjects ?? []) as Obj[]).map((s) => s.name);
    expect(subjects).not.toContain('ack-migrate-bot');
    expect(subjects).not.toContain('default');
  });

  it('has the worker use RRSA (no cloud keys in a Secret) and act as the one subject of the ClusterRole', () => {
    const spec = worker().spec.template.spec;
    const c = container(worker());
    expect(c.args).toEqual(['worker']);
    expect(secretRefs(c)).toEqual([]);
    expect(spec.serviceAccountName).toBe('ack-migrate-worker');
    expect(one('ServiceAccount', 'ack-migrate-worker').metadata.annotations).toEqual({
      'pod-identity.alibabacloud.com/role-name': 'ack-migrate-worker',
    });
    expect(one('Namespace', 'ack-migrate').metadata.labels).toMatchObject({
      'pod-identity.alibabacloud.com/injection': 'on',
    });
    expect(spec.automountServiceAccountToken).not.toBe(false);
    one('ServiceAccount', 'ack-migrate-worker');
    const role = one('ClusterRole', 'ack-migrate-worker');
    const binding = one('ClusterRoleBinding', 'ack-migrate-worker');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'ack-migrate-worker', namespace: NAMESPACE }]);
    expect(docs.filter((d) => d.kind === 'ClusterRole' || d.kind === 'Role')).toHaveLength(1);
    // A worker hands its job back on SIGTERM at the next safe point.
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
  });

  it('keeps the bot, the worker and Redis on the control pool, outside the pools they migrate', () => {
    for (const [kind, name] of [
      ['Deployment', 'ack-migrate-bot'],
      ['Deployment', 'ack-migrate-worker'],
      ['StatefulSet', 'ack-migrate-redis'],
    ] as const) {
      expect([name, one(kind, name).spec.template.spec.nodeSelector]).toEqual([name, CONTROL]);
    }
    expect(readFileSync(join(DIR, 'worker.yaml'), 'utf8')).toMatch(/OUTSIDE the pools it migrates/);
  });

  it('runs two bot replicas, rolled one at a time, spread over nodes, with a PDB that never blocks a drain', () => {
    const b = bot();
    expect(b.spec.replicas).toBe(2);
    expect(b.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const spread = b.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0];
    expect(spread.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    const pdbs = docs.filter(
      (d) => d.kind === 'PodDisruptionBudget' && matches(d.spec.selector.matchLabels, b.spec.template.metadata.labels),
    );
    expect(pdbs).toHaveLength(1);
    const pdb = pdbs[0]!.spec;
    // minAvailable equal to the replicas would be a pdb-blocking precheck finding on the bot's own pool.
    if (pdb.minAvailable !== undefined) expect(pdb.minAvailable).toBeLessThan(b.spec.replicas);
    else expect(pdb.maxUnavailable).toBeGreaterThanOrEqual(1);
  });

  it('probes /healthz and /readyz on a declared port, and points both processes at the Redis Service', () => {
    const redisService = one('Service', 'ack-migrate-redis');
    const redisPort = redisService.spec.ports[0].port;
    for (const d of [bot(), worker()]) {
      const c = container(d);
      const ports = (c.ports as Obj[]).map((p) => p.name);
      expect(c.readinessProbe.httpGet).toMatchObject({ path: '/readyz' });
      expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz' });
      expect(ports).toContain(c.readinessProbe.httpGet.port);
      const env = Object.fromEntries((c.env as Obj[]).map((e) => [e.name, e.value]));
      expect(env.REDIS_URL).toBe(`redis://${redisService.metadata.name}:${redisPort}`);
      expect(Number(env.PORT)).toBe((c.ports as Obj[]).find((p) => p.name === 'http')?.containerPort);
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    }
    const botService = one('Service', 'ack-migrate-bot');
    expect(matches(botService.spec.selector, bot().spec.template.metadata.labels)).toBe(true);
    expect(
      matches(redisService.spec.selector, one('StatefulSet', 'ack-migrate-redis').spec.template.metadata.labels),
    ).toBe(true);
  });

  it('runs Redis with AOF persistence and noeviction, as BullMQ needs', () => {
    const args: string[] = one('StatefulSet', 'ack-migrate-redis').spec.template.spec.containers[0].args;
    expect(args.join(' ')).toContain('--appendonly yes');
    expect(args.join(' ')).toContain('--maxmemory-policy noeviction');
  });

  it('ships a config file that the bot and worker accept, mounted where ACK_MIGRATE_CONFIG points', () => {
    const map = one('ConfigMap', 'ack-migrate-config');
    const text: string = map.data['ack-migrate.yaml'];
    const parsed = configFileSchema.safeParse(parseAllDocuments(text)[0]!.toJS());
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    for (const d of [bot(), worker()]) {
      const c = container(d);
      const path = (c.env as Obj[]).find((e) => e.name === 'ACK_MIGRATE_CONFIG')?.value;
      const mount = (c.volumeMounts as Obj[]).find((m) => path?.startsWith(`${m.mountPath}/`));
      const volume = (d.spec.template.spec.volumes as Obj[]).find((v) => v.name === mount?.name);
      expect(volume?.configMap?.name).toBe('ack-migrate-config');
      expect(path).toBe(`${mount?.mountPath}/ack-migrate.yaml`);
    }
  });
});
