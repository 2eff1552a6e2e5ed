import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gemm } from '../../../src/engine/kernels/gemm';
import {
  fastGemm64,
  kernelArena,
  kernelBackend64Name,
  setKernelPreference,
} from '../../../src/engine/kernels/kernelBackend';
import { matmulNN, matmulNT, matmulTN } from '../../../src/engine/kernels/matmul';
import { MATMUL_LAYOUTS, MatmulLayout } from '../../../src/engine/kernels/matmulLayout';
import { WasmGemm64 } from '../../../src/engine/kernels/wasm/wasmGemm64';
import { RandomState } from '../../../src/engine/random/randomState';
import { setEngineLogger } from '../../../src/engine/logger';

const REFERENCE = { NN: matmulNN, NT: matmulNT, TN: matmulTN } as const;

function randomF64(size: number, rng: RandomState): Float64Array {
  const out = new Float64Array(size);
  rng.fillNormal(out);
  return out;
}

/** Shapes with ragged edges: odd m, n, k; k not a multiple of 2; sizes of 1; more than one k-slice, row block and column block. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [3, 5, 7],
  [4, 4, 4],
  [5, 3, 9],
  [17, 9, 10],
  [60, 784, 89],
  [89, 60, 784],
  [7, 513, 3],
  [131, 257, 1031],
  [97, 1, 5],
];

/** One product of each shape, layout and accumulate flag: [reference C, gemm() C]. */
function both(layout: MatmulLayout, m: number, k: number, n: number, accumulate: boolean, rng: RandomState) {
  const a = randomF64(m * k, rng),
    b = randomF64(k * n, rng),
    c0 = randomF64(m * n, rng);
  const expected = c0.slice(),
    actual = c0.slice();
  REFERENCE[layout](a, b, expected, m, k, n, accumulate);
  gemm(layout, a, b, actual, m, k, n, accumulate);
  return { a, b, c0, expected, actual };
}

afterEach(() => {
  setKernelPreference('auto');
  setEngineLogger(null);
});

describe('float64 WebAssembly GEMM (gemm64.wat)', () => {
  it('is selected for float64 products when the runtime has WebAssembly SIMD', () => {
    assert.ok(fastGemm64());
    assert.equal(kernelBackend64Name(), 'wasm-simd128');
  });

  it('equals the reference kernels bit for bit on ragged shapes, every layout, with and without accumulate', () => {
    const rng = new RandomState(17);
    for (const [m, k, n] of SHAPES)
      for (const layout of MATMUL_LAYOUTS)
        for (const accumulate of [false, true]) {
          const { expected, actual } = both(layout, m, k, n, accumulate, rng);
          let worst = 0;
          for (let i = 0; i < m * n; i++)
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1e-300, Math.abs(expected[i])));
          assert.ok(worst <= 1e-12, `${layout} ${m}×${k}×${n} acc=${accumulate}: relative error ${worst}`);
          assert.deepEqual(actual, expected, `${layout} ${m}×${k}×${n} acc=${accumulate} not bit-identical`);
        }
  });

  it('gives the same bits on repeated runs, and for operands in the arena as for copied ones', () => {
    const arena = kernelArena();
    const fast = fastGemm64();
    assert.ok(arena && fast);
    const rng = new RandomState(5);
    const [m, k, n] = [37, 301, 45];
    for (const layout of MATMUL_LAYOUTS) {
      const a = randomF64(m * k, rng),
        b = randomF64(k * n, rng);
      const first = new Float64Array(m * n);
      fast.gemm(layout, a, b, first, m, k, n);
      for (let run = 0; run < 3; run++) {
        const again = new Float64Array(m * n);
        fast.gemm(layout, a, b, again, m, k, n);
        assert.deepEqual(again, first);
      }
      // Resident operands (views of the arena) are read and written in place.
      const view = (x: Float64Array): Float64Array => {
        const at = arena.allocate(x.length * 8);
        const v = new Float64Array(arena.buffer(), at, x.length);
        v.set(x);
        return v;
      };
      const cIn = view(new Float64Array(m * n));
      fast.gemm(layout, view(a), view(b), cIn, m, k, n);
      assert.deepEqual(Float64Array.from(cIn), first);
    }
  });

  it('adds the whole sum to C for NT with accumulate, as matmulNT does (c + Σ, not a sum continued from c)', () => {
    // c = 1, terms 2⁻⁵³ and 2⁻⁵³: (1 + 2⁻⁵³) + 2⁻⁵³ rounds to 1, 1 + (2⁻⁵³ + 2⁻⁵³) = 1 + 2⁻⁵².
    const tiny = 2 ** -53;
    const a = Float64Array.from([tiny, tiny]),
      b = Float64Array.from([1, 1]);
    const c = Float64Array.from([1]);
    gemm('NT', a, b, c, 1, 2, 1, true);
    assert.equal(c[0], 1 + 2 ** -52);
    const cNN = Float64Array.from([1]);
    gemm('NN', a, b, cNN, 1, 2, 1, true);
    const expected = Float64Array.from([1]);
    matmulNN(a, b, expected, 1, 2, 1, true);
    assert.equal(cNN[0], expected[0]);
    assert.equal(cNN[0], 1);
  });

  it("uses the reference kernels for float64 with the 'reference' preference and without WebAssembly", () => {
    setKernelPreference('reference');
    assert.equal(fastGemm64(), null);
    assert.equal(kernelBackend64Name(), 'reference');
    setEngineLogger({ warn: () => undefined, info: () => undefined });
    const g = globalThis as { WebAssembly?: unknown };
    const saved = g.WebAssembly;
    delete g.WebAssembly;
    try {
      setKernelPreference('auto');
      assert.equal(kernelBackend64Name(), 'reference');
      const { expected, actual } = both('TN', 5, 6, 4, false, new RandomState(2));
      assert.deepEqual(actual, expected);
    } finally {
      g.WebAssembly = saved;
    }
    setKernelPreference('auto');
    assert.equal(kernelBackend64Name(), 'wasm-simd128');
  });

  it('rejects operands too small for the shape', () => {
    const fast = fastGemm64();
    assert.ok(fast instanceof WasmGemm64);
    assert.throws(
      () => fast.gemm('NN', new Float64Array(2), new Float64Array(6), new Float64Array(4), 2, 3, 2),
      /too small for m=2, k=3, n=2/,
    );
  });
});
