// A 5 ms interval timer on the extension host's main thread that records how late each tick fires,
// and why (busy, waiting for a CPU, blocked), from /proc/thread-self/schedstat. Used by the in-host
// suites (responsivenessSuite.ts, textScanSuite.ts).
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

/** One late tick of the probe's timer, ms. */
interface Stall {
  /** When, since the probe started. */
  atMs: number;
  /** How late the tick fired. */
  lateMs: number;
  /** Of that gap: the main thread on a CPU, waiting for one, and blocked. */
  busyMs: number;
  queueMs: number;
  sleptMs: number;
  /** The run's state then. */
  state: string;
}

const PERIOD_MS = 5;
const round = (v: number) => Math.round(v * 10) / 10;

/** A 5 ms interval timer on the host's main thread that records how late each tick fires, and why. */
export class StallProbe {
  private readonly stalls: Stall[] = [];
  private readonly gcs: [number, number][] = [];
  private readonly gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.duration >= 5) this.gcs.push([Math.round(e.startTime - this.t0), round(e.duration)]);
  });
  private readonly timer: NodeJS.Timeout;
  private readonly t0 = performance.now();
  private readonly first = schedstat();
  private last = this.t0;
  private lastSched = this.first;
  private ticks = 0;

  constructor(state: () => string) {
    this.gcObserver.observe({ entryTypes: ['gc'] });
    this.timer = setInterval(() => {
      const now = performance.now();
      const sched = schedstat();
      const lateMs = now - this.last - PERIOD_MS;
      this.ticks++;
      if (lateMs > 10) {
        const split = sched && this.lastSched;
        const busyMs = split ? (sched.cpuNs - this.lastSched!.cpuNs) / 1e6 : lateMs;
        const queueMs = split ? (sched.waitNs - this.lastSched!.waitNs) / 1e6 : 0;
        this.stalls.push({
          atMs: Math.round(now - this.t0),
          lateMs: round(lateMs),
          busyMs: round(busyMs),
          queueMs: round(queueMs),
          sleptMs: round(Math.max(0, lateMs + PERIOD_MS - busyMs - queueMs)),
          state: state(),
        });
      }
      this.last = now;
      this.lastSched = sched;
    }, PERIOD_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.gcObserver.disconnect();
    const end = schedstat();
    const { stalls, gcs, ticks, first } = this;
    return {
      elapsedMs: performance.now() - this.t0,
      ticks,
      gcs,
      split: first !== undefined,
      totals:
        end && first
          ? `on a CPU ${Math.round((end.cpuNs - first.cpuNs) / 1e6)} ms, waiting for one ${Math.round((end.waitNs - first.waitNs) / 1e6)} ms`
          : 'no schedstat',
      /** The 5 worst late ticks by their busy part or by their raw delay. */
      worst: (by: 'busy' | 'late') =>
        [...stalls].sort((a, b) => (by === 'busy' ? b.busyMs - a.busyMs : b.lateMs - a.lateMs)).slice(0, 5),
    };
  }
}

/** This thread's time on a CPU and waiting on a run queue so far, in ns (Linux schedstat), or undefined. */
function schedstat(): { cpuNs: number; waitNs: number } | undefined {
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return Number.isFinite(cpu) && Number.isFinite(wait) ? { cpuNs: cpu, waitNs: wait } : undefined;
  } catch {
    return undefined;
  }
}
