/**
 * The sandbox world: the in-memory cluster that the Kubernetes API (src/sandbox/k8s) and the simulated
 * ACK/ECS APIs (src/sandbox/cloud) serve. Create one with `createWorld(scenario, {timeScale})`.
 *
 * World — reads:
 * - `cluster` {id, name, region, version}; `pools` Map id → PoolRecord; `instances` Map instanceId → InstanceRecord
 * - `listNodes(poolId?)` nodes in creation order; `getNode(name)`; `getInstanceByNode(name)`; `podsOnNode(name)`
 * - `timing` (simulated seconds per cloud step), `faults` (scenario faults), `timeScale`, `clock` (`now()`,
 *   `sleep(simSeconds)`, `after(simSeconds, fn)`), `resourceVersion`, `podReady(pod)`
 * World — changes:
 * - `setUnschedulable(node, bool)` cordon/uncordon; `updateNode(node, {labels, annotations, taints, unschedulable})`
 * - `setNodeReady(node, bool)` kubelet up/down (pods stay bound, their readiness follows the node)
 * - `setNodeRuntime(node, 'containerd'|'docker', version)` → nodeInfo.containerRuntimeVersion `<runtime>://<version>`
 * - `setPoolRuntime(poolId, runtime, version)`; `setInstanceStatus(instanceId, status)`
 * - `replaceSystemDisk(instanceId)` → the new system disk id (IP, MAC and data disks unchanged)
 * - `evictPod(ns, name, {dryRun})` → EvictionResult (201/404/429/500, PDBs honoured); `deletePod(ns, name)`
 * - `drainNode(node, {timeoutSimSeconds})` → Promise<{evicted}>: cordon + evictions retried every 5 s; rejects
 *   with an Error naming the PDB at the timeout
 * - `addPool({id, name, runtime, runtimeVersion, instanceType, labels})`; `addNode(poolId)` → node name
 *   (registered NotReady: call setNodeReady(name, true) once it has joined); `removeNode(name)`; `removePool(id)`
 * - `onChange(listener)` → unsubscribe; listener gets {type: ADDED|MODIFIED|DELETED, kind: Node|Pod, …}
 * - `close()` stops every timer (call it in afterAll).
 */
export { runtimeVersionString } from './runtime.js';
export type {
  InstanceRecord,
  NodeRecord,
  PodGroup,
  PodRecord,
  PoolRecord,
  Taint,
  WorldChange,
} from './types.js';
export {
  createWorld,
  World,
} from './world.js';
