import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { runAction } from '../run-action.js';

/** Registers a subcommand that a later part of the product fills in; until then it says so and exits 2. */
export function registerNotAvailable(program: Command, name: string, description: string): void {
  program
    .command(name)
    .description(`${description} (not available yet)`)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(
      runAction(() => {
        throw new AppError('NOT_AVAILABLE', `${name} is not available yet`);
      }),
    );
}
