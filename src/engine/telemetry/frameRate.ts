/** Sampling interval that means "no frames". */
export const NO_FRAMES = 1_000_000;

/**
 * Turns a telemetry rate (frames per second) into the collector's "every N steps", from the step
 * rate measured on a clock the caller passes (wall time in the worker, CPU time in benchmarks).
 * No frame is taken before the first estimate, made 100 ms into the run — a rate measured on the
 * first step alone (allocation, JIT warm-up) would sample far too often — then it is re-estimated
 * every second.
 */
export class FrameRate {
  private lastMs: number | undefined;
  private lastStep = 0;
  private estimated = false;

  constructor(public hz: number) {}

  /** Call after every batch with its 1-based global step; returns a new interval when one is due. */
  update(step: number, nowMs: number): number | undefined {
    if (this.lastMs === undefined) {
      this.lastMs = nowMs;
      this.lastStep = step;
      return NO_FRAMES;
    }
    const dt = nowMs - this.lastMs;
    if (dt < (this.estimated ? 1000 : 100)) return undefined;
    const stepsPerSecond = ((step - this.lastStep) * 1000) / dt;
    this.lastMs = nowMs;
    this.lastStep = step;
    this.estimated = true;
    return this.hz > 0 ? Math.max(1, Math.round(stepsPerSecond / this.hz)) : NO_FRAMES;
  }
}
