/** Every delayed reaction of the double (pods getting ready, addresses appearing), cancelled together on stop. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopped = false;

  after(ms: number, run: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (!this.stopped) run();
    }, ms);
    // The servers keep a process alive while the double runs; a pending reaction alone must not.
    timer.unref();
    this.pending.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}

/** A delay drawn from [min, max] ms, so that polling code meets states that take a moment. */
export function jitter([min, max]: readonly [number, number]): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}
