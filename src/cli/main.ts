import { Command, CommanderError } from 'commander';
import { registerAbort } from './commands/abort.js';
import { registerCleanup } from './commands/cleanup.js';
import { registerFaq } from './commands/faq.js';
import { registerFleet } from './commands/fleet.js';
import { registerHistory } from './commands/history.js';
import { registerPause } from './commands/pause.js';
import { registerPlan } from './commands/plan.js';
import { registerPrecheck } from './commands/precheck.js';
import { registerResume } from './commands/resume.js';
import { registerSandbox } from './commands/sandbox.js';
import { registerServe } from './commands/serve.js';
import { registerStart } from './commands/start.js';
import { registerStatus } from './commands/status.js';
import { registerWorker } from './commands/worker.js';

export function buildProgram(): Command {
  const program = new Command('ack-migrate')
    .description('Migrate ACK node pools from Docker to containerd, from chat or the terminal')
    .exitOverride();
  registerServe(program);
  registerWorker(program);
  registerSandbox(program);
  registerPrecheck(program);
  registerPlan(program);
  registerStart(program);
  registerStatus(program);
  registerFleet(program);
  registerPause(program);
  registerResume(program);
  registerAbort(program);
  registerHistory(program);
  registerCleanup(program);
  registerFaq(program);
  return program;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `ack-migrate … | head`: a reader that has gone away is the end of the output, not a crash. */
function quietOnEpipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`ack-migrate: cannot write the output: ${error.message}\n`);
    process.exit(1);
  });
}

/** A bad LOG_LEVEL is one line naming the allowed levels, before any command builds a logger. */
function checkLogLevel(): boolean {
  const level = process.env.LOG_LEVEL?.trim();
  if (!level || LOG_LEVELS.includes(level)) return true;
  process.stderr.write(`ack-migrate: LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${level}"\n`);
  process.exitCode = 2;
  return false;
}

quietOnEpipe(process.stdout);
try {
  if (checkLogLevel()) await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander already printed its one-line message; usage errors exit 2 like every other bad input.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    throw error;
  }
}
