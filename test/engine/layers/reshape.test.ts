import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../../src/engine/errors';
import { formatFailures, gradCheck } from '../../../src/engine/gradcheck/gradCheck';
import { Conv2d } from '../../../src/engine/layers/conv2d';
import { Dense } from '../../../src/engine/layers/dense';
import { ReshapeLayer } from '../../../src/engine/layers/reshapeLayer';
import { MeanSquaredError } from '../../../src/engine/losses/meanSquaredError';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { layerActivations } from '../../../src/engine/network/layerActivations';
import { Reshape } from '../../../src/engine/ops/reshape';
import { MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { checkLayer, checkOperation, randn } from '../helpers/gradHelpers';

/** A miniature of the book's autoencoder: conv → flatten → dense (code) → dense → reshape → conv → flatten. */
function tinyAutoencoder(): NeuralNetwork {
  return new NeuralNetwork({
    layers: [
      new Conv2d({ filters: 2, kernelSize: 3, activation: 'tanh', init: 'glorot', flatten: true }),
      new Dense({ units: 3, activation: 'tanh', init: 'glorot' }),
      new Dense({ units: 2 * 4 * 4, activation: 'tanh', init: 'glorot' }),
      new ReshapeLayer({ shape: [2, 4, 4] }),
      new Conv2d({ filters: 1, kernelSize: 3, activation: 'tanh', init: 'glorot', flatten: true }),
    ],
    loss: new MeanSquaredError(),
    seed: 3,
    dtype: 'float64',
  });
}

describe('Reshape gradient checks (float64, central differences)', () => {
  it('Reshape op: [batch, 12] → [batch, 3, 2, 2], gradient reshaped back', () =>
    checkOperation(new Reshape([3, 2, 2]), randn([2, 12], 1)));
  it('Reshape layer: [batch, 2, 3, 2] → [batch, 3, 4]', () => {
    const layer = new ReshapeLayer({ shape: [3, 4] });
    layer.build([2, 3, 2], { rng: new RandomState(1), profile: MODERN, dtype: 'float64', seed: 1 });
    checkLayer(layer, randn([3, 2, 3, 2], 2));
  });
  it('a tiny autoencoder through the network and MSE against its own input: every parameter and the input', () => {
    const net = tinyAutoencoder();
    const x = randn([3, 1, 4, 4], 4, 0.5);
    net.build([1, 4, 4]);
    // The target is the input, flattened (data target 'input'); a fixed copy, so perturbing x
    // only moves the prediction, as in training where the target is data.
    const target = x.clone().reshape([3, 16]);
    const params = net.params();
    const tensors: Record<string, Tensor> = { x };
    params.forEach((p, i) => (tensors[`${p.name}${i}`] = p.value));
    const failures = gradCheck(
      tensors,
      () => Tensor.fill([1], net.loss.forward(net.forward(x, false).y, target).loss, 'float64'),
      (dy) => {
        const f = net.forward(x, false);
        const l = net.loss.forward(f.y, target);
        net.zeroGrads();
        const dx = net.backward(net.loss.backward(l.ctx), f.tape);
        const scale = (t: Tensor) => {
          const c = t.clone();
          for (let i = 0; i < c.size; i++) c.data[i] *= dy.data[0];
          return c;
        };
        const out: Record<string, Tensor> = { x: scale(dx) };
        params.forEach((p, i) => (out[`${p.name}${i}`] = scale(p.grad)));
        return out;
      },
    );
    assert.equal(failures.length, 0, formatFailures(failures));
  });
});

describe('Reshape shapes', () => {
  it("views the autoencoder's [5488] as [7, 28, 28]", () =>
    assert.deepEqual(new ReshapeLayer({ shape: [7, 28, 28] }).outputShape([5488]), [7, 28, 28]));
  it('forward is a view of the same values, batch axis kept', () => {
    const x = Tensor.from([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const { y } = new Reshape([2, 2]).forward(x, { training: false, rng: new RandomState(1), profile: MODERN });
    assert.deepEqual(y.shape, [2, 2, 2]);
    assert.deepEqual(y.toArray(), [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
  });
  it('names both sizes when the element counts differ', () => {
    assert.throws(
      () => new ReshapeLayer({ shape: [7, 28, 27] }).outputShape([5488]),
      (e: unknown) =>
        e instanceof ShapeError &&
        /\[5488\] has 5488 values per example but \[7, 28, 27\] holds 5292/.test((e as Error).message),
    );
  });
  it('rejects a shape that is not positive integers', () => {
    assert.throws(() => new ReshapeLayer({ shape: [] }), ValueError);
    assert.throws(() => new ReshapeLayer({ shape: [2, 0] }), /positive integers, got \[2, 0\]/);
  });
});

describe('layerActivations', () => {
  it("returns a middle layer's inference output, as the layers' own forward gives it", () => {
    const net = tinyAutoencoder();
    net.build([1, 4, 4]);
    const x = randn([5, 1, 4, 4], 9);
    const codes = layerActivations(net, x, 1);
    assert.deepEqual(codes.shape, [5, 3]);
    let h = x;
    for (let i = 0; i <= 1; i++)
      h = net.layers[i].forward(h, { training: false, rng: net.rng, profile: net.profile }).y;
    assert.deepEqual(Array.from(codes.data), Array.from(h.data));
  });
});
