import type { Command } from 'commander';
import { fleetTable } from '../../domain/fleet/fleet-view.js';
import { printJson, runAction } from '../run-action.js';
import { openClient } from './start.js';

/**
 * `ack-migrate fleet`: every cluster of the fleet, each pool with a fresh precheck verdict and its newest migration
 * (docs/contracts.md#fleet-json). A worker scans (the only process with cloud credentials and Kubernetes access).
 */
export function registerFleet(program: Command): void {
  program
    .command('fleet')
    .description('every cluster and pool: runtime, nodes, a fresh precheck verdict, its migration; what is left')
    .option('--json', 'print JSON')
    .action(
      runAction(async (opts: { json?: boolean }) => {
        const client = await openClient('fleet');
        try {
          const fleet = await client.fleet.scanFleet();
          if (opts.json) return printJson(fleet);
          for (const line of fleetTable(fleet)) process.stdout.write(`${line}\n`);
        } finally {
          await client.close();
        }
      }),
    );
}
