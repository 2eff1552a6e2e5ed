import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  Adam,
  BatchNorm,
  BatchNormOp,
  Conv2d,
  Dataset,
  Dense,
  DType,
  FlattenLayer,
  MODERN,
  NeuralNetwork,
  RandomState,
  SoftmaxCrossEntropy,
  Tensor,
  Trainer,
} from '../../../src/engine';
import { encodeCheckpoint, restoreCheckpoint } from '../../../src/runs/checkpoint';
import { decodeWeights, encodeWeights } from '../../../src/runs/weightsFormat';
import { checkLayer, checkOperation, fixedMode, randn } from '../helpers/gradHelpers';

/** A batch-norm op over `channels` with γ and β moved away from 1 and 0 (so their gradients are general). */
function op(channels: number, seed: number): BatchNormOp {
  const bn = new BatchNormOp(channels, 'float64', 0.1, 1e-5);
  bn.gamma.value.data.set(randn([channels], seed, 0.5).data.map((v) => 1 + v));
  bn.beta.value.data.set(randn([channels], seed + 1, 0.5).data);
  return bn;
}

describe('BatchNorm gradients (float64, central differences)', () => {
  for (const [what, shape] of [
    ['dense-shaped [batch, features]', [6, 4]],
    ['conv-shaped [batch, channels, h, w]', [3, 2, 4, 3]],
  ] as const) {
    it(`${what}, training (batch statistics): input, gamma, beta`, () => {
      const x = randn([...shape], 5, 2);
      for (let i = 0; i < x.size; i++) x.data[i] += 0.7; // a non-zero mean
      checkOperation(op(shape[1], 11), x, fixedMode(true), { maxPoints: 200 });
    });
    it(`${what}, inference (running statistics): input, gamma, beta`, () => {
      const bn = op(shape[1], 12);
      bn.runningMean.data.set(randn([shape[1]], 3).data);
      bn.runningVar.data.set(randn([shape[1]], 4).data.map((v) => 0.5 + v * v));
      checkOperation(bn, randn([...shape], 6), fixedMode(false), { maxPoints: 200 });
    });
  }
  it('the layer with an activation (tanh), built on [channels, h, w] and on [features]', () => {
    for (const input of [[2, 3, 3], [5]]) {
      const layer = new BatchNorm({ activation: 'tanh' });
      layer.build(input, { rng: new RandomState(1), profile: MODERN, dtype: 'float64', seed: 1 });
      layer.params()[0].value.data.set(randn([input[0]], 8, 0.3).data.map((v) => 1 + v));
      checkLayer(layer, randn([4, ...input], 9), fixedMode(true));
    }
  });
});

describe('BatchNorm forward', () => {
  it("training: batch statistics (biased variance); running statistics with PyTorch's momentum and unbiased variance", () => {
    const bn = new BatchNormOp(2, 'float64', 0.1, 1e-5);
    // Channel 0: 1, 2, 3, 6 (mean 3, biased var 3.5, unbiased 14/3); channel 1: all 5 (var 0).
    const x = Tensor.from([
      [1, 5],
      [2, 5],
      [3, 5],
      [6, 5],
    ]);
    const y = bn.forward(x, fixedMode(true)()).y;
    const s = 1 / Math.sqrt(3.5 + 1e-5);
    assert.deepEqual(Array.from(y.data), [-2 * s, 0, -1 * s, 0, 0, 0, 3 * s, 0]);
    assert.deepEqual(Array.from(bn.runningMean.data), [0.9 * 0 + 0.1 * 3, 0.1 * 5]);
    assert.deepEqual(Array.from(bn.runningVar.data), [0.9 + 0.1 * (14 / 3), 0.9]);
    // Inference uses the running statistics and leaves them alone.
    const running = Array.from(bn.runningMean.data);
    const z = bn.forward(Tensor.from([[0.3, 0.5]]), fixedMode(false)()).y;
    assert.ok(Math.abs(z.data[0] - (0.3 - running[0]) / Math.sqrt(0.9 + 1.4 / 3 + 1e-5)) < 1e-15);
    assert.ok(Math.abs(z.data[1] - (0.5 - running[1]) / Math.sqrt(0.9 + 1e-5)) < 1e-15);
    assert.deepEqual(Array.from(bn.runningMean.data), running);
  });
  it('conv-shaped: statistics per channel over batch, height and width', () => {
    const x = randn([3, 2, 4, 5], 21, 3);
    const y = new BatchNormOp(2, 'float64', 0.1, 1e-5).forward(x, fixedMode(true)()).y;
    for (let c = 0; c < 2; c++) {
      const v: number[] = [];
      for (let b = 0; b < 3; b++) v.push(...y.data.subarray((b * 2 + c) * 20, (b * 2 + c + 1) * 20));
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
      assert.ok(Math.abs(mean) < 1e-12, `channel ${c} mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 1e-5, `channel ${c} variance ${variance}`);
    }
  });
  it('rejects inputs that are neither [features] nor [channels, h, w], and bad arguments', () => {
    assert.throws(() => new BatchNorm().outputShape([3, 4]), /BatchNorm: input must be/);
    assert.throws(() => new BatchNorm({ momentum: 0 }), /momentum/);
    assert.throws(() => new BatchNorm({ eps: -1 }), /eps/);
  });
});

function images(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new RandomState(seed);
  const x = Tensor.zeros([n, 1, 6, 6], 'float64');
  rng.fillNormal(x.data);
  const y = Tensor.zeros([n, 3], 'float64');
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < 36; k++) s += x.data[i * 36 + k] * (k < 18 ? 1 : -1);
    y.data[i * 3 + (s > 2 ? 0 : s < -2 ? 1 : 2)] = 1;
  }
  return { x, y };
}

function cnn(dtype: DType): NeuralNetwork {
  return new NeuralNetwork({
    layers: [
      new Conv2d({ filters: 3, kernelSize: 3, useBias: false, init: 'he' }),
      new BatchNorm({ activation: 'relu' }),
      new FlattenLayer(),
      new Dense({ units: 8, init: 'glorot' }),
      new BatchNorm({ momentum: 0.2, activation: 'tanh' }),
      new Dense({ units: 3, init: 'glorot' }),
    ],
    loss: new SoftmaxCrossEntropy(),
    seed: 4,
    profile: MODERN,
    dtype,
  });
}

describe('BatchNorm in a network', () => {
  const train = images(48, 1),
    test = images(20, 2);
  const data: Dataset = { xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
  const options = { epochs: 6, batchSize: 8, evalEvery: 1, seed: 3, earlyStopping: false };

  it('float32 (step arena) trains as float64 does', () => {
    const losses = (['float64', 'float32'] as const).map(
      (dtype) => new Trainer(cnn(dtype), new Adam({ lr: 0.01 })).fit(data, { ...options, epochs: 3 }).evalLosses,
    );
    assert.ok(losses[0][2] < losses[0][0], `it learns: ${losses[0]}`);
    losses[0].forEach((l, i) => assert.ok(Math.abs(l - losses[1][i]) < 2e-3 * Math.abs(l), `${l} vs ${losses[1][i]}`));
  });

  for (const dtype of ['float64', 'float32'] as const)
    it(`checkpoint + resume equals the uninterrupted run (${dtype}); running statistics are in the checkpoint`, () => {
      const net = cnn(dtype);
      const opt = new Adam({ lr: 0.01 });
      const trainer = new Trainer(net, opt);
      let bytes: Uint8Array | undefined;
      trainer.addObserver({
        onEpochComplete: (s) => {
          if (s.epoch === 2) bytes = encodeCheckpoint(net, opt, s);
        },
      });
      const full = trainer.fit(data, options);
      assert.ok(bytes);
      const file = decodeWeights(bytes);
      const names = file.tensors.map((t) => t.name);
      for (const n of ['batchnorm2.runningMean', 'batchnorm2.runningVar', 'batchnorm5.runningMean'])
        assert.ok(names.includes(n) && names.includes(`best/${n}`), n);

      const resume = (b: Uint8Array) => {
        const again = cnn(dtype);
        again.build([1, 6, 6]);
        const o = new Adam({ lr: 0.01 });
        const state = restoreCheckpoint(b, 'checkpoint.gbw', again, o);
        return new Trainer(again, o).fit(data, { ...options, restart: false, resume: state }).evalLosses;
      };
      assert.deepEqual(resume(bytes), full.evalLosses.slice(2));
      // Without the running statistics (a pre-state checkpoint) the evaluations differ: the test can fail.
      const old = encodeWeights(
        file.tensors.filter((t) => !t.name.includes('.running')),
        file.meta,
      );
      assert.notDeepEqual(resume(old), full.evalLosses.slice(2));
    });

  it('early stopping restores the best model with its running statistics', () => {
    const net = cnn('float64');
    const t = new Trainer(net, new Adam({ lr: 0.05 }));
    t.fit(data, { ...options, epochs: 8, earlyStopping: true });
    const best = t.bestWeights;
    assert.ok(best);
    const n = net.params().length;
    assert.equal(best.weights.length, n + 4, 'parameters, then two running statistics per batch-norm layer');
    net.restore(best.weights);
    assert.deepEqual(
      net.state().map((s) => Array.from(s.data)),
      best.weights.slice(n).map((w) => Array.from(w)),
    );
  });
});
