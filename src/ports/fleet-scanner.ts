/**
 * The fleet view (docs/contracts.md#fleet-json), as the bot and the CLI ask for it: only workers hold cloud
 * credentials and Kubernetes access, so one of them scans (src/services/fleet-scan.ts) and answers through the queue
 * adapter (src/queue/bullmq-pool-directory.ts).
 */
import type { FleetView } from '../domain/fleet/fleet-view.js';

/** What a scan answers on the wire: the view, or the one-line error. */
export type FleetScanAnswer =
  | { ok: true; fleet: FleetView }
  | { ok: false; code: string; message: string; hint?: string; retryable: boolean };

export interface FleetScanner {
  /** The fleet as it is now, or an AppError (TIMEOUT when no worker answers). */
  scanFleet(): Promise<FleetView>;
}
