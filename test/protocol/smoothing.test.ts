import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { smoothPoints, smoothSeries } from '../../src/protocol/smoothing';

/** TensorBoard's resolveSmoothing (tensorboard/webapp/widgets/line_chart_v2/data_transformer.ts), as written there. */
function tensorBoard(values: number[], weight: number): number[] {
  let last = values.length > 0 ? 0 : NaN;
  let numAccum = 0;
  const isConstant = values.every((v) => v === values[0]);
  return values.map((nextVal) => {
    if (isConstant || !Number.isFinite(nextVal)) return nextVal;
    last = last * weight + (1 - weight) * nextVal;
    numAccum++;
    const debiasWeight = weight === 1 ? 1 : 1 - Math.pow(weight, numAccum);
    return last / debiasWeight;
  });
}

describe('smoothSeries: TensorBoard-style debiased exponential moving average', () => {
  it('matches hand-computed values (weight 0.6 on 1, 2, 3)', () => {
    // last: 0.4, 1.04, 1.824; debias: 0.4, 0.64, 0.784
    const s = smoothSeries([1, 2, 3], 0.6);
    assert.equal(s[0], 1); // the first point is the first value: no pull towards 0
    assert.ok(Math.abs(s[1] - 1.625) < 1e-12, String(s[1]));
    assert.ok(Math.abs(s[2] - 1.824 / 0.784) < 1e-12, String(s[2]));
  });

  it('equals TensorBoard on a noisy curve for several weights', () => {
    const ys = Array.from({ length: 200 }, (_, i) => Math.exp(-i / 50) + 0.1 * Math.sin(i * 1.7));
    for (const w of [0.1, 0.5, 0.6, 0.9, 0.99]) {
      const a = smoothSeries(ys, w);
      const b = tensorBoard(ys, w);
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-12, `w=${w} i=${i}: ${v} vs ${b[i]}`));
    }
  });

  it('passes non-finite values through without letting them into the average', () => {
    const s = smoothSeries([1, NaN, 3, Infinity, 5], 0.5);
    assert.ok(Number.isNaN(s[1]));
    assert.equal(s[3], Infinity);
    assert.deepEqual(s.filter(Number.isFinite), tensorBoard([1, NaN, 3, Infinity, 5], 0.5).filter(Number.isFinite));
    assert.ok(s.every((v, i) => !Number.isFinite([1, NaN, 3, Infinity, 5][i]) || Number.isFinite(v)));
  });

  it('weight 0 and constant curves are unchanged; the weight is clamped below 1', () => {
    assert.deepEqual(smoothSeries([3, 1, 2], 0), [3, 1, 2]);
    assert.deepEqual(smoothSeries([2, 2, 2], 0.9), [2, 2, 2]);
    assert.deepEqual(smoothSeries([], 0.9), []);
    const s = smoothSeries([1, 5], 1); // clamped to 0.999: still moves
    assert.ok(s[1] > 1 && s[1] < 5);
  });

  it('smoothPoints keeps x and smooths y', () => {
    const p = smoothPoints(
      [
        { x: 1, y: 1 },
        { x: 2, y: 2 },
        { x: 3, y: 3 },
      ],
      0.6,
    );
    assert.deepEqual(
      p.map((q) => q.x),
      [1, 2, 3],
    );
    assert.ok(Math.abs(p[1].y - 1.625) < 1e-12);
  });
});
