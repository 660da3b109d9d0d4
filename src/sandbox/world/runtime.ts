/**
 * The CONTAINER-RUNTIME string a kubelet reports. Docker reports its engine version without leading zeros
 * (ACK's `19.03.15` shows as `docker://19.3.15`); containerd reports its own (`containerd://1.6.28`).
 */
export function runtimeVersionString(runtime: string, version: string): string {
  if (runtime === 'docker')
    return `docker://${version
      .split('.')
      .map((part) => (/^\d+$/.test(part) ? String(Number(part)) : part))
      .join('.')}`;
  return `${runtime}://${version}`;
}
