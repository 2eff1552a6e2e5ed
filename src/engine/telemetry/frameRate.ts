/** Sampling interval that means "no frames". */
export const NO_FRAMES = 1_000_000;

/**
 * The share of training time frames may take, whatever the rate asked for: a recurrent model's
 * frame (the probe's forward and backward through every time step) cost 27 ms, so 5 frames a
 * second took 12.5% of W4's training time (issue 14 asks for ≤ 3%).
 */
export const FRAME_BUDGET = 0.03;

/**
 * The share of FRAME_BUDGET frames aim at. The clock around a frame sees its summaries, its probe
 * and its post to the host; it does not see the collection of the frame's garbage nor the caches
 * it evicts for the steps after it. On W4's LSTM, 118 frames a run measured by that clock capped
 * at 3% came to 3.61% of training time (docs/performance.md, "Telemetry overhead"): a fifth more.
 */
export const FRAME_HEADROOM = 0.75;

/** Frames whose median cost FrameRate caps the rate with. */
const COST_WINDOW = 5;
/** Frames measured before the cap may take the rate under one frame a second. */
const WARM_FRAMES = 3;

/**
 * Turns a telemetry rate (frames per second) into the collector's "every N steps", from the step
 * rate measured on a clock the caller passes (wall time in the worker, CPU time in benchmarks).
 * No frame is taken before the first estimate, made 100 ms into the run — a rate measured on the
 * first step alone (allocation, JIT warm-up) would sample far too often — then it is re-estimated
 * every second. The rate is capped so that frames (their measured cost, `frameCost`) take at most
 * `budget` of the time, FRAME_HEADROOM of it by the clock.
 */
export class FrameRate {
  private lastMs: number | undefined;
  private lastStep = 0;
  private estimated = false;
  /** Steps per second at the last estimate. */
  private stepsPerSecond = 0;
  /**
   * The interval in force was set before any frame's cost was known (at the asked rate), and a
   * cost has come since: re-derive it at the next step instead of a second later. At 5 Hz a 40 ms
   * LSTM frame was otherwise taken five times in the run's first second (20% of it).
   */
  private uncapped = false;
  private recap = false;
  /** Cost of one frame, in the clock's ms: the median of the last COST_WINDOW (undefined before). */
  private costMs: number | undefined;
  private readonly recent: number[] = [];
  /** Frames measured and their total cost on the clock (benchmarks report the clock's view). */
  frames = 0;
  spentMs = 0;

  constructor(
    public hz: number,
    /** Frames take at most this share of the time (FRAME_BUDGET; 0 or less: no limit). */
    public budget = FRAME_BUDGET,
  ) {}

  /** The time the last frame took, on the clock `update` is given. */
  frameCost(ms: number): void {
    if (!(ms >= 0)) return;
    this.frames++;
    this.spentMs += ms;
    // The first frame runs its code for the first time (W4's LSTM: 110-280 ms, the next ones 25-30
    // ms): its cost would hold the second back for up to 12 s. The rate waits for the second's.
    if (this.frames === 1) return;
    // The median of the last few: one slow frame (a collector pause inside it) neither stalls the
    // next ones nor, with a moving average, held the rate down for several frames (the same 1,200
    // W4 steps got 18 to 33 frames).
    // A frame at under half the median: the frames before it ran cold (JIT); forget them, or their
    // cost would keep frames rare, and rare frames would take long to replace it.
    if (this.costMs !== undefined && ms < this.costMs / 2) this.recent.length = 0;
    this.recent.push(ms);
    if (this.recent.length > COST_WINDOW) this.recent.shift();
    const sorted = [...this.recent].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    this.costMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    // The rate was set without a cost, or under the warm-up floor: re-derive it at the next step.
    if (this.uncapped || this.frames === WARM_FRAMES) this.recap = true;
  }

  /**
   * Frames per second actually allowed: the rate asked for, capped so that frames at their measured
   * cost take FRAME_HEADROOM of the budget (the rest is for what the clock does not see).
   */
  get effectiveHz(): number {
    if (this.budget <= 0 || !this.costMs) return this.hz;
    const capped = (this.budget * FRAME_HEADROOM * 1000) / this.costMs;
    // Until WARM_FRAMES frames are measured their costs may still be cold (char-lstm's second frame
    // held the third back 3.4 s): at least one frame a second while the panel fills in.
    return Math.min(this.hz, this.frames < WARM_FRAMES ? Math.max(1, capped) : capped);
  }

  /** Call after every batch with its 1-based global step; returns a new interval when one is due. */
  update(step: number, nowMs: number): number | undefined {
    if (this.lastMs === undefined) {
      this.lastMs = nowMs;
      this.lastStep = step;
      return NO_FRAMES;
    }
    const dt = nowMs - this.lastMs;
    if (dt < (this.estimated ? 1000 : 100)) {
      if (!this.recap) return undefined;
      // The first frame's cost is in: cap the rate now, at the step rate last measured.
      this.recap = this.uncapped = false;
      return this.interval();
    }
    this.stepsPerSecond = ((step - this.lastStep) * 1000) / dt;
    this.lastMs = nowMs;
    this.lastStep = step;
    this.estimated = true;
    this.uncapped = this.costMs === undefined && this.budget > 0;
    this.recap = false;
    return this.interval();
  }

  /** "Every N steps" for the effective rate at the last measured step rate. */
  private interval(): number {
    const hz = this.effectiveHz;
    // Rounded up, as rounding down samples more often than the budget allows (the small epsilon
    // keeps an exact quotient computed as 200.00000000001 at 200).
    return hz > 0 ? Math.max(1, Math.ceil(this.stepsPerSecond / hz - 1e-9)) : NO_FRAMES;
  }
}
