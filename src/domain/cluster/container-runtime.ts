/**
 * Node and pool runtimes: `docker://19.3.15`, `containerd://1.6.28`, as in a Node's
 * status.nodeInfo.containerRuntimeVersion.
 */

export type RuntimeName = 'docker' | 'containerd' | 'other' | 'unknown';

export interface ParsedRuntime {
  name: RuntimeName;
  version: string;
}

/** Parses a node's status.nodeInfo.containerRuntimeVersion, or a bare pool runtime name such as `containerd`. */
export function parseRuntime(value: string | undefined): ParsedRuntime {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '') return { name: 'unknown', version: '' };
  const at = text.indexOf('://');
  const scheme = at >= 0 ? text.slice(0, at) : text;
  const version = at >= 0 ? text.slice(at + 3) : '';
  if (scheme === 'docker') return { name: 'docker', version };
  if (scheme === 'containerd') return { name: 'containerd', version };
  return { name: 'other', version };
}

export function isContainerd(value: string | undefined): boolean {
  return parseRuntime(value).name === 'containerd';
}

export function isDocker(value: string | undefined): boolean {
  return parseRuntime(value).name === 'docker';
}
