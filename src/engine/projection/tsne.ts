import { assertValue } from '../errors';
import { type TsneOptions, tsneDescent } from './tsneDescent';

export type { TsneOptions } from './tsneDescent';

export interface TsneResult {
  /** [rows × 2], row-major. */
  readonly points: Float64Array;
  /** KL(P ‖ Q) of the final layout: how much neighbourhood structure the map lost. */
  readonly klDivergence: number;
}

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
  const p = affinities(data, rows, d, perplexity);

  // num[i·rows + j] = 1 / (1 + |yᵢ − yⱼ|²), the unnormalised Student-t affinity.
  const num = new Float64Array(rows * rows);
  const y = tsneDescent(rows, options, 'tsne', (y, exaggeration, grad) => {
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
  });
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
