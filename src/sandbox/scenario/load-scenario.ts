/**
 * Reads a scenario file (docs/contracts.md#scenario-file-format) and the multi-document manifest files it names. Every
 * error is one AppError('BAD_INPUT') line that names the file and the object, so a typo in a 60-object demo is found at
 * once.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import { resolveManifestPath } from './manifest-paths.js';
import { describeIssue, fleetFileSchema, kindSchemas, objectHeadSchema, scenarioFileSchema } from './schema.js';
import { minorOf, unservedManifestReason } from './served-apis.js';
import { DEFAULT_TIMING, type KubeObject, type Scenario } from './types.js';

export function loadScenarioFile(path: string): Scenario {
  const text = readText(path, path);
  return parseScenario(text, dirname(resolve(path)), basename(path));
}

/**
 * @param baseDir where manifestFiles are resolved from; they may not leave it (docs/contracts.md#scenario-file-format)
 * @param fileLabel how errors name the scenario itself (defaults to `scenario`)
 */
export function parseScenario(text: string, baseDir: string, fileLabel = 'scenario'): Scenario {
  const parsed = scenarioFileSchema.safeParse(readYaml(text, fileLabel));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw bad(`${fileLabel}: ${describeIssue(issue)}`);
  }
  return buildScenario(parsed.data, parsed.data, baseDir, fileLabel);
}

/** A scenario file of either form: the single-cluster one (one scenario) or a fleet's `clusters:` (one per cluster). */
export function loadFleetFile(path: string): Scenario[] {
  return parseFleet(readText(path, path), dirname(resolve(path)), basename(path));
}

export function parseFleet(text: string, baseDir: string, fileLabel = 'scenario'): Scenario[] {
  const raw = readYaml(text, fileLabel);
  if (!isRecord(raw) || !('clusters' in raw)) return [parseScenario(text, baseDir, fileLabel)];
  const parsed = fleetFileSchema.safeParse(raw);
  if (!parsed.success) throw bad(`${fileLabel}: ${describeIssue(parsed.error.issues[0]!)}`);
  const fleet = parsed.data.clusters.map((item, i) =>
    buildScenario(item, parsed.data, baseDir, `${fileLabel}: clusters[${i}] (${item.cluster.id})`),
  );
  // Cluster, pool and instance ids are unique across an account, as ACK makes them.
  const clusterIds = new Set<string>();
  const poolIds = new Set<string>();
  for (const s of fleet) {
    if (clusterIds.has(s.cluster.id)) throw bad(`${fileLabel}: cluster id ${s.cluster.id} appears twice`);
    clusterIds.add(s.cluster.id);
    for (const pool of s.nodePools) {
      if (poolIds.has(pool.id)) throw bad(`${fileLabel}: node pool id ${pool.id} appears in two clusters`);
      poolIds.add(pool.id);
    }
  }
  return fleet.map((s) => ({ ...s, source: fileLabel }));
}

type ClusterPart = Pick<z.infer<typeof scenarioFileSchema>, 'cluster' | 'nodePools' | 'manifests' | 'manifestFiles'>;
type SharedPart = Pick<z.infer<typeof scenarioFileSchema>, 'timing' | 'faults' | 'faultSeed' | 'versionMetadata'>;

function readYaml(text: string, fileLabel: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw bad(`${fileLabel}: not valid YAML: ${firstLine(error)}`, error);
  }
}

function buildScenario(file: ClusterPart, shared: SharedPart, baseDir: string, fileLabel: string): Scenario {
  const manifests: KubeObject[] = file.manifests.map((object, i) =>
    checkObject(object, `${fileLabel}: manifests[${i}]`),
  );
  file.manifestFiles.forEach((name, i) => {
    const where = `${fileLabel}: manifestFiles[${i}]`;
    const found = resolveManifestPath(baseDir, name);
    if (!found.ok) throw bad(`${where}: ${found.reason}`);
    manifests.push(...parseManifestText(readText(found.path, where), name));
  });
  checkUnique(manifests, fileLabel);
  checkServed(manifests, minorOf(file.cluster.version), fileLabel);
  const poolIds = new Set<string>();
  for (const pool of file.nodePools) {
    if (poolIds.has(pool.id)) throw bad(`${fileLabel}: node pool id ${pool.id} appears twice`);
    poolIds.add(pool.id);
  }
  return {
    cluster: file.cluster,
    nodePools: file.nodePools,
    manifests,
    timing: { ...DEFAULT_TIMING, ...shared.timing },
    faults: shared.faults.filter((f) => 'node' in f),
    apiFaults: shared.faults.filter((f) => 'action' in f),
    ...(shared.faultSeed === undefined ? {} : { faultSeed: shared.faultSeed }),
    ...(shared.versionMetadata ? { versionMetadata: shared.versionMetadata } : {}),
    source: fileLabel,
  };
}

/** A multi-document YAML text as `kubectl apply -f` takes it (empty documents and `kind: List` allowed). */
export function parseManifestText(text: string, fileLabel: string): KubeObject[] {
  const out: KubeObject[] = [];
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw bad(`${fileLabel}: not valid YAML`);
  docs.forEach((doc, i) => {
    const where = `${fileLabel}: document ${i + 1}`;
    if (doc.errors.length > 0) throw bad(`${where}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (isRecord(value) && value['kind'] === 'List' && Array.isArray(value['items'])) {
      value['items'].forEach((item, j) => {
        out.push(checkObject(item, `${where} item ${j + 1}`));
      });
      return;
    }
    out.push(checkObject(value, where));
  });
  return out;
}

function checkObject(value: unknown, where: string): KubeObject {
  const head = objectHeadSchema.safeParse(value);
  if (!head.success) throw bad(`${where} (${nameOf(value)}): ${describeIssue(head.error.issues[0]!)}`);
  const object = head.data as KubeObject;
  const label = `${where} (${object.kind} ${object.metadata.namespace ?? 'default'}/${object.metadata.name})`;
  const kindSchema = kindSchemas[object.kind];
  if (kindSchema) {
    const body = kindSchema.safeParse(object);
    if (!body.success) throw bad(`${label}: ${describeIssue(body.error.issues[0]!)}`);
  }
  return object;
}

function checkUnique(objects: KubeObject[], fileLabel: string): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    if (seen.has(key))
      throw bad(`${fileLabel}: ${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name} is defined twice`);
    seen.add(key);
  }
}

/** A manifest in an apiVersion the cluster does not serve is refused, as `kubectl apply` would refuse it. */
function checkServed(objects: KubeObject[], minor: number, fileLabel: string): void {
  for (const o of objects) {
    const reason = unservedManifestReason(minor, o.apiVersion, o.kind);
    if (reason) throw bad(`${fileLabel}: ${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}: ${reason}`);
  }
}

function nameOf(value: unknown): string {
  if (!isRecord(value)) return 'not an object';
  const meta = isRecord(value['metadata']) ? value['metadata'] : {};
  const kind = typeof value['kind'] === 'string' ? value['kind'] : 'unknown kind';
  const name = typeof meta['name'] === 'string' ? meta['name'] : '?';
  const ns = typeof meta['namespace'] === 'string' ? meta['namespace'] : 'default';
  return `${kind} ${ns}/${name}`;
}

function readText(path: string, label: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw bad(`${label}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? firstLine(error)}`, error);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function bad(message: string, cause?: unknown): AppError {
  return new AppError('BAD_INPUT', message, { cause, hint: 'fix the scenario file and try again' });
}
