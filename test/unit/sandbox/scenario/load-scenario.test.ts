import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../../src/errors.js';
import {
  DEFAULT_TIMING,
  generateScaleScenario,
  loadScenarioFile,
  parseScenario,
} from '../../../../src/sandbox/scenario/index.js';

const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEAD = `cluster: {id: c-t, name: t, region: cn-hangzhou, version: 1.22.15-aliyun.1}
nodePools:
  - {id: np-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.xlarge}
`;

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected an error');
}

describe('scenario loader', () => {
  it('loads the demo scenario with its manifest files and default timing', () => {
    const s = loadScenarioFile(new URL('../../../../src/sandbox/scenarios/demo.yaml', import.meta.url).pathname);
    expect(s.cluster).toEqual({ id: 'c-demo', name: 'demo', region: 'cn-hangzhou', version: '1.22.15-aliyun.1' });
    expect(s.nodePools.map((p) => [p.id, p.name, p.nodes, p.environment])).toEqual([
      ['np-a', 'pool-a', 6, 'production'],
      ['np-b', 'pool-b', 3, 'staging'],
    ]);
    expect(s.timing.join).toBe(120);
    const kinds = new Set(s.manifests.map((m) => m.kind));
    for (const k of ['DaemonSet', 'Deployment', 'StatefulSet', 'PodDisruptionBudget', 'Pod', 'CronJob', 'Service']) {
      expect(kinds).toContain(k);
    }
  });

  it('fills timing defaults and keeps faults', () => {
    const s = parseScenario(
      `${HEAD}timing: {drain: 5}\nfaults: [{node: pool-a-2, step: start, error: InstanceStartFailed}]\n`,
      dir,
    );
    expect(s.timing).toEqual({ ...DEFAULT_TIMING, drain: 5 });
    expect(s.faults).toEqual([{ node: 'pool-a-2', step: 'start', error: 'InstanceStartFailed' }]);
  });

  it('names the file, the document and the object of a bad manifest', () => {
    writeFileSync(
      join(dir, 'workloads.yaml'),
      `apiVersion: v1
kind: Namespace
metadata: {name: web}
---
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: web}
spec:
  replicas: "3"
  selector: {matchLabels: {app: api}}
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: api:1}]}}
`,
    );
    writeFileSync(join(dir, 'scenario.yaml'), `${HEAD}manifestFiles: [workloads.yaml]\n`);
    const e = errorOf(() => loadScenarioFile(join(dir, 'scenario.yaml')));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toBe('workloads.yaml: document 3 (Deployment web/api): spec.replicas must be a number');
  });

  it('names inline manifests by index and reports missing fields', () => {
    const text = `${HEAD}manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: p1}, spec: {containers: []}}
`;
    expect(errorOf(() => parseScenario(text, dir, 'demo.yaml')).message).toBe(
      'demo.yaml: manifests[0] (Pod default/p1): spec.containers must have at least 1 item',
    );
  });

  it('rejects a bad pool, an unknown step, a missing manifest file and duplicates', () => {
    expect(
      errorOf(() => parseScenario(HEAD.replace('runtime: docker', 'runtime: rkt'), dir, 's.yaml')).message,
    ).toMatch(/^s\.yaml: nodePools\.0\.runtime: Invalid option/);
    expect(
      errorOf(() => parseScenario(`${HEAD}faults: [{node: n, step: fly, error: E}]\n`, dir, 's.yaml')).message,
    ).toMatch(/^s\.yaml: faults\.0\.step/);
    expect(errorOf(() => parseScenario(`${HEAD}manifestFiles: [nope.yaml]\n`, dir, 's.yaml')).message).toMatch(
      /^s\.yaml: manifestFiles\[0\]: cannot read .*nope\.yaml: ENOENT/,
    );
    const dup = `${HEAD}manifests:
  - {apiVersion: v1, kind: Namespace, metadata: {name: a}}
  - {apiVersion: v1, kind: Namespace, metadata: {name: a}}
`;
    expect(errorOf(() => parseScenario(dup, dir, 's.yaml')).message).toBe(
      's.yaml: Namespace default/a is defined twice',
    );
    expect(errorOf(() => parseScenario('cluster: [', dir, 's.yaml')).message).toMatch(/^s\.yaml: not valid YAML/);
  });

  it('rejects a PDB with both minAvailable and maxUnavailable', () => {
    const text = `${HEAD}manifests:
  - {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: x, namespace: a}, spec: {minAvailable: 1, maxUnavailable: 1, selector: {}}}
`;
    expect(errorOf(() => parseScenario(text, dir, 's.yaml')).message).toBe(
      's.yaml: manifests[0] (PodDisruptionBudget a/x): spec: minAvailable and maxUnavailable are mutually exclusive',
    );
  });

  it('generates the same scale scenario for the same arguments', () => {
    const a = generateScaleScenario({ nodes: 100, podsPerNode: 30 });
    const b = generateScaleScenario({ nodes: 100, podsPerNode: 30 });
    expect(a).toEqual(b);
    const replicas = a.manifests
      .filter((m) => m.kind === 'Deployment')
      .reduce((sum, m) => sum + (m.spec?.['replicas'] as number), 0);
    expect(replicas).toBe(100 * 28);
    expect(a.nodePools.reduce((s, p) => s + p.nodes, 0)).toBe(100);
  });
});
