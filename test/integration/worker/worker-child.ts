/**
 * `ack-migrate worker` for crash tests: the real worker command, without loading every other command of the
 * CLI (chat SDKs, the console), so a test can start and kill many worker processes quickly.
 */
import { Command } from 'commander';
import { registerWorker } from '../../../src/cli/commands/worker.js';

const program = new Command('ack-migrate');
registerWorker(program);
await program.parseAsync(process.argv);
