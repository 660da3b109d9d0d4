import { dockerHost, dockerInvocation, isDockerImage } from '../docker-usage.js';
import { finding, listText } from '../findings.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';
import { scanSubjects } from '../subjects.js';

/** Containers (regular, init, ephemeral) that run Docker: DinD images, docker CLI or dockerd commands, DOCKER_HOST. */
export function dockerCli(input: PrecheckInput): Finding[] {
  const findings: Finding[] = [];
  for (const subject of scanSubjects(input.snapshot)) {
    const evidence = new Set<string>();
    for (const { section, spec } of subject.containers) {
      const where = `in ${section} ${spec.name}`;
      if (isDockerImage(spec.image)) evidence.add(`image ${spec.image} ${where}`);
      const invocation = dockerInvocation(spec.command, spec.args);
      if (invocation) evidence.add(`"${invocation}" ${where}`);
      const host = dockerHost(spec);
      if (host) evidence.add(`DOCKER_HOST=${host} ${where}`);
    }
    if (evidence.size === 0) continue;
    findings.push(
      finding(
        'docker-cli',
        'warning',
        subject.ref,
        `runs Docker itself: ${listText([...evidence])}`,
        'Nodes will have no Docker daemon: build images with kaniko, BuildKit or ACR image build instead of docker build. Docker-in-Docker with its own dockerd keeps working (privileged), but what it builds is invisible to containerd until pushed.',
      ),
    );
  }
  return findings;
}
