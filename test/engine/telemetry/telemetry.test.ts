import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dense } from '../../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { SGD } from '../../../src/engine/optim/sgd';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { TelemetryCollector } from '../../../src/engine/telemetry/telemetryCollector';
import type { TelemetryFrame } from '../../../src/engine/telemetry/telemetryFrame';
import { histogram, tensorStats } from '../../../src/engine/telemetry/tensorStats';
import { Trainer } from '../../../src/engine/train/trainer';
import { randn } from '../helpers/gradHelpers';
import { Conv2d } from '../../../src/engine/layers/conv2d';
import { LSTM } from '../../../src/engine/layers/lstm';
import { SequenceSoftmaxCrossEntropy } from '../../../src/engine/losses/sequenceSoftmaxCrossEntropy';

describe('tensorStats and histogram (hand-computed)', () => {
  it('computes mean, population std, min, max, L2 norm and zero fraction', () => {
    const s = tensorStats(Float64Array.from([0, 3, 4, 0, -3]));
    assert.equal(s.mean, 0.8);
    assert.ok(Math.abs(s.std - Math.sqrt((0 + 9 + 16 + 0 + 9) / 5 - 0.64)) < 1e-15);
    assert.deepEqual([s.min, s.max, s.norm, s.zeroFraction], [-3, 4, Math.sqrt(34), 0.4]);
  });
  it('counts NaN and Inf instead of folding them into the statistics', () => {
    const s = tensorStats(Float64Array.from([1, NaN, Infinity, -Infinity, 3]));
    assert.deepEqual([s.nanCount, s.infCount, s.mean, s.max], [1, 2, 2, 3]);
    const all = tensorStats(Float64Array.from([NaN, NaN]));
    assert.ok(Number.isNaN(all.mean) && Number.isNaN(all.min));
  });
  it('bins values into equal widths with the maximum in the last bin', () => {
    const h = histogram(Float64Array.from([0, 0.1, 0.5, 0.99, 1]), 2);
    assert.deepEqual([h.min, h.max, Array.from(h.counts)], [0, 1, [2, 3]]);
    assert.deepEqual(Array.from(histogram(Float64Array.from([2, 2, 2]), 4).counts), [3, 0, 0, 0]);
  });
});

function setup() {
  const x = randn([30, 4], 1);
  const labels = Tensor.zeros([30, 3], 'float64');
  for (let i = 0; i < 30; i++) labels.data[i * 3 + (x.data[i * 4] > 0 ? 0 : x.data[i * 4 + 1] > 0 ? 1 : 2)] = 1;
  const net = new NeuralNetwork({
    layers: [new Dense({ units: 5, activation: 'relu', init: 'he' }), new Dense({ units: 3, init: 'glorot' })],
    loss: new SoftmaxCrossEntropy(),
    seed: 4,
    dtype: 'float64',
  });
  return { net, data: { xTrain: x, yTrain: labels, xTest: x, yTest: labels } };
}

describe('TelemetryCollector', () => {
  it('samples every N steps with gradient norms equal to the batch gradients', () => {
    const { net, data } = setup();
    const frames: TelemetryFrame[] = [];
    const norms: number[] = [];
    const collector = new TelemetryCollector({ every: 3, onFrame: (f) => frames.push(f) });
    new Trainer(net, new SGD({ lr: 0.1 }), [
      { onBatchEnd: () => norms.push(tensorStats(net.params()[0].grad.data).norm) },
      collector,
    ]).fit(data, { epochs: 2, batchSize: 5, earlyStopping: false });
    assert.deepEqual(
      frames.map((f) => f.step),
      [3, 6, 9, 12],
    );
    frames.forEach((f) => assert.equal(f.layers[0].gradNorm, norms[f.step - 1]));
    assert.equal(frames[0].layers.length, 2);
    assert.equal(frames[0].layers[0].params[0].name, 'W');
  });
  it('reports the update-to-weight ratio of the last SGD step: lr·‖g‖/‖w‖', () => {
    const { net, data } = setup();
    const frames: TelemetryFrame[] = [];
    new Trainer(net, new SGD({ lr: 0.1 }), [new TelemetryCollector({ every: 2, onFrame: (f) => frames.push(f) })]).fit(
      data,
      { epochs: 1, batchSize: 5, earlyStopping: false },
    );
    const p = frames[0].layers[1].params[0];
    assert.ok(Math.abs(p.updateRatio - (0.1 * p.grad.norm) / p.value.norm) < 1e-12);
  });
  it('records the probe path; the last layer gradient is dL/dlogits = (p − y) and outputs are probabilities', () => {
    const { net, data } = setup();
    const frames: TelemetryFrame[] = [];
    const probe = {
      x: new Tensor([1, 4], data.xTrain.data.slice(0, 4)),
      y: new Tensor([1, 3], data.yTrain.data.slice(0, 3)),
    };
    new Trainer(net, new SGD({ lr: 0.1 }), [
      new TelemetryCollector({ every: 6, probe, onFrame: (f) => frames.push(f) }),
    ]).fit(data, { epochs: 1, batchSize: 5, earlyStopping: false });
    const pr = frames[0].probe!;
    assert.equal(pr.layers.length, 2);
    assert.deepEqual(pr.layers[0].shape, [5]);
    const sum = pr.output.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-6);
    pr.layers[1].gradient.forEach((g, j) => assert.ok(Math.abs(g - (pr.output[j] - probe.y.data[j])) < 1e-6));
  });
  it('does not change training: the loss curve is identical with and without telemetry', () => {
    const run = (withTelemetry: boolean) => {
      const { net, data } = setup();
      const losses: number[] = [];
      const obs = [
        { onBatchEnd: (e: { loss: number }) => losses.push(e.loss) },
        ...(withTelemetry
          ? [
              new TelemetryCollector({
                every: 1,
                probe: {
                  x: new Tensor([1, 4], data.xTrain.data.slice(0, 4)),
                  y: new Tensor([1, 3], data.yTrain.data.slice(0, 3)),
                },
                onFrame: () => undefined,
              }),
            ]
          : []),
      ];
      new Trainer(net, new SGD({ lr: 0.1 }), obs).fit(data, { epochs: 2, batchSize: 5, earlyStopping: false });
      return losses;
    };
    assert.deepEqual(run(true), run(false));
  });
});

describe('TelemetryCollector on a CNN', () => {
  it('records a conv layer probe as feature maps [c, h, w] even when the layer flattens, plus its filters', () => {
    const x = randn([6, 1, 5, 5], 3);
    const y = Tensor.zeros([6, 2], 'float64');
    for (let i = 0; i < 6; i++) y.data[i * 2 + (i % 2)] = 1;
    const net = new NeuralNetwork({
      layers: [
        new Conv2d({ filters: 2, kernelSize: 3, activation: 'tanh', flatten: true, keepProb: 0.9 }),
        new Dense({ units: 2 }),
      ],
      loss: new SoftmaxCrossEntropy(),
      seed: 1,
      dtype: 'float64',
    });
    const frames: TelemetryFrame[] = [];
    const probe = { x: new Tensor([1, 1, 5, 5], x.data.slice(0, 25)), y: new Tensor([1, 2], y.data.slice(0, 2)) };
    new Trainer(net, new SGD({ lr: 0.1 }), [
      new TelemetryCollector({ every: 1, probe, onFrame: (f) => frames.push(f) }),
    ]).fit({ xTrain: x, yTrain: y, xTest: x, yTest: y }, { epochs: 1, batchSize: 3, earlyStopping: false });
    const conv = frames[0].probe!.layers[0];
    assert.deepEqual(conv.shape, [2, 5, 5]);
    assert.equal(conv.activation.length, 50);
    assert.ok(
      conv.gradient.some((v) => v !== 0),
      'the feature-map gradient is not all zero',
    );
    assert.deepEqual(frames[0].layers[0].weights?.shape, [2, 1, 3, 3]);
  });
});

describe('TelemetryCollector health signals', () => {
  it('finds dead ReLU units, and names the first operation that produced NaN', () => {
    const { net, data } = setup();
    net.build([4]);
    const [w, b] = net.layers[0].params();
    w.value.data.fill(0);
    b.value.data.fill(-1); // every ReLU input is −1: all 5 units dead
    const frames: TelemetryFrame[] = [];
    new Trainer(net, new SGD({ lr: 0.1 }), [new TelemetryCollector({ every: 1, onFrame: (f) => frames.push(f) })]).fit(
      data,
      { epochs: 1, batchSize: 30, earlyStopping: false, restart: false },
    );
    assert.equal(frames[0].layers[0].deadFraction, 1);
    assert.equal(frames[0].firstNonFinite, undefined);

    const { net: bad, data: d2 } = setup();
    bad.build([4]);
    bad.layers[1].params()[0].value.data[0] = NaN;
    const f2: TelemetryFrame[] = [];
    new Trainer(bad, new SGD({ lr: 0.1 }), [new TelemetryCollector({ every: 1, onFrame: (f) => f2.push(f) })]).fit(d2, {
      epochs: 1,
      batchSize: 30,
      earlyStopping: false,
      restart: false,
    });
    assert.deepEqual(f2[0].firstNonFinite, { layer: 1, op: 'WeightMultiply' });
    assert.ok(f2[0].layers[1].params[0].grad.nanCount > 0);
  });
});

describe('telemetry and recurrent state', () => {
  it('the probe does not replace the state a book-profile LSTM carries between batches: losses are the same with telemetry on', () => {
    const run = (withTelemetry: boolean): number[] => {
      const net = new NeuralNetwork({
        layers: [new LSTM({ hiddenSize: 6, outputSize: 4, state: 'carry' })],
        loss: new SequenceSoftmaxCrossEntropy(),
        seed: 3,
        dtype: 'float64',
      });
      const x = randn([2, 5, 4], 1),
        y = Tensor.zeros([2, 5, 4], 'float64');
      for (let i = 0; i < 10; i++) y.data[i * 4 + (i % 4)] = 1;
      const probe = { x: randn([1, 5, 4], 2), y: new Tensor([1, 5, 4], y.data.slice(0, 20)) };
      const collector = new TelemetryCollector({ every: 1, probe, onFrame: () => undefined });
      const sgd = new SGD({ lr: 0.5 });
      const losses: number[] = [];
      for (let step = 1; step <= 6; step++) {
        const { loss, tape } = net.trainBatch(x, y);
        sgd.step(net.params());
        losses.push(loss);
        if (withTelemetry)
          collector.sample({
            epoch: 1,
            batch: step - 1,
            batchesPerEpoch: 6,
            step,
            batchSize: 2,
            loss,
            lr: 0.5,
            network: net,
            tape,
            input: x,
            target: y,
          });
      }
      return losses;
    };
    const off = run(false);
    assert.deepEqual(run(true), off);
    assert.ok(new Set(off).size > 1);
  });
});
