import { describe, expect, it } from 'vitest';
import { pipeline, stepAfter } from '../../../../src/domain/migration/pipeline.js';
import { planned } from './fixtures.js';

const names = (r: ReturnType<typeof planned>, windows = false) =>
  pipeline(r, { windowsConfigured: windows }).map((p) => (p.batch ? `${p.step}:${p.batch}` : p.step));

describe('pipeline order', () => {
  it('asks for an approval before every production batch and verifies after each', () => {
    expect(names(planned())).toEqual([
      'lease',
      'before-state',
      'precheck',
      'plan',
      'approval:1',
      'execute:1',
      'verify:1',
      'approval:2',
      'execute:2',
      'verify:2',
      'finish',
    ]);
  });

  it('has no approvals outside production, snapshots and soak when asked, and no soak after the last batch', () => {
    const r = planned({ production: false }, { snapshot: true, soakSeconds: 600 });
    expect(names(r, true)).toEqual([
      'lease',
      'before-state',
      'precheck',
      'plan',
      'window:1',
      'snapshot:1',
      'execute:1',
      'verify:1',
      'soak:1',
      'window:2',
      'snapshot:2',
      'execute:2',
      'verify:2',
      'finish',
    ]);
  });

  it('rotates with a new pool first and removes the old pool last, after its own approval', () => {
    const r = planned({ mode: 'rotate', production: false }, { snapshot: true });
    const steps = names(r);
    expect(steps.slice(4, 5)).toEqual(['prepare-pool']);
    expect(steps).not.toContain('snapshot:1');
    expect(steps.slice(-3)).toEqual(['approve-remove', 'remove-old-pool', 'finish']);
  });

  it('ends at plan until a plan exists', () => {
    const r = { ...planned(), plan: undefined, batches: [] };
    expect(names(r)).toEqual(['lease', 'before-state', 'precheck', 'plan']);
  });

  it('moves the cursor to the next step, pending, and stays at finish', () => {
    const r = planned();
    expect(stepAfter(r, { step: 'verify', batch: 1 }, { windowsConfigured: false })).toEqual({
      step: 'approval',
      batch: 2,
      phase: 'pending',
    });
    expect(stepAfter(r, { step: 'finish', batch: 0 }, { windowsConfigured: false }).step).toBe('finish');
  });

  it('continues with the same batch when the cursor names a step the config no longer has', () => {
    const r = planned();
    // parked at window:2, then the windows were removed from the config
    expect(stepAfter(r, { step: 'window', batch: 2 }, { windowsConfigured: false })).toEqual({
      step: 'approval',
      batch: 2,
      phase: 'pending',
    });
  });
});
