import { Command, CommanderError } from 'commander';
import { registerFaq } from './commands/faq.js';
import { registerNotAvailable } from './commands/not-available.js';
import { registerPlan } from './commands/plan.js';
import { registerPrecheck } from './commands/precheck.js';
import { registerSandbox } from './commands/sandbox.js';
import { registerServe } from './commands/serve.js';

export function buildProgram(): Command {
  const program = new Command('ack-migrate')
    .description('Migrate ACK node pools from Docker to containerd, from chat or the terminal')
    .exitOverride();
  registerServe(program);
  registerNotAvailable(program, 'worker', 'BullMQ workers that run migrations');
  registerSandbox(program);
  registerPrecheck(program);
  registerPlan(program);
  for (const [name, what] of [
    ['start', 'start a migration'],
    ['status', 'running and paused migrations'],
    ['pause', 'pause a migration'],
    ['resume', 'resume a migration'],
    ['abort', 'abort a migration'],
    ['history', 'audit log'],
    ['cleanup', 'remove the old Docker directory after a migration'],
  ] as const) {
    registerNotAvailable(program, name, what);
  }
  registerFaq(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander already printed its one-line message; usage errors exit 2 like every other bad input.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    throw error;
  }
}
