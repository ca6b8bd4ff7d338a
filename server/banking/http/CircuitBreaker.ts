/**
 * A small circuit breaker for calls to the core system. While the core is down,
 * every customer asking for a balance would otherwise wait out a time-out (and its
 * retries) before hearing anything; once `failureThreshold` calls in a row have
 * failed, the breaker opens and calls fail at once, so the assistant can say "our
 * systems are busy" and hand off straight away. After `resetMs` one call is let
 * through as a probe (half-open): its success closes the breaker, its failure opens
 * it for another `resetMs`.
 *
 * Not opossum: its current major needs Node 22, and what is needed here (a
 * consecutive-failure count, one probe at a time, an injectable clock) fits in this
 * file and is tested by itself (CircuitBreaker.test.ts).
 */
export type BreakerState = "closed" | "open" | "half_open";

export interface CircuitBreakerOptions {
  failureThreshold: number;
  resetMs: number;
  now?: () => number;
  onStateChange?: (state: BreakerState) => void;
}

export class CircuitOpenError extends Error {
  constructor(public readonly retryInMs: number) {
    super("Circuit open");
    this.name = "CircuitOpenError";
  }
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = "closed";
  private readonly now: () => number;

  constructor(private readonly opts: CircuitBreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  /**
   * Runs `fn` unless the breaker is open. `countsAsFailure` says which errors mean the
   * core is in trouble (a time-out, a 503); others (a 404 for an unknown card) are the
   * core answering and count as success.
   */
  async run<T>(fn: () => Promise<T>, countsAsFailure: (err: unknown) => boolean): Promise<T> {
    this.admit();
    const probe = this.current === "half_open";
    try {
      const result = await fn();
      this.succeeded();
      return result;
    } catch (err) {
      if (countsAsFailure(err)) this.failed();
      else this.succeeded();
      throw err;
    } finally {
      if (probe) this.probing = false;
    }
  }

  private admit(): void {
    if (this.current === "open") {
      const waited = this.now() - this.openedAt;
      if (waited < this.opts.resetMs) throw new CircuitOpenError(this.opts.resetMs - waited);
      this.transition("half_open");
    }
    if (this.current === "half_open") {
      // One probe at a time: the others fail fast until it has answered.
      if (this.probing) throw new CircuitOpenError(0);
      this.probing = true;
    }
  }

  private succeeded(): void {
    this.failures = 0;
    if (this.current !== "closed") this.transition("closed");
  }

  private failed(): void {
    this.failures++;
    if (this.current === "half_open" || (this.current === "closed" && this.failures >= this.opts.failureThreshold)) {
      this.openedAt = this.now();
      this.transition("open");
    }
  }

  private transition(state: BreakerState): void {
    this.current = state;
    this.opts.onStateChange?.(state);
  }
}
