import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounceAsync } from "./debounce";

/** A run that counts how often it started and how many were in flight at once, and that ends only
 * when `release` lets the oldest unfinished one go. */
function heldRun() {
  const held: (() => void)[] = [];
  const counts = { runs: 0, running: 0, most: 0 };
  return {
    counts,
    run: async () => {
      counts.runs++;
      counts.running++;
      counts.most = Math.max(counts.most, counts.running);
      await new Promise<void>((r) => held.push(r));
      counts.running--;
    },
    /** Ends the oldest run in flight, and lets what follows it happen. */
    release: async () => {
      held.shift()!();
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

describe("debounceAsync", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once after input pauses and never twice at once", async () => {
    const { counts, run, release } = heldRun();
    const d = debounceAsync(run, 100);
    d();
    d();
    d();
    await vi.advanceTimersByTimeAsync(100);
    expect(counts.runs).toBe(1);
    // Input while the first run is in flight queues exactly one more run.
    d();
    await vi.advanceTimersByTimeAsync(100);
    d();
    await vi.advanceTimersByTimeAsync(100);
    expect(counts.runs).toBe(1);
    await release();
    expect(counts.runs).toBe(2);
    await release();
    expect(counts.most).toBe(1);
  });

  it("runs at once when the pause worked out for a call is zero and coalesces input while a run is in flight", async () => {
    let wait = 0;
    const { counts, run, release } = heldRun();
    const d = debounceAsync(run, () => wait);
    d();
    expect(counts.runs).toBe(1);
    d();
    d();
    expect(counts.runs).toBe(1);
    await release();
    expect(counts.runs).toBe(2);
    await release();
    wait = 60;
    d();
    await vi.advanceTimersByTimeAsync(59);
    expect(counts.runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(counts.runs).toBe(3);
    await release();
  });
});
