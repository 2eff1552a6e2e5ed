import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { histogram, tensorStats } from '../../../src/engine/telemetry/tensorStats';

/** The definition, written plainly: finite values only, bin ⌊(v − min) / width⌋, the last bin closed. */
function reference(data: ArrayLike<number>, bins: number): { min: number; max: number; counts: number[] } {
  const finite = Array.from(data).filter(Number.isFinite);
  const counts = new Array<number>(bins).fill(0);
  if (finite.length === 0) return { min: NaN, max: NaN, counts };
  const min = Math.min(...finite),
    max = Math.max(...finite);
  const width = (max - min) / bins;
  for (const v of finite) counts[width === 0 ? 0 : Math.min(bins - 1, Math.floor((v - min) / width))]++;
  return { min, max, counts };
}

describe('histogram: the telemetry frame’s fast binning equals the definition', () => {
  it('on its own and with tensorStats’ range, for values with NaN, ±Inf, repeats and one value', () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.float({ min: -4, max: 4, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, 1e-30, -2.5) },
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (values, bins) => {
        const data = Float32Array.from(values);
        const want = reference(data, bins);
        const s = tensorStats(data);
        for (const h of [
          histogram(data, bins),
          histogram(data, bins, Number.isFinite(s.min) ? { min: s.min, max: s.max } : undefined),
        ]) {
          assert.deepEqual(Array.from(h.counts), want.counts);
          assert.ok(Object.is(h.min, want.min) && Object.is(h.max, want.max), `${h.min}..${h.max}`);
        }
      }),
      { numRuns: 400 },
    );
  });
});
