/**
 * Lanes of a process's queue worker: jobs of one lane run one after another (a
 * conversation's replies in order), jobs of different lanes and jobs without a
 * lane side by side. Each lane is a chain of promises whose tail is dropped once
 * it has run, so idle lanes cost nothing.
 */
export class Lanes {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` after every job entered into the lane before it has finished (at once without a lane). */
  async run(lane: string | undefined, fn: () => Promise<void>): Promise<void> {
    if (!lane) return fn();
    const before = this.tails.get(lane) ?? Promise.resolve();
    const mine = before.then(fn);
    const tail = mine.catch(() => {});
    this.tails.set(lane, tail);
    try {
      await mine;
    } finally {
      if (this.tails.get(lane) === tail) this.tails.delete(lane);
    }
  }
}
