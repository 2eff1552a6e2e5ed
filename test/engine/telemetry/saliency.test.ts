import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Conv2d } from '../../../src/engine/layers/conv2d';
import { Dense } from '../../../src/engine/layers/dense';
import { MaxPool2d } from '../../../src/engine/layers/maxPool2d';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { saliency } from '../../../src/engine/telemetry/saliency';
import { TelemetryCollector } from '../../../src/engine/telemetry/telemetryCollector';
import type { TelemetryFrame } from '../../../src/engine/telemetry/telemetryFrame';
import { randn } from '../helpers/gradHelpers';

/** conv 3 3×3 tanh → max-pool 2 → conv 2 3×3 tanh (flatten) → dense 4, in float64 on a [1, 6, 6] input. */
function cnn(): NeuralNetwork {
  const net = new NeuralNetwork({
    layers: [
      new Conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh' }),
      new MaxPool2d({ kernelSize: 2 }),
      new Conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'tanh', flatten: true }),
      new Dense({ units: 4 }),
    ],
    loss: new SoftmaxCrossEntropy(),
    seed: 5,
    dtype: 'float64',
  });
  net.build([1, 6, 6]);
  return net;
}

describe('saliency: the gradient of a class score with respect to the input', () => {
  it('equals central differences of the score (logit) in float64, for every input value and class', () => {
    const net = cnn();
    const x = randn([1, 1, 6, 6], 3);
    const score = (v: Tensor, c: number) => net.forward(v, false).y.data[c];
    const h = 1e-6;
    for (let c = 0; c < 4; c++) {
      const f = net.forward(x, false);
      const s = saliency(net.layers, f.y, f.tape, c);
      assert.equal(s.cls, c);
      let worst = 0;
      for (let i = 0; i < x.size; i++) {
        const plus = x.clone();
        plus.data[i] += h;
        const minus = x.clone();
        minus.data[i] -= h;
        const numeric = (score(plus, c) - score(minus, c)) / (2 * h);
        const err = Math.abs(numeric - s.input[i]) / Math.max(1e-4, Math.abs(numeric) + Math.abs(s.input[i]));
        worst = Math.max(worst, err);
      }
      assert.ok(worst < 1e-5, `class ${c}: worst relative error ${worst}`);
      // Non-trivial: a real gradient, not zeros.
      assert.ok(s.input.some((v) => Math.abs(v) > 1e-6));
    }
  });

  it('picks the predicted class for −1; per feature map, activation × gradient sums to the score less its bias', () => {
    // A linear map after the conv layer (flatten → dense, no activation): y_c = Σ a·W_c + b_c, so
    // Σ over channels of Σ_hw a·∂y_c/∂a = y_c − b_c exactly.
    const net = new NeuralNetwork({
      layers: [
        new Conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', flatten: true }),
        new Dense({ units: 5, useBias: true }),
      ],
      loss: new SoftmaxCrossEntropy(),
      seed: 9,
      dtype: 'float64',
    });
    net.build([1, 5, 5]);
    const bias = net.layers[1].params()[1].value.data;
    bias.set([0.3, -0.2, 0.1, 0.5, -0.4]);
    const f = net.forward(randn([1, 1, 5, 5], 4), false);
    const s = saliency(net.layers, f.y, f.tape, -1);
    const y = Array.from(f.y.data);
    assert.equal(s.cls, y.indexOf(Math.max(...y)));
    const maps = s.maps[0];
    assert.ok(maps && maps.length === 3);
    assert.equal(s.maps[1], undefined, 'a dense layer has no maps');
    const sum = maps.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - (y[s.cls] - bias[s.cls])) < 1e-5, `${sum} vs ${y[s.cls] - bias[s.cls]}`);
  });

  it("is in every probe frame of a classifier, and leaves the parameters' gradients as they were", () => {
    const net = cnn();
    const x = randn([3, 1, 6, 6], 1);
    const y = Tensor.zeros([3, 4], 'float64');
    y.data[0] = y.data[5] = y.data[10] = 1;
    const { loss, tape } = net.trainBatch(x, y);
    const grads = net.params().map((p) => Float64Array.from(p.grad.data));
    let frame: TelemetryFrame | undefined;
    const probe = { x: randn([1, 1, 6, 6], 2), y: Tensor.zeros([1, 4], 'float64') };
    const collector = new TelemetryCollector({ every: 1, probe, onFrame: (fr) => (frame = fr) });
    collector.setProbe(probe, 2);
    collector.onBatchEnd({
      epoch: 1,
      batch: 0,
      batchesPerEpoch: 1,
      step: 0,
      batchSize: 3,
      loss,
      lr: 0.1,
      network: net,
      tape,
      input: x,
      target: y,
    });
    const s = frame?.probe?.saliency;
    assert.ok(s);
    assert.equal(s.cls, 2);
    assert.equal(s.input.length, 36);
    assert.equal(s.maps[0]?.length, 3);
    assert.equal(s.maps[2]?.length, 2, "the flattening conv's maps, before its flatten");
    net.params().forEach((p, i) => assert.deepEqual(Float64Array.from(p.grad.data), grads[i]));
  });
});
