import { describe, expect, it } from 'vitest';
import type { ContainerSpec, PodTemplate, WorkloadKind } from '../../../../src/domain/cluster/snapshot.js';
import { dockerCli, dockerInvocation, isDockerImage, parseImage } from '../../../../src/domain/precheck/index.js';
import { container, precheckInput, SnapshotBuilder, template } from '../../../support/snapshot-builders.js';

function run(spec: PodTemplate, kind: WorkloadKind = 'Deployment') {
  const b = new SnapshotBuilder().nodeRange('pool-a', 2);
  const on = kind === 'Job' || kind === 'CronJob' ? [] : ['pool-a-1', 'pool-a-2'];
  b.workload(kind, 'ci', { namespace: 'build', on, template: spec });
  return dockerCli(precheckInput(b.build()));
}

const one = (c: Partial<ContainerSpec>) => template({ containers: [container(c)] });

describe('image and command heuristics', () => {
  it.each([
    ['registry:5000/org/docker:24-dind@sha256:abc', { name: 'docker', tag: '24-dind' }],
    ['nginx', { name: 'nginx', tag: '' }],
    ['docker.io/library/Docker:Latest', { name: 'docker', tag: 'latest' }],
  ])('parseImage(%j)', (image, expected) => expect(parseImage(image)).toEqual(expected));

  it.each([
    ['docker', true],
    ['docker:24-dind', true],
    ['docker:24.0.7-cli', true],
    ['docker.io/library/docker:dind-rootless', true],
    ['registry.example.com/ci/docker:latest', true],
    ['gitlab/dind', true],
    ['mycorp/builder-dind:1.0', true],
    ['mycorp/ci:dind', true],
    ['nginx:1.25', false],
    ['registry.example.com/dockerhub-mirror/nginx:1.25', false],
    ['bitnami/docker-registry:2', false],
    ['moby/buildkit:rootless', false],
  ])('isDockerImage(%j) = %s', (image, expected) => expect(isDockerImage(image)).toBe(expected));

  it.each<[string[], string[], string | undefined]>([
    [['docker', 'build', '.'], [], 'docker build'],
    [['sh', '-c', 'docker build -t app . && docker push app'], [], 'docker build'],
    [['/bin/sh'], ['-c', 'set -e; /usr/bin/docker run --rm alpine'], 'docker run'],
    [['bash', '-c', 'echo $(docker ps -q)'], [], 'docker ps'],
    [['dockerd'], ['--host=tcp://0.0.0.0:2375'], 'dockerd'],
    [['dockerd-entrypoint.sh'], [], 'dockerd-entrypoint.sh'],
    [['kube-proxy', '--container-runtime', 'docker'], [], undefined],
    [['/bin/sh', '-c', 'echo hello'], [], undefined],
    [['agent'], ['--runtime=docker', '--docker-only'], undefined],
    [['which', 'docker'], [], undefined],
  ])('dockerInvocation(%j, %j) = %j', (command, args, expected) =>
    expect(dockerInvocation(command, args)).toBe(expected),
  );
});

describe('docker-cli', () => {
  it.each<[string, PodTemplate, string]>([
    ['a DinD image', one({ name: 'dind', image: 'docker:24-dind' }), 'image docker:24-dind in container dind'],
    [
      'a DinD sidecar',
      template({ containers: [container(), container({ name: 'dockerd', image: 'docker:dind' })] }),
      'image docker:dind',
    ],
    ['docker build in sh -c', one({ command: ['sh', '-c', 'docker build -t x .'] }), '"docker build" in container app'],
    ['dockerd in args', one({ command: ['/usr/local/bin/entry'], args: ['dockerd', '--tls=false'] }), '"dockerd"'],
    [
      'an init container',
      template({ initContainers: [container({ name: 'prefetch', command: ['docker', 'pull', 'x'] })] }),
      '"docker pull" in init container prefetch',
    ],
    [
      'DOCKER_HOST',
      one({ env: [{ name: 'DOCKER_HOST', value: 'tcp://localhost:2375' }] }),
      'DOCKER_HOST=tcp://localhost:2375 in container app',
    ],
  ])('warns on %s', (_, spec, evidence) => {
    const findings = run(spec);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'docker-cli',
      severity: 'warning',
      object: { kind: 'Deployment', namespace: 'build', name: 'ci' },
    });
    expect(findings[0]!.message).toContain(evidence);
  });

  it.each<[WorkloadKind]>([['CronJob'], ['Job']])('reads %s templates that have no pods on the pool', (kind) => {
    const findings = run(one({ command: ['sh', '-c', 'docker build .'] }), kind);
    expect(findings.map((f) => f.object)).toEqual([{ kind, namespace: 'build', name: 'ci' }]);
  });

  it('finds an ephemeral container on a pod and reports it on the top owner', () => {
    const b = new SnapshotBuilder().nodeRange('pool-a', 1).deployment('web', { on: ['pool-a-1'] });
    const snapshot = b.build();
    const pod = snapshot.pods[0]!;
    pod.spec = { ...pod.spec, ephemeralContainers: [container({ name: 'debugger', image: 'docker:cli' })] };
    const findings = dockerCli(precheckInput(snapshot));
    expect(findings.map((f) => [f.object.name, f.message])).toEqual([
      ['web', 'runs Docker itself: image docker:cli in ephemeral container debugger'],
    ]);
  });

  it('gives one finding per workload however many pods and containers show it', () => {
    const spec = template({
      containers: [container({ image: 'docker:dind' }), container({ name: 'b', command: ['docker', 'run', 'x'] })],
    });
    const findings = run(spec);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toBe(
      'runs Docker itself: image docker:dind in container app and "docker run" in container b',
    );
  });

  it.each<[string, PodTemplate]>([
    ['an ordinary web server', one({ image: 'nginx:1.25', command: ['nginx', '-g', 'daemon off;'] })],
    ['kube-proxy', one({ image: 'registry.k8s.io/kube-proxy:v1.22.15', command: ['/usr/local/bin/kube-proxy'] })],
    ['BuildKit', one({ image: 'moby/buildkit:rootless', args: ['--oci-worker-no-process-sandbox'] })],
    ['a privileged CNI agent', one({ image: 'calico/node:v3.26', privileged: true })],
  ])('stays quiet for %s', (_, spec) => {
    expect(run(spec)).toEqual([]);
  });
});
