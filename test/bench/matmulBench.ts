import { kernelBackendName, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import { matmulNN, matmulNT, matmulTN } from '../../src/engine/kernels/matmul';
import { gemm } from '../../src/engine/kernels/gemm';
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { MATMUL_LAYOUTS, MatmulLayout } from '../../src/engine/kernels/matmulLayout';
import { WasmGemm, WasmGemmVariant } from '../../src/engine/kernels/wasm/wasmGemm';
import { RandomState } from '../../src/engine/random/randomState';
import { measure, MeasureOptions, Timing } from './measure';
import { useTfjs } from './tfjsBackend';

/** One W3 measurement: C[m,n] = op(A)·op(B) in float32 for one layout and one implementation. */
export interface MatmulResult {
  readonly contender: string;
  readonly layout: MatmulLayout;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly seconds: Timing;
  /** GFLOP/s (2·m·k·n flops) from the fastest and the median run, by wall and by CPU time. */
  readonly gflopsBest: number;
  readonly gflopsMedian: number;
  readonly gflopsCpuBest: number;
  readonly gflopsCpuMedian: number;
  /** Largest |C − C_reference| / Σ|a||b| against a float64 product: the result is checked too. */
  readonly maxRelError: number;
}

export const W3_SIZES: readonly [number, number, number][] = [
  [512, 784, 512],
  [1024, 1024, 1024],
];

const REFERENCE = { NN: matmulNN, NT: matmulNT, TN: matmulTN } as const;

interface Operands {
  a: Float32Array;
  b: Float32Array;
  expected: Float64Array;
  scale: Float64Array;
}

/** A, B in the layout's storage order, and the float64 product and its magnitude Σ|a||b|. */
function operands(layout: MatmulLayout, m: number, k: number, n: number): Operands {
  const rng = new RandomState(m + k + n);
  const a = new Float32Array(m * k),
    b = new Float32Array(k * n);
  rng.fillNormal(a);
  rng.fillNormal(b);
  // The float64 check of every element would cost more than the benchmark: check 64 rows of C.
  const rows = Math.min(m, 64);
  const expected = new Float64Array(rows * n),
    scale = new Float64Array(rows * n);
  const [rsA, csA] = layout === 'TN' ? [1, m] : [k, 1];
  const [rsB, csB] = layout === 'NT' ? [1, k] : [n, 1];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0,
        mag = 0;
      for (let p = 0; p < k; p++) {
        const prod = a[i * rsA + p * csA] * b[p * rsB + j * csB];
        s += prod;
        mag += Math.abs(prod);
      }
      expected[i * n + j] = s;
      scale[i * n + j] = mag;
    }
  }
  return { a, b, expected, scale };
}

function relError(c: ArrayLike<number>, ops: Operands): number {
  let worst = 0;
  for (let i = 0; i < ops.expected.length; i++)
    worst = Math.max(worst, Math.abs(c[i] - ops.expected[i]) / (ops.scale[i] + 1e-30));
  return worst;
}

function result(
  contender: string,
  layout: MatmulLayout,
  m: number,
  k: number,
  n: number,
  seconds: Timing,
  c: ArrayLike<number>,
  ops: Operands,
): MatmulResult {
  const flops = 2 * m * k * n;
  const g = (s: number) => flops / s / 1e9;
  return {
    contender,
    layout,
    m,
    k,
    n,
    seconds,
    gflopsBest: g(seconds.min),
    gflopsMedian: g(seconds.median),
    gflopsCpuBest: g(seconds.cpuMin),
    gflopsCpuMedian: g(seconds.cpuMedian),
    maxRelError: relError(c, ops),
  };
}

export interface MatmulBenchOptions {
  /** Also time the reference TypeScript kernels (slow: ~1 s per 1024³ product). */
  reference: boolean;
  /** Also time the engine's dispatching gemm with this many kernel threads (when > 1). */
  threads?: number;
  timing: MeasureOptions;
  log: (line: string) => void;
}

/**
 * W3: float32 products 512×784×512 and 1024³ in every layout backprop uses, on Glassbox's reference
 * kernels, its WebAssembly kernels (operands copied in and out, as the engine calls them, and
 * resident in WebAssembly memory, which isolates the copy cost), and TensorFlow.js cpu and wasm.
 */
export async function runMatmulBench(opts: MatmulBenchOptions): Promise<MatmulResult[]> {
  const out: MatmulResult[] = [];
  const variants: WasmGemmVariant[] = ['simd128', 'relaxedSimd'];
  const gemms = variants.map((v) => WasmGemm.create(v)).filter((g): g is WasmGemm => g !== null);
  for (const [m, k, n] of W3_SIZES) {
    for (const layout of MATMUL_LAYOUTS) {
      const ops = operands(layout, m, k, n);
      const { a, b } = ops;
      const c = new Float32Array(m * n);
      const add = (r: MatmulResult) => {
        out.push(r);
        opts.log(
          `  W3 ${m}×${k}×${n} ${layout} ${r.contender.padEnd(26)} ${r.gflopsMedian.toFixed(2).padStart(7)} GFLOP/s median wall (best ${r.gflopsBest.toFixed(2)}; by CPU time ${r.gflopsCpuMedian.toFixed(2)})`,
        );
      };
      if (opts.reference) {
        const t = measure(() => REFERENCE[layout](a, b, c, m, k, n), {
          warmup: 1,
          minRuns: 3,
          minSeconds: 0,
          maxRuns: 3,
        });
        add(result('glassbox-reference', layout, m, k, n, t, c, ops));
      }
      for (const g of gemms) {
        const t = measure(() => g.gemm(layout, a, b, c, m, k, n), opts.timing);
        add(result(`glassbox-wasm-${g.variant}`, layout, m, k, n, t, c, ops));
      }
      const fastest = gemms[gemms.length - 1];
      if (fastest) {
        const [ra, rb, rc] = fastest.allocateResident([m * k, k * n, m * n]);
        ra.set(a);
        rb.set(b);
        const t = measure(() => fastest.gemm(layout, ra, rb, rc, m, k, n), opts.timing);
        add(result(`glassbox-wasm-${fastest.variant}-resident`, layout, m, k, n, t, rc, ops));
      }
      if ((opts.threads ?? 1) > 1 && fastest) {
        // The engine's gemm() as training calls it (operands copied in and out), rows of C split
        // across the kernel threads. CPU time counts every thread.
        setKernelPreference('auto');
        const used = setKernelThreads(opts.threads ?? 1);
        const t = measure(() => gemm(layout, a, b, c, m, k, n), opts.timing);
        setKernelThreads(1);
        add(result(`glassbox-wasm-${fastest.variant}-${used}t`, layout, m, k, n, t, c, ops));
      }
      for (const backend of ['cpu', 'wasm'] as const) {
        const tf = await useTfjs(backend);
        const ta = layout === 'TN' ? tf.tensor2d(a, [k, m]) : tf.tensor2d(a, [m, k]);
        const tb = layout === 'NT' ? tf.tensor2d(b, [n, k]) : tf.tensor2d(b, [k, n]);
        let last: Float32Array = new Float32Array(0);
        // dataSync brings C back to JS, as Glassbox's copy-out does.
        const run = () => {
          const tc = tf.matMul(ta, tb, layout === 'TN', layout === 'NT');
          last = tc.dataSync() as Float32Array;
          tc.dispose();
        };
        const slow = backend === 'cpu';
        const t = measure(run, slow ? { warmup: 1, minRuns: 3, minSeconds: 0, maxRuns: 3 } : opts.timing);
        ta.dispose();
        tb.dispose();
        add(result(`tfjs-${backend}`, layout, m, k, n, t, last, ops));
      }
    }
  }
  setKernelPreference('auto');
  opts.log(`  (Glassbox dispatch picks ${kernelBackendName()} in this process)`);
  return out;
}
