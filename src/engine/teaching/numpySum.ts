/**
 * `ndarray.sum()` for a contiguous float64 array, in NumPy's order of additions, so that sums
 * over thousands of elements round exactly as the book's printed numbers did.
 *
 * NumPy reduces in chunks of its 8192-element ufunc buffer; each chunk is summed pairwise
 * (`pairwise_sum` in loops_utils.h: below 8 elements a plain loop; up to 128 elements eight
 * interleaved partial sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus the
 * remainder; above that, split in two halves at a multiple of 8) and added to the running total.
 * A plain left-to-right loop differs in the last digits: for the chapter 5 finite differences
 * that is around 1e-13 relative.
 */
export function numpySum(values: ArrayLike<number>): number {
  const chunk = 8192;
  let total = 0;
  for (let start = 0; start < values.length; start += chunk)
    total += pairwiseSum(values, start, Math.min(chunk, values.length - start));
  return total;
}

function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0].map((_, j) => a[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}
