import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { AppError } from '../../errors.js';
import type { Sandbox } from '../../sandbox/start-sandbox.js';
import { printJson, runAction } from '../run-action.js';

interface SandboxFlags {
  scenario?: string;
  timeScale: number;
  k8sPort: number;
  cloudPort: number;
  kubeconfigOut?: string;
  scale?: { nodes: number; podsPerNode: number };
}

function timeScale(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number ≥ 0.');
  return n;
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('must be a port number (0 = any).');
  return Number(value);
}

function scale(value: string): { nodes: number; podsPerNode: number } {
  const m = /^(\d+)x(\d+)$/.exec(value);
  if (!m || Number(m[1]) < 1) throw new InvalidArgumentError('must be NODESxPODS, e.g. 5000x30.');
  return { nodes: Number(m[1]), podsPerNode: Number(m[2]) };
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
    .option('--time-scale <x>', 'real seconds per simulated second (0.05 turns 60 s into 3 s)', timeScale, 1)
    .option('--k8s-port <n>', 'Kubernetes API port (default: any free port)', port, 0)
    .option('--cloud-port <n>', 'ACK/ECS OpenAPI port (default: any free port)', port, 0)
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
        printJson({
          k8s: sandbox.k8s.url,
          cloud: sandbox.cloud.endpoint,
          kubeconfig: sandbox.kubeconfig,
          env: sandbox.env,
        });
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await sandbox.stop();
      }),
    );
}
