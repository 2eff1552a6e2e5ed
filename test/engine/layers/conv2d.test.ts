import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../../src/engine/errors';
import { AvgPool2d } from '../../../src/engine/layers/avgPool2d';
import { Conv2d, transposeChannels } from '../../../src/engine/layers/conv2d';
import { Dense } from '../../../src/engine/layers/dense';
import { FlattenLayer } from '../../../src/engine/layers/flattenLayer';
import type { Layer } from '../../../src/engine/layers/layer';
import { MaxPool2d } from '../../../src/engine/layers/maxPool2d';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { BOOK, MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { checkLayer, fixedMode, randn } from '../helpers/gradHelpers';

function built<L extends Layer>(layer: L, inputShape: number[], profile = MODERN, rng = new RandomState(5)): L {
  layer.build(inputShape, { rng, profile, dtype: 'float64', seed: 5 });
  return layer;
}

describe('Conv2d layer gradient checks', () => {
  it('tanh, bias, same padding, 2 → 3 channels', () =>
    checkLayer(
      built(new Conv2d({ filters: 3, kernelSize: 3, activation: 'tanh', init: 'he' }), [2, 5, 5]),
      randn([2, 2, 5, 5], 1),
    ));
  it('rectangular kernel, stride 2, valid padding, no bias', () =>
    checkLayer(
      built(
        new Conv2d({
          filters: 2,
          kernelSize: [2, 3],
          stride: 2,
          padding: 'valid',
          useBias: false,
          activation: 'sigmoid',
        }),
        [3, 6, 7],
      ),
      randn([2, 3, 6, 7], 1),
    ));
  it('flatten and dropout in training (fixed mask)', () =>
    checkLayer(
      built(new Conv2d({ filters: 2, kernelSize: 3, flatten: true, keepProb: 0.7, init: 'glorot' }), [1, 4, 4]),
      randn([3, 1, 4, 4], 1),
      fixedMode(true, 11),
    ));
  it('MaxPool2d layer', () => checkLayer(built(new MaxPool2d({ kernelSize: 2 }), [2, 4, 4]), randn([2, 2, 4, 4], 3)));
  it('AvgPool2d layer with padding and stride', () =>
    checkLayer(built(new AvgPool2d({ kernelSize: 3, stride: 2, padding: 1 }), [2, 5, 5]), randn([2, 2, 5, 5], 3)));
  it('Flatten layer on 4-D feature maps', () =>
    checkLayer(built(new FlattenLayer(), [2, 3, 3]), randn([2, 2, 3, 3], 1)));
});

describe('Conv2d layer shapes', () => {
  it("defaults to 'same' padding and stride 1", () =>
    assert.deepEqual(new Conv2d({ filters: 16, kernelSize: 5 }).outputShape([1, 28, 28]), [16, 28, 28]));
  it("flatten gives the book's 12544 features for 16 filters on 28×28", () =>
    assert.deepEqual(new Conv2d({ filters: 16, kernelSize: 5, flatten: true }).outputShape([1, 28, 28]), [12544]));
  it('valid padding with stride 2', () =>
    assert.deepEqual(
      new Conv2d({ filters: 4, kernelSize: 3, padding: 'valid', stride: 2 }).outputShape([3, 9, 9]),
      [4, 4, 4],
    ));
  it('network shape inference through conv, pool, flatten and dense', () => {
    const net = new NeuralNetwork({
      layers: [
        new Conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
        new MaxPool2d({ kernelSize: 2 }),
        new FlattenLayer(),
        new Dense({ units: 10 }),
      ],
      loss: new SoftmaxCrossEntropy(),
    });
    assert.deepEqual(net.inferShapes([1, 28, 28]), [[8, 28, 28], [8, 14, 14], [1568], [10]]);
  });
  it('says to reshape when given flat pixels', () => {
    assert.throws(
      () => new Conv2d({ filters: 4, kernelSize: 3 }).outputShape([784]),
      (e: unknown) =>
        e instanceof ShapeError &&
        /Conv2d: input must be an image per example \[channels, height, width\], got \[784\].*reshape/.test(
          (e as Error).message,
        ),
    );
  });
  it('names the padded input when the kernel does not fit', () => {
    assert.throws(
      () => new Conv2d({ filters: 4, kernelSize: 5, padding: 'valid' }).outputShape([1, 3, 3]),
      /kernel \[5, 5\] is larger than the padded input \[3, 3\]/,
    );
    assert.throws(
      () => new MaxPool2d({ kernelSize: 4 }).outputShape([1, 3, 8]),
      /MaxPool2d: kernel \[4, 4\] is larger than the padded input \[3, 8\]/,
    );
  });
  it('rejects bad arguments at construction', () => {
    assert.throws(
      () => new Conv2d({ filters: 0, kernelSize: 3 }),
      (e: unknown) => e instanceof ValueError && /filters must be a positive integer, got 0/.test((e as Error).message),
    );
    assert.throws(
      () => new Conv2d({ filters: 2, kernelSize: [3, 0] }),
      /Conv2d: kernelSize must be a positive integer or \[height, width\]/,
    );
    assert.throws(() => new Conv2d({ filters: 2, kernelSize: 3, keepProb: 0 }), /keepProb must be in \(0, 1\], got 0/);
    assert.throws(() => new AvgPool2d({ kernelSize: 2, stride: 0 }), /AvgPool2d: stride must be a positive integer/);
  });
});

describe('Conv2d initialisation', () => {
  it('modern: W ~ N(0, std) with fanIn = Cin·kh·kw, drawn in [Cout, Cin, kh, kw] order; B = 0', () => {
    const layer = built(
      new Conv2d({ filters: 4, kernelSize: [3, 2], init: 'he' }),
      [3, 6, 6],
      MODERN,
      new RandomState(7),
    );
    const [w, b] = layer.params();
    assert.deepEqual(w.value.shape, [4, 3, 3, 2]);
    const expected = Tensor.zeros([4, 3, 3, 2], 'float64');
    new RandomState(7).fillNormal(expected.data, 0, Math.sqrt(2 / 18));
    assert.deepEqual(Array.from(w.value.data), Array.from(expected.data));
    assert.deepEqual(Array.from(b.value.data), [0, 0, 0, 0]);
  });
  it('modern glorot uses the kernel size in both fans', () => {
    const w = built(
      new Conv2d({ filters: 6, kernelSize: 5, init: 'glorot' }),
      [2, 8, 8],
      MODERN,
      new RandomState(3),
    ).params()[0].value;
    const std = Math.sqrt(2 / (2 * 25 + 6 * 25));
    assert.ok(Math.abs(w.data[0] - std * new RandomState(3).gauss()) < 1e-15);
  });
  it('book (E5.4): no reseed, glorot std 2/(Cin + Cout) ignoring k, [Cin, Cout, k, k] draw order, no bias', () => {
    const rng = new RandomState(20190402);
    rng.permutation(100); // the epoch-1 shuffle that precedes the lazy build; the layer must not reseed
    const stream = new RandomState(20190402);
    stream.permutation(100);
    const layer = built(new Conv2d({ filters: 16, kernelSize: 5, init: 'glorot' }), [2, 28, 28], BOOK, rng);
    assert.equal(layer.params().length, 1, 'no bias');
    const lincoln = Tensor.zeros([2, 16, 5, 5], 'float64');
    stream.fillNormal(lincoln.data, 0, 2 / 18);
    assert.deepEqual(Array.from(layer.params()[0].value.data), Array.from(transposeChannels(lincoln).data));
    assert.equal((2 / (1 + 16)).toFixed(7), '0.1176471'); // the 1 → 16 conv of book-parity §3 item 2
  });
  it('book profile keeps a bias when useBias is set explicitly', () => {
    const layer = built(new Conv2d({ filters: 2, kernelSize: 3, useBias: true }), [1, 4, 4], BOOK);
    assert.deepEqual(
      layer.params().map((p) => p.value.shape),
      [[2, 1, 3, 3], [2]],
    );
  });
  it('transposeChannels swaps the two channel axes', () => {
    const t = Tensor.from([
      [[[1]], [[2]], [[3]]],
      [[[4]], [[5]], [[6]]],
    ]); // [2, 3, 1, 1]
    assert.deepEqual(transposeChannels(t).toArray(), [
      [[[1]], [[4]]],
      [[[2]], [[5]]],
      [[[3]], [[6]]],
    ]);
  });
});
