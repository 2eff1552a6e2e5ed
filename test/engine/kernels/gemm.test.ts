import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { matmulNN, matmulNT, matmulTN } from '../../../src/engine/kernels/matmul';
import { MATMUL_LAYOUTS, MatmulLayout } from '../../../src/engine/kernels/matmulLayout';
import { WasmGemm, WasmGemmVariant } from '../../../src/engine/kernels/wasm/wasmGemm';
import { RandomState } from '../../../src/engine/random/randomState';

// Node 20 validates relaxed SIMD only behind this V8 flag (newer runtimes ship it); it must be set
// before the first module is compiled. Each test file runs in its own process.
setFlagsFromString('--experimental-wasm-relaxed-simd');

const REFERENCE = { NN: matmulNN, NT: matmulNT, TN: matmulTN } as const;
const VARIANTS: WasmGemmVariant[] = ['simd128', 'relaxedSimd'];

function uniform(size: number, rng: RandomState): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.double() * 2 - 1;
  return out;
}

/**
 * Runs one product on the WebAssembly kernel and on the float64 reference, and returns the
 * largest error relative to the product's magnitude Σₚ|a||b| (the scale float32 rounding error
 * grows with, so a cancelling sum near zero is not held to 1e-5 of itself).
 */
function worstError(
  g: WasmGemm,
  layout: MatmulLayout,
  m: number,
  k: number,
  n: number,
  accumulate: boolean,
  rng: RandomState,
): number {
  const a = uniform(m * k, rng),
    b = uniform(k * n, rng),
    c0 = uniform(m * n, rng);
  const c = c0.slice();
  g.gemm(layout, a, b, c, m, k, n, accumulate);
  const a64 = Float64Array.from(a),
    b64 = Float64Array.from(b);
  const expected = Float64Array.from(c0);
  REFERENCE[layout](a64, b64, expected, m, k, n, accumulate);
  const scale = new Float64Array(m * n);
  REFERENCE[layout](a64.map(Math.abs), b64.map(Math.abs), scale, m, k, n);
  let worst = 0;
  for (let i = 0; i < m * n; i++) {
    const mag = scale[i] + (accumulate ? Math.abs(c0[i]) : 0) + 1e-30;
    worst = Math.max(worst, Math.abs(c[i] - expected[i]) / mag);
  }
  return worst;
}

// Odd sizes, ones, and sizes that cross the kernel's blocking (MR 4, NR 8, KC 400, MC 128).
const FIXED: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [1, 1, 9],
  [9, 1, 1],
  [4, 8, 8],
  [3, 5, 7],
  [5, 3, 13],
  [60, 784, 89],
  [89, 60, 10],
  [60, 10, 89],
  [129, 257, 17],
  [131, 513, 9],
  [7, 300, 2051],
  // 4 ≤ n ≤ 12 takes the narrow path for NN and TN (no packing; overlapping vectors of a row;
  // rows of C three at a time, then one by one): every n, 1 to 5 rows, k of 1, and W2's dense layer.
  [1, 1, 4],
  [2, 3, 5],
  [4, 1, 6],
  [5, 2, 7],
  [1, 9, 8],
  [2, 1, 9],
  [7, 9, 11],
  [3, 1, 12],
  [6, 5, 10],
  [60, 12544, 10],
  [12544, 60, 10],
];

for (const variant of VARIANTS) {
  const g = WasmGemm.create(variant);
  describe(`WasmGemm (${variant})`, { skip: g ? false : `this runtime does not validate ${variant}` }, () => {
    for (const layout of MATMUL_LAYOUTS) {
      for (const accumulate of [false, true]) {
        it(`agrees with the float64 reference within 1e-5 for ${layout}${accumulate ? ' with accumulate' : ''} on odd sizes and ones`, () => {
          const rng = new RandomState(layout.charCodeAt(0) * 31 + layout.charCodeAt(1) + (accumulate ? 7 : 0));
          const cases = [...FIXED];
          for (let t = 0; t < 30; t++)
            cases.push([1 + rng.randint(0, 70), 1 + rng.randint(0, 70), 1 + rng.randint(0, 70)]);
          for (const [m, k, n] of cases) {
            const e = worstError(g as WasmGemm, layout, m, k, n, accumulate, rng);
            assert.ok(
              e <= 1e-5,
              `${variant} ${layout} m=${m} k=${k} n=${n} accumulate=${accumulate}: relative error ${e}`,
            );
          }
        });
      }
    }

    it('gives a product of 1 to 3 rows, row for row, the bits of the same rows inside a bigger product', () => {
      // m < 4 runs one row at a time (gemm.wat's $row1 / $rowPacked), the bigger product on the 4×8
      // tiles; k = 1000 crosses slices, n = 2100 column blocks, n = 37 and 318 partial panels.
      const rng = new RandomState(17);
      const big = 9;
      for (const layout of MATMUL_LAYOUTS)
        for (const [k, n] of [
          [1, 1],
          [7, 3],
          [318, 256],
          [256, 318],
          [1000, 37],
          [33, 2100],
          [5, 9],
        ])
          for (const m of [1, 2, 3])
            for (const accumulate of [false, true]) {
              const aBig = uniform(big * k, rng),
                b = uniform(k * n, rng),
                c0 = uniform(big * n, rng);
              // TN stores A as [k, m]: the small product's A is the first m columns of each row.
              const aSmall = new Float32Array(m * k);
              for (let i = 0; i < m; i++)
                for (let p = 0; p < k; p++)
                  aSmall[layout === 'TN' ? p * m + i : i * k + p] = aBig[layout === 'TN' ? p * big + i : i * k + p];
              const cBig = c0.slice(),
                cSmall = c0.slice(0, m * n);
              (g as WasmGemm).gemm(layout, aBig, b, cBig, big, k, n, accumulate);
              (g as WasmGemm).gemm(layout, aSmall, b, cSmall, m, k, n, accumulate);
              assert.deepEqual(
                cSmall,
                cBig.subarray(0, m * n),
                `${variant} ${layout} m=${m} k=${k} n=${n} accumulate=${accumulate}`,
              );
            }
    });

    it('overwrites C without reading it, so NaN garbage in C does not leak', () => {
      const a = new Float32Array([1, 2, 3, 4, 5, 6]),
        b = new Float32Array([1, 0, 0, 1, 1, 1]);
      const c = new Float32Array(4).fill(NaN);
      (g as WasmGemm).gemm('NN', a, b, c, 2, 3, 2);
      assert.deepEqual(Array.from(c), [4, 5, 10, 11]); // [1 2 3]·[[1 0],[0 1],[1 1]] = [4 5]
    });

    it('treats k = 0 as an empty sum: zeros, or C unchanged with accumulate', () => {
      const c = new Float32Array([1, 2]);
      (g as WasmGemm).gemm('NT', new Float32Array(0), new Float32Array(0), c, 1, 0, 2, true);
      assert.deepEqual(Array.from(c), [1, 2]);
      (g as WasmGemm).gemm('NT', new Float32Array(0), new Float32Array(0), c, 1, 0, 2);
      assert.deepEqual(Array.from(c), [0, 0]);
    });

    it('uses operands that live in its own memory in place, with the same result', () => {
      const rng = new RandomState(3);
      const [m, k, n] = [37, 41, 43];
      const a = uniform(m * k, rng),
        b = uniform(k * n, rng),
        c = new Float32Array(m * n);
      (g as WasmGemm).gemm('TN', a, b, c, m, k, n);
      const [ra, rb, rc] = (g as WasmGemm).allocateResident([m * k, k * n, m * n]);
      ra.set(a);
      rb.set(b);
      (g as WasmGemm).gemm('TN', ra, rb, rc, m, k, n);
      assert.deepEqual(Array.from(rc), Array.from(c));
    });

    it('refuses operands too small for the shape', () => {
      assert.throws(
        () => (g as WasmGemm).gemm('NN', new Float32Array(5), new Float32Array(6), new Float32Array(4), 2, 3, 2),
        /too small for m=2, k=3, n=2/,
      );
    });
  });
}

describe('WasmGemm.create', () => {
  it('returns null when the runtime has no WebAssembly', () => {
    assert.equal(WasmGemm.create('simd128', null), null);
  });
});
