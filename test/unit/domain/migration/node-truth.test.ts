import { describe, expect, it } from 'vitest';
import {
  buildNodeReport,
  classifyNode,
  describeTruth,
  type SeenNode,
} from '../../../../src/domain/migration/node-truth.js';
import type { NodeBefore } from '../../../../src/domain/migration/record.js';

const before: NodeBefore = {
  name: 'pool-a-3',
  instanceId: 'i-3',
  privateIp: '10.0.0.3',
  mac: '00:16:3e:00:00:03',
  systemDiskId: 'd-old',
  runtime: 'docker://19.3.15',
};
const containerd = { ready: true, unschedulable: false, runtimeVersion: 'containerd://1.6.28' };
const docker = { ready: true, unschedulable: false, runtimeVersion: 'docker://19.3.15' };
const newDisk = { status: 'Running', systemDiskId: 'd-new' };
const oldDisk = { status: 'Running', systemDiskId: 'd-old' };

const seen = (node: SeenNode['node'], instance: SeenNode['instance']): SeenNode => ({ node, instance });

describe('classifyNode (in place)', () => {
  it('calls a node migrated only when it runs containerd, Ready and schedulable, on a new system disk', () => {
    expect(classifyNode(before, seen(containerd, newDisk))).toMatchObject({ node: 'pool-a-3', condition: 'migrated' });
    expect(classifyNode(before, seen(containerd, newDisk)).todo).toBeUndefined();
    // The same disk as before: ACK did not replace it, whatever the runtime says.
    expect(classifyNode(before, seen(containerd, oldDisk)).condition).toBe('mid-way');
  });

  it('calls a Docker node that is Ready and schedulable untouched, without asking ECS', () => {
    const t = classifyNode(before, seen(docker, undefined));
    expect(t.condition).toBe('untouched');
    expect(describeTruth(t)).toMatch(/pool-a-3 still runs docker/);
  });

  it('names what to do with a node left cordoned and NotReady by an interrupted upgrade', () => {
    const t = classifyNode(before, seen({ ...containerd, ready: false, unschedulable: true }, newDisk));
    expect(t.condition).toBe('mid-way');
    expect(describeTruth(t)).toBe(
      'pool-a-3 is cordoned and NotReady after an interrupted upgrade: check it in the ACK console, then `kubectl uncordon pool-a-3` or remove it',
    );
    const docked = classifyNode(
      before,
      seen({ ...docker, ready: false, unschedulable: true }, { status: 'Stopped', systemDiskId: undefined }),
    );
    expect(docked.condition).toBe('mid-way');
    expect(describeTruth(docked)).toContain('cordoned and NotReady');
  });

  it('tells a cordoned but Ready node from a NotReady one, and a node gone from Kubernetes', () => {
    const cordoned = classifyNode(before, seen({ ...containerd, unschedulable: true }, newDisk));
    expect(cordoned.condition).toBe('mid-way');
    expect(cordoned.todo).toContain('`kubectl uncordon pool-a-3`');
    const drainedDocker = classifyNode(before, seen({ ...docker, unschedulable: true }, oldDisk));
    expect(drainedDocker.condition).toBe('mid-way');
    expect(drainedDocker.todo).toContain('`kubectl uncordon pool-a-3`');
    const notReady = classifyNode(before, seen({ ...containerd, ready: false }, newDisk));
    expect(describeTruth(notReady)).toMatch(
      /^pool-a-3 is NotReady after an interrupted upgrade: check it in the ACK console/,
    );
    const gone = classifyNode(before, seen(undefined, { status: 'Stopped', systemDiskId: 'd-new' }));
    expect(gone.condition).toBe('mid-way');
    expect(describeTruth(gone)).toMatch(/pool-a-3 is gone from Kubernetes \(ECS instance i-3 is Stopped\)/);
  });
});

describe('classifyNode (rotate)', () => {
  it('calls an old node migrated once it is drained, untouched while it still carries load', () => {
    expect(
      classifyNode(before, seen({ ...docker, unschedulable: true }, undefined), { mode: 'rotate', drained: true }),
    ).toMatchObject({ condition: 'migrated' });
    expect(classifyNode(before, seen(undefined, undefined), { mode: 'rotate', drained: true }).condition).toBe(
      'migrated',
    );
    expect(classifyNode(before, seen(docker, undefined), { mode: 'rotate' }).condition).toBe('untouched');
    const cordoned = classifyNode(before, seen({ ...docker, unschedulable: true }, undefined), { mode: 'rotate' });
    expect(cordoned.condition).toBe('mid-way');
    expect(cordoned.todo).toContain('`kubectl uncordon pool-a-3`');
  });
});

describe('buildNodeReport', () => {
  it('counts every condition and keeps the nodes in order', () => {
    const at = new Date('2026-05-04T02:00:00Z');
    const report = buildNodeReport(at, [
      classifyNode({ ...before, name: 'pool-a-1' }, seen(containerd, newDisk)),
      classifyNode({ ...before, name: 'pool-a-2' }, seen(docker, oldDisk)),
      classifyNode(before, seen({ ...containerd, ready: false, unschedulable: true }, newDisk)),
    ]);
    expect(report).toMatchObject({ at: at.toISOString(), migrated: 1, untouched: 1, midWay: 1 });
    expect(report.nodes.map((n) => `${n.node}:${n.condition}`)).toEqual([
      'pool-a-1:migrated',
      'pool-a-2:untouched',
      'pool-a-3:mid-way',
    ]);
  });
});
