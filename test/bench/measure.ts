/**
 * Seconds per run of a benchmarked function: every run kept, plus min and median, by two clocks.
 * Wall time is what a user waits; CPU time (this process's user + system time) leaves out the
 * time other processes held the core, so on a loaded machine it is the steadier figure for a
 * one-thread workload.
 */
export interface Timing {
  readonly runs: number[];
  readonly min: number;
  readonly median: number;
  readonly cpuRuns: number[];
  readonly cpuMin: number;
  readonly cpuMedian: number;
  /** PyTorch's figures: CPU seconds per wall second over the runs (pytorch_bench.py). */
  readonly cpuPerWall?: number;
}

function minMedian(runs: number[]): { min: number; median: number } {
  const sorted = [...runs].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return { min: sorted[0], median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2 };
}

export function summarize(runs: number[], cpuRuns: number[]): Timing {
  const wall = minMedian(runs),
    cpu = minMedian(cpuRuns);
  return { runs, min: wall.min, median: wall.median, cpuRuns, cpuMin: cpu.min, cpuMedian: cpu.median };
}

/** Runs `fn` once and returns its wall and CPU seconds. */
export function timeOnce(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
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
  const runs: number[] = [],
    cpuRuns: number[] = [];
  let spent = 0;
  while (runs.length < minRuns || (spent < minSeconds && runs.length < maxRuns)) {
    const t = timeOnce(fn);
    runs.push(t.wall);
    cpuRuns.push(t.cpu);
    spent += t.wall;
  }
  return summarize(runs, cpuRuns);
}
