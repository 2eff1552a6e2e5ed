import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { broadcastIndex } from '../../../src/engine/autodiff/broadcast';
import { add, multiply } from '../../../src/engine/autodiff/elementwise';
import { matmul } from '../../../src/engine/autodiff/matmul';
import { sum } from '../../../src/engine/autodiff/reduce';
import { sigmoid, tanh } from '../../../src/engine/autodiff/unary';
import { constant, topologicalOrder, variable, zeroGrad } from '../../../src/engine/autodiff/var';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { randn } from '../helpers/gradHelpers';

const scalar = (v: number) => Tensor.fill([], v, 'float64');

describe('autodiff Var: the backward pass', () => {
  it('a node used twice receives the sum of both uses (x·x → 2x; y = x + x through an intermediate)', () => {
    const x = variable(scalar(3));
    const sq = multiply(x, x);
    sq.backward();
    assert.equal(x.grad?.data[0], 6);
    // The book's recursion gives 6 here (numberWithGrad.test.ts); the sorted graph gives 4.
    const a = variable(scalar(3));
    const m = multiply(a, 2);
    add(m, m).backward();
    assert.equal(a.grad?.data[0], 4);
    assert.equal(m.grad?.data[0], 2);
  });
  it('leaf gradients accumulate across backward calls; intermediate ones are recomputed', () => {
    const a = variable(scalar(2));
    const b = multiply(a, 5);
    const c = add(b, 1);
    c.backward();
    c.backward();
    assert.equal(a.grad?.data[0], 10);
    assert.equal(b.grad?.data[0], 1);
    zeroGrad([a]);
    c.backward();
    assert.equal(a.grad?.data[0], 5);
  });
  it('constants get no gradient and nodes that depend only on constants run no backward', () => {
    const k = constant(scalar(4));
    const x = variable(scalar(1));
    const kk = multiply(k, k);
    const y = multiply(kk, x);
    const ran = y.backward();
    assert.equal(k.grad, null);
    assert.equal(kk.grad, null);
    assert.equal(x.grad?.data[0], 16);
    assert.deepEqual(
      ran.map((v) => v.op),
      ['multiply'],
    );
  });
  it('topological order: parents before children, each node once', () => {
    const x = variable(randn([2, 2], 1));
    const h = tanh(x);
    const y = sum(add(multiply(h, h), sigmoid(h)));
    const order = topologicalOrder(y);
    assert.equal(new Set(order).size, order.length);
    const pos = new Map(order.map((v, i) => [v, i]));
    for (const v of order) for (const p of v.parents) assert.ok((pos.get(p) ?? Infinity) < (pos.get(v) ?? -1));
    assert.equal(order[order.length - 1], y);
  });
  it('a deep chain (10,000 nodes) does not overflow the stack', () => {
    const x = variable(scalar(1));
    let y = x;
    for (let i = 0; i < 10000; i++) y = add(y, 1);
    y.backward();
    assert.equal(x.grad?.data[0], 1);
  });
  it('float32 values and gradients stay float32, close to the float64 result', () => {
    const w64 = randn([3, 2], 2),
      x64 = randn([4, 3], 3);
    const run = (dtype: 'float32' | 'float64') => {
      const w = variable(w64.astype(dtype)),
        x = variable(x64.astype(dtype));
      const y = sum(sigmoid(matmul(x, w)));
      y.backward();
      return { y, w, x };
    };
    const f32 = run('float32'),
      f64 = run('float64');
    assert.equal(f32.y.dtype, 'float32');
    assert.ok(f32.w.grad?.data instanceof Float32Array);
    for (let i = 0; i < 6; i++) assert.ok(Math.abs((f32.w.grad?.data[i] ?? NaN) - (f64.w.grad?.data[i] ?? 0)) < 1e-6);
    assert.throws(() => add(f32.x, f64.x), /mix float32 and float64/);
  });
  it('a seed of the wrong shape is refused', () => {
    const y = tanh(variable(randn([2, 3], 4)));
    assert.throws(() => y.backward(Tensor.zeros([3, 2], 'float64')), /seed shape \[3, 2\]/);
  });
});

describe('broadcastIndex', () => {
  it('matches a direct multi-index computation', () => {
    const cases: [number[], number[]][] = [
      [
        [2, 3, 4],
        [3, 1],
      ],
      [
        [2, 3, 4],
        [1, 3, 4],
      ],
      [[2, 3, 4], [4]],
      [[2, 3, 4], []],
      [
        [5, 1],
        [5, 1],
      ],
    ];
    for (const [out, input] of cases) {
      const map = broadcastIndex(out, input);
      let i = 0;
      for (let a = 0; a < out[0]; a++)
        for (let b = 0; b < out[1]; b++)
          for (let c = 0; c < (out[2] ?? 1); c++) {
            const full = out.length === 3 ? [a, b, c] : [a, b];
            const idx = full.slice(full.length - input.length).map((v, k) => (input[k] === 1 ? 0 : v));
            let off = 0;
            idx.forEach((v, k) => (off = off * input[k] + v));
            assert.equal(map[i++], off, `out ${out} in ${input} at ${full}`);
          }
    }
  });
});
