// How long an edit takes to reach the painted preview, and so how long the preview waits for typing
// to pause. An edit is timed from the editor's report of it, and from the key that made it, to the
// frame that shows it; the figures go to the performance test, and the time from the end of the
// wait to the painted frame sets the next wait.

import { previewDelay } from "./preview-policy";

/** One measured edit: from the keystroke to the preview painted with it. */
export interface PreviewTiming {
  template: string;
  /** Keystroke to painted preview, the wait before rendering included: from the editor's report
   * of the change, which comes after the key's own handling. */
  totalMs: number;
  /** From the key event itself to painted preview, when a key made the edit. */
  keyMs: number | null;
  /** From the start of rendering to the painted preview: IPC, compile, fill, frame load and paint. */
  workMs: number;
  /** Compile and fill in the shell. */
  compileMs: number;
  /** From the start of rendering to the result in the window: IPC, compile and fill. */
  roundTripMs: number;
  /** The frame loading and painting the new document. */
  paintMs: number;
  /** Whether the new version was patched into the shown document or loaded whole. */
  shownBy: "patch" | "load" | null;
  /** Parts of `paintMs`: the app's own updates around the preview (problems, editor marks,
   * tabs), patching or loading the document until it is shown, the wait for the next rendering
   * frame, and painting that frame. */
  appMs: number;
  showMs: number;
  frameWaitMs: number;
  paintOnlyMs: number;
}

declare global {
  interface Window {
    /** Timings of previews that followed an edit, read by the performance test. */
    letterpressTimings?: PreviewTiming[];
  }
}

/** The edit a render shows, if one was waiting for it: when it was reported and its key's time. */
export interface RenderedEdit {
  editedAt: number | null;
  keyAt: number | null;
}

/** A result on its way to the frame, with the times its measurement is made of. */
interface PendingTiming extends RenderedEdit {
  loadStart: number;
  syncEnd: number;
  compileMs: number;
  template: string;
}

export interface PreviewTimerHooks {
  /** How the frame showed the newest version: patched in, loaded whole, or not known. */
  shownBy(): "patch" | "load" | null;
  /** Takes the measurement of an edit once its preview is painted. */
  record(timing: PreviewTiming): void;
}

/** The clock and the rendering frames the times are read from. */
export interface Clock {
  now(): number;
  /** Calls `callback` just before the next frame is painted. */
  frame(callback: () => void): void;
}

const windowClock: Clock = {
  now: () => performance.now(),
  frame: (callback) => requestAnimationFrame(callback),
};

/** An edit reported this long after a key was made by that key; one reported later came otherwise. */
const KEY_TO_EDIT_MS = 500;

export class PreviewTimer {
  /** When the editor reported the edit that waits for a preview. */
  private editedAt: number | null = null;
  /** When the key that made the pending edit was pressed, if a key made it. */
  private editKeyAt: number | null = null;
  private lastKeyAt: number | null = null;
  private debounceEndedAt = 0;
  /** How long the last preview took from the end of the wait to painted, which sets the next wait. */
  private lastWorkMs: number | null = null;
  private roundTripMs = 0;
  /** The time between the last two edits; a keystroke after a pause is rendered at once. */
  private editGapMs = Number.POSITIVE_INFINITY;
  private lastEditAt: number | null = null;
  private pending: PendingTiming | null = null;

  constructor(
    private readonly hooks: PreviewTimerHooks,
    private readonly clock: Clock = windowClock,
  ) {}

  /** A key went down in the editor: its event's own time, unless that time is not a sensible one. */
  keyDown(timeStamp: number): void {
    this.lastKeyAt = timeStamp > 0 && timeStamp <= this.clock.now() ? timeStamp : this.clock.now();
  }

  /** The editor reported an edit. */
  edited(): void {
    this.editedAt = this.clock.now();
    // An edit a key made reports within a frame or two of the key; a later one came otherwise.
    this.editKeyAt = this.lastKeyAt !== null && this.editedAt - this.lastKeyAt < KEY_TO_EDIT_MS ? this.lastKeyAt : null;
    this.lastKeyAt = null;
    this.editGapMs = this.lastEditAt === null ? Number.POSITIVE_INFINITY : this.editedAt - this.lastEditAt;
    this.lastEditAt = this.editedAt;
  }

  /** How long the preview waits for typing to pause before it renders. */
  delay(): number {
    return previewDelay(this.lastWorkMs, this.editGapMs);
  }

  /** The preview needed no render: the edit waiting for it changed nothing it shows. */
  unchanged(): void {
    this.editedAt = null;
  }

  /** A render starts, the wait being over; answers the edit it will show. */
  renderStarted(): RenderedEdit {
    this.debounceEndedAt = this.clock.now();
    const editedAt = this.editedAt;
    const keyAt = editedAt === null ? null : this.editKeyAt;
    this.editedAt = null;
    this.editKeyAt = null;
    return { editedAt, keyAt };
  }

  /** The rendered result reached the window. */
  answered(): void {
    this.roundTripMs = this.clock.now() - this.debounceEndedAt;
  }

  /** A result of `template` goes to the preview now, showing `edit`; the measurement ends when the
   * frame has painted it. */
  showing(edit: RenderedEdit, template: string, compileMs: number): void {
    this.pending = {
      editedAt: edit.editedAt,
      keyAt: edit.keyAt,
      loadStart: this.clock.now(),
      syncEnd: 0,
      compileMs,
      template,
    };
  }

  /** The app's own updates for the new result are done; the frame is what remains. */
  updated(): void {
    if (this.pending) this.pending.syncEnd = this.clock.now();
  }

  /** The preview frame shows a new version: the edit it shows is measured once that is painted. */
  shown(): void {
    const timing = this.pending;
    this.pending = null;
    if (!timing || timing.editedAt === null) return;
    const editedAt = timing.editedAt;
    const debounceEnd = this.debounceEndedAt;
    // A rendering-frame callback runs just before the frame is painted; a task queued from it runs
    // once that frame is out, so its time is when the new preview became visible.
    const shownAt = this.clock.now();
    this.clock.frame(() => {
      const frameAt = this.clock.now();
      setTimeout(() => {
        const painted = this.clock.now();
        const syncEnd = timing.syncEnd || shownAt;
        const entry: PreviewTiming = {
          template: timing.template,
          totalMs: painted - editedAt,
          keyMs: timing.keyAt === null ? null : painted - timing.keyAt,
          workMs: painted - debounceEnd,
          compileMs: timing.compileMs,
          roundTripMs: this.roundTripMs,
          paintMs: painted - timing.loadStart,
          shownBy: this.hooks.shownBy(),
          appMs: syncEnd - timing.loadStart,
          showMs: shownAt - syncEnd,
          frameWaitMs: frameAt - shownAt,
          paintOnlyMs: painted - frameAt,
        };
        this.hooks.record(entry);
        this.lastWorkMs = entry.workMs;
      }, 0);
    });
  }
}
