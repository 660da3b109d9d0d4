/**
 * Call counts for GET /sandbox/stats: per API action, and per instance for the actions that touch one (called
 * directly or performed by an ACK task), so a test can say "ReplaceSystemDisk exactly once per instance".
 */
export interface StatsSnapshot {
  /** Calls served (a call answered by an injected fault is not served). */
  actions: Record<string, number>;
  /** Scenario API faults injected, per action. */
  injected: Record<string, number>;
  instances: Record<string, Record<string, number>>;
}

export class CloudStats {
  private actions = new Map<string, number>();
  private injected = new Map<string, number>();
  private instances = new Map<string, Map<string, number>>();

  action(name: string): void {
    this.actions.set(name, (this.actions.get(name) ?? 0) + 1);
  }

  fault(name: string): void {
    this.injected.set(name, (this.injected.get(name) ?? 0) + 1);
  }

  /** An instance-level operation, whether an API caller or the upgrade task runner performed it. */
  instance(instanceId: string, operation: string): void {
    let perInstance = this.instances.get(instanceId);
    if (!perInstance) {
      perInstance = new Map();
      this.instances.set(instanceId, perInstance);
    }
    perInstance.set(operation, (perInstance.get(operation) ?? 0) + 1);
  }

  reset(): void {
    this.actions = new Map();
    this.injected = new Map();
    this.instances = new Map();
  }

  snapshot(): StatsSnapshot {
    const instances: Record<string, Record<string, number>> = {};
    for (const [id, ops] of this.instances) instances[id] = Object.fromEntries(ops);
    return { actions: Object.fromEntries(this.actions), injected: Object.fromEntries(this.injected), instances };
  }
}
