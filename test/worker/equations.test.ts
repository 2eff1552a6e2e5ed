import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Conv2d } from '../../src/engine/layers/conv2d';
import { Dense } from '../../src/engine/layers/dense';
import { FlattenLayer } from '../../src/engine/layers/flattenLayer';
import { MaxPool2d } from '../../src/engine/layers/maxPool2d';
import { ReshapeLayer } from '../../src/engine/layers/reshapeLayer';
import { SoftmaxCrossEntropy } from '../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { SGD } from '../../src/engine/optim/sgd';
import { Tensor } from '../../src/engine/tensor/tensor';
import { TelemetryCollector } from '../../src/engine/telemetry/telemetryCollector';
import type { TelemetryFrame } from '../../src/engine/telemetry/telemetryFrame';
import { Trainer } from '../../src/engine/train/trainer';
import { LAYER_KINDS } from '../../src/modelFile/layerRegistry';
import { MODERN, RandomState } from '../../src/engine';
import { Add, Concat, Multiply, Subtract } from '../../src/engine';
import { toFrameMessage } from '../../src/session/telemetryAdapter';
import { randn } from '../engine/helpers/gradHelpers';

/** A model-file entry per kind that builds on `input` (every registered kind, with several activations). */
const ENTRIES: { type: string; args: Record<string, unknown>; input: number[] }[] = [
  { type: 'dense', args: { units: 3, activation: 'sigmoid', keepProb: 0.5 }, input: [4] },
  { type: 'dense', args: { units: 3, activation: 'relu' }, input: [4] },
  { type: 'dense', args: { units: 3, activation: 'leakyRelu' }, input: [4] },
  { type: 'dense', args: { units: 3, activation: 'tanh' }, input: [4] },
  { type: 'dense', args: { units: 3, activation: 'softmax' }, input: [4] },
  { type: 'flatten', args: {}, input: [2, 3] },
  { type: 'reshape', args: { shape: [3, 2] }, input: [6] },
  { type: 'conv2d', args: { filters: 2, kernelSize: 3, flatten: true }, input: [1, 4, 4] },
  { type: 'rnn', args: { hiddenSize: 2, outputSize: 2 }, input: [3, 2] },
  { type: 'lstm', args: { hiddenSize: 2, outputSize: 2 }, input: [3, 2] },
  { type: 'gru', args: { hiddenSize: 2, outputSize: 2 }, input: [3, 2] },
  { type: 'maxPool2d', args: { kernelSize: 2 }, input: [1, 4, 4] },
  { type: 'avgPool2d', args: { kernelSize: 2 }, input: [1, 4, 4] },
  { type: 'batchNorm', args: {}, input: [1, 4, 4] },
];

describe('operation equations', () => {
  it('every operation of every layer kind states its forward and backward formulas', () => {
    assert.deepEqual(
      [...new Set(ENTRIES.map((e) => e.type))].sort(),
      LAYER_KINDS.map((k) => k.type).sort(),
      'one entry per registered kind',
    );
    const names = new Set<string>();
    for (const e of ENTRIES) {
      const layer = LAYER_KINDS.find((k) => k.type === e.type)!.create(e.args);
      layer.build(e.input, { rng: new RandomState(1), profile: MODERN, dtype: 'float64', seed: 1 });
      for (const op of layer.ops) {
        names.add(op.name);
        assert.match(op.equation, /^y = |H_t|=/, `${op.name}: forward formula`);
        assert.match(op.equation, /∂L\/∂x/, `${op.name}: backward formula`);
      }
    }
    for (const n of ['WeightMultiply', 'BiasAdd', 'Sigmoid', 'ReLU', 'LeakyReLU', 'Tanh', 'Softmax', 'Linear'])
      assert.ok(names.has(n), n);
    for (const n of [
      'Dropout',
      'Flatten',
      'Reshape',
      'Conv2d',
      'RNN',
      'LSTM',
      'GRU',
      'MaxPool2d',
      'AvgPool2d',
      'BatchNorm',
    ])
      assert.ok(names.has(n), n);
  });
  it("the recurrent cells' joins (Concat, Add, Subtract, Multiply) state theirs", () => {
    for (const op of [new Concat(), new Add(), new Subtract(), new Multiply()]) {
      assert.match(op.equation, /^y = /, op.name);
      assert.match(op.equation, /∂L\/∂a/, op.name);
    }
  });
  it("telemetry's probe carries each operation's equation to the frame message the Network tab draws", () => {
    const x = randn([4, 1, 4, 4], 3);
    const y = Tensor.zeros([4, 2], 'float64');
    for (let i = 0; i < 4; i++) y.data[i * 2 + (i % 2)] = 1;
    const net = new NeuralNetwork({
      layers: [
        new Conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }),
        new MaxPool2d({ kernelSize: 2 }),
        new FlattenLayer(),
        new ReshapeLayer({ shape: [8] }),
        new Dense({ units: 2 }),
      ],
      loss: new SoftmaxCrossEntropy(),
      seed: 1,
      dtype: 'float64',
    });
    const frames: TelemetryFrame[] = [];
    const probe = { x: new Tensor([1, 1, 4, 4], x.data.slice(0, 16)), y: new Tensor([1, 2], y.data.slice(0, 2)) };
    new Trainer(net, new SGD({ lr: 0.1 }), [
      new TelemetryCollector({ every: 1, probe, onFrame: (f) => frames.push(f) }),
    ]).fit({ xTrain: x, yTrain: y, xTest: x, yTest: y }, { epochs: 1, batchSize: 4, earlyStopping: false });
    const ops = net.layers.flatMap((l) => l.ops);
    const message = toFrameMessage(frames[0]).frame;
    assert.deepEqual(
      message.probeOps?.map((o) => [o.name, o.equation]),
      ops.map((o) => [o.name, o.equation]),
    );
  });
});
