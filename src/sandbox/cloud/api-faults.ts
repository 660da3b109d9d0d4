/**
 * Scenario API faults (docs/contracts.md#scenario-file-format): before a signed call is served, each `faults:` entry
 * whose `action` is the call's (or `*`) rolls its `rate`; the first that hits answers with its status and code, or
 * holds the answer `timeoutMs` first. The dice are a seeded generator (`faultSeed:`), so a run repeats.
 */
import type { ApiFault } from '../scenario/types.js';

/** mulberry32: small, fast and good enough to spread faults evenly. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type FaultVerdict = { kind: 'error'; status: number; code: string } | { kind: 'delay'; ms: number } | undefined;

export class ApiFaults {
  private random: () => number;

  constructor(
    public faults: ApiFault[],
    seed = 1,
  ) {
    this.random = generator(seed);
  }

  reseed(seed: number): void {
    this.random = generator(seed);
  }

  /** Which fault, if any, this call of `action` meets. */
  roll(action: string): FaultVerdict {
    for (const f of this.faults) {
      if (f.action !== '*' && f.action !== action) continue;
      if (this.random() >= f.rate) continue;
      return 'timeoutMs' in f ? { kind: 'delay', ms: f.timeoutMs } : { kind: 'error', status: f.status, code: f.code };
    }
    return undefined;
  }
}

/** The message the service gives with a fault's code. */
export function faultMessage(code: string, status: number): string {
  if (/throttl/i.test(code) || status === 429) return 'Request was denied due to request throttling.';
  if (status >= 500) return 'The request has failed due to a temporary failure of the server.';
  return `The request was refused (${code}).`;
}
