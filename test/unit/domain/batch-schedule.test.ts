import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchSizes, defaultMaxParallel, schedule } from '../../../src/domain/batch-schedule.js';

describe('batch schedule', () => {
  it('doubles from 1 up to the cap, then stays there (100 nodes, cap 10)', () => {
    const s = schedule(100, 10);
    expect(s.batches).toEqual([1, 2, 4, 8, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    expect(s.estimatedMinutes).toBe(8 * 13);
  });

  it('defaults the cap to 10% of the nodes, at least 1 and at most 10', () => {
    expect(defaultMaxParallel(6)).toBe(1);
    expect(defaultMaxParallel(25)).toBe(2);
    expect(defaultMaxParallel(100)).toBe(10);
    expect(defaultMaxParallel(5000)).toBe(10);
  });

  it('plans nothing for an empty pool and rejects a zero cap', () => {
    expect(batchSizes(0, 3)).toEqual([]);
    expect(() => batchSizes(5, 0)).toThrow(RangeError);
  });

  it('property: sizes sum to the node count, never exceed the cap, start at 1 and double until the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 64 }), (nodes, cap) => {
        const sizes = batchSizes(nodes, cap);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(nodes);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(cap);
        expect(sizes[0]).toBe(1);
        for (let i = 1; i < sizes.length; i++) {
          const expected = Math.min(2 * sizes[i - 1]!, cap);
          const isLast = i === sizes.length - 1;
          if (isLast) expect(sizes[i]).toBeLessThanOrEqual(expected);
          else expect(sizes[i]).toBe(expected);
        }
      }),
    );
  });
});
