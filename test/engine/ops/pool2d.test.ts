import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Padding2d, Size2d } from '../../../src/engine/conv/convShape';
import { ShapeError, ValueError } from '../../../src/engine/errors';
import { AvgPool2dOp } from '../../../src/engine/ops/avgPool2d';
import { MaxPool2dOp } from '../../../src/engine/ops/maxPool2d';
import { MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { checkOperation } from '../helpers/gradHelpers';

/** Distinct values 0.01 apart in random order: no ties, and no tie within a central-difference step. */
function distinct(shape: number[], seed: number): Tensor {
  const t = Tensor.zeros(shape, 'float64');
  const perm = new RandomState(seed).permutation(t.size);
  for (let i = 0; i < t.size; i++) t.data[i] = (perm[i] - t.size / 2) * 0.01;
  return t;
}

const mode = { training: false, rng: new RandomState(1), profile: MODERN };
const configs: { kernel: Size2d; stride?: Size2d; padding?: Padding2d; shape: number[] }[] = [
  { kernel: 2, shape: [2, 3, 6, 6] },
  { kernel: 3, stride: 2, padding: 1, shape: [2, 2, 7, 7] },
  { kernel: [2, 3], stride: [1, 2], shape: [1, 3, 5, 7] },
  { kernel: 3, stride: 1, padding: 'same', shape: [2, 1, 4, 5] },
];

describe('pooling numeric gradient checks (float64, inputs without ties)', () => {
  configs.forEach((c, n) => {
    const what = `kernel ${JSON.stringify(c.kernel)}, stride ${JSON.stringify(c.stride ?? 'kernel')}, padding ${JSON.stringify(c.padding ?? 0)}`;
    it(`MaxPool2d ${what}`, () => checkOperation(new MaxPool2dOp(c.kernel, c), distinct(c.shape, n + 1)));
    it(`AvgPool2d ${what}`, () => checkOperation(new AvgPool2dOp(c.kernel, c), distinct(c.shape, n + 1)));
  });
});

describe('pooling values', () => {
  // Math.ipynb (book-parity §6.6): np.random.seed(20190420); randint(0, 10, (4, 4)).
  const x = Tensor.from([
    [
      [
        [5, 1, 0, 6],
        [3, 5, 5, 6],
        [9, 0, 3, 2],
        [4, 7, 0, 7],
      ],
    ],
  ]);

  it("reproduces the book's Math.ipynb pooling example, including its random draw", () => {
    const rng = new RandomState(20190420);
    assert.deepEqual(
      Array.from({ length: 16 }, () => rng.randint(0, 10)),
      Array.from(x.data),
    );
    assert.deepEqual(new MaxPool2dOp(2).forward(x, mode).y.toArray(), [
      [
        [
          [5, 6],
          [9, 7],
        ],
      ],
    ]);
    assert.deepEqual(new AvgPool2dOp(2).forward(x, mode).y.toArray(), [
      [
        [
          [3.5, 4.25],
          [5, 3],
        ],
      ],
    ]);
  });
  it('max pool sends the gradient to the first maximum on ties', () => {
    const op = new MaxPool2dOp(2);
    const t = Tensor.from([
      [
        [
          [1, 1],
          [1, 0],
        ],
      ],
    ]);
    const { ctx } = op.forward(t, mode);
    assert.deepEqual(op.backward(Tensor.from([[[[3]]]]), ctx).toArray(), [
      [
        [
          [3, 0],
          [0, 0],
        ],
      ],
    ]);
  });
  it('max pool never selects padding, even when every real value is negative', () => {
    const t = Tensor.from([
      [
        [
          [-3, -2],
          [-5, -4],
        ],
      ],
    ]);
    assert.deepEqual(new MaxPool2dOp(2, { stride: 2, padding: 1 }).forward(t, mode).y.toArray(), [
      [
        [
          [-3, -2],
          [-5, -4],
        ],
      ],
    ]);
  });
  it('average pool counts padding as zeros (divisor kh·kw)', () => {
    const t = Tensor.from([
      [
        [
          [4, 8],
          [12, 16],
        ],
      ],
    ]);
    // padding 1, kernel 2, stride 2: each window holds one real value and three zeros
    assert.deepEqual(new AvgPool2dOp(2, { padding: 1 }).forward(t, mode).y.toArray(), [
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
  });
});

describe('pooling errors', () => {
  it('names the op and shape for a rank-3 input', () => {
    assert.throws(
      () => new MaxPool2dOp(2).forward(Tensor.zeros([1, 4, 4]), mode),
      (e: unknown) =>
        e instanceof ShapeError &&
        /MaxPool2d: input must be rank 4 \[batch, channels, height, width\], got rank 3 \[1, 4, 4\]/.test(
          (e as Error).message,
        ),
    );
  });
  it('rejects a window larger than the input', () => {
    assert.throws(
      () => new AvgPool2dOp(3).forward(Tensor.zeros([1, 1, 2, 5]), mode),
      /AvgPool2d: kernel \[3, 3\] is larger than the padded input \[2, 5\]/,
    );
  });
  it('rejects a zero kernel, a zero stride and padding as large as the kernel', () => {
    assert.throws(
      () => new MaxPool2dOp(0),
      (e: unknown) => e instanceof ValueError && /MaxPool2d: kernel size/.test((e as Error).message),
    );
    assert.throws(() => new AvgPool2dOp(2, { stride: [1, 0] }), /AvgPool2d: stride must be a positive integer/);
    assert.throws(
      () => new MaxPool2dOp(2, { padding: 2 }).forward(Tensor.zeros([1, 1, 4, 4]), mode),
      /padding \[2, 2\] must be smaller than the kernel \[2, 2\]/,
    );
  });
});
