/**
 * Pause/resume/step/stop travel through one shared Int32 rather than messages: the worker's
 * training loop is synchronous, so it reads the word between batches (a stop takes effect after
 * the current batch, without waiting for the event loop) and sleeps on it with Atomics.wait while
 * paused (no CPU while paused). Slot 1 holds the telemetry rate in frames per second.
 */
export const enum Control {
  Run = 0,
  Pause = 1,
  Step = 2,
  Stop = 3,
  /**
   * Ready, but hold the first batch: the editor's training panel is still starting. A webview
   * starting while two kernel threads train took 2-3x longer to show anything (measured in
   * test/e2e/panelLatency), so the run waits for the panel's `ready` (bounded by the host).
   */
  Hold = 4,
}

export const CONTROL_SLOTS = 2;

export class ControlWord {
  readonly words: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4 * CONTROL_SLOTS)) {
    this.words = new Int32Array(buffer);
  }

  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  get value(): Control {
    return Atomics.load(this.words, 0) as Control;
  }

  /** Sets the control value and wakes a paused worker. A stop is never overwritten. */
  set(c: Control): void {
    if (this.value === Control.Stop) return;
    Atomics.store(this.words, 0, c);
    Atomics.notify(this.words, 0);
  }

  /** Hold → Run, and nothing else: a pause or stop given while held stays. */
  release(): void {
    if (Atomics.compareExchange(this.words, 0, Control.Hold, Control.Run) === Control.Hold)
      Atomics.notify(this.words, 0);
  }

  /** Wakes a waiting worker without changing the value (it has something else to look at). */
  wake(): void {
    Atomics.notify(this.words, 0);
  }

  /** Blocks the calling (worker) thread while the value is `c` (Pause by default), up to `timeoutMs`. */
  waitWhilePaused(timeoutMs: number, c: Control = Control.Pause): void {
    Atomics.wait(this.words, 0, c, timeoutMs);
  }

  get telemetryHz(): number {
    return Atomics.load(this.words, 1);
  }

  set telemetryHz(hz: number) {
    Atomics.store(this.words, 1, Math.max(0, Math.round(hz)));
  }
}
