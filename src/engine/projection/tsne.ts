import { assertValue } from '../errors';
import { RandomState } from '../random/randomState';

export interface TsneOptions {
  /** Effective number of neighbours each point's Gaussian covers. Default 30 (scikit-learn's). */
  perplexity?: number;
  /** Gradient steps. Default 1000. */
  iterations?: number;
  /** Seed of the initial layout, N(0, 1e-4²) per coordinate. Default 1. */
  seed?: number;
  /** Step size. Default scikit-learn's 'auto': max(rows / 12 / 4, 50). */
  learningRate?: number;
  /**
   * A starting layout [rows × 2], e.g. the last map of the same rows while a network trains:
   * no early exaggeration then (the clusters are already formed), so the map moves smoothly.
   */
  initial?: ArrayLike<number>;
}

export interface TsneResult {
  /** [rows × 2], row-major. */
  readonly points: Float64Array;
  /** KL(P ‖ Q) of the final layout: how much neighbourhood structure the map lost. */
  readonly klDivergence: number;
}

const EXAGGERATION = 12;
const EXAGGERATED_STEPS = 250;

/**
 * Exact t-SNE (van der Maaten & Hinton 2008) to two dimensions, with scikit-learn's schedule:
 * perplexity-calibrated Gaussian affinities P, symmetrised; Student-t affinities Q in the map;
 * gradient 4·Σⱼ (pᵢⱼ − qᵢⱼ)(yᵢ − yⱼ)/(1 + |yᵢ − yⱼ|²) with early exaggeration (P × 12 for 250
 * steps), momentum 0.5 then 0.8, and per-coordinate adaptive gains. O(rows²) memory and time per
 * step, so meant for up to about a thousand points. Deterministic for a seed.
 */
export function tsne(data: ArrayLike<number>, rows: number, d: number, options: TsneOptions = {}): TsneResult {
  assertValue(
    rows >= 2 && data.length === rows * d,
    () => `tsne: expected at least 2 rows × ${d} columns, got ${data.length} values for ${rows} rows`,
  );
  const perplexity = Math.min(options.perplexity ?? 30, (rows - 1) / 3);
  const iterations = options.iterations ?? 1000;
  const lr = options.learningRate ?? Math.max(rows / EXAGGERATION / 4, 50);
  const p = affinities(data, rows, d, perplexity);

  const rng = new RandomState(options.seed ?? 1);
  const y = new Float64Array(rows * 2);
  if (options.initial) {
    assertValue(options.initial.length === rows * 2, () => `tsne: initial layout needs ${rows * 2} values`);
    y.set(options.initial);
  } else rng.fillNormal(y, 0, 1e-4);
  const exaggerated = options.initial ? 0 : EXAGGERATED_STEPS;
  const update = new Float64Array(rows * 2);
  const gains = new Float64Array(rows * 2).fill(1);
  const grad = new Float64Array(rows * 2);
  // num[i·rows + j] = 1 / (1 + |yᵢ − yⱼ|²), the unnormalised Student-t affinity.
  const num = new Float64Array(rows * rows);
  for (let it = 0; it < iterations; it++) {
    const exaggeration = it < exaggerated ? EXAGGERATION : 1;
    const momentum = it < exaggerated ? 0.5 : 0.8;
    const sumQ = studentT(y, rows, num);
    grad.fill(0);
    for (let i = 0; i < rows; i++) {
      let gx = 0,
        gy = 0;
      const yix = y[2 * i],
        yiy = y[2 * i + 1];
      for (let j = 0; j < rows; j++) {
        if (j === i) continue;
        const n = num[i * rows + j];
        const m = (exaggeration * p[i * rows + j] - n / sumQ) * n;
        gx += m * (yix - y[2 * j]);
        gy += m * (yiy - y[2 * j + 1]);
      }
      grad[2 * i] = 4 * gx;
      grad[2 * i + 1] = 4 * gy;
    }
    for (let k = 0; k < rows * 2; k++) {
      // Grow a coordinate's gain while its gradient keeps pointing against the last step, shrink it otherwise.
      gains[k] = Math.sign(grad[k]) !== Math.sign(update[k]) ? gains[k] + 0.2 : Math.max(0.01, gains[k] * 0.8);
      update[k] = momentum * update[k] - lr * gains[k] * grad[k];
      y[k] += update[k];
    }
    centre(y, rows);
  }
  const sumQ = studentT(y, rows, num);
  let kl = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < rows; j++) {
      if (j === i) continue;
      const pij = p[i * rows + j];
      kl += pij * Math.log(pij / Math.max(num[i * rows + j] / sumQ, 1e-12));
    }
  }
  return { points: y, klDivergence: kl };
}

/** Fills num with 1/(1 + squared map distance) (0 on the diagonal); returns their sum. */
function studentT(y: Float64Array, rows: number, num: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    num[i * rows + i] = 0;
    for (let j = i + 1; j < rows; j++) {
      const dx = y[2 * i] - y[2 * j],
        dy = y[2 * i + 1] - y[2 * j + 1];
      const n = 1 / (1 + dx * dx + dy * dy);
      num[i * rows + j] = n;
      num[j * rows + i] = n;
      sum += 2 * n;
    }
  }
  return sum;
}

function centre(y: Float64Array, rows: number): void {
  let mx = 0,
    my = 0;
  for (let i = 0; i < rows; i++) {
    mx += y[2 * i];
    my += y[2 * i + 1];
  }
  mx /= rows;
  my /= rows;
  for (let i = 0; i < rows; i++) {
    y[2 * i] -= mx;
    y[2 * i + 1] -= my;
  }
}

/**
 * Joint affinities P [rows × rows]: for each row a Gaussian over the others whose width is found
 * by bisection so its entropy is log(perplexity), then symmetrised, pᵢⱼ = (pⱼ|ᵢ + pᵢ|ⱼ) / 2·rows.
 */
function affinities(data: ArrayLike<number>, rows: number, d: number, perplexity: number): Float64Array {
  const dist = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = data[i * d + k] - data[j * d + k];
        s += t * t;
      }
      dist[i * rows + j] = s;
      dist[j * rows + i] = s;
    }
  }
  const target = Math.log(perplexity);
  const cond = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    let beta = 1,
      lo = -Infinity,
      hi = Infinity;
    for (let step = 0; step < 100; step++) {
      // Row i's Gaussian at precision beta; H = log Σ + beta·Σ pd / Σ (natural-log entropy).
      let sum = 0,
        weighted = 0;
      for (let j = 0; j < rows; j++) {
        if (j === i) continue;
        const e = Math.exp(-dist[i * rows + j] * beta);
        cond[i * rows + j] = e;
        sum += e;
        weighted += e * dist[i * rows + j];
      }
      sum = Math.max(sum, 1e-300);
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      for (let j = 0; j < rows; j++) cond[i * rows + j] /= sum;
      const diff = entropy - target;
      if (Math.abs(diff) < 1e-5) break;
      // Too much entropy: the Gaussian is too wide, raise the precision.
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
  }
  const p = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < rows; j++) {
      if (j !== i) p[i * rows + j] = Math.max((cond[i * rows + j] + cond[j * rows + i]) / (2 * rows), 1e-12);
    }
  }
  return p;
}
