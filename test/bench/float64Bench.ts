import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadData } from '../../src/data/dataSource';
import { gemm } from '../../src/engine/kernels/gemm';
import { kernelBackend64Name, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import type { MatmulLayout } from '../../src/engine/kernels/matmulLayout';
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { RandomState } from '../../src/engine/random/randomState';
import type { Dataset } from '../../src/engine/train/dataset';
import { Trainer } from '../../src/engine/train/trainer';
import { buildModel } from '../../src/modelFile/build';
import { validateModel } from '../../src/modelFile/validate';
import { measure, timeOnce } from './measure';

/*
 * `npm run bench -- --only=f64`: the float64 kernels the book profile runs on, reference
 * TypeScript (kernels/matmul.ts) against WebAssembly (wasm/gemm64.wat), side by side in one
 * process: W1's three products, a 512×784×512 product, and N training batches of the book's
 * E4.3 MLP and E5.4 CNN built from their model files (examples/) through the product's own
 * model builder and Trainer. Both backends must give the same bits (the batch losses are
 * compared), so a ratio is never bought with a different sum.
 */

export interface Float64Row {
  readonly what: string;
  /** Seconds per call or per run, median of the timed runs. */
  readonly referenceWall: number;
  readonly wasmWall: number;
  readonly referenceCpu: number;
  readonly wasmCpu: number;
  /** reference / wasm (wall and CPU). */
  readonly ratioWall: number;
  readonly ratioCpu: number;
  /** Both backends gave bit-identical results (C, or every batch loss). */
  readonly identical: boolean;
  readonly threads: number;
}

const GEMMS: { what: string; layout: MatmulLayout; m: number; k: number; n: number }[] = [
  { what: 'W1 forward NN 60×784·784×89', layout: 'NN', m: 60, k: 784, n: 89 },
  { what: 'W1 dW TN (60×784)ᵀ·60×89', layout: 'TN', m: 784, k: 60, n: 89 },
  { what: 'W1 dX NT 60×89·(784×89)ᵀ', layout: 'NT', m: 60, k: 89, n: 784 },
  { what: 'NN 512×784·784×512', layout: 'NN', m: 512, k: 784, n: 512 },
];

function usePreference(p: 'reference' | 'auto', threads: number): void {
  setKernelPreference(p);
  setKernelThreads(threads);
}

function row(
  what: string,
  ref: { wall: number; cpu: number },
  wasm: { wall: number; cpu: number },
  identical: boolean,
  threads: number,
): Float64Row {
  return {
    what,
    referenceWall: ref.wall,
    wasmWall: wasm.wall,
    referenceCpu: ref.cpu,
    wasmCpu: wasm.cpu,
    ratioWall: ref.wall / wasm.wall,
    ratioCpu: ref.cpu / wasm.cpu,
    identical,
    threads,
  };
}

/** The GEMM shapes, each on both backends (median seconds per call). */
function gemmRows(quick: boolean, threads: number): Float64Row[] {
  const rng = new RandomState(20261207);
  const rows: Float64Row[] = [];
  for (const g of GEMMS) {
    const a = new Float64Array(g.m * g.k),
      b = new Float64Array(g.k * g.n);
    rng.fillNormal(a);
    rng.fillNormal(b);
    const out: Record<string, Float64Array> = {};
    const time = (p: 'reference' | 'auto') => {
      usePreference(p, p === 'auto' ? threads : 1);
      const c = new Float64Array(g.m * g.n);
      const big = g.m * g.k * g.n > 1e8;
      const t = measure(() => gemm(g.layout, a, b, c, g.m, g.k, g.n), {
        warmup: 1,
        minRuns: big || quick ? 2 : 5,
        minSeconds: quick ? 0.2 : 0.5,
      });
      out[p] = c;
      return { wall: t.median, cpu: t.cpuMedian };
    };
    const ref = time('reference'),
      wasm = time('auto');
    const same = out.reference.every((v, i) => Object.is(v, out.auto[i]));
    rows.push(row(g.what, ref, wasm, same, threads));
  }
  return rows;
}

/** A book model file's network, trained `batches` batches from scratch; returns wall/CPU seconds and the losses. */
function trainBatches(file: string, data: Dataset, batches: number): { wall: number; cpu: number; losses: number[] } {
  const checked = validateModel(readFileSync(file, 'utf8'), file);
  if (!checked.spec) throw new Error(`${file}: ${checked.problems.map((p) => p.message).join('; ')}`);
  const spec = checked.spec;
  const model = buildModel(spec);
  const trainer = new Trainer(model.network, model.optimizer);
  // evalEvery 2 with one epoch: no evaluation inside the timed batches.
  const steps = trainer.steps(data, {
    epochs: 1,
    batchSize: spec.training.batchSize,
    evalEvery: 2,
    earlyStopping: false,
    seed: spec.training.seed,
  });
  const losses: number[] = [];
  const t = timeOnce(() => {
    for (let i = 0; i < batches; i++) {
      const r = steps.next();
      if (r.done) break;
      losses.push(r.value.loss);
    }
  });
  return { ...t, losses };
}

/** N batches of a book model on both backends (one warm-up run of a few batches each first). */
function trainingRow(what: string, file: string, batches: number, threads: number): Float64Row {
  const checked = validateModel(readFileSync(file, 'utf8'), file);
  if (!checked.spec) throw new Error(`${file}: invalid model file`);
  const data = loadData(checked.spec.data, file, 'float64').dataset;
  const run = (p: 'reference' | 'auto') => {
    usePreference(p, p === 'auto' ? threads : 1);
    trainBatches(file, data, 3);
    return trainBatches(file, data, batches);
  };
  const ref = run('reference'),
    wasm = run('auto');
  const same = ref.losses.length === wasm.losses.length && ref.losses.every((v, i) => Object.is(v, wasm.losses[i]));
  return row(`${what}, ${batches} batches`, ref, wasm, same, threads);
}

/** Runs the float64 comparison (1 thread, and `threads` threads for the WebAssembly side when > 1). */
export function runFloat64Bench(opts: {
  root: string;
  threads: number;
  quick: boolean;
  log: (s: string) => void;
}): Float64Row[] {
  const { root, quick, log } = opts;
  setKernelPreference('auto');
  log(`float64 backend: ${kernelBackend64Name()} (reference: kernels/matmul.ts)`);
  const rows: Float64Row[] = [];
  const counts = [1, ...(opts.threads > 1 ? [opts.threads] : [])];
  for (const threads of counts) {
    rows.push(...gemmRows(quick, threads));
    rows.push(
      trainingRow('E4.3 MLP (book, float64)', join(root, 'examples', 'E4.3.nn.json'), quick ? 30 : 200, threads),
    );
    rows.push(
      trainingRow('E5.4-book CNN (float64)', join(root, 'examples', 'E5.4-book.nn.json'), quick ? 5 : 20, threads),
    );
  }
  setKernelPreference('auto');
  setKernelThreads(1);
  log(float64Table(rows));
  return rows;
}

export function float64Table(rows: readonly Float64Row[]): string {
  const ms = (s: number) => (s * 1000).toFixed(s < 0.01 ? 2 : 1);
  const head = `${'float64 workload'.padEnd(44)} thr  ${'reference ms'.padStart(13)} ${'wasm ms'.padStart(9)}  ${'ratio'.padStart(6)}  ${'cpu ref'.padStart(9)} ${'cpu wasm'.padStart(9)} ${'ratio'.padStart(6)}  same bits`;
  const lines = rows.map(
    (r) =>
      `${r.what.padEnd(44)} ${String(r.threads).padStart(3)}  ${ms(r.referenceWall).padStart(13)} ${ms(r.wasmWall).padStart(9)}  ${r.ratioWall.toFixed(1).padStart(5)}×  ${ms(r.referenceCpu).padStart(9)} ${ms(r.wasmCpu).padStart(9)} ${r.ratioCpu.toFixed(1).padStart(5)}×  ${r.identical ? 'yes' : 'NO'}`,
  );
  return [head, ...lines].join('\n');
}
