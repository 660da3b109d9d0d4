/**
 * The `fleet-scan` job: a worker scans every cluster of the fleet with fresh prechecks (src/services/fleet-scan.ts)
 * and answers the view (docs/contracts.md#fleet-json). Read-only, so safe to run any number of times; a failure is
 * part of the answer.
 */
import type { FleetScanAnswer } from '../src/ports/fleet-scanner.js';
import { type FleetScanDeps, scanFleet } from '../src/services/fleet-scan.js';
import { errorAnswer } from './answer-error.js';

export function createFleetScanProcessor(deps: FleetScanDeps) {
  return async (): Promise<FleetScanAnswer> => {
    try {
      return { ok: true, fleet: await scanFleet(deps) };
    } catch (error) {
      return errorAnswer(error);
    }
  };
}
