import { describe, expect, it } from 'vitest';
import { editDistance, makeCorrector } from '../../../../src/domain/faq/spelling.js';

describe('FAQ spelling correction', () => {
  it('counts an adjacent swap as one edit and gives up above the limit', () => {
    expect(editDistance('rollbak', 'rollback', 2)).toBe(1);
    expect(editDistance('snaphsot', 'snapshot', 2)).toBe(1);
    expect(editDistance('containerd', 'contianerd', 2)).toBe(1);
    expect(editDistance('rollback', 'rollback', 1)).toBe(0);
    expect(editDistance('helm', 'rollback', 1)).toBe(2);
  });

  const vocabulary = new Map([
    ['rollback', 5],
    ['snapshot', 3],
    ['containerd', 20],
    ['compatible', 4],
    ['replica', 2],
    ['replace', 6],
  ]);
  const correct = makeCorrector(vocabulary);

  it('corrects an unknown word to the knowledge-base word one edit away', () => {
    expect(correct('rollbak')).toBe('rollback');
    expect(correct('snaphsot')).toBe('snapshot');
    expect(correct('contaienrd')).toBe('containerd');
    // Long words may be two edits off.
    expect(correct('compatable')).toBe('compatible');
  });

  it('leaves short words, unrelated words and non-words alone', () => {
    expect(correct('rolb')).toBeUndefined();
    expect(correct('weather')).toBeUndefined();
    expect(correct('pizza')).toBeUndefined();
    expect(correct('k8s.io')).toBeUndefined();
  });

  it('breaks a tie in favour of the more common word', () => {
    // "replaca" is one edit from both "replica" (2 documents) and "replace" (6).
    expect(correct('replaca')).toBe('replace');
  });
});
