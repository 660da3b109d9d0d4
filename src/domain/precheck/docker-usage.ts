/**
 * Heuristics for containers that run Docker themselves: Docker-in-Docker images,
 * the docker CLI or dockerd in a command (also inside `sh -c "…"`), and DOCKER_HOST pointing at a daemon.
 */
import type { ContainerSpec } from '../cluster/snapshot.js';

export interface ImageName {
  name: string;
  tag: string;
}

/** `registry:5000/org/docker:24-dind@sha256:…` → `{name: 'docker', tag: '24-dind'}` (the last path segment). */
export function parseImage(image: string): ImageName {
  const withoutDigest = image.split('@')[0] ?? '';
  const last = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  const name = (colon >= 0 ? last.slice(0, colon) : last).toLowerCase();
  const tag = (colon >= 0 ? last.slice(colon + 1) : '').toLowerCase();
  return { name, tag };
}

/** `docker`, `docker:*`, `*-dind`, anything with `dind` in its name or tag. */
export function isDockerImage(image: string): boolean {
  const { name, tag } = parseImage(image);
  return name === 'docker' || name.includes('dind') || tag.includes('dind');
}

const DAEMON_BINARIES = new Set(['dockerd', 'dockerd-entrypoint.sh', 'dockerd-rootless.sh', 'docker-compose']);
const SHELL_SEPARATORS = /[\s;&|()`'"<>{}$]+/;

/** The docker invocation a command runs (`docker build`, `dockerd`, …), or undefined. */
export function dockerInvocation(command: readonly string[], args: readonly string[]): string | undefined {
  const tokens = [...command, ...args].flatMap((part) => part.split(SHELL_SEPARATORS)).filter((t) => t !== '');
  for (let i = 0; i < tokens.length; i++) {
    const base = basename(tokens[i]!);
    if (DAEMON_BINARIES.has(base)) return base;
    if (base !== 'docker') continue;
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    // `--container-runtime docker` names Docker, it does not run it (`sh -c docker …` and `set -e; docker …` do:
    // short flags stay); a bare `docker` at the very end runs nothing.
    if (next === undefined || previous?.startsWith('--')) continue;
    return `docker ${next}`;
  }
  return undefined;
}

export function dockerHost(container: ContainerSpec): string | undefined {
  const value = container.env.find((e) => e.name === 'DOCKER_HOST')?.value;
  return value ? value : undefined;
}

function basename(token: string): string {
  return token.slice(token.lastIndexOf('/') + 1);
}
