import { describe, expect, it } from "vitest";
import { CircuitBreaker, CircuitOpenError, type BreakerState } from "./CircuitBreaker.ts";

const down = new Error("down");
const notFound = new Error("not found");
const isDown = (err: unknown) => err === down;

function breaker() {
  let t = 0;
  const states: BreakerState[] = [];
  const b = new CircuitBreaker({ failureThreshold: 3, resetMs: 1000, now: () => t, onStateChange: (s) => states.push(s) });
  return { b, states, advance: (ms: number) => (t += ms) };
}

const fail = (b: CircuitBreaker, err = down) => b.run(() => Promise.reject(err), isDown).catch((e: unknown) => e);

describe("CircuitBreaker", () => {
  it("opens after the threshold of failures in a row and then fails fast without calling", async () => {
    const { b, states } = breaker();
    await fail(b);
    await fail(b);
    expect(b.state).toBe("closed");
    await fail(b);
    expect(b.state).toBe("open");
    let called = false;
    const err = await b.run(async () => (called = true), isDown).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
    expect(states).toEqual(["open"]);
  });

  it("counts only failures that mean trouble, and a success resets the count", async () => {
    const { b } = breaker();
    await fail(b);
    await fail(b);
    await fail(b, notFound);
    await fail(b);
    await fail(b);
    expect(b.state).toBe("closed");
    await b.run(async () => 1, isDown);
    await fail(b);
    await fail(b);
    expect(b.state).toBe("closed");
  });

  it("lets one probe through after the reset time: success closes, failure re-opens", async () => {
    const { b, advance, states } = breaker();
    for (let i = 0; i < 3; i++) await fail(b);
    advance(999);
    expect(await fail(b)).toBeInstanceOf(CircuitOpenError);
    advance(1);
    expect(await fail(b)).toBe(down);
    expect(b.state).toBe("open");
    advance(1000);
    // While the probe is out, others fail fast.
    let release!: () => void;
    const probe = b.run(() => new Promise<string>((r) => (release = () => r("ok"))), isDown);
    expect(await fail(b)).toBeInstanceOf(CircuitOpenError);
    release();
    expect(await probe).toBe("ok");
    expect(b.state).toBe("closed");
    expect(states).toEqual(["open", "half_open", "open", "half_open", "closed"]);
  });
});
