/**
 * The interner behind the snapshot's shared templates: equal trimmed specs of many pods become one object, and
 * values that differ anywhere (a leaf, a key, key order, an array length, a type) stay apart.
 */
import { describe, expect, it } from 'vitest';
import { Interner } from '../../../../src/gateways/cluster/interner.js';

const spec = (image: string, env: Array<{ name: string; value?: string }> = []) => ({
  containers: [{ name: 'app', image, command: [], args: ['--port', '8080'], env, privileged: false }],
  volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }],
  nodeSelector: { 'alibabacloud.com/nodepool-id': 'np-1' },
  tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
});

describe('Interner', () => {
  it('hands back the first of equal values, built separately', () => {
    const interner = new Interner();
    const first = interner.intern(spec('nginx:1.25'));
    const again = interner.intern(spec('nginx:1.25'));
    expect(again).toBe(first);
    expect(interner.size).toBe(1);
  });

  it('keeps values that differ in a leaf, a key, a length, a type or key order apart', () => {
    const interner = new Interner();
    const variants: unknown[] = [
      spec('nginx:1.25'),
      spec('nginx:1.26'),
      spec('nginx:1.25', [{ name: 'A', value: '1' }]),
      spec('nginx:1.25', [{ name: 'A' }]),
      { a: 1, b: 2 },
      { b: 2, a: 1 },
      { a: '1', b: 2 },
      [1, 2],
      [1, 2, 3],
      { '0': 1, '1': 2 },
      { a: null },
      { a: false },
      {},
      [],
      'x',
    ];
    const kept = variants.map((v) => interner.intern(v));
    variants.forEach((v, i) => {
      expect(kept[i]).toBe(v);
    });
    expect(interner.size).toBe(variants.length);
    for (const v of variants) expect(interner.intern(structuredClone(v))).toBe(v);
  });
});
