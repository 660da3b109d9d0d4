/** DecisionStore in memory: first answer per nonce wins (the same contract as the Redis store). */
import type { DecisionRecord, DecisionStore } from '../../ports/decision-store.js';

export class MemoryDecisionStore implements DecisionStore {
  private readonly answers = new Map<string, DecisionRecord>();

  async record(decision: DecisionRecord): Promise<boolean> {
    const key = `${decision.migrationId}\u0000${decision.nonce}`;
    if (this.answers.has(key)) return false;
    this.answers.set(key, structuredClone(decision));
    return true;
  }

  async get(migrationId: string, nonce: string): Promise<DecisionRecord | undefined> {
    const found = this.answers.get(`${migrationId}\u0000${nonce}`);
    return found ? structuredClone(found) : undefined;
  }
}
