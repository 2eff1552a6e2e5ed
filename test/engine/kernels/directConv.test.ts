import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { fastConv, kernelArena, setKernelPreference } from '../../../src/engine/kernels/kernelBackend';
import { StepArena } from '../../../src/engine/kernels/stepArena';
import { Conv2dOp } from '../../../src/engine/ops/conv2d';
import { MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';

setFlagsFromString('--experimental-wasm-relaxed-simd');
setKernelPreference('auto');

/** Largest |x − ref| relative to the magnitude of the sum behind each element (Σ|terms| + 1e-30). */
function worst(x: ArrayLike<number>, ref: ArrayLike<number>, mag: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < ref.length; i++) w = Math.max(w, Math.abs(x[i] - ref[i]) / (mag[i] + 1e-30));
  return w;
}

/**
 * conv.wat's direct stride-1 kernels on random geometries against the float64 reference
 * convolution (the im2col + reference GEMM path of the same op): output, input gradient (the
 * flipped-weight convolution of dy), weight and bias gradients within 1e-5 of the magnitude of
 * each sum, in a training step (outputs in a step arena) and outside one.
 */
describe(
  'direct stride-1 convolution (conv.wat) on random shapes',
  { skip: fastConv() ? false : 'this runtime has no conv.wat' },
  () => {
    const rng = new RandomState(20261127);
    const cases: {
      batch: number;
      cIn: number;
      cOut: number;
      h: number;
      w: number;
      k: number;
      padding: 'same' | 'valid';
      bias: boolean;
    }[] = [];
    while (cases.length < 40) {
      const k = 1 + rng.randint(0, 5),
        padding = rng.randint(0, 2) ? ('same' as const) : ('valid' as const);
      const h = (padding === 'valid' ? k : 1) + rng.randint(0, 12),
        w = (padding === 'valid' ? k : 1) + rng.randint(0, 17);
      cases.push({
        batch: 1 + rng.randint(0, 4),
        cIn: 1 + rng.randint(0, 5),
        cOut: 1 + rng.randint(0, 10),
        h,
        w,
        k,
        padding,
        bias: rng.randint(0, 3) > 0,
      });
    }
    it(`agrees with the float64 reference within 1e-5 on ${cases.length} geometries (sizes of 1, odd widths, partial filter groups)`, () => {
      for (const c of cases) {
        const label = `batch ${c.batch}, [${c.cIn}, ${c.h}, ${c.w}] → ${c.cOut} × ${c.k}×${c.k} ${c.padding}${c.bias ? '' : ', no bias'}`;
        const w = Tensor.zeros([c.cOut, c.cIn, c.k, c.k]),
          b = Tensor.zeros([c.cOut]),
          x = Tensor.zeros([c.batch, c.cIn, c.h, c.w]);
        for (const t of [w, b, x]) rng.fillNormal(t.data);
        const f64 = (t: Tensor, f: (v: number) => number = (v) => v) =>
          new Tensor(t.shape, Float64Array.from(t.data, f));
        const mode = { training: true, rng, profile: MODERN };
        const ref = new Conv2dOp(f64(w), c.bias ? f64(b) : null, { padding: c.padding });
        const r = ref.forward(f64(x), mode);
        const dy = Tensor.zeros(r.y.shape);
        rng.fillNormal(dy.data);
        const dxRef = ref.backward(f64(dy), r.ctx);
        const mag = new Conv2dOp(f64(w, Math.abs), c.bias ? f64(b, Math.abs) : null, { padding: c.padding });
        const m = mag.forward(f64(x, Math.abs), mode);
        const dxMag = mag.backward(f64(dy, Math.abs), m.ctx);
        for (const inStep of [false, true]) {
          const op = new Conv2dOp(w, c.bias ? b : null, { padding: c.padding });
          const step = inStep ? new StepArena(kernelArena()!, op) : null;
          step?.begin();
          const f = op.forward(x, { ...mode, step });
          const dx = op.backward(dy, f.ctx);
          const where = `${label}${inStep ? ', in a step' : ''}`;
          assert.ok(worst(f.y.data, r.y.data, m.y.data) <= 1e-5, `y: ${where}`);
          assert.ok(worst(dx.data, dxRef.data, dxMag.data) <= 1e-5, `dx: ${where}`);
          assert.ok(worst(op.w.grad.data, ref.w.grad.data, mag.w.grad.data) <= 1e-5, `dW: ${where}`);
          if (c.bias) assert.ok(worst(op.b!.grad.data, ref.b!.grad.data, mag.b!.grad.data) <= 1e-5, `dB: ${where}`);
        }
      }
    });
  },
);
