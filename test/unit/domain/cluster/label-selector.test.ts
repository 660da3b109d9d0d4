import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesSelector, SelectorIndex } from '../../../../src/domain/cluster/label-selector.js';
import type { LabelSelector } from '../../../../src/domain/cluster/snapshot.js';

describe('matchesSelector', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each<[string, LabelSelector, boolean]>([
    ['empty selector', {}, true],
    ['matchLabels hit', { matchLabels: { app: 'web' } }, true],
    ['matchLabels miss', { matchLabels: { app: 'api' } }, false],
    ['matchLabels partly missing', { matchLabels: { app: 'web', zone: 'a' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    ['In absent key', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    ['NotIn absent key', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [
      'labels and expressions together',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] },
      true,
    ],
  ])('%s → %s', (_, selector, expected) => expect(matchesSelector(selector, labels)).toBe(expected));
});

describe('SelectorIndex', () => {
  const key = fc.constantFrom('app', 'tier', 'zone');
  const value = fc.constantFrom('a', 'b', 'c');
  const labels = fc.dictionary(key, value);
  const selector: fc.Arbitrary<LabelSelector> = fc.record(
    {
      matchLabels: fc.dictionary(key, value, { maxKeys: 2 }),
      matchExpressions: fc.array(
        fc.record({
          key,
          operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const),
          values: fc.array(value, { maxLength: 2 }),
        }),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: [] },
  );
  const item = fc.record({ namespace: fc.constantFrom('ns-1', 'ns-2'), selector });

  it('property: finds exactly what testing every selector of the namespace finds, in input order', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.constantFrom('ns-1', 'ns-2'), labels, (items, ns, podLabels) => {
        const expected = items.filter((i) => i.namespace === ns && matchesSelector(i.selector, podLabels));
        expect(new SelectorIndex(items).match(ns, podLabels)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
