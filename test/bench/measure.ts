/** Seconds per run of a benchmarked function: every run kept, plus min and median. */
export interface Timing {
  readonly runs: number[];
  readonly min: number;
  readonly median: number;
}

export function summarize(runs: number[]): Timing {
  const sorted = [...runs].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { runs, min: sorted[0], median };
}

export interface MeasureOptions {
  /** Untimed runs first (JIT tier-up, WebAssembly tier-up, caches). Default 2. */
  warmup?: number;
  /** Timed runs at least. Default 5. */
  minRuns?: number;
  /** Keep timing until this many seconds have been spent (capped by maxRuns). Default 0.5. */
  minSeconds?: number;
  /** Timed runs at most. Default 50. */
  maxRuns?: number;
}

/** Times `fn` (seconds per call) with performance.now, after warm-up. */
export function measure(fn: () => void, options: MeasureOptions = {}): Timing {
  const { warmup = 2, minRuns = 5, minSeconds = 0.5, maxRuns = 50 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const runs: number[] = [];
  let spent = 0;
  while (runs.length < minRuns || (spent < minSeconds && runs.length < maxRuns)) {
    const t0 = performance.now();
    fn();
    const dt = (performance.now() - t0) / 1000;
    runs.push(dt);
    spent += dt;
  }
  return summarize(runs);
}
