import type { ParityResult } from './experiments';

/**
 * The numbers the book prints (book-parity.md §5), each with the precision it is printed to.
 * `exact` values must match every printed digit; `tolerance` values (chapter 4, full MNIST, 50–100
 * epochs of float64 matrix products whose summation order differs from BLAS) use the issue's
 * bounds: ±0.01 validation loss, ±0.5 accuracy points.
 */
export interface Expectation {
  /** Printed validation losses (the evaluations before any early stop). */
  evalLosses?: number[];
  /** Metric name → [printed value, decimals]. Accuracy is a fraction here, printed as % with 2 decimals. */
  metrics?: Record<string, [number, number]>;
  /** Epoch at which "Loss increased" was printed. */
  stoppedAt?: number;
  mode: 'exact' | 'tolerance';
}

const acc = (pct: number): [number, number] => [pct / 100, 4];

export const EXPECTED: Record<string, Expectation> = {
  'E1.2': { mode: 'exact', metrics: { numeric: [-0.11, 2], analytic: [-0.11, 2] } },
  'E1.3': { mode: 'exact', metrics: { loss: [2.3755, 4], numeric: [0.2489, 4] } },
  'E2.2': { mode: 'exact', metrics: { mae: [3.5644, 4], rmse: [5.0497, 4] } },
  'E2.3': { mode: 'exact', metrics: { mae: [2.5951, 4], rmse: [3.8851, 4], mse: [15.0943, 4] } },
  'E3.1': {
    mode: 'exact',
    evalLosses: [30.293, 28.469, 26.293, 25.541, 25.087],
    metrics: { mae: [3.5204, 4], rmse: [5.0087, 4] },
  },
  'E3.2': {
    mode: 'exact',
    evalLosses: [27.435, 21.839, 18.918, 17.195, 16.215],
    metrics: { mae: [2.5976, 4], rmse: [4.0268, 4] },
  },
  'E3.3': {
    mode: 'exact',
    evalLosses: [44.143, 25.278, 22.339, 16.5, 14.655],
    metrics: { mae: [2.4478, 4], rmse: [3.8282, 4] },
  },
  'E4.1': { mode: 'tolerance', evalLosses: [0.611, 0.424, 0.388, 0.372, 0.364], metrics: { accuracy: acc(72.8) } },
  'E4.2': { mode: 'tolerance', evalLosses: [0.952], stoppedAt: 20, metrics: { accuracy: acc(41.73) } },
  'E4.3': {
    mode: 'tolerance',
    evalLosses: [
      1.285, 0.97, 0.836, 0.763, 0.712, 0.679, 0.651, 0.631, 0.617, 0.599, 0.588, 0.576, 0.568, 0.557, 0.55, 0.544,
      0.537, 0.533, 0.529, 0.523, 0.517, 0.512, 0.507,
    ],
    stoppedAt: 24,
    metrics: { accuracy: acc(91.04) },
  },
  'E4.4': { mode: 'tolerance', evalLosses: [6.413], stoppedAt: 20, metrics: { accuracy: acc(71.84) } },
  'E4.5': { mode: 'tolerance', evalLosses: [0.631, 0.58, 0.561, 0.56, 0.552], metrics: { accuracy: acc(90.92) } },
  'E4.6': { mode: 'tolerance', evalLosses: [0.615, 0.489, 0.445], stoppedAt: 4, metrics: { accuracy: acc(91.97) } },
  'E4.7': { mode: 'tolerance', evalLosses: [0.387, 0.333, 0.316], stoppedAt: 40, metrics: { accuracy: acc(95.36) } },
  'E4.8': { mode: 'tolerance', evalLosses: [0.389, 0.307, 0.29], stoppedAt: 40, metrics: { accuracy: acc(95.98) } },
  'E4.9': { mode: 'tolerance', evalLosses: [0.45, 0.342, 0.296], stoppedAt: 40, metrics: { accuracy: acc(95.75) } },
  'E4.10': { mode: 'tolerance', evalLosses: [0.299, 0.226], stoppedAt: 30, metrics: { accuracy: acc(96.69) } },
  'E4.11': { mode: 'tolerance', evalLosses: [0.378, 0.264, 0.259], stoppedAt: 40, metrics: { accuracy: acc(96.48) } },
  'E4.12': {
    mode: 'tolerance',
    evalLosses: [0.277, 0.233, 0.203, 0.201],
    stoppedAt: 50,
    metrics: { accuracy: acc(96.77) },
  },
  'E4b.1': {
    mode: 'tolerance',
    evalLosses: [0.836, 0.718, 0.659, 0.638, 0.627, 0.619, 0.558, 0.506, 0.499, 0.495],
    metrics: { accuracy: acc(57.16) },
  },
  'E4b.2': { mode: 'tolerance', evalLosses: [0.573], stoppedAt: 10, metrics: { accuracy: acc(62.54) } },
  'E4b.3': {
    mode: 'tolerance',
    evalLosses: [0.719, 0.611, 0.559, 0.53, 0.505, 0.488, 0.475, 0.467, 0.459, 0.453],
    metrics: { accuracy: acc(92.61) },
  },
  'E4b.4': { mode: 'tolerance', evalLosses: [0.413, 0.361], stoppedAt: 15, metrics: { accuracy: acc(94.1) } },
  'E4b.5': { mode: 'tolerance', evalLosses: [0.376, 0.328], stoppedAt: 15, metrics: { accuracy: acc(94.76) } },
  'E4b.6': { mode: 'tolerance', evalLosses: [0.387, 0.336], stoppedAt: 15, metrics: { accuracy: acc(94.81) } },
  'E4b.7': { mode: 'tolerance', evalLosses: [0.169, 0.16], stoppedAt: 15, metrics: { accuracy: acc(97.46) } },
  'E4.13': {
    mode: 'tolerance',
    evalLosses: [0.315, 0.283, 0.258, 0.225, 0.204, 0.197, 0.175],
    stoppedAt: 80,
    metrics: { accuracy: acc(97.34) },
  },
  'E4.14': {
    mode: 'tolerance',
    evalLosses: [0.448, 0.348, 0.317, 0.302, 0.283, 0.249],
    stoppedAt: 70,
    metrics: { accuracy: acc(96.08) },
  },
  // Chapter 5's notebook (05_convolutions/Code.ipynb, book-parity §5.5): sums of the convolution's
  // output, finite differences after adding 1 to one input or weight, and the gradient they check.
  'E5.1': { mode: 'exact', metrics: { sum: [39, 1], 'input difference': [0, 1], 'param difference': [10, 1] } },
  'E5.2': { mode: 'exact', metrics: { sum: [133, 1], 'input difference': [3, 1], 'param difference': [48, 1] } },
  'E5.3': {
    mode: 'exact',
    metrics: {
      '2-D input difference': [-3.1843477398599163, 10],
      '2-D input gradient': [-3.184347739859924, 10],
      '2-D param difference': [5.53349015923007, 10],
      '2-D param gradient': [5.533490159230001, 10],
      'batch input difference': [2.345298758707486, 10],
      'batch input gradient': [2.3452987587074423, 10],
      'batch param difference': [-47.09123124155292, 10],
      'batch param gradient': [-47.0912312415532, 10],
    },
  },
  // Autograd_Simple prints Python ints: 4 and 1 (`print(a.grad)`, `print(b.grad)`), then 35.
  'E6.6': { mode: 'exact', metrics: { 'a.grad': [4, 0], 'b.grad': [1, 0], 'a.grad after e': [35, 0] } },
};

export interface Check {
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
}

/** Compares a run with the book's printed numbers. */
export function compareWithBook(r: ParityResult): Check[] {
  const e = EXPECTED[r.id];
  if (!e) return [];
  const checks: Check[] = [];
  const exact = e.mode === 'exact';
  const fmt = (v: number, d: number) => v.toFixed(d);
  e.evalLosses?.forEach((v, i) => {
    const a = r.evalLosses[i];
    const ok = a !== undefined && (exact ? fmt(a, 3) === fmt(v, 3) : Math.abs(a - v) <= 0.01);
    checks.push({ what: `val loss #${i + 1}`, expected: fmt(v, 3), actual: a === undefined ? 'none' : fmt(a, 3), ok });
  });
  for (const [name, [v, d]] of Object.entries(e.metrics ?? {})) {
    const a = r.metrics[name];
    const ok =
      a !== undefined &&
      (exact ? fmt(a, d) === fmt(v, d) : name === 'accuracy' ? Math.abs(a - v) <= 0.005 : Math.abs(a - v) <= 0.01);
    checks.push({ what: name, expected: fmt(v, d), actual: a === undefined ? 'none' : fmt(a, d), ok });
  }
  if (e.stoppedAt !== undefined || e.mode === 'tolerance') {
    const stop = (r.details?.earlyStop as { epoch: number } | undefined)?.epoch;
    checks.push({
      what: 'early stop epoch',
      expected: String(e.stoppedAt ?? 'none'),
      actual: String(stop ?? 'none'),
      ok: stop === e.stoppedAt,
    });
  }
  return checks;
}
