/** Cluster versions as ACK reports them: `1.22.15-aliyun.1`, `v1.20.11-aliyun.1`, `1.24`. */

export interface KubernetesVersion {
  major: number;
  minor: number;
  patch: number | undefined;
}

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/;

export function parseKubernetesVersion(text: string | undefined): KubernetesVersion | undefined {
  const match = VERSION.exec((text ?? '').trim());
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: match[3] === undefined ? undefined : Number(match[3]),
  };
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `major.minor`. */
export function compareMinor(a: KubernetesVersion, major: number, minor: number): number {
  return a.major !== major ? a.major - major : a.minor - minor;
}
