import { describe, expect, it } from 'vitest';
import { observedStep, progressed } from '../../../../src/domain/migration/node-progress.js';
import type { NodeBefore } from '../../../../src/domain/migration/record.js';
import { alreadyMigrated, verifyNode } from '../../../../src/domain/migration/verification.js';

const before: NodeBefore = {
  name: 'pool-a-1',
  instanceId: 'i-1',
  privateIp: '10.0.0.1',
  mac: '00:16:3e:00:00:01',
  systemDiskId: 'd-old',
  runtime: 'docker://19.3.15',
};
const migratedNode = {
  ready: true,
  unschedulable: false,
  runtimeVersion: 'containerd://1.6.28',
  internalIp: '10.0.0.1',
};
const migratedInstance = { privateIp: '10.0.0.1', mac: '00:16:3e:00:00:01', systemDiskId: 'd-new', status: 'Running' };

describe('verifyNode (in place)', () => {
  const v = (node: Partial<typeof migratedNode> | undefined, instance: Partial<typeof migratedInstance> | undefined) =>
    verifyNode({
      mode: 'in-place',
      before,
      node: node && { ...migratedNode, ...node },
      instance: instance && { ...migratedInstance, ...instance },
    });

  it('passes a Ready, schedulable containerd node with the same IP and MAC on a new disk', () => {
    expect(v({}, {})).toEqual({ status: 'ok' });
  });

  it('stops at once when IP or MAC changed or the disk was not replaced', () => {
    expect(v({}, { privateIp: '10.0.0.9' })).toMatchObject({
      status: 'mismatch',
      reason: expect.stringContaining('IP'),
    });
    expect(v({}, { mac: 'aa' })).toMatchObject({ status: 'mismatch', reason: expect.stringContaining('MAC') });
    expect(v({}, { systemDiskId: 'd-old' })).toMatchObject({
      status: 'mismatch',
      reason: expect.stringContaining('disk'),
    });
    expect(v({ runtimeVersion: 'docker://19.3.15' }, { systemDiskId: 'd-old' })).toMatchObject({
      status: 'mismatch',
      reason: expect.stringContaining('still runs docker'),
    });
  });

  it('waits while the node is NotReady, cordoned or still booting', () => {
    expect(v({ ready: false }, {})).toMatchObject({ status: 'waiting' });
    expect(v({ unschedulable: true }, {})).toMatchObject({
      status: 'waiting',
      reason: expect.stringContaining('cordoned'),
    });
    expect(v({ runtimeVersion: 'docker://19.3.15', ready: false }, { status: 'Starting' })).toMatchObject({
      status: 'waiting',
    });
    expect(v(undefined, {})).toMatchObject({ status: 'waiting' });
  });

  it('rotate mode checks the runtime only', () => {
    expect(
      verifyNode({
        mode: 'rotate',
        before,
        node: { ...migratedNode, runtimeVersion: 'docker://1' },
        instance: undefined,
      }),
    ).toMatchObject({ status: 'mismatch' });
    expect(verifyNode({ mode: 'rotate', before, node: migratedNode, instance: undefined })).toEqual({ status: 'ok' });
  });

  it('knows a node that is already done, so it is never upgraded twice', () => {
    expect(alreadyMigrated(before, migratedNode, migratedInstance)).toBe(true);
    expect(alreadyMigrated(before, { ...migratedNode, runtimeVersion: 'docker://19.3.15' }, migratedInstance)).toBe(
      false,
    );
    // containerd on disk but never came back Ready (a fault at start): not done, it is upgraded again
    expect(alreadyMigrated(before, { ...migratedNode, ready: false }, migratedInstance)).toBe(false);
    expect(alreadyMigrated(before, migratedNode, { ...migratedInstance, status: 'Stopped' })).toBe(false);
  });
});

describe('node progress', () => {
  it('derives the step from ECS and Kubernetes and never goes back', () => {
    const obs = (status: string, disk: string, k8s?: Partial<typeof migratedNode>) =>
      observedStep(before, {
        node: { ...migratedNode, runtimeVersion: 'docker://19.3.15', ready: false, ...k8s },
        instance: { status, systemDiskId: disk },
        task: undefined,
      });
    expect(obs('Running', 'd-old', { ready: true, unschedulable: true })).toBe('drain');
    expect(obs('Stopped', 'd-old')).toBe('stop');
    expect(obs('Stopped', 'd-new')).toBe('replace-disk');
    expect(obs('Starting', 'd-new')).toBe('start');
    expect(obs('Running', 'd-new', { runtimeVersion: 'containerd://1.6', ready: true })).toBe('ready');
    expect(progressed('start', 'stop')).toBeUndefined();
    expect(progressed('stop', 'start')).toBe('start');
    expect(progressed('ready', 'failed')).toBe('failed');
  });

  it('takes the task step when ACK is ahead of what the instance shows', () => {
    expect(
      observedStep(before, {
        node: undefined,
        instance: { status: 'Running', systemDiskId: 'd-old' },
        task: { step: 'ReplaceSystemDisk', state: 'running' },
      }),
    ).toBe('replace-disk');
    expect(
      observedStep(before, { node: undefined, instance: undefined, task: { step: 'Start', state: 'failed' } }),
    ).toBe('failed');
  });
});
