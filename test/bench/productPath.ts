import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { table } from './report';
import { median, type VsWorkload } from './versusPytorch';

/**
 * The product path against the benchmark (issue 17): `glassbox train` (the CLI, as a user runs it,
 * telemetry at the CLI's rate, progress, run record) on W1/W2/W4-shaped model files
 * (test/bench/models/), seconds per epoch or round from the run record's metrics.json
 * (`trainSeconds`: training only; evaluation and samples timed apart), against what the benchmark
 * measures for the same workload and thread count. The first epoch (round) is left out on both
 * sides: the bench warms up before it times.
 */
export interface ProductFigure {
  readonly workload: VsWorkload;
  readonly threads: number;
  /** metrics.json per epoch (W4: per round of `iterations` steps). */
  readonly trainSeconds: number[];
  readonly evalSeconds: number[];
  readonly sampleSeconds: number[];
  /** Batches per epoch (W1, W2) or iterations per round (W4). */
  readonly batches: number;
  /** Median over the epochs after the first, per epoch (W1, W2) or per step (W4). */
  readonly product: number;
  /** The bench's figure for the same workload and threads (median wall), same unit; NaN when not measured. */
  readonly bench: number;
  readonly ratio: number;
  /** The same by CPU time (metrics.json `trainCpuSeconds`; the bench's median CPU figure). */
  readonly productCpu: number;
  readonly benchCpu: number;
  readonly ratioCpu: number;
  /** The CLI process's CPU seconds (all threads) and wall seconds, start to end. */
  readonly processCpu: number;
  readonly processWall: number;
}

interface MetricsFile {
  epochs: { epoch: number; trainSeconds: number; trainCpuSeconds: number; sampleSeconds: number }[];
  evaluations: { seconds: number }[];
}

/** Epochs (W4: iterations) the CLI trains: the first is a warm-up, the others are compared. */
const LENGTH: Record<VsWorkload, { flag: string; value: number; quick: number; perRound: number }> = {
  w1: { flag: '--epochs', value: 4, quick: 3, perRound: 1000 },
  w2: { flag: '--epochs', value: 2, quick: 2, perRound: 1000 },
  w4: { flag: '--iterations', value: 400, quick: 300, perRound: 100 },
};

export function runProductPath(o: {
  root: string;
  workloads: readonly VsWorkload[];
  threads: readonly number[];
  quick: boolean;
  /** The bench's median wall and CPU figures for a workload and thread count (undefined: not measured). */
  bench: (w: VsWorkload, threads: number) => { wall: number; cpu: number } | undefined;
  log: (s: string) => void;
}): ProductFigure[] {
  const out: ProductFigure[] = [];
  const models = join(o.root, 'test', 'bench', 'models');
  for (const w of o.workloads) {
    for (const threads of o.threads) {
      const dir = mkdtempSync(join(tmpdir(), `glassbox-product-${w}-`));
      try {
        for (const f of readdirSync(models).filter((f) => f.startsWith(w))) copyFileSync(join(models, f), join(dir, f));
        const len = LENGTH[w];
        const t0 = performance.now();
        const r = spawnSync(
          process.execPath,
          [
            '-r',
            join(__dirname, 'cpuAtExit.js'),
            join(o.root, 'bin', 'glassbox.js'),
            'train',
            `${w}.nn.json`,
            '--json',
            '--threads',
            String(threads),
            len.flag,
            String(o.quick ? len.quick : len.value),
          ],
          { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 },
        );
        const processWall = (performance.now() - t0) / 1000;
        if (r.status !== 0) throw new Error(`glassbox train ${w} failed (${r.status}): ${r.stderr}`);
        const cpu = /GLASSBOX_CPU ([\d.]+)/.exec(r.stderr);
        const processCpu = cpu ? Number(cpu[1]) : Number.NaN;
        const runs = join(dir, '.glassbox', 'runs');
        const [run] = readdirSync(runs);
        const m = JSON.parse(readFileSync(join(runs, run, 'metrics.json'), 'utf8')) as MetricsFile;
        const train = m.epochs.map((e) => e.trainSeconds);
        const perUnit = w === 'w4' ? len.perRound : 1;
        const product = median(train.slice(1)) / perUnit;
        const b = o.bench(w, threads);
        const bench = b?.wall ?? Number.NaN;
        const productCpu = median(m.epochs.slice(1).map((e) => e.trainCpuSeconds)) / perUnit;
        const benchCpu = b?.cpu ?? Number.NaN;
        const fig: ProductFigure = {
          workload: w,
          threads,
          trainSeconds: train,
          evalSeconds: m.evaluations.map((e) => e.seconds),
          sampleSeconds: m.epochs.map((e) => e.sampleSeconds),
          batches: len.perRound,
          product,
          bench,
          ratio: product / bench,
          productCpu,
          benchCpu,
          ratioCpu: productCpu / benchCpu,
          processCpu,
          processWall,
        };
        out.push(fig);
        o.log(
          `  ${w.toUpperCase()} ${threads} thread(s): metrics.json trainSeconds ${train.map((s) => s.toFixed(3)).join(', ')}; evaluations ${fig.evalSeconds.map((s) => s.toFixed(3)).join(', ')} s; process ${processWall.toFixed(1)} s wall, ${processCpu.toFixed(1)} s CPU`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return out;
}

/** The comparison table: product (metrics.json) vs bench per workload and threads, target within 10%. */
export function productReport(figs: ProductFigure[]): string {
  const unit = (w: VsWorkload, s: number) =>
    !Number.isFinite(s) ? 'not measured' : w === 'w4' ? `${(s * 1000).toFixed(1)} ms/step` : `${s.toFixed(3)} s/epoch`;
  const ratio = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '');
  return table(
    [
      '',
      'threads',
      'glassbox train, wall',
      'bench, wall',
      'ratio',
      'target ≤ 1.10',
      'train, CPU',
      'bench, CPU',
      'ratio',
      'evaluation s',
      'process wall / CPU s',
    ],
    figs.map((f) => [
      f.workload.toUpperCase(),
      String(f.threads),
      unit(f.workload, f.product),
      unit(f.workload, f.bench),
      ratio(f.ratio),
      Number.isFinite(f.ratio) ? (f.ratio <= 1.1 ? 'met' : 'NOT met') : '',
      unit(f.workload, f.productCpu),
      unit(f.workload, f.benchCpu),
      ratio(f.ratioCpu),
      median(f.evalSeconds).toFixed(3),
      `${f.processWall.toFixed(1)} / ${f.processCpu.toFixed(1)}`,
    ]),
  );
}
