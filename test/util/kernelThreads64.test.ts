import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gemm } from '../../src/engine/kernels/gemm';
import { fastGemm64, kernelArena, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import { matmulNN, matmulNT, matmulTN } from '../../src/engine/kernels/matmul';
import { MATMUL_LAYOUTS } from '../../src/engine/kernels/matmulLayout';
import { kernelThreads, setKernelThreads, stopKernelThreads } from '../../src/engine/kernels/parallel';
import { threadedGemm64 } from '../../src/engine/kernels/parallel64';
import { RandomState } from '../../src/engine/random/randomState';
import { enableKernelThreads } from '../../src/util/kernelThreads';

const REFERENCE = { NN: matmulNN, NT: matmulNT, TN: matmulTN } as const;

function randomF64(size: number, rng: RandomState): Float64Array {
  const out = new Float64Array(size);
  rng.fillNormal(out);
  return out;
}

const hasWasm = (() => {
  setKernelPreference('auto');
  return kernelArena() !== null && fastGemm64() !== null;
})();

/** Big enough to be split across two threads (≥ 2·GEMM64_MIN_FLOPS), with ragged edges. */
const SHAPES: [number, number, number][] = [
  [60, 784, 89],
  [61, 785, 91],
  [131, 257, 1031],
  [512, 97, 63],
];

describe(
  'float64 GEMM on kernel threads',
  { skip: hasWasm ? false : 'this runtime has no WebAssembly backend' },
  () => {
    before(() => {
      assert.equal(enableKernelThreads(2), 2);
    });
    after(() => {
      stopKernelThreads();
      setKernelPreference('auto');
    });

    it('splits big float64 products across two threads', () => {
      setKernelThreads(2);
      assert.equal(kernelThreads(), 2);
      assert.ok(threadedGemm64(), 'two threads give a threaded float64 GEMM');
      setKernelThreads(1);
      assert.equal(threadedGemm64(), undefined);
    });

    it('gives the same bits on 1 and 2 threads, on repeated runs, and as the reference kernels', () => {
      const rng = new RandomState(64);
      for (const [m, k, n] of SHAPES)
        for (const layout of MATMUL_LAYOUTS)
          for (const accumulate of [false, true]) {
            const a = randomF64(m * k, rng),
              b = randomF64(k * n, rng),
              c0 = randomF64(m * n, rng);
            const expected = c0.slice();
            REFERENCE[layout](a, b, expected, m, k, n, accumulate);
            for (const threads of [1, 2, 2, 1]) {
              setKernelThreads(threads);
              const c = c0.slice();
              gemm(layout, a, b, c, m, k, n, accumulate);
              assert.deepEqual(c, expected, `${layout} ${m}×${k}×${n} acc=${accumulate} on ${threads} thread(s)`);
            }
          }
      setKernelThreads(2);
    });
  },
);
