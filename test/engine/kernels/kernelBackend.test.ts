import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { gemm } from '../../../src/engine/kernels/gemm';
import { kernelArena, kernelBackendName, setKernelPreference } from '../../../src/engine/kernels/kernelBackend';
import { momentumUpdate } from '../../../src/engine/kernels/momentumUpdate';
import { tanhKernel } from '../../../src/engine/kernels/tanhKernel';
import { makeParam } from '../../../src/engine/ops/operation';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { matmulNN, matmulTN } from '../../../src/engine/kernels/matmul';
import { Logger, setEngineLogger } from '../../../src/engine/logger';
import { RandomState } from '../../../src/engine/random/randomState';

setFlagsFromString('--experimental-wasm-relaxed-simd');

function recorder(): Logger & { warnings: string[]; infos: string[] } {
  const r = {
    warnings: [] as string[],
    infos: [] as string[],
    warn: (m: string) => void r.warnings.push(m),
    info: (m: string) => void r.infos.push(m),
  };
  return r;
}

function randomF32(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  new RandomState(seed).fillNormal(out);
  return out;
}

afterEach(() => {
  setKernelPreference('auto');
  setEngineLogger(null);
});

describe('kernel dispatch', () => {
  it('runs float32 products on relaxed SIMD when the runtime validates it', () => {
    setKernelPreference('auto');
    assert.equal(kernelBackendName(), 'wasm-relaxed-simd');
    setKernelPreference('wasm-simd128');
    assert.equal(kernelBackendName(), 'wasm-simd128');
  });

  it("gives float64 products the reference kernels' results, bit for bit (gemm64.wat)", () => {
    const a = Float64Array.from(randomF32(6 * 5, 1)),
      b = Float64Array.from(randomF32(6 * 4, 2));
    const c = new Float64Array(20),
      expected = new Float64Array(20);
    gemm('TN', a, b, c, 5, 6, 4);
    matmulTN(a, b, expected, 5, 6, 4);
    assert.deepEqual(c, expected);
  });

  it("uses the reference kernels for float32 when preference is 'reference'", () => {
    setKernelPreference('reference');
    const a = randomF32(3 * 7, 3),
      b = randomF32(7 * 5, 4);
    const c = new Float32Array(15),
      expected = new Float32Array(15);
    gemm('NN', a, b, c, 3, 7, 5);
    matmulNN(a, b, expected, 3, 7, 5);
    assert.deepEqual(c, expected);
    assert.equal(kernelBackendName(), 'reference');
  });

  it('falls back to the reference kernels without WebAssembly and says so once', () => {
    const log = recorder();
    setEngineLogger(log);
    const g = globalThis as { WebAssembly?: unknown };
    const saved = g.WebAssembly;
    delete g.WebAssembly;
    try {
      setKernelPreference('auto');
      const a = randomF32(4 * 3, 5),
        b = randomF32(3 * 2, 6);
      const c = new Float32Array(8),
        expected = new Float32Array(8);
      gemm('NN', a, b, c, 4, 3, 2);
      gemm('NN', a, b, c, 4, 3, 2);
      matmulNN(a, b, expected, 4, 3, 2);
      assert.deepEqual(c, expected);
      assert.equal(kernelBackendName(), 'reference');
      assert.equal(log.warnings.length, 1);
      assert.match(log.warnings[0], /no WebAssembly.*reference TypeScript kernels \(slower, same results\)/);
    } finally {
      g.WebAssembly = saved;
    }
  });

  it('places float32 and float64 parameters and gradients in the kernel arena, reference-backend ones in plain arrays', () => {
    setKernelPreference('auto');
    const arena = kernelArena();
    assert.ok(arena);
    const p32 = makeParam(
      'W',
      Tensor.from(
        [
          [1, 2],
          [3, 4],
        ],
        'float32',
      ),
    );
    assert.ok(arena.owns(p32.value.data) && arena.owns(p32.grad.data));
    assert.deepEqual(Array.from(p32.value.data), [1, 2, 3, 4]);
    // float64 (book profile) parameters too, for the float64 GEMM (gemm64.wat) to read in place.
    const p64 = makeParam('W', Tensor.from([[1, 2]], 'float64'));
    assert.ok(p64.value.data instanceof Float64Array && arena.owns(p64.value.data) && arena.owns(p64.grad.data));
    assert.deepEqual(Array.from(p64.value.data), [1, 2]);
    setKernelPreference('reference');
    const pRef = makeParam('W', Tensor.from([[1, 2]], 'float32'));
    assert.ok(pRef.value.data instanceof Float32Array && !arena.owns(pRef.value.data));
    const pRef64 = makeParam('W', Tensor.from([[1, 2]], 'float64'));
    assert.ok(pRef64.value.data instanceof Float64Array && !arena.owns(pRef64.value.data));
  });

  it('keeps float64 tanh and momentum on the exact scalar loops', () => {
    const x = Float64Array.from([-2, -0.5, 0, 0.3, 4]);
    const y = new Float64Array(5);
    tanhKernel(x, y);
    assert.deepEqual(Array.from(y), Array.from(x, Math.tanh));
    const w = Float64Array.from([1, 2]),
      g = Float64Array.from([0.5, -1]),
      v = Float64Array.from([0.1, 0.2]);
    momentumUpdate(w, g, v, 0.9, 1, 0.1); // v = 0.9·v + g; w −= 0.1·v
    assert.deepEqual(Array.from(v), [0.9 * 0.1 + 0.5, 0.9 * 0.2 - 1]);
    assert.deepEqual(Array.from(w), [1 - 0.1 * (0.9 * 0.1 + 0.5), 2 - 0.1 * (0.9 * 0.2 - 1)]);
  });

  it('rejects operands too small for the shape with a ShapeError', () => {
    assert.throws(
      () => gemm('NT', new Float32Array(2), new Float32Array(6), new Float32Array(4), 2, 3, 2),
      (e: Error) => e.name === 'ShapeError' && /too small for m=2, k=3, n=2/.test(e.message),
    );
  });
});
