import { describe, expect, it } from 'vitest';
import type { PodFacts } from '../../../../src/domain/cluster/snapshot.js';
import { classifyPod, planNodeDrain } from '../../../../src/domain/drain/filters.js';

function pod(name: string, over: Partial<PodFacts> = {}, emptyDir = false): PodFacts {
  return {
    namespace: 'web',
    name,
    uid: `uid-${name}`,
    nodeName: 'pool-b-1',
    phase: 'Running',
    ready: true,
    labels: {},
    owner: { kind: 'Deployment', namespace: 'web', name: 'api' },
    controllerKind: 'ReplicaSet',
    mirror: false,
    spec: {
      containers: [],
      initContainers: [],
      ephemeralContainers: [],
      volumes: emptyDir ? [{ name: 'cache', emptyDir: true }] : [],
      nodeSelector: {},
      tolerations: [],
    },
    ...over,
  };
}

describe('drain filters (kubectl semantics)', () => {
  it('ignores DaemonSet pods and mirror pods, evicts emptyDir pods with a warning', () => {
    expect(classifyPod(pod('ds', { controllerKind: 'DaemonSet' }), { force: false }).action).toBe('ignore');
    expect(classifyPod(pod('static', { mirror: true, controllerKind: 'Node' }), { force: false }).action).toBe(
      'ignore',
    );
    expect(classifyPod(pod('cache', {}, true), { force: false })).toMatchObject({
      action: 'evict',
      warning: 'deleting Pods with local storage',
    });
  });

  it('refuses a bare pod without force, and the whole node before evicting anything', () => {
    const bare = pod('bare', { controllerKind: undefined, owner: { kind: 'Pod', namespace: 'web', name: 'bare' } });
    const plan = planNodeDrain([pod('a'), bare], { force: false });
    expect(plan.refusals).toEqual([
      'cannot delete Pods that declare no controller (use --force to override): web/bare',
    ]);
    const forced = planNodeDrain([pod('a'), bare], { force: true });
    expect(forced.refusals).toEqual([]);
    expect(forced.evict.map((p) => p.name)).toEqual(['a', 'bare']);
    expect(forced.warnings).toEqual(['Warning: deleting Pods that declare no controller: web/bare']);
  });

  it('evicts finished bare pods without force (nothing is lost)', () => {
    const done = pod('job', { controllerKind: undefined, phase: 'Succeeded' });
    expect(classifyPod(done, { force: false }).action).toBe('evict');
  });
});
