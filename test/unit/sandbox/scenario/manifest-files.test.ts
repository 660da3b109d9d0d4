import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../../src/errors.js';
import { loadScenarioFile } from '../../../../src/sandbox/scenario/index.js';

/**
 * A scenario's manifestFiles stay inside the scenario's folder (docs/contracts.md#scenario-file-format).
 */
const root = mkdtempSync(join(tmpdir(), 'scenario-paths-'));
const folder = join(root, 'scenarios');
const outside = join(root, 'outside');
mkdirSync(join(folder, 'apps', 'web'), { recursive: true });
mkdirSync(outside);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEAD = `cluster: {id: c-t, name: t, region: cn-hangzhou, version: 1.22.15-aliyun.1}
nodePools:
  - {id: np-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.xlarge}
`;
const NAMESPACE = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;

writeFileSync(join(folder, 'apps', 'web', 'web.yaml'), NAMESPACE('web'));
writeFileSync(join(folder, 'top.yaml'), NAMESPACE('top'));
writeFileSync(join(outside, 'secret.yaml'), NAMESPACE('secret'));
symlinkSync(join(outside, 'secret.yaml'), join(folder, 'leak.yaml'));
symlinkSync(outside, join(folder, 'leakdir'));
symlinkSync(join(folder, 'top.yaml'), join(folder, 'apps', 'alias.yaml'));

/** Writes `<name>.yaml` into the scenario folder with the given manifestFiles and loads it. */
function load(name: string, files: string[]) {
  const path = join(folder, `${name}.yaml`);
  writeFileSync(path, `${HEAD}manifestFiles: ${JSON.stringify(files)}\n`);
  return loadScenarioFile(path);
}

function refusal(name: string, files: string[]): string {
  try {
    load(name, files);
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).not.toContain('\n');
    return error.message;
  }
  throw new Error(`expected manifestFiles ${JSON.stringify(files)} to be refused`);
}

describe('scenario manifestFiles stay in the scenario folder', () => {
  it('loads a file in a subfolder, relative to the scenario file', () => {
    expect(load('sub', ['apps/web/web.yaml', './top.yaml']).manifests.map((m) => m.metadata.name)).toEqual([
      'web',
      'top',
    ]);
    expect(load('dotdot-inside', ['apps/../top.yaml']).manifests.map((m) => m.metadata.name)).toEqual(['top']);
  });

  it('refuses a ../ escape to /etc/shadow without reading it', () => {
    expect(refusal('shadow', ['../../../../etc/shadow'])).toBe(
      'shadow.yaml: manifestFiles[0]: "../../../../etc/shadow" is outside the scenario\'s folder',
    );
  });

  it('refuses an absolute path', () => {
    expect(refusal('absolute', ['top.yaml', '/etc/passwd'])).toBe(
      'absolute.yaml: manifestFiles[1]: "/etc/passwd" is an absolute path (paths are relative to the scenario\'s folder)',
    );
    expect(refusal('absolute-inside', [join(folder, 'top.yaml')])).toMatch(
      /^absolute-inside\.yaml: manifestFiles\[0\]: ".*top\.yaml" is an absolute path/,
    );
  });

  it('refuses a symlink inside the folder that points outside it, file or folder', () => {
    expect(refusal('symlink', ['leak.yaml'])).toBe(
      'symlink.yaml: manifestFiles[0]: "leak.yaml" is outside the scenario\'s folder (a symlink)',
    );
    expect(refusal('symlink-dir', ['leakdir/secret.yaml'])).toBe(
      'symlink-dir.yaml: manifestFiles[0]: "leakdir/secret.yaml" is outside the scenario\'s folder (a symlink)',
    );
  });

  it('follows a symlink that stays inside the folder', () => {
    expect(load('alias', ['apps/alias.yaml']).manifests.map((m) => m.metadata.name)).toEqual(['top']);
  });

  it('refuses a folder, and names a missing file', () => {
    expect(refusal('folder', ['apps'])).toBe('folder.yaml: manifestFiles[0]: "apps" is not a file');
    expect(refusal('missing', ['apps/nope.yaml'])).toMatch(
      /^missing\.yaml: manifestFiles\[0\]: cannot read .*apps\/nope\.yaml: ENOENT$/,
    );
  });
});
