/**
 * Classifying hostPath volumes. Docker's socket is reached through the file itself or any directory above it;
 * a short list of host paths belongs to the kernel, the OS image or node agents that rebuild them, so writing
 * there loses nothing when the system disk is replaced.
 */

/** Directories that contain /var/run/docker.sock (or /run/docker.sock, its target on systemd hosts). */
export const DOCKER_SOCKET_PARENTS: readonly string[] = [
  '/',
  '/var',
  '/var/run',
  '/run',
  '/var/run/docker',
  '/run/docker',
];

export const DOCKER_DATA_DIR = '/var/lib/docker';

/**
 * Host paths that do not trip `system-disk-hostpath` even when mounted writable, and why:
 * - /proc, /sys, /dev: kernel filesystems, nothing of them is on disk.
 * - /run, /var/run: tmpfs, emptied at every boot anyway (xtables.lock, netns, CNI and CSI sockets live here).
 * - /etc: node configuration; node init writes it again on the new system disk, and agents that write there
 *   (CNI configs in /etc/cni/net.d) are DaemonSets that write it again on the new node.
 * - /usr, /lib (incl. /lib/modules), /lib64, /bin, /sbin, /boot: the OS image, replaced by a fresh one on purpose.
 * - /opt/cni, /var/lib/cni, /var/lib/calico: CNI binaries and state, reinstalled by the CNI DaemonSet.
 * - /var/lib/kubelet: kubelet's own state (pod volumes, CSI and device-plugin sockets); kubelet and the CSI
 *   DaemonSets rebuild it on the new node, and the pods using it are rescheduled anyway.
 * - /var/log: node and container logs, not application data; log agents keep their read positions there.
 */
export const NODE_MANAGED_PATHS: readonly string[] = [
  '/proc',
  '/sys',
  '/dev',
  '/run',
  '/var/run',
  '/etc',
  '/usr',
  '/lib',
  '/lib64',
  '/bin',
  '/sbin',
  '/boot',
  '/opt/cni',
  '/var/lib/cni',
  '/var/lib/calico',
  '/var/lib/kubelet',
  '/var/log',
];

/** Absolute, no `.`/`..` or empty segments, no trailing slash (`/var/run/` → `/var/run`, `` → `/`). */
export function normaliseHostPath(path: string): string {
  const parts: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return `/${parts.join('/')}`;
}

export function isUnder(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

export type DockerSocketMatch = 'socket' | 'parent';

/** `socket`: the path names docker.sock / dockershim.sock (kubectl-dds's substring test); `parent`: a directory above it. */
export function dockerSocketMatch(path: string): DockerSocketMatch | undefined {
  if (path.includes('docker.sock') || path.includes('dockershim.sock')) return 'socket';
  return DOCKER_SOCKET_PARENTS.includes(normaliseHostPath(path)) ? 'parent' : undefined;
}

export function isDockerDataPath(path: string): boolean {
  return isUnder(normaliseHostPath(path), DOCKER_DATA_DIR);
}

export function isNodeManagedPath(path: string): boolean {
  const normal = normaliseHostPath(path);
  return NODE_MANAGED_PATHS.some((dir) => isUnder(normal, dir));
}
