import { describe, expect, it } from 'vitest';
import { parseRuntime } from '../../../../src/domain/cluster/container-runtime.js';
import { parseKubernetesVersion } from '../../../../src/domain/cluster/kubernetes-version.js';

describe('parseRuntime', () => {
  it.each([
    ['docker://19.3.15', { name: 'docker', version: '19.3.15' }],
    ['containerd://1.6.28', { name: 'containerd', version: '1.6.28' }],
    ['containerd', { name: 'containerd', version: '' }],
    ['Docker', { name: 'docker', version: '' }],
    ['cri-o://1.28.1', { name: 'other', version: '1.28.1' }],
    ['', { name: 'unknown', version: '' }],
  ])('%j', (text, expected) => expect(parseRuntime(text)).toEqual(expected));
});

describe('parseKubernetesVersion', () => {
  it.each([
    ['1.22.15-aliyun.1', { major: 1, minor: 22, patch: 15 }],
    ['v1.20.11-aliyun.1', { major: 1, minor: 20, patch: 11 }],
    ['1.24', { major: 1, minor: 24, patch: undefined }],
    ['', undefined],
    ['one.two', undefined],
    ['1.22.x', undefined],
  ])('%j', (text, expected) => expect(parseKubernetesVersion(text)).toEqual(expected));
});
