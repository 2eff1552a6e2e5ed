import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Padding2d, Size2d } from '../../../src/engine/conv/convShape';
import { ShapeError, ValueError } from '../../../src/engine/errors';
import { formatFailures, gradCheck } from '../../../src/engine/gradcheck/gradCheck';
import { Conv2dOp } from '../../../src/engine/ops/conv2d';
import { BOOK, MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { maxAbsDiff, naiveConv2d } from '../helpers/convReference';
import { checkOperation, fixedMode, randn } from '../helpers/gradHelpers';

interface Case {
  cIn: number;
  cOut: number;
  k: [number, number];
  stride: Size2d;
  padding: Padding2d;
  batch: number;
  h: number;
  w: number;
  bias: boolean;
}
const cases: Case[] = [
  { cIn: 1, cOut: 1, k: [3, 3], stride: 1, padding: 'same', batch: 2, h: 5, w: 5, bias: true },
  { cIn: 3, cOut: 4, k: [3, 3], stride: 1, padding: 'valid', batch: 2, h: 6, w: 7, bias: true },
  { cIn: 2, cOut: 5, k: [2, 3], stride: 2, padding: 1, batch: 3, h: 7, w: 6, bias: false },
  { cIn: 3, cOut: 4, k: [3, 3], stride: 2, padding: 2, batch: 2, h: 5, w: 6, bias: true },
  { cIn: 2, cOut: 5, k: [3, 2], stride: 2, padding: 'same', batch: 2, h: 6, w: 7, bias: true },
  { cIn: 1, cOut: 2, k: [4, 4], stride: 1, padding: 'same', batch: 1, h: 5, w: 5, bias: false },
  { cIn: 3, cOut: 4, k: [1, 3], stride: [1, 2], padding: [0, 1], batch: 2, h: 4, w: 7, bias: true },
];
const label = (c: Case) =>
  `${c.cIn}→${c.cOut}, kernel ${c.k.join('×')}, stride ${JSON.stringify(c.stride)}, padding ${JSON.stringify(c.padding)}, batch ${c.batch}, ${c.bias ? 'with' : 'without'} bias`;

function makeOp(c: Case, seed: number): Conv2dOp {
  return new Conv2dOp(randn([c.cOut, c.cIn, ...c.k], seed, 0.5), c.bias ? randn([c.cOut], seed + 1) : null, {
    stride: c.stride,
    padding: c.padding,
  });
}

describe('Conv2dOp numeric gradient checks (float64, central differences, random upstream gradient)', () => {
  cases.forEach((c, n) =>
    it(label(c), () => checkOperation(makeOp(c, 10 + n), randn([c.batch, c.cIn, c.h, c.w], n + 1))),
  );
});

describe('Conv2dOp against a direct-loop reference on random shapes', () => {
  const rng = new RandomState(2024);
  for (let t = 0; t < 12; t++) {
    const k: [number, number] = [1 + rng.randint(0, 4), 1 + rng.randint(0, 4)];
    const stride: [number, number] = [1 + rng.randint(0, 3), 1 + rng.randint(0, 3)];
    const pad: [number, number] = [rng.randint(0, 3), rng.randint(0, 3)];
    const shape = [1 + rng.randint(0, 3), 1 + rng.randint(0, 4), k[0] + rng.randint(0, 6), k[1] + rng.randint(0, 6)];
    const cOut = 1 + rng.randint(0, 4);
    const bias = t % 2 === 0;
    it(`x [${shape}], W [${cOut}, ${shape[1]}, ${k}], stride [${stride}], padding [${pad}]`, () => {
      const x = randn(shape, 100 + t),
        w = randn([cOut, shape[1], ...k], 200 + t),
        b = bias ? randn([cOut], 300 + t) : null;
      const op = new Conv2dOp(w, b, { stride, padding: pad });
      const { y, ctx } = op.forward(x, fixedMode(true)());
      const dy = randn(y.shape as number[], 400 + t);
      const ref = naiveConv2d(x, w, b, stride, pad, dy);
      assert.deepEqual(y.shape, ref.y.shape);
      assert.ok(maxAbsDiff(y, ref.y) < 1e-12, 'forward');
      assert.ok(maxAbsDiff(op.backward(dy, ctx), ref.dx) < 1e-12, 'input gradient');
      assert.ok(maxAbsDiff(op.w.grad, ref.dw) < 1e-12, 'weight gradient');
      if (op.b) assert.ok(maxAbsDiff(op.b.grad, ref.db) < 1e-12, 'bias gradient');
    });
  }
});

describe('Conv2dOp behaviour', () => {
  const mode = { training: true, rng: new RandomState(1), profile: MODERN };

  it('is a cross-correlation (no kernel flip): a one-hot kernel shifts the image', () => {
    // W picks the tap at (0, 1): with 'valid' padding y[i, j] = x[i, j + 1].
    const w = Tensor.from([
      [
        [
          [0, 1],
          [0, 0],
        ],
      ],
    ]);
    const x = Tensor.from([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ],
    ]);
    assert.deepEqual(new Conv2dOp(w).forward(x, mode).y.toArray(), [[[[2, 3]]]]);
  });
  it('accumulates parameter gradients across calls, each backward using its own context', () => {
    const op = new Conv2dOp(randn([2, 1, 3, 3], 1), randn([2], 2), { padding: 'same' });
    const xa = randn([2, 1, 4, 4], 3),
      xb = randn([2, 1, 4, 4], 4),
      dy = randn([2, 2, 4, 4], 5);
    const a = op.forward(xa, mode),
      b = op.forward(xb, mode);
    op.backward(dy, b.ctx);
    op.backward(dy, a.ctx);
    const ra = naiveConv2d(xa, op.w.value, op.b!.value, [1, 1], [1, 1], dy),
      rb = naiveConv2d(xb, op.w.value, op.b!.value, [1, 1], [1, 1], dy);
    for (let i = 0; i < op.w.grad.size; i++)
      assert.ok(Math.abs(op.w.grad.data[i] - ra.dw.data[i] - rb.dw.data[i]) < 1e-12);
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(op.b!.grad.data[i] - ra.db.data[i] - rb.db.data[i]) < 1e-12);
  });
  it('keeps no patches after an inference forward, and its backward rebuilds them', () => {
    const op = new Conv2dOp(randn([2, 3, 3, 3], 1), randn([2], 2), { padding: 1, stride: 2 });
    const x = randn([2, 3, 5, 5], 3),
      dy = randn([2, 2, 3, 3], 4);
    const inference = op.forward(x, { ...mode, training: false });
    assert.equal(inference.ctx.saved, undefined);
    op.backward(dy, inference.ctx);
    const fromInference = op.w.grad.clone();
    op.w.grad.data.fill(0);
    op.backward(dy, op.forward(x, mode).ctx);
    assert.ok(maxAbsDiff(fromInference, op.w.grad) < 1e-12);
  });
  it('throws a ShapeError naming both shapes for a channel mismatch', () => {
    const op = new Conv2dOp(randn([16, 1, 5, 5], 1));
    assert.throws(
      () => op.forward(randn([2, 3, 8, 8], 2), mode),
      (e: unknown) =>
        e instanceof ShapeError &&
        /Conv2d: input \[3, 8, 8\] has 3 channels but the weights \[16, 1, 5, 5\] expect 1/.test((e as Error).message),
    );
  });
  it('throws when the input is not rank 4', () => {
    assert.throws(
      () => new Conv2dOp(randn([1, 1, 3, 3], 1)).forward(randn([2, 28, 28], 2), mode),
      /Conv2d: input must be rank 4 \[batch, channels, height, width\], got rank 3 \[2, 28, 28\]/,
    );
  });
  it('rejects bad weights, bias and attributes at construction', () => {
    assert.throws(() => new Conv2dOp(randn([3, 3], 1)), /Conv2d: W must be rank 4.*got \[3, 3\]/);
    assert.throws(
      () => new Conv2dOp(randn([4, 1, 3, 3], 1), randn([1, 4], 2)),
      /Conv2d: B must be \[4\] to match W \[4, 1, 3, 3\], got \[1, 4\]/,
    );
    assert.throws(
      () => new Conv2dOp(randn([1, 1, 3, 3], 1), null, { stride: 0 }),
      (e: unknown) => e instanceof ValueError && /stride/.test((e as Error).message),
    );
  });
});

/**
 * lincoln's Conv2D_Op._param_grad transcribed from book-parity §6.4, by index: patch row r is
 * (hw = ⌊r/B⌋, b = r mod B), gradient row r is (b' = ⌊r/N⌋, hw' = r mod N), and
 * dW[o, c, p, q] = Σ_r xpad[b, c, i(hw) + p, j(hw) + q] · dy[b', o, hw'].
 */
function lincolnParamGrad(x: Tensor, dy: Tensor, k: number): Tensor {
  const [batch, cIn, h, wd] = x.shape,
    cOut = dy.shape[1],
    n = h * wd,
    pad = Math.floor(k / 2);
  const dw = Tensor.zeros([cOut, cIn, k, k], 'float64');
  for (let r = 0; r < batch * n; r++) {
    const hw = Math.floor(r / batch),
      b = r % batch,
      b2 = Math.floor(r / n),
      hw2 = r % n;
    const i = Math.floor(hw / wd),
      j = hw % wd;
    for (let o = 0; o < cOut; o++)
      for (let c = 0; c < cIn; c++)
        for (let p = 0; p < k; p++)
          for (let q = 0; q < k; q++) {
            const row = i + p - pad,
              col = j + q - pad;
            if (row < 0 || row >= h || col < 0 || col >= wd) continue;
            dw.set(
              dw.get(o, c, p, q) + x.get(b, c, row, col) * dy.get(b2, o, Math.floor(hw2 / wd), hw2 % wd),
              o,
              c,
              p,
              q,
            );
          }
  }
  return dw;
}

describe("book profile: lincoln's Conv2D parameter gradient (book-parity §2.1, E5.4)", () => {
  const bookMode = { training: true, rng: new RandomState(1), profile: BOOK };
  const weightGrad = (x: Tensor, dy: Tensor, profile = BOOK) => {
    const op = new Conv2dOp(randn([3, 2, 3, 3], 9), null, { padding: 'same' });
    op.backward(dy, op.forward(x, { ...bookMode, profile }).ctx);
    return op.w.grad;
  };

  it('equals the true gradient when the batch has one example', () => {
    const x = randn([1, 2, 5, 5], 1),
      dy = randn([1, 3, 5, 5], 2);
    assert.ok(maxAbsDiff(weightGrad(x, dy), weightGrad(x, dy, MODERN)) < 1e-12);
  });
  it('matches a transcription of lincoln _param_grad for batch 3, and differs from the true gradient', () => {
    const x = randn([3, 2, 5, 5], 1),
      dy = randn([3, 3, 5, 5], 2);
    const book = weightGrad(x, dy);
    assert.ok(maxAbsDiff(book, lincolnParamGrad(x, dy, 3)) < 1e-12);
    assert.ok(maxAbsDiff(book, weightGrad(x, dy, MODERN)) > 0.1);
  });
  it('still gives the true input gradient (only dW is affected)', () => {
    const op = new Conv2dOp(randn([3, 2, 3, 3], 9), null, { padding: 'same' });
    const x = randn([2, 2, 4, 4], 1);
    const failures = gradCheck(
      { x },
      () => op.forward(x, bookMode).y,
      (dy) => ({ x: op.backward(dy, op.forward(x, bookMode).ctx) }),
    );
    assert.equal(failures.length, 0, formatFailures(failures));
  });
});
