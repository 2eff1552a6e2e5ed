import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../src/engine/errors';
import { formatFailures, gradCheck } from '../../../src/engine/gradcheck/gradCheck';
import type { BinaryOperation } from '../../../src/engine/ops/binaryOperation';
import { Concat } from '../../../src/engine/ops/concat';
import { Add, Multiply, Subtract } from '../../../src/engine/ops/elementwise';
import { MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { randn } from '../helpers/gradHelpers';

const mode = { training: false, rng: new RandomState(1), profile: MODERN };

/** Checks dL/da and dL/db of a two-input operation. */
function checkBinary(op: BinaryOperation, a: Tensor, b: Tensor): void {
  const failures = gradCheck(
    { a, b },
    () => op.forward(a, b, mode).y,
    (dy) => {
      const [da, db] = op.backward(dy, op.forward(a, b, mode).ctx);
      return { a: da, b: db };
    },
  );
  assert.equal(failures.length, 0, `${op.name} gradient check failed:\n${formatFailures(failures)}`);
}

describe('two-input operations: numeric gradient checks (float64, central differences)', () => {
  it('Concat: da, db are the two column blocks of dy', () =>
    checkBinary(new Concat(), randn([3, 2], 1), randn([3, 4], 2)));
  it('Add: da = db = dy', () => checkBinary(new Add(), randn([3, 4], 1), randn([3, 4], 2)));
  it('Subtract: da = dy, db = −dy', () => checkBinary(new Subtract(), randn([3, 4], 1), randn([3, 4], 2)));
  it('Multiply: da = dy ⊙ b, db = dy ⊙ a', () => checkBinary(new Multiply(), randn([3, 4], 1), randn([3, 4], 2)));
});

describe('two-input operations: behaviour', () => {
  it('Concat stacks columns row by row', () => {
    const { y } = new Concat().forward(
      Tensor.from([[1], [2]]),
      Tensor.from([
        [3, 4],
        [5, 6],
      ]),
      mode,
    );
    assert.deepEqual(y.toArray(), [
      [1, 3, 4],
      [2, 5, 6],
    ]);
  });
  it('Multiply and Subtract work elementwise', () => {
    const a = Tensor.from([[1, 2]]),
      b = Tensor.from([[3, 5]]);
    assert.deepEqual(new Multiply().forward(a, b, mode).y.toArray(), [[3, 10]]);
    assert.deepEqual(new Subtract().forward(a, b, mode).y.toArray(), [[-2, -3]]);
  });
  it('elementwise operations refuse to broadcast and name both shapes', () => {
    assert.throws(
      () => new Add().forward(Tensor.zeros([2, 3], 'float64'), Tensor.zeros([1, 3], 'float64'), mode),
      (e: unknown) =>
        e instanceof ShapeError && /Add/.test(e.message) && /\[2, 3\]/.test(e.message) && /\[1, 3\]/.test(e.message),
    );
  });
  it('Concat refuses different batch sizes', () => {
    assert.throws(
      () => new Concat().forward(Tensor.zeros([2, 3], 'float64'), Tensor.zeros([3, 1], 'float64'), mode),
      /Concat.*\[2, 3\].*\[3, 1\]/,
    );
  });
});
