import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { checkWholeNumber, LIMITS } from '../../domain/bounds.js';
import { AppError } from '../../errors.js';
import type { Sandbox } from '../../sandbox/start-sandbox.js';
import { intOption, timeScaleOption } from '../options.js';
import { printJson, runAction } from '../run-action.js';

interface SandboxFlags {
  scenario?: string;
  timeScale: number;
  k8sPort: number;
  cloudPort: number;
  kubeconfigOut?: string;
  scale?: { nodes: number; podsPerNode: number };
}

/** `NODESxPODS` with both numbers in range (docs/contracts.md#command-grammar). */
function scale(value: string): { nodes: number; podsPerNode: number } {
  const [nodesText = '', podsText = '', ...rest] = value.split('x');
  const nodes = checkWholeNumber(nodesText, LIMITS.scaleNodes);
  const pods = checkWholeNumber(podsText, LIMITS.scalePodsPerNode);
  if (rest.length > 0 || !nodes.ok || !pods.ok) {
    const { scaleNodes: n, scalePodsPerNode: p } = LIMITS;
    throw new InvalidArgumentError(
      `must be NODESxPODS with NODES from ${n.min} to ${n.max} and PODS from ${p.min} to ${p.max}, e.g. 5000x30.`,
    );
  }
  return { nodes: nodes.value, podsPerNode: pods.value };
}

/**
 * `ack-migrate sandbox`: a simulated ACK, ECS and Kubernetes on loopback (docs/architecture.md#sandbox). Prints one
 * JSON line with the endpoints and the env for other commands, then serves until SIGINT or SIGTERM.
 */
export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('a simulated ACK, ECS and Kubernetes on loopback; prints one JSON line, runs until stopped')
    .option('--scenario <file>', 'scenario YAML (default: the demo scenario)')
    .option('--time-scale <x>', 'real seconds per simulated second, (0, 1] (0.05: 60 s in 3 s)', timeScaleOption, 1)
    .option('--k8s-port <n>', 'Kubernetes API port (default: any free port)', intOption(LIMITS.port), 0)
    .option('--cloud-port <n>', 'ACK/ECS OpenAPI port (default: any free port)', intOption(LIMITS.port), 0)
    .option('--kubeconfig-out <path>', 'where to write the kubeconfig (default: a temporary file)')
    .option('--scale <NODESxPODS>', 'a generated scale scenario instead of a file, e.g. 5000x30', scale)
    .action(
      runAction(async (flags: SandboxFlags) => {
        if (flags.scenario && flags.scale)
          throw new AppError('BAD_INPUT', 'use either --scenario or --scale, not both');
        // Loaded here, not at CLI start-up: every other command would pay for the simulator.
        const { startSandbox } = await import('../../sandbox/start-sandbox.js');
        const { generateScaleScenario } = await import('../../sandbox/scenario/index.js');
        let sandbox: Sandbox;
        try {
          sandbox = await startSandbox({
            scenario: flags.scale ? generateScaleScenario(flags.scale) : undefined,
            scenarioPath: flags.scenario,
            timeScale: flags.timeScale,
            k8sPort: flags.k8sPort,
            cloudPort: flags.cloudPort,
            kubeconfigOut: flags.kubeconfigOut,
          });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE' || code === 'EACCES') {
            throw new AppError('BAD_INPUT', `cannot listen: ${(error as Error).message}`, { cause: error });
          }
          if (code === 'ENOENT' && flags.kubeconfigOut) {
            throw new AppError('BAD_INPUT', `cannot write the kubeconfig to ${flags.kubeconfigOut}`, { cause: error });
          }
          throw error;
        }
        // Listening for the signals before the line goes out: whoever reads the line may stop us at once.
        const stopped = new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        printJson({
          k8s: sandbox.k8s.url,
          cloud: sandbox.cloud.endpoint,
          kubeconfig: sandbox.kubeconfig,
          env: sandbox.env,
          clusters: sandbox.clusters.map((c) => ({ id: c.id, region: c.region, k8s: c.k8s.url })),
        });
        await stopped;
        await sandbox.stop();
      }),
    );
}
