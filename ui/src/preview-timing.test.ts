import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type PreviewTiming, PreviewTimer } from "./preview-timing";

/** A timer on a clock the test sets, whose frames come when the test paints one. */
function timed() {
  const clock = { time: 0, frames: [] as (() => void)[] };
  const recorded: PreviewTiming[] = [];
  const timer = new PreviewTimer(
    { shownBy: () => "patch", record: (entry) => recorded.push(entry) },
    { now: () => clock.time, frame: (callback) => clock.frames.push(callback) },
  );
  return {
    timer,
    recorded,
    at(time: number) {
      clock.time = time;
    },
    /** A key pressed at `stamp` by its event, handled at `time`. */
    key(stamp: number, time: number) {
      clock.time = time;
      timer.keyDown(stamp);
    },
    /** Runs the next rendering frame at `frameAt` and the task after it at `paintedAt`. */
    async paint(frameAt: number, paintedAt: number) {
      clock.time = frameAt;
      clock.frames.shift()!();
      clock.time = paintedAt;
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

describe("PreviewTimer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("measures an edit from its key to the painted preview, in parts", async () => {
    const { timer, recorded, at, key, paint } = timed();
    key(90, 95);
    at(100);
    timer.edited();
    const edit = timer.renderStarted();
    expect(edit).toEqual({ editedAt: 100, keyAt: 90 });
    at(130);
    timer.answered();
    at(131);
    timer.showing(edit, "welcome", 12);
    at(140);
    timer.updated();
    at(150);
    timer.shown();
    expect(recorded).toEqual([]);
    await paint(160, 170);
    expect(recorded).toEqual([
      {
        template: "welcome",
        totalMs: 70,
        keyMs: 80,
        workMs: 70,
        compileMs: 12,
        roundTripMs: 30,
        paintMs: 39,
        shownBy: "patch",
        appMs: 9,
        showMs: 10,
        frameWaitMs: 10,
        paintOnlyMs: 10,
      },
    ]);
  });

  it("takes the time the key is handled when its event's time is not a sensible one", async () => {
    const { timer, recorded, at, paint } = timed();
    at(50);
    timer.keyDown(0);
    timer.edited();
    timer.showing(timer.renderStarted(), "welcome", 0);
    at(60);
    timer.shown();
    await paint(70, 80);
    expect(recorded[0].keyMs).toBe(30);
    // A key in the future of the clock is not believed either.
    at(100);
    timer.keyDown(500);
    timer.edited();
    timer.showing(timer.renderStarted(), "welcome", 0);
    timer.shown();
    await paint(110, 120);
    expect(recorded[1].keyMs).toBe(20);
  });

  it("credits no key to an edit reported long after it, or made without one", async () => {
    const { timer, recorded, at, key, paint } = timed();
    key(10, 10);
    at(600);
    timer.edited();
    expect(timer.renderStarted()).toEqual({ editedAt: 600, keyAt: null });
    at(700);
    timer.edited();
    timer.showing(timer.renderStarted(), "welcome", 0);
    timer.shown();
    await paint(710, 720);
    expect(recorded.map((t) => t.keyMs)).toEqual([null]);
  });

  it("records nothing for a render no edit waited for, nor for one that showed nothing new", async () => {
    const { timer, recorded, at, paint } = timed();
    timer.showing(timer.renderStarted(), "welcome", 0);
    timer.shown();
    expect(timer.renderStarted()).toEqual({ editedAt: null, keyAt: null });
    at(10);
    timer.edited();
    timer.unchanged();
    timer.showing(timer.renderStarted(), "welcome", 0);
    timer.shown();
    // A frame that loads with no result on its way measures nothing either.
    timer.shown();
    await vi.advanceTimersByTimeAsync(0);
    expect(recorded).toEqual([]);
    // Only an edit shown is measured, once.
    timer.edited();
    timer.showing(timer.renderStarted(), "welcome", 0);
    timer.shown();
    timer.shown();
    await paint(20, 30);
    expect(recorded).toHaveLength(1);
  });

  it("counts the app's updates as nothing when the frame showed the result before they ended", async () => {
    const { timer, recorded, at, paint } = timed();
    timer.edited();
    timer.showing(timer.renderStarted(), "welcome", 0);
    at(5);
    timer.shown();
    timer.updated();
    await paint(8, 10);
    expect(recorded[0]).toMatchObject({ appMs: 5, showMs: 0, frameWaitMs: 3, paintOnlyMs: 2 });
  });

  it("renders at once until a slow preview is measured, then waits during a burst of typing", async () => {
    const { timer, at, paint } = timed();
    timer.edited();
    expect(timer.delay()).toBe(0);
    timer.showing(timer.renderStarted(), "welcome", 0);
    timer.shown();
    await paint(30, 60);
    // The last preview took 60 ms after the wait: an edit soon after the one before waits 90 ms.
    at(200);
    timer.edited();
    expect(timer.delay()).toBe(0);
    at(230);
    timer.edited();
    expect(timer.delay()).toBe(90);
    at(1000);
    timer.edited();
    expect(timer.delay()).toBe(0);
  });
});
