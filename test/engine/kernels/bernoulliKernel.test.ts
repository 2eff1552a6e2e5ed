import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { bernoulliKernel } from '../../../src/engine/kernels/bernoulliKernel';
import { kernelArena } from '../../../src/engine/kernels/kernelBackend';
import { RandomState } from '../../../src/engine/random/randomState';

setFlagsFromString('--experimental-wasm-relaxed-simd');

describe(
  'bernoulliKernel (dropout masks on the WebAssembly kernel)',
  { skip: kernelArena() ? false : 'this runtime has no WebAssembly backend' },
  () => {
    it('draws exactly what RandomState.fillBernoulli draws, from any stream position, and leaves the generator in the same state', () => {
      const arena = kernelArena()!;
      for (const p of [1e-9, 0.2, 0.5, 0.5000001, 0.8, 0.999999, 1]) {
        for (const skip of [0, 1, 311, 622, 623, 624, 1000]) {
          for (const n of [1, 3, 313, 5000]) {
            const a = new RandomState(11),
              b = new RandomState(11);
            for (let i = 0; i < skip; i++) {
              a.next32();
              b.next32();
            }
            const fast = arena.float32(n),
              slow = new Float32Array(n);
            bernoulliKernel(a, fast, p, 1 / 0.8);
            b.fillBernoulli(slow, p, 1 / 0.8);
            assert.deepEqual(Array.from(fast), Array.from(slow), `p ${p}, skip ${skip}, n ${n}`);
            assert.equal(a.next32(), b.next32(), `p ${p}, skip ${skip}, n ${n}: the streams continue together`);
          }
        }
      }
    });

    it("falls back to JavaScript for masks outside the arena and for float64 (the book's float64 runs)", () => {
      const a = new RandomState(5),
        b = new RandomState(5);
      const plain = new Float32Array(50),
        f64 = new Float64Array(50),
        ref = new Float32Array(50),
        ref64 = new Float64Array(50);
      bernoulliKernel(a, plain, 0.7);
      bernoulliKernel(a, f64, 0.7);
      b.fillBernoulli(ref, 0.7);
      b.fillBernoulli(ref64, 0.7);
      assert.deepEqual([Array.from(plain), Array.from(f64)], [Array.from(ref), Array.from(ref64)]);
    });
  },
);
