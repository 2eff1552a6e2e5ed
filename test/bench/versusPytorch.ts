import { loadavg } from 'node:os';
import type { Dataset } from '../../src/engine/train/dataset';
import { glassboxCnn } from './cnnBench';
import { glassboxLstm } from './lstmBench';
import { glassboxMlp } from './mlpBench';
import { runPytorchBench } from './pytorchBench';
import { table } from './report';

/**
 * Issue 17's speed targets, measured as they are stated: W1, W2 and W4 in Glassbox and in
 * PyTorch, one thread and `threads` threads each, in alternating pairs (Glassbox, PyTorch,
 * Glassbox, PyTorch …, so a change of load hits both sides alike), every figure by wall and CPU
 * time. PyTorch runs in a child process per thread count (pytorch_bench.py: OpenMP and BLAS pools
 * limited before torch loads, threadpoolctl when installed, shuffled contiguous tensors).
 * Figures are seconds per epoch (W1, W2) and per training step (W4).
 */
export type VsWorkload = 'w1' | 'w2' | 'w4';

export interface VsFigure {
  readonly workload: VsWorkload;
  readonly side: 'glassbox' | 'pytorch';
  readonly threads: number;
  /** One figure per pair, wall and CPU seconds (per epoch; W4 per step). */
  readonly wall: number[];
  readonly cpu: number[];
  /** PyTorch: CPU seconds per wall second in its runs (≈ 1 on one thread when the limit holds) and its OS threads. */
  readonly cpuPerWall?: number[];
  readonly osThreads?: number[];
}

export interface VsResult {
  readonly pairs: number;
  readonly figures: VsFigure[];
  /** Load average (1 min) before and after each workload. */
  readonly load: Record<string, [number, number]>;
  readonly ratios: VsRatio[];
}

export interface VsRatio {
  readonly workload: VsWorkload;
  /** Glassbox's best thread count vs PyTorch's best (median wall time), and one thread each. */
  readonly best: { glassboxThreads: number; pytorchThreads: number; wall: number; cpu: number };
  readonly oneThread: { wall: number; cpu: number };
  readonly bestMet: boolean;
  readonly oneThreadMet: boolean;
}

export interface VsOptions {
  readonly root: string;
  readonly workloads: readonly VsWorkload[];
  readonly pairs: number;
  readonly threads: number;
  readonly quick: boolean;
  readonly flat: () => Dataset;
  readonly images: () => Dataset;
  readonly log: (s: string) => void;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** W2 batches per run: a full epoch, or 200 scaled to one with --quick (both sides alike). */
const w2Batches = (quick: boolean) => (quick ? 200 : 1000);

async function glassboxFigure(o: VsOptions, w: VsWorkload, threads: number): Promise<{ wall: number; cpu: number }> {
  if (w === 'w1') {
    const r = await glassboxMlp('glassbox', 'auto', o.flat(), 1, 1000, threads);
    return { wall: r.epochSeconds, cpu: r.epochCpuSeconds };
  }
  if (w === 'w2') {
    const r = glassboxCnn(o.images(), 1, w2Batches(o.quick), threads);
    return { wall: r.epochSeconds, cpu: r.epochCpuSeconds };
  }
  const r = glassboxLstm(threads, o.quick);
  return { wall: r.stepSeconds, cpu: r.stepCpuSeconds };
}

function pytorchFigure(o: VsOptions, w: VsWorkload, threads: number) {
  const r = runPytorchBench(o.root, threads, [w], 1, o.quick);
  const x = w === 'w4' ? r.w4[0] : (w === 'w1' ? r.w1 : r.w2)[0];
  const wall = 'stepSeconds' in x ? x.stepSeconds : x.epochSeconds;
  const cpu = 'stepCpuSeconds' in x ? x.stepCpuSeconds : x.epochCpuSeconds;
  return { wall, cpu, cpuPerWall: x.seconds.cpuPerWall ?? Number.NaN, osThreads: r.osThreads ?? Number.NaN };
}

export async function runVersusPytorch(o: VsOptions): Promise<VsResult> {
  const threadCounts = [...new Set([1, o.threads])];
  const figures: VsFigure[] = [];
  const load: Record<string, [number, number]> = {};
  for (const w of o.workloads) {
    const before = loadavg()[0];
    const fig = (side: VsFigure['side'], threads: number) => {
      let f = figures.find((x) => x.workload === w && x.side === side && x.threads === threads);
      if (!f) {
        f = {
          workload: w,
          side,
          threads,
          wall: [],
          cpu: [],
          ...(side === 'pytorch' ? { cpuPerWall: [], osThreads: [] } : {}),
        };
        figures.push(f);
      }
      return f;
    };
    for (let p = 0; p < o.pairs; p++) {
      for (const t of threadCounts) {
        const g = await glassboxFigure(o, w, t);
        fig('glassbox', t).wall.push(g.wall);
        fig('glassbox', t).cpu.push(g.cpu);
        const py = pytorchFigure(o, w, t);
        const f = fig('pytorch', t);
        f.wall.push(py.wall);
        f.cpu.push(py.cpu);
        f.cpuPerWall?.push(py.cpuPerWall);
        f.osThreads?.push(py.osThreads);
        o.log(
          `  ${w.toUpperCase()} pair ${p + 1}, ${t} thread(s): Glassbox ${fmt(w, g.wall)} (CPU ${fmt(w, g.cpu)}), PyTorch ${fmt(w, py.wall)} (CPU ${fmt(w, py.cpu)}, ${py.cpuPerWall.toFixed(2)} CPU s per s, ${py.osThreads} OS threads); load ${loadavg()[0].toFixed(2)}`,
        );
      }
    }
    load[w] = [before, loadavg()[0]];
  }
  return { pairs: o.pairs, figures, load, ratios: o.workloads.map((w) => ratio(figures, w)) };
}

function ratio(figures: VsFigure[], w: VsWorkload): VsRatio {
  const of = (side: VsFigure['side']) => figures.filter((f) => f.workload === w && f.side === side);
  const best = (fs: VsFigure[]) => fs.reduce((a, b) => (median(b.wall) < median(a.wall) ? b : a));
  const g = best(of('glassbox')),
    p = best(of('pytorch'));
  const g1 = of('glassbox').find((f) => f.threads === 1),
    p1 = of('pytorch').find((f) => f.threads === 1);
  const r = (a: number[], b: number[]) => median(a) / median(b);
  const oneThread = g1 && p1 ? { wall: r(g1.wall, p1.wall), cpu: r(g1.cpu, p1.cpu) } : { wall: NaN, cpu: NaN };
  const bestRatio = {
    glassboxThreads: g.threads,
    pytorchThreads: p.threads,
    wall: r(g.wall, p.wall),
    cpu: r(g.cpu, p.cpu),
  };
  return { workload: w, best: bestRatio, oneThread, bestMet: bestRatio.wall <= 1, oneThreadMet: oneThread.wall <= 1.3 };
}

const fmt = (w: VsWorkload, s: number) => (w === 'w4' ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(3)} s`);

/** The tables: every figure (median of the pairs, wall and CPU), then the ratios and the targets. */
export function versusReport(r: VsResult): string[] {
  const rows = r.figures.map((f) => [
    f.workload.toUpperCase(),
    f.side,
    String(f.threads),
    fmt(f.workload, median(f.wall)),
    fmt(f.workload, median(f.cpu)),
    f.wall.map((x) => fmt(f.workload, x)).join(' '),
    f.cpuPerWall ? median(f.cpuPerWall).toFixed(2) : '',
    `${r.load[f.workload][0].toFixed(1)} → ${r.load[f.workload][1].toFixed(1)}`,
  ]);
  const out = [
    `Glassbox vs PyTorch, ${r.pairs} alternating pair(s) per setting (W1, W2 per epoch; W4 per step; medians)`,
    table(['', 'side', 'threads', 'wall', 'CPU', 'wall, each pair', 'PyTorch CPU s/s', 'load'], rows),
    '',
    table(
      [
        '',
        'best vs best (threads G/P)',
        'wall ratio',
        'CPU ratio',
        'target ≤ 1.0',
        'one thread each, wall',
        'CPU',
        'target ≤ 1.3',
      ],
      r.ratios.map((x) => [
        x.workload.toUpperCase(),
        `${x.best.glassboxThreads}/${x.best.pytorchThreads}`,
        `${x.best.wall.toFixed(2)}×`,
        `${x.best.cpu.toFixed(2)}×`,
        x.bestMet ? 'met' : 'NOT met',
        `${x.oneThread.wall.toFixed(2)}×`,
        `${x.oneThread.cpu.toFixed(2)}×`,
        x.oneThreadMet ? 'met' : 'NOT met',
      ]),
    ),
  ];
  // A one-thread figure whose wall time is well over its CPU time waited for a core: the machine
  // was busy, and its wall figure (and any ratio built on it) says more about the load than the code.
  // With two threads, PyTorch's OpenMP threads spin: below 1.2 CPU seconds a second they were starved.
  const starved = r.figures.filter((f) =>
    f.threads === 1 ? median(f.wall) > 1.3 * median(f.cpu) : f.side === 'pytorch' && median(f.cpuPerWall ?? []) < 1.2,
  );
  if (starved.length)
    out.push(
      `warning: load made these wall figures unreliable (one thread: wall > 1.3 × CPU; PyTorch on two: < 1.2 CPU s per s): ${starved.map((f) => `${f.workload.toUpperCase()} ${f.side} ${f.threads}t`).join(', ')}; compare by CPU time, or re-run on a quiet machine`,
    );
  const spin = r.figures.filter((f) => f.side === 'pytorch' && f.threads === 1 && median(f.cpuPerWall ?? []) > 1.15);
  if (spin.length)
    out.push(
      `warning: one-thread PyTorch used more than 1.15 CPU seconds per second in ${spin.map((f) => f.workload).join(', ')}: its thread limit did not hold`,
    );
  return out;
}
