/**
 * TensorBoard's smoothing of a scalar curve: an exponential moving average, debiased the way Adam
 * debiases its moments, so the first points are not pulled towards 0.
 *
 *   last_i = weight · last_{i-1} + (1 − weight) · y_i,  last_0 = 0
 *   smoothed_i = last_i / (1 − weight^n_i)              (n_i: finite values seen so far)
 *
 * As TensorBoard's line chart does it: a non-finite value is passed through and does not enter the
 * average, a constant curve is left as it is (its debiased average is the constant anyway, up to
 * rounding), and `weight` 0 returns the values unchanged. `weight` is clamped to [0, 0.999].
 */
export function smoothSeries(values: readonly number[], weight: number): number[] {
  const w = Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 0.999) : 0;
  if (w === 0 || values.every((v) => v === values[0])) return [...values];
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    n++;
    return last / (1 - Math.pow(w, n));
  });
}

/** `smoothSeries` over the y values of (x, y) points. */
export function smoothPoints<P extends { readonly x: number; readonly y: number }>(
  points: readonly P[],
  weight: number,
): { x: number; y: number }[] {
  const ys = smoothSeries(
    points.map((p) => p.y),
    weight,
  );
  return points.map((p, i) => ({ x: p.x, y: ys[i] }));
}
