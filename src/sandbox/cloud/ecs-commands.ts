/**
 * Cloud Assistant: RunCommand and DescribeInvocationResults. The sandbox cannot run scripts, so it recognises
 * the one the bot sends (removing the old Docker directory on the data disk) and reports how many bytes it
 * freed on each instance (`freed_bytes=N`); a second run frees nothing. Other scripts succeed with no output.
 */
import { type CloudState, COMMAND_SECONDS, type InvocationRecord } from './cloud-state.js';
import { ecsTime, mustInstance, requireRegion } from './ecs-instances.js';
import { ApiError, pageRpc, type RpcParams, requestId } from './wire.js';

const SCRIPT_TYPES = ['RunShellScript', 'RunBatScript', 'RunPowerShellScript'];

function isDockerCleanup(script: string): boolean {
  return /\brm\b[^\n]*\/var\/lib\/docker/.test(script);
}

export function runCommand(state: CloudState, params: RpcParams) {
  requireRegion(params);
  const type = params.required('Type');
  if (!SCRIPT_TYPES.includes(type))
    throw new ApiError(400, 'InvalidCommandType', `The specified Type ${type} is not valid.`);
  let content = params.required('CommandContent');
  if (params.optional('ContentEncoding') === 'Base64') content = Buffer.from(content, 'base64').toString('utf8');
  const ids = params.flatList('InstanceId');
  if (ids.length === 0 || ids.length > 100) {
    throw new ApiError(400, 'MissingParameter', 'InstanceId.N (1 to 100 instances) is mandatory for this action.');
  }
  const instances = ids.map((id) => mustInstance(state, id));
  const stopped = instances.find((i) => i.status !== 'Running');
  if (stopped) {
    throw new ApiError(
      403,
      'InstanceNotRunning',
      `The instance ${stopped.instanceId} is not Running (${stopped.status}).`,
    );
  }
  const cleanup = isDockerCleanup(content);
  const record: InvocationRecord = {
    invokeId: state.id('t-hz', 20),
    commandId: state.id('c-hz', 20),
    content,
    startedAt: state.now(),
    results: instances.map((i) => {
      state.stats.instance(i.instanceId, 'RunCommand');
      if (!cleanup) return { instanceId: i.instanceId, output: '', exitCode: 0 };
      const freed = state.dockerDataBytes.get(i.instanceId) ?? 0;
      state.dockerDataBytes.set(i.instanceId, 0);
      return { instanceId: i.instanceId, output: `freed_bytes=${freed}\n`, exitCode: 0 };
    }),
  };
  state.invocations.set(record.invokeId, record);
  return { RequestId: requestId(), CommandId: record.commandId, InvokeId: record.invokeId };
}

export function describeInvocationResults(state: CloudState, params: RpcParams) {
  requireRegion(params);
  const invokeId = params.optional('InvokeId');
  const instanceId = params.optional('InstanceId');
  const plain = params.optional('ContentEncoding') === 'PlainText';
  const records = invokeId === undefined ? [...state.invocations.values()] : [state.invocations.get(invokeId)];
  if (invokeId !== undefined && !records[0]) {
    throw new ApiError(404, 'InvalidInvokeId.NotFound', 'The specified invoke id does not exist.');
  }
  const done = (r: InvocationRecord) => state.now() - r.startedAt >= COMMAND_SECONDS * 1000;
  const rows = records
    .filter((r) => r !== undefined)
    .flatMap((r) => r.results.map((res) => ({ r, res })))
    .filter(({ res }) => instanceId === undefined || res.instanceId === instanceId);
  const { page, extra } = pageRpc(rows, params);
  return {
    RequestId: requestId(),
    Invocation: {
      ...extra,
      InvocationResults: {
        InvocationResult: page.map(({ r, res }) => {
          const finished = done(r);
          const output = finished ? res.output : '';
          return {
            CommandId: r.commandId,
            InvokeId: r.invokeId,
            InstanceId: res.instanceId,
            InvocationStatus: finished ? (res.exitCode === 0 ? 'Success' : 'Failed') : 'Running',
            InvokeRecordStatus: finished ? 'Finished' : 'Running',
            ExitCode: finished ? res.exitCode : undefined,
            Output: plain ? output : Buffer.from(output, 'utf8').toString('base64'),
            ErrorCode: '',
            ErrorInfo: '',
            Dropped: 0,
            Repeats: 1,
            Username: 'root',
            StartTime: ecsTime(r.startedAt),
            FinishedTime: finished ? ecsTime(r.startedAt + COMMAND_SECONDS * 1000) : '',
          };
        }),
      },
    },
  };
}
