import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { concatColumns, sliceColumns } from '../../../src/engine/autodiff/columns';
import { add, divide, multiply, subtract } from '../../../src/engine/autodiff/elementwise';
import { logSoftmax, softmaxCrossEntropy } from '../../../src/engine/autodiff/logSoftmax';
import { matmul } from '../../../src/engine/autodiff/matmul';
import { mean, sum } from '../../../src/engine/autodiff/reduce';
import { exp, log, negate, relu, sigmoid, tanh } from '../../../src/engine/autodiff/unary';
import { constant, Var, variable } from '../../../src/engine/autodiff/var';
import { formatFailures, gradCheck } from '../../../src/engine/gradcheck/gradCheck';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { randn } from '../helpers/gradHelpers';

/**
 * Central-difference check (float64, eps 1e-6) of every input's gradient of an autodiff
 * expression: the expression is rebuilt from the (perturbed) tensors for each evaluation, and
 * the analytic gradients are what `backward(dy)` leaves in the leaves.
 */
function check(inputs: Record<string, Tensor>, f: (v: Record<string, Var>) => Var): void {
  const build = () => {
    const vars: Record<string, Var> = {};
    for (const [k, t] of Object.entries(inputs)) vars[k] = variable(t, k);
    return { vars, y: f(vars) };
  };
  const failures = gradCheck(
    inputs,
    () => build().y.value,
    (dy) => {
      const { vars, y } = build();
      y.backward(dy);
      const out: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(vars)) {
        assert.ok(v.grad, `${k} got no gradient`);
        out[k] = v.grad;
      }
      return out;
    },
    { atol: 1e-7, rtol: 1e-6, maxPoints: 200 },
  );
  assert.equal(failures.length, 0, formatFailures(failures));
}

const positive = (shape: number[], seed: number) => {
  const t = randn(shape, seed);
  for (let i = 0; i < t.size; i++) t.data[i] = Math.abs(t.data[i]) + 0.5;
  return t;
};

describe('autodiff ops: numeric gradient checks (float64, central differences)', () => {
  it('add, subtract, multiply, divide on equal shapes', () => {
    const a = randn([3, 4], 1),
      b = randn([3, 4], 2);
    check({ a, b }, (v) => add(v.a, v.b));
    check({ a, b }, (v) => subtract(v.a, v.b));
    check({ a, b }, (v) => multiply(v.a, v.b));
    check({ a, b: positive([3, 4], 3) }, (v) => divide(v.a, v.b));
  });
  it('broadcasting: a row bias [1, n], a vector [n], a column [m, 1] and a number', () => {
    const x = randn([5, 4], 4);
    check({ x, b: randn([1, 4], 5) }, (v) => add(v.x, v.b));
    check({ x, b: randn([4], 6) }, (v) => multiply(v.x, v.b));
    check({ x, c: randn([5, 1], 7) }, (v) => subtract(v.c, v.x));
    check({ x }, (v) => multiply(add(v.x, 2), 3));
    check({ x, s: randn([], 8) }, (v) => divide(v.x, add(multiply(v.s, v.s), 1)));
  });
  it('matmul', () => check({ a: randn([3, 5], 9), b: randn([5, 2], 10) }, (v) => matmul(v.a, v.b)));
  it('sigmoid, tanh, relu, exp, log, negate', () => {
    const x = randn([4, 3], 11);
    check({ x }, (v) => sigmoid(v.x));
    check({ x }, (v) => tanh(v.x));
    check({ x }, (v) => relu(v.x));
    check({ x }, (v) => exp(v.x));
    check({ x: positive([4, 3], 12) }, (v) => log(v.x));
    check({ x }, (v) => negate(v.x));
  });
  it('sum and mean: all elements, along each axis, with and without keepDims', () => {
    const x = randn([2, 3, 4], 13);
    check({ x }, (v) => sum(v.x));
    check({ x }, (v) => mean(v.x));
    for (const axis of [0, 1, 2, -1]) {
      check({ x }, (v) => sum(v.x, axis));
      check({ x }, (v) => mean(v.x, axis, true));
    }
  });
  it('concatColumns and sliceColumns', () => {
    const a = randn([3, 2], 14),
      b = randn([3, 4], 15);
    check({ a, b }, (v) => concatColumns([v.a, v.b, v.a]));
    check({ b }, (v) => sliceColumns(v.b, 1, 3));
  });
  it('logSoftmax and softmaxCrossEntropy', () => {
    const z = randn([4, 5], 16, 3);
    check({ z }, (v) => logSoftmax(v.z));
    const y = Tensor.zeros([4, 5], 'float64');
    [1, 0, 4, 2].forEach((k, r) => y.set(1, r, k));
    check({ z }, (v) => softmaxCrossEntropy(v.z, y));
  });
  it('a composite expression that uses nodes several times', () => {
    check({ x: randn([3, 4], 17), w: randn([4, 4], 18), b: randn([1, 4], 19) }, (v) => {
      const h = tanh(add(matmul(v.x, v.w), v.b));
      return mean(multiply(h, sigmoid(add(matmul(h, v.w), h))), 0);
    });
  });
});

describe('autodiff ops: values', () => {
  it('forward values are the arithmetic they name', () => {
    const a = constant(Tensor.from([[1, 2, 3]])),
      b = constant(Tensor.from([[10], [20]]));
    assert.deepEqual(add(a, b).value.toArray(), [
      [11, 12, 13],
      [21, 22, 23],
    ]);
    assert.deepEqual(subtract(b, a).value.toArray(), [
      [9, 8, 7],
      [19, 18, 17],
    ]);
    assert.deepEqual(matmul(b, a).value.toArray(), [
      [10, 20, 30],
      [20, 40, 60],
    ]);
    const m = constant(
      Tensor.from([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    assert.deepEqual(sum(m, 0).value.toArray(), [5, 7, 9]);
    assert.deepEqual(sum(m, 1, true).value.toArray(), [[6], [15]]);
    assert.equal(sum(m).value.data[0], 21);
    assert.deepEqual(sum(m).shape, []);
    assert.deepEqual(mean(m, 1).value.toArray(), [2, 5]);
    assert.deepEqual(concatColumns([a, a]).value.toArray(), [[1, 2, 3, 1, 2, 3]]);
    assert.deepEqual(sliceColumns(m, 1, 3).value.toArray(), [
      [2, 3],
      [5, 6],
    ]);
    const ls = logSoftmax(constant(Tensor.from([[0, Math.log(3)]]))).value.data;
    assert.ok(Math.abs(ls[0] - Math.log(1 / 4)) < 1e-15 && Math.abs(ls[1] - Math.log(3 / 4)) < 1e-15);
  });
  it('logSoftmax is stable for large logits', () => {
    const ls = logSoftmax(constant(Tensor.from([[1000, 0]]))).value.data;
    assert.equal(ls[0], 0);
    assert.equal(ls[1], -1000);
  });
  it('shape errors name the op and the shapes', () => {
    const a = variable(randn([2, 3], 1)),
      b = variable(randn([2, 4], 2));
    assert.throws(() => add(a, b), /add: shapes \[2, 3\] and \[2, 4\] do not broadcast/);
    assert.throws(() => matmul(a, b), /matmul: cannot multiply \[2, 3\] by \[2, 4\]/);
    assert.throws(() => sliceColumns(a, 2, 5), /sliceColumns/);
    assert.throws(() => sum(a, 2), /axis 2 out of range/);
    assert.throws(() => concatColumns([a, variable(randn([3, 1], 3))]), /leading axes differ/);
  });
});
