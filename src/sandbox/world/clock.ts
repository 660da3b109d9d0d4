/**
 * Simulated time: one simulated second lasts `timeScale` real seconds (0.05 turns a 60-second step into 3 s).
 * Every timer goes through here so `close()` can stop a whole world at once in tests.
 */
export class SimClock {
  private readonly realStart = Date.now();
  private readonly simStart: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(readonly timeScale: number) {
    if (!(timeScale >= 0) || !Number.isFinite(timeScale)) throw new Error(`time scale must be ≥ 0, got ${timeScale}`);
    this.simStart = this.realStart;
  }

  /** Simulated epoch milliseconds. With time scale 0 the clock stands still (every wait is immediate). */
  now(): number {
    if (this.timeScale === 0) return this.simStart;
    return this.simStart + (Date.now() - this.realStart) / this.timeScale;
  }

  /** Real milliseconds a simulated duration takes. */
  realMs(simSeconds: number): number {
    return Math.max(0, simSeconds * 1000 * this.timeScale);
  }

  /** Runs fn after simSeconds of simulated time; returns a cancel function. Never fires after close(). */
  after(simSeconds: number, fn: () => void): () => void {
    if (this.closed) return () => {};
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) fn();
    }, this.realMs(simSeconds));
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Resolves after simSeconds of simulated time (never, once the clock is closed: callers are torn down). */
  sleep(simSeconds: number): Promise<void> {
    return new Promise((resolve) => {
      this.after(simSeconds, resolve);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
