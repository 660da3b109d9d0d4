/**
 * kubectl drain's pod filters (k8s.io/kubectl/pkg/drain/filters.go), in kubectl's order, with the options the
 * migration uses: DaemonSet pods are ignored (--ignore-daemonsets), mirror pods skipped, emptyDir pods evicted
 * (--delete-emptydir-data), bare pods only with force (--force). Any refused pod refuses the whole node before
 * anything is evicted, as kubectl does.
 */
import type { PodFacts } from '../cluster/snapshot.js';

export interface DrainOptions {
  /** Delete pods that declare no controller (kubectl --force). */
  force: boolean;
}

export type PodDisposition =
  | { pod: PodFacts; action: 'evict'; warning?: string }
  | { pod: PodFacts; action: 'ignore'; warning?: string }
  | { pod: PodFacts; action: 'refuse'; reason: string };

function finished(pod: PodFacts): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

export function classifyPod(pod: PodFacts, options: DrainOptions): PodDisposition {
  // 1. DaemonSet-managed: the DaemonSet would recreate it on the node at once; kubectl ignores it.
  if (pod.controllerKind === 'DaemonSet' && !finished(pod))
    return { pod, action: 'ignore', warning: 'ignoring DaemonSet-managed Pods' };
  // 2. Mirror (static) pods belong to the kubelet and cannot be evicted.
  if (pod.mirror) return { pod, action: 'ignore' };
  // 3. Local storage: allowed, its data is lost.
  const emptyDir = pod.spec.volumes.some((v) => v.emptyDir);
  const warning = emptyDir && !finished(pod) ? 'deleting Pods with local storage' : undefined;
  // 4. No controller: nothing would recreate it, so only with force.
  if (!finished(pod) && !pod.controllerKind) {
    if (!options.force)
      return { pod, action: 'refuse', reason: 'Pods that declare no controller (use --force to override)' };
    return { pod, action: 'evict', warning: 'deleting Pods that declare no controller' };
  }
  return warning ? { pod, action: 'evict', warning } : { pod, action: 'evict' };
}

export interface NodeDrainPlan {
  evict: PodFacts[];
  ignored: PodFacts[];
  warnings: string[];
  /** Non-empty: the node is refused before anything is evicted (kubectl: `cannot delete …`). */
  refusals: string[];
}

function group(entries: Array<{ text: string; pod: PodFacts }>): string[] {
  const byText = new Map<string, string[]>();
  for (const e of entries) byText.set(e.text, [...(byText.get(e.text) ?? []), `${e.pod.namespace}/${e.pod.name}`]);
  return [...byText].map(([text, pods]) => `${text}: ${pods.join(', ')}`);
}

export function planNodeDrain(pods: readonly PodFacts[], options: DrainOptions): NodeDrainPlan {
  const evict: PodFacts[] = [];
  const ignored: PodFacts[] = [];
  const warnings: Array<{ text: string; pod: PodFacts }> = [];
  const refusals: Array<{ text: string; pod: PodFacts }> = [];
  for (const pod of pods) {
    const d = classifyPod(pod, options);
    if (d.action === 'refuse') refusals.push({ text: `cannot delete ${d.reason}`, pod });
    else if (d.action === 'ignore') ignored.push(pod);
    else evict.push(pod);
    if (d.action !== 'refuse' && d.warning) warnings.push({ text: `Warning: ${d.warning}`, pod });
  }
  return { evict, ignored, warnings: group(warnings), refusals: group(refusals) };
}
