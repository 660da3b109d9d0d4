/**
 * First-wins answers to a migration's open question. Each question has a one-time nonce; the first decision
 * written under it (SET NX) is the answer, whoever clicks second is told who was first. The key outlives the
 * question (30 days) so a late click on an old button is recognised as answered, not as unknown.
 */
import type { Redis } from 'ioredis';
import type { DecisionRecord, DecisionStore } from '../../ports/decision-store.js';
import { type StateKeys, stateKeys } from './state-keys.js';

const KEEP_SECONDS = 30 * 24 * 3600;

export class RedisDecisionStore implements DecisionStore {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = stateKeys(prefix);
  }

  /** True when this decision is the first for the nonce; false when someone answered before. */
  async record(decision: DecisionRecord): Promise<boolean> {
    const key = this.keys.decision(decision.migrationId, decision.nonce);
    const ok = await this.redis.set(key, JSON.stringify(decision), 'EX', KEEP_SECONDS, 'NX');
    return ok === 'OK';
  }

  async get(migrationId: string, nonce: string): Promise<DecisionRecord | undefined> {
    const raw = await this.redis.get(this.keys.decision(migrationId, nonce));
    return raw ? (JSON.parse(raw) as DecisionRecord) : undefined;
  }
}
