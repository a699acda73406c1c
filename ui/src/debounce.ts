// Runs a function once input has paused, and never two runs at the same time: a call that arrives
// while a run is in flight is remembered and runs right after, with the newest input. The pause
// may be worked out afresh for every call; a pause of zero runs at once.

export interface Debounced {
  (): void;
  /** Runs now, skipping the wait. */
  flush(): Promise<void>;
  cancel(): void;
}

export function debounceAsync(run: () => Promise<void>, wait: number | (() => number)): Debounced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  const start = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        await run();
      } finally {
        running = null;
      }
    })();
    await running;
    if (again) {
      again = false;
      await start();
    }
  };

  const debounced = (() => {
    if (timer) clearTimeout(timer);
    timer = null;
    const ms = typeof wait === "function" ? wait() : wait;
    if (ms <= 0) {
      void start();
      return;
    }
    timer = setTimeout(() => {
      timer = null;
      void start();
    }, ms);
  }) as Debounced;
  debounced.flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    return start();
  };
  debounced.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return debounced;
}
