// Summarises several `npm run bench` records (bench-results/*.json) as Markdown tables for
// docs/performance.md: per figure, the median over runs and the range (min–max) of the per-run
// medians; ratios are taken within each run (both sides from the same run), then summarised.
//
//   node out/test/bench/summarizeRuns.js bench-results/bench-A.json bench-results/bench-B.json ...
import { readFileSync } from 'node:fs';
import type { MatmulResult } from './matmulBench';
import type { StepResult } from './lstmBench';
import type { MlpResult } from './mlpBench';

interface HeapRecord {
  backend: string;
  workload?: string;
  samples: {
    epoch: number;
    heapUsedMiB: number;
    arrayBuffersMiB: number;
    arenaReservedMiB: number;
    epochSeconds: number;
    gcCount?: number;
    gcMs?: number;
  }[];
}

interface Run {
  meta: { date: string; loadavgStart: number[]; loadavgEnd: number[]; glassboxBackend: string };
  w3: MatmulResult[];
  w1: MlpResult[];
  w1CurveMaxRelDiff?: number;
  w1ThreadCurveMaxRelDiff?: number;
  w2?: MlpResult[];
  w2ThreadCurveMaxRelDiff?: number;
  w4?: StepResult[];
  w5?: {
    steps: number;
    rounds: number;
    hz: number;
    offMs: number[];
    onMs: number[];
    framesPerRun: number;
    overhead: number;
    msPerFrame: number;
  };
  /** One record per workload (older runs: a single W1 record without GC counts). */
  heap?: HeapRecord | HeapRecord[];
}

const runs: Run[] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')) as Run);
if (runs.length === 0) {
  console.error('usage: summarizeRuns.js RUN.json...');
  process.exit(1);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** "median (min–max)" over runs, or the single value. */
function spread(xs: number[], digits: number, unit = ''): string {
  const ok = xs.filter((x) => Number.isFinite(x));
  if (ok.length === 0) return '—';
  const f = (x: number) => x.toFixed(digits) + unit;
  return ok.length === 1 ? f(ok[0]) : `${f(median(ok))} (${f(Math.min(...ok))}–${f(Math.max(...ok))})`;
}
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const header = (cells: string[]) => [row(cells), row(cells.map(() => '---'))].join('\n');

const engine = (r: Run) =>
  r.meta.glassboxBackend === 'wasm-relaxed-simd'
    ? 'glassbox-wasm-relaxedSimd'
    : r.meta.glassboxBackend === 'wasm-simd128'
      ? 'glassbox-wasm-simd128'
      : 'glassbox-reference';
const out: string[] = [];
out.push(
  `${runs.length} runs: ${runs.map((r) => `${r.meta.date} (load ${r.meta.loadavgStart[0].toFixed(1)} → ${r.meta.loadavgEnd[0].toFixed(1)})`).join('; ')}.`,
);

for (const clock of ['cpu', 'wall'] as const) {
  const gf = (r: MatmulResult | undefined) => (r ? (clock === 'cpu' ? r.gflopsCpuMedian : r.gflopsMedian) : NaN);
  const contenders = [...new Set(runs.flatMap((r) => r.w3.map((x) => x.contender)))];
  const keys = [...new Set(runs.flatMap((r) => r.w3.map((x) => `${x.m}×${x.k}×${x.n} ${x.layout}`)))];
  if (!keys.length) break;
  const find = (r: Run, key: string, c: string) =>
    r.w3.find((x) => `${x.m}×${x.k}×${x.n} ${x.layout}` === key && x.contender === c);
  out.push(`\nW3, GFLOP/s by ${clock} time (median of runs, range in brackets):\n`);
  out.push(header(['product', ...contenders, 'Glassbox ÷ tfjs-wasm', 'Glassbox ÷ pytorch-1t']));
  for (const key of keys) {
    const ratio = (rival: string) =>
      spread(
        runs.map((r) => gf(find(r, key, engine(r))) / gf(find(r, key, rival))),
        2,
        '×',
      );
    out.push(
      row([
        key,
        ...contenders.map((c) =>
          spread(
            runs.map((r) => gf(find(r, key, c))),
            1,
          ),
        ),
        ratio('tfjs-wasm'),
        ratio('pytorch-1t'),
      ]),
    );
  }
}

const errors = new Map<string, number>();
for (const r of runs.flatMap((x) => x.w3)) {
  if (Number.isFinite(r.maxRelError)) errors.set(r.contender, Math.max(errors.get(r.contender) ?? 0, r.maxRelError));
}
if (errors.size)
  out.push(
    `\nW3 results checked against a float64 product (64 rows of C), largest |error| / Σ|a·b| over all runs: ${[...errors].map(([c, e]) => `${c} ${e.toExponential(1)}`).join(', ')}.`,
  );

for (const [name, pick] of [
  ['W1', (r: Run) => r.w1],
  ['W2', (r: Run) => r.w2 ?? []],
] as const) {
  for (const clock of ['cpu', 'wall'] as const) {
    const sec = (r: MlpResult | undefined) => (r ? (clock === 'cpu' ? r.epochCpuSeconds : r.epochSeconds) : NaN);
    const contenders = [...new Set(runs.flatMap((r) => pick(r).map((x) => x.contender)))];
    if (!contenders.length) break;
    const glassbox = (r: Run) => pick(r).find((x) => x.contender === `glassbox (${r.meta.glassboxBackend})`);
    out.push(
      `\n${name}, seconds per epoch by ${clock} time (median of runs, range in brackets; * scaled from fewer batches):\n`,
    );
    out.push(header(['contender', 's / epoch', 'time ÷ Glassbox (one thread)', 'test accuracy']));
    for (const c of contenders) {
      const mine = runs.map((r) => pick(r).find((x) => x.contender === c));
      out.push(
        row([
          c +
            (mine.some((x) => x?.extrapolated)
              ? `* (${[...new Set(mine.filter((x) => x?.extrapolated).map((x) => x?.batches))].join('/')} batches)`
              : ''),
          spread(mine.map(sec), 3),
          spread(
            runs.map((r, i) => sec(mine[i]) / sec(glassbox(r))),
            2,
            '×',
          ),
          spread(
            mine.map((x) => (x?.testAccuracy ?? NaN) * 100),
            2,
            '%',
          ),
        ]),
      );
    }
  }
}
for (const clock of ['cpu', 'wall'] as const) {
  const ms = (r: StepResult | undefined) => (r ? (clock === 'cpu' ? r.stepCpuSeconds : r.stepSeconds) * 1000 : NaN);
  const contenders = [...new Set(runs.flatMap((r) => (r.w4 ?? []).map((x) => x.contender)))];
  if (!contenders.length) break;
  out.push(`\nW4, milliseconds per training step by ${clock} time (median of runs, range in brackets):\n`);
  out.push(header(['contender', 'ms / step', 'time ÷ Glassbox (one thread)', 'steps timed']));
  for (const c of contenders) {
    const mine = runs.map((r) => (r.w4 ?? []).find((x) => x.contender === c));
    out.push(
      row([
        c,
        spread(mine.map(ms), 1),
        spread(
          runs.map((r, i) => ms(mine[i]) / ms((r.w4 ?? []).find((x) => x.contender === 'glassbox'))),
          2,
          '×',
        ),
        mine.map((x) => x?.seconds.runs.length ?? '—').join(', '),
      ]),
    );
  }
}
const curves = runs.map((r) => r.w1CurveMaxRelDiff ?? NaN);
if (curves.some(Number.isFinite))
  out.push(
    `\nW1 loss curves, WebAssembly vs reference kernels, largest relative difference per batch: ${curves.map((x) => x.toExponential(1)).join(', ')}.`,
  );
for (const [name, key] of [
  ['W1', 'w1ThreadCurveMaxRelDiff'],
  ['W2', 'w2ThreadCurveMaxRelDiff'],
] as const) {
  const d = runs.map((r) => r[key] ?? NaN);
  if (d.some(Number.isFinite))
    out.push(
      `\n${name} loss curves, kernel threads vs one thread, largest relative difference per batch: ${d.map((x) => x.toExponential(1)).join(', ')}.`,
    );
}
const w5 = runs.filter((r) => r.w5).map((r) => r.w5!);
if (w5.length) {
  out.push(
    `\nW5, telemetry at ${w5[0].hz} frames/s vs off (${w5[0].steps} steps × ${w5[0].rounds} rounds per run, CPU time):\n`,
  );
  out.push(header(['run', 'off ms (median)', 'on ms (median)', 'frames per run', 'overhead', 'ms per frame']));
  const med = (a: number[]) => median(a).toFixed(0);
  w5.forEach((x, i) =>
    out.push(
      row([
        String(i + 1),
        med(x.offMs),
        med(x.onMs),
        String(x.framesPerRun),
        `${(x.overhead * 100).toFixed(1)}%`,
        x.msPerFrame.toFixed(2),
      ]),
    ),
  );
}
const heapRun = runs.find((r) => r.heap)?.heap;
for (const heap of heapRun === undefined ? [] : Array.isArray(heapRun) ? heapRun : [heapRun]) {
  const name = (heap.workload ?? 'w1').toUpperCase();
  out.push(
    `\nMemory over ${heap.samples.length} epochs of ${name} (${heap.backend}; after a full GC at each epoch end; first run with it):\n`,
  );
  out.push(header(['epoch', 'heap used MiB', 'array buffers MiB', 'arena MiB', 'epoch s', 'GCs in epoch', 'GC ms']));
  for (const s of heap.samples) {
    out.push(
      row([
        String(s.epoch),
        s.heapUsedMiB.toFixed(1),
        s.arrayBuffersMiB.toFixed(1),
        s.arenaReservedMiB.toFixed(1),
        s.epochSeconds.toFixed(3),
        s.gcCount === undefined ? '—' : String(s.gcCount),
        s.gcMs === undefined ? '—' : s.gcMs.toFixed(1),
      ]),
    );
  }
}
console.log(out.join('\n'));
