/** The ECS (RPC 2014-05-26) actions the sandbox serves, routed by the x-acs-action header as the gateway does. */
import type { CloudState } from './cloud-state.js';
import { describeInvocationResults, runCommand } from './ecs-commands.js';
import { describeDisks, describeInstances, replaceSystemDisk, startInstance, stopInstance } from './ecs-instances.js';
import { createSnapshot, describeSnapshots } from './ecs-snapshots.js';
import type { RpcParams } from './wire.js';

export const ECS_VERSION = '2014-05-26';

export const ECS_ACTIONS: Readonly<Record<string, (state: CloudState, params: RpcParams) => unknown>> = {
  DescribeInstances: describeInstances,
  StopInstance: stopInstance,
  StartInstance: startInstance,
  ReplaceSystemDisk: replaceSystemDisk,
  DescribeDisks: describeDisks,
  CreateSnapshot: createSnapshot,
  DescribeSnapshots: describeSnapshots,
  RunCommand: runCommand,
  DescribeInvocationResults: describeInvocationResults,
};
