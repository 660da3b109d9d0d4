import { describe, expect, it } from 'vitest';
import type { PodTemplate, WorkloadKind } from '../../../../src/domain/cluster/snapshot.js';
import {
  dockerDataDir,
  dockerSocket,
  type Finding,
  normaliseHostPath,
  type PrecheckRule,
  systemDiskHostpath,
} from '../../../../src/domain/precheck/index.js';
import {
  container,
  hostPathTemplate,
  precheckInput,
  SnapshotBuilder,
  template,
} from '../../../support/snapshot-builders.js';

type Mount = string | { path: string; readOnly?: boolean };

/** One workload of the given kind with the given hostPaths; Jobs and CronJobs have no pods on the pool. */
function run(rule: PrecheckRule, mounts: Mount[], kind: WorkloadKind = 'DaemonSet', spec?: PodTemplate): Finding[] {
  const b = new SnapshotBuilder().nodeRange('pool-a', 2);
  const tpl = spec ?? hostPathTemplate(mounts);
  const on = kind === 'Job' || kind === 'CronJob' ? [] : kind === 'Pod' ? ['pool-a-1'] : ['pool-a-1', 'pool-a-2'];
  b.workload(kind, 'subject', { namespace: 'monitoring', on, template: tpl });
  return rule(precheckInput(b.build()));
}

const subject = (kind: WorkloadKind) => ({ kind, namespace: 'monitoring', name: 'subject' });

describe('normaliseHostPath', () => {
  it.each([
    ['/var/run/', '/var/run'],
    ['//var//run///docker.sock', '/var/run/docker.sock'],
    ['/var/./run', '/var/run'],
    ['/etc/../data', '/data'],
    ['/', '/'],
    ['', '/'],
    ['var/run', '/var/run'],
  ])('%j → %j', (input, expected) => expect(normaliseHostPath(input)).toBe(expected));
});

describe('docker-socket', () => {
  it.each<[string, Mount[], string]>([
    ['the socket file', ['/var/run/docker.sock'], 'mounts /var/run/docker.sock from the host'],
    ['the socket under /run', ['/run/docker.sock'], 'mounts /run/docker.sock from the host'],
    ['dockershim.sock', ['/var/run/dockershim.sock'], 'mounts /var/run/dockershim.sock from the host'],
    ['a read-only socket (sockets ignore ro)', [{ path: '/var/run/docker.sock', readOnly: true }], 'docker.sock'],
    ['the root directory', ['/'], 'mounts / from the host, which holds docker.sock'],
    ['/var', ['/var'], 'mounts /var from the host'],
    ['/var/run', ['/var/run'], 'mounts /var/run from the host'],
    ['/var/run/ with a trailing slash', ['/var/run/'], 'mounts /var/run from the host'],
    ['/run', ['/run'], 'mounts /run from the host'],
    ['/run/ with a trailing slash', ['/run/'], 'mounts /run from the host'],
    ['/var/run/docker', ['/var/run/docker'], 'mounts /var/run/docker from the host'],
    ['/run/docker/', ['/run/docker/'], 'mounts /run/docker from the host'],
    [
      'both a socket and a parent',
      ['/var/run/docker.sock', '/run'],
      'mounts /var/run/docker.sock from the host; mounts /run',
    ],
  ])('trips on %s, as a blocker on the workload', (_, mounts, message) => {
    const findings = run(dockerSocket, mounts);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'docker-socket', severity: 'blocker', object: subject('DaemonSet') });
    expect(findings[0]!.message).toContain(message);
    expect(findings[0]!.hint).not.toBe('');
  });

  it.each<[WorkloadKind]>([['Deployment'], ['StatefulSet'], ['DaemonSet'], ['Job'], ['CronJob'], ['Pod']])(
    'reports a %s as the object (templates without pods included)',
    (kind) => {
      expect(run(dockerSocket, ['/var/run/docker.sock'], kind).map((f) => f.object)).toEqual([subject(kind)]);
    },
  );

  it('sees a volume that only an init container mounts', () => {
    const spec = template({
      volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }],
      initContainers: [container({ name: 'warm', volumeMounts: [{ name: 'sock', mountPath: '/s', readOnly: false }] })],
    });
    expect(run(dockerSocket, [], 'Deployment', spec)).toHaveLength(1);
  });

  it('sees a pod spec that differs from an owner-less workload (bare pod, or owner without a template)', () => {
    const b = new SnapshotBuilder().nodeRange('pool-a', 1);
    b.pod('orphan-abc', 'pool-a-1', {
      owner: { kind: 'ReplicaSet', namespace: 'ci', name: 'orphan' },
      spec: hostPathTemplate(['/var/run/docker.sock']),
    });
    expect(dockerSocket(precheckInput(b.build())).map((f) => f.object)).toEqual([
      { kind: 'ReplicaSet', namespace: 'ci', name: 'orphan' },
    ]);
  });

  it.each<[string, Mount[]]>([
    ['kube-proxy', ['/lib/modules', '/run/xtables.lock']],
    ['a CNI', ['/etc/cni/net.d', '/opt/cni/bin', '/var/log', '/proc', '/var/run/calico', '/var/lib/cni']],
    ['containerd tools', ['/run/containerd/containerd.sock', '/var/run/netns']],
    ['CSI', ['/var/lib/kubelet', '/dev', '/var/lib/kubelet/plugins_registry']],
    ['docker data (another rule)', ['/var/lib/docker/containers']],
  ])('does not trip on %s', (_, mounts) => {
    expect(run(dockerSocket, mounts)).toEqual([]);
  });
});

describe('docker-data-dir', () => {
  it.each<[string, Mount[]]>([
    ['/var/lib/docker/containers read-only', [{ path: '/var/lib/docker/containers', readOnly: true }]],
    ['/var/lib/docker', ['/var/lib/docker']],
    ['/var/lib/docker/ with a trailing slash', ['/var/lib/docker/']],
  ])('warns on %s', (_, mounts) => {
    const findings = run(dockerDataDir, mounts);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'docker-data-dir', severity: 'warning', object: subject('DaemonSet') });
    expect(findings[0]!.message).toMatch(/^mounts \/var\/lib\/docker/);
  });

  it.each([['/var/lib/docker-volumes'], ['/var/log/containers'], ['/var/lib']])('ignores %s', (path) => {
    expect(run(dockerDataDir, [path])).toEqual([]);
  });
});

describe('system-disk-hostpath', () => {
  it.each<[string, Mount[], string]>([
    ['an application data directory', ['/data/app'], '/data/app'],
    ['/tmp', ['/tmp/cache'], '/tmp/cache'],
    ['a database directory', ['/var/lib/mysql'], '/var/lib/mysql'],
    ['a path that escapes /etc with ..', ['/etc/../srv/files'], '/srv/files'],
  ])('warns on %s mounted writable', (_, mounts, path) => {
    const findings = run(systemDiskHostpath, mounts, 'Deployment');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'system-disk-hostpath',
      severity: 'warning',
      object: subject('Deployment'),
    });
    expect(findings[0]!.message).toContain(`writes to ${path} on the host`);
  });

  it('counts a volume as writable when any container (here the init container) mounts it without readOnly', () => {
    const spec = template({
      volumes: [{ name: 'data', hostPath: { path: '/data' } }],
      containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/d', readOnly: true }] })],
      initContainers: [container({ name: 'seed', volumeMounts: [{ name: 'data', mountPath: '/d', readOnly: false }] })],
    });
    expect(run(systemDiskHostpath, [], 'Deployment', spec)).toHaveLength(1);
  });

  it.each<[string, Mount[]]>([
    ['a read-only mount in every container', [{ path: '/data', readOnly: true }]],
    ['kube-proxy', ['/lib/modules', '/run/xtables.lock']],
    ['a CNI', ['/etc/cni/net.d', '/opt/cni/bin', '/var/log', '/proc', '/var/lib/cni/networks', '/var/lib/calico']],
    ['kernel and OS paths', ['/sys', '/sys/fs/bpf', '/dev', '/usr/share/zoneinfo', '/etc/localtime', '/lib/modules']],
    ['kubelet state', ['/var/lib/kubelet', '/var/lib/kubelet/pods']],
    ['tmpfs paths', ['/run/flannel', '/var/run/netns']],
    ['paths reported as docker-socket', ['/var/run', '/', '/var']],
    ['paths reported as docker-data-dir', ['/var/lib/docker/containers']],
  ])('stays quiet for %s', (_, mounts) => {
    expect(run(systemDiskHostpath, mounts, 'DaemonSet')).toEqual([]);
  });

  it('gives one finding per workload, naming every path', () => {
    const findings = run(systemDiskHostpath, ['/data/a', '/data/b'], 'StatefulSet');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('/data/a and /data/b');
  });
});
