import type { TensorData } from '../tensor/tensor';

/** Summary statistics of a tensor's values. NaN and ±Inf are counted, never folded into 0. */
export interface TensorStats {
  readonly count: number;
  /** Mean and std over the finite values (NaN when there are none). */
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** L2 norm over the finite values. */
  readonly norm: number;
  /** Fraction of exact zeros (dead ReLU units show up here). */
  readonly zeroFraction: number;
  readonly nanCount: number;
  readonly infCount: number;
}

export interface Histogram {
  /** Left edge of the first bin and right edge of the last (equal when all values are equal). */
  readonly min: number;
  readonly max: number;
  /** Counts per equal-width bin over [min, max]; the last bin includes max. */
  readonly counts: Uint32Array;
}

/** One pass over the data: count, mean, std (population), min, max, L2 norm, zeros, NaN, Inf. */
export function tensorStats(data: TensorData): TensorStats {
  let n = 0,
    sum = 0,
    sumSq = 0,
    zeros = 0,
    nan = 0,
    inf = 0;
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v) {
      nan++;
      continue;
    }
    if (v === Infinity || v === -Infinity) {
      inf++;
      continue;
    }
    n++;
    sum += v;
    sumSq += v * v;
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n > 0 ? sum / n : NaN;
  const variance = n > 0 ? Math.max(0, sumSq / n - mean * mean) : NaN;
  return {
    count: data.length,
    mean,
    std: Math.sqrt(variance),
    min: n > 0 ? min : NaN,
    max: n > 0 ? max : NaN,
    norm: Math.sqrt(sumSq),
    zeroFraction: data.length > 0 ? zeros / data.length : 0,
    nanCount: nan,
    infCount: inf,
  };
}

/**
 * Equal-width histogram of the finite values over their own [min, max] (or `range`: pass the
 * min and max of tensorStats to save a pass). Bin of v: ⌊(v − min) / width⌋, the last bin
 * closed. A telemetry frame bins every weight and gradient (W4's LSTM: 650,000 values), so the loop
 * is kept to one comparison pair and one division per value.
 */
export function histogram(data: TensorData, bins: number, range?: { min: number; max: number }): Histogram {
  let min = range?.min ?? Infinity,
    max = range?.max ?? -Infinity;
  if (!range) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const counts = new Uint32Array(bins);
  if (!(min <= max) || !Number.isFinite(min) || !Number.isFinite(max)) return { min: NaN, max: NaN, counts };
  const width = (max - min) / bins;
  const last = bins - 1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // False for NaN, ±Inf (min and max are finite) and values outside the range.
    if (!(v >= min && v <= max)) continue;
    const b = width === 0 ? 0 : Math.floor((v - min) / width);
    counts[b < last ? b : last]++;
  }
  return { min, max, counts };
}

/** ‖a − b‖₂ for equal-length arrays (the size of one optimizer update). */
export function differenceNorm(a: TensorData, b: TensorData): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    if (Number.isFinite(d)) s += d * d;
  }
  return Math.sqrt(s);
}
