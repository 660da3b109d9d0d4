import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../../src/errors.js';
import { parseScenario } from '../../../../src/sandbox/scenario/index.js';

/**
 * The cluster's version and the kubelet versions of Node manifests must be
 * Kubernetes versions ACK had (docs/contracts.md#scenario-file-format).
 */
const scenario = (version: string, manifests = '') =>
  `cluster: {id: c-t, name: t, region: cn-hangzhou, version: ${version}}
nodePools:
  - {id: np-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.xlarge}
${manifests}`;

const node = (kubeletVersion: string) => `manifests:
  - apiVersion: v1
    kind: Node
    metadata: {name: extra-1}
    status: {nodeInfo: {kubeletVersion: ${kubeletVersion}}}
`;

function refusal(text: string): string {
  try {
    parseScenario(text, '.', 's.yaml');
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).not.toContain('\n');
    return error.message;
  }
  throw new Error('expected the scenario to be refused');
}

describe('scenario versions', () => {
  it.each([
    '1.22.15-aliyun.1',
    '1.20.11-aliyun.1',
    '1.16.9-aliyun.1',
    '1.33.1-aliyun.1',
    '1.24.6',
    '"1.30.1-aliyun.1"',
  ])('accepts cluster version %s', (version) => {
    expect(parseScenario(scenario(version), '.').cluster.version).toBe(version.replace(/"/g, ''));
  });

  it.each([
    ['banana', 'banana'],
    ['""', ''],
    ['1.x', '1.x'],
    ['"1.22"', '1.22'],
    ['v1.22.15-aliyun.1', 'v1.22.15-aliyun.1'],
    ['1.22.15-banana.1', '1.22.15-banana.1'],
    ['1.22.15-aliyun', '1.22.15-aliyun'],
    ['1.15.12-aliyun.1', '1.15.12-aliyun.1'],
    ['1.34.0-aliyun.1', '1.34.0-aliyun.1'],
    ['2.22.15-aliyun.1', '2.22.15-aliyun.1'],
    ['1.22.15-aliyun.1; rm -rf /', '1.22.15-aliyun.1; rm -rf /'],
  ])('refuses cluster version %s naming the file and the field', (yaml, shown) => {
    expect(refusal(scenario(yaml))).toBe(
      `s.yaml: cluster.version: ${JSON.stringify(shown)} is not a Kubernetes version of ACK (major.minor.patch with an optional -aliyun.N, 1.16 to 1.33, e.g. 1.22.15-aliyun.1)`,
    );
  });

  it('refuses a number where the version should be a string', () => {
    expect(refusal(scenario('1.22'))).toBe('s.yaml: cluster.version must be a string');
  });

  it('checks the kubelet version of a Node manifest likewise', () => {
    const ok = parseScenario(scenario('1.22.15-aliyun.1', node('v1.22.15-aliyun.1')), '.');
    expect(ok.manifests.map((m) => m.kind)).toEqual(['Node']);
    expect(refusal(scenario('1.22.15-aliyun.1', node('banana')))).toBe(
      's.yaml: manifests[0] (Node default/extra-1): status.nodeInfo.kubeletVersion: "banana" is not a kubelet version of ACK (v + major.minor.patch with an optional -aliyun.N, 1.16 to 1.33, e.g. v1.22.15-aliyun.1)',
    );
    expect(refusal(scenario('1.22.15-aliyun.1', node('v1.99.0')))).toMatch(
      /status\.nodeInfo\.kubeletVersion: "v1\.99\.0" is not a kubelet version/,
    );
  });
});
