import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dense } from '../../../src/engine/layers/dense';
import { MeanSquaredError } from '../../../src/engine/losses/meanSquaredError';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { SGD } from '../../../src/engine/optim/sgd';
import { SGDMomentum } from '../../../src/engine/optim/sgdMomentum';
import { BOOK, MODERN, Profile } from '../../../src/engine/profile';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { Trainer } from '../../../src/engine/train/trainer';
import type { Dataset } from '../../../src/engine/train/dataset';
import type { BatchEnd, Evaluation } from '../../../src/engine/train/observer';
import { ShapeError, ValueError } from '../../../src/engine/errors';
import { randn } from '../helpers/gradHelpers';

/** y = Σx on 40 rows; the test set has the opposite sign, so learning makes test loss worse. */
function diverging(): Dataset {
  const x = randn([40, 3], 1);
  const y = Tensor.zeros([40, 1], 'float64');
  for (let i = 0; i < 40; i++) y.data[i] = x.data[3 * i] + x.data[3 * i + 1] + x.data[3 * i + 2];
  const yNeg = y.clone();
  for (let i = 0; i < 40; i++) yNeg.data[i] = -y.data[i];
  return { xTrain: x, yTrain: y, xTest: x, yTest: yNeg };
}

function linearNet(profile: Profile = MODERN, seed = 3): NeuralNetwork {
  return new NeuralNetwork({
    layers: [new Dense({ units: 1 })],
    loss: new MeanSquaredError(),
    seed,
    profile,
    dtype: 'float64',
  });
}

describe('Trainer', () => {
  it('is reproducible for a seed and differs for another seed', () => {
    const data = diverging();
    const run = (seed: number) => {
      const losses: number[] = [];
      new Trainer(linearNet(), new SGD({ lr: 0.01 }), [{ onBatchEnd: (e) => losses.push(e.loss) }]).fit(data, {
        epochs: 2,
        batchSize: 8,
        seed,
        earlyStopping: false,
      });
      return losses;
    };
    assert.deepEqual(run(5), run(5));
    assert.notDeepEqual(run(5), run(6));
  });

  it('makes ceil(n/batch) batches per epoch with a short last batch, and evaluates every evalEvery epochs', () => {
    const batches: BatchEnd[] = [];
    const evals: Evaluation[] = [];
    const r = new Trainer(linearNet(), new SGD({ lr: 0.001 }), [
      { onBatchEnd: (e) => batches.push(e), onEvaluation: (e) => evals.push(e) },
    ]).fit(diverging(), { epochs: 6, batchSize: 15, evalEvery: 2, earlyStopping: false });
    assert.equal(batches.length, 6 * 3);
    assert.deepEqual(
      batches.slice(0, 3).map((b) => b.batchSize),
      [15, 15, 10],
    );
    assert.deepEqual(
      evals.map((e) => e.epoch),
      [2, 4, 6],
    );
    assert.equal(r.evalLosses.length, 3);
    assert.equal(r.epochsRun, 6);
  });

  it('per-step decay: the batches of a fit run from lr to finalLr, the reported lr is the one used', () => {
    const lrs: number[] = [];
    new Trainer(linearNet(), new SGD({ lr: 0.02, finalLr: 0.002, decay: 'linear', decayEvery: 'step' }), [
      { onBatchEnd: (e) => lrs.push(e.lr) },
    ]).fit(diverging(), { epochs: 2, batchSize: 8, earlyStopping: false });
    assert.equal(lrs.length, 10);
    assert.ok(Math.abs(lrs[0] - 0.02) < 1e-15 && Math.abs(lrs[9] - 0.002) < 1e-15, `${lrs}`);
    for (let i = 1; i < 10; i++) assert.ok(Math.abs(lrs[i - 1] - lrs[i] - 0.002) < 1e-12, `step ${i}: ${lrs}`);
  });

  it('modern early stopping restores the weights of the best evaluation', () => {
    const net = linearNet();
    const weightsAtEval: number[][] = [];
    const r = new Trainer(net, new SGD({ lr: 0.05 }), [
      { onEvaluation: () => weightsAtEval.push(Array.from(net.params()[0].value.data)) },
    ]).fit(diverging(), { epochs: 10, batchSize: 8, evalEvery: 1 });
    assert.equal(r.earlyStop?.epoch, 2);
    assert.equal(r.earlyStop?.restoredEpoch, 1);
    assert.deepEqual(Array.from(net.params()[0].value.data), weightsAtEval[0]);
    assert.ok(r.evalLosses[1] > r.evalLosses[0]);
  });

  it('book early stopping leaves the network as trained and keeps the snapshot from after e epochs', () => {
    const net = linearNet(BOOK);
    const weightsAtEval: number[][] = [];
    const trainer = new Trainer(net, new SGD({ lr: 0.05 }), [
      { onEvaluation: () => weightsAtEval.push(Array.from(net.params()[0].value.data)) },
    ]);
    const r = trainer.fit(diverging(), { epochs: 10, batchSize: 8, evalEvery: 1 });
    const stop = r.earlyStop!.epoch;
    assert.ok(stop >= 2 && stop < 10);
    assert.deepEqual(Array.from(net.params()[0].value.data), weightsAtEval[stop - 1]);
    assert.deepEqual(Array.from(trainer.bestWeights!.weights[0]), weightsAtEval[stop - 2]);
    assert.equal(trainer.bestWeights!.epoch, stop - 1);
  });

  it('stops after the current batch when asked, and says the run was interrupted', () => {
    const trainer = new Trainer(linearNet(), new SGD({ lr: 0.001 }));
    let n = 0;
    trainer.addObserver({ onBatchEnd: () => ++n === 3 && trainer.requestStop() });
    const r = trainer.fit(diverging(), { epochs: 5, batchSize: 10, earlyStopping: false });
    assert.equal(r.interrupted, true);
    assert.equal(r.steps, 3);
    assert.equal(r.epochsRun, 0, 'no epoch completed');
  });

  it('can be driven one batch at a time through its generator', () => {
    const it = new Trainer(linearNet(), new SGD({ lr: 0.001 })).steps(diverging(), { epochs: 1, batchSize: 20 });
    assert.equal((it.next().value as BatchEnd).batch, 0);
    assert.equal((it.next().value as BatchEnd).batch, 1);
    const end = it.next();
    assert.equal(end.done, true);
  });

  it('learns XOR with a tanh hidden layer (modern profile, float32)', () => {
    const x = Tensor.from(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      'float32',
    );
    const y = Tensor.from(
      [
        [1, 0],
        [0, 1],
        [0, 1],
        [1, 0],
      ],
      'float32',
    );
    const net = new NeuralNetwork({
      layers: [new Dense({ units: 8, activation: 'tanh', init: 'glorot' }), new Dense({ units: 2, init: 'glorot' })],
      loss: new SoftmaxCrossEntropy(),
      seed: 2,
    });
    const r = new Trainer(net, new SGDMomentum({ lr: 0.1 })).fit(
      { xTrain: x, yTrain: y, xTest: x, yTest: y },
      { epochs: 300, batchSize: 4, evalEvery: 100, earlyStopping: false },
    );
    assert.equal(r.metrics.accuracy, 1);
    assert.ok(r.evalLosses[2] < 0.05, `loss ${r.evalLosses[2]}`);
  });

  it('skipping the first layer input gradient leaves every parameter gradient unchanged', () => {
    const net = new NeuralNetwork({
      layers: [new Dense({ units: 4, activation: 'tanh' }), new Dense({ units: 2 })],
      loss: new MeanSquaredError(),
      dtype: 'float64',
    });
    const x = randn([5, 3], 1),
      y = randn([5, 2], 2);
    net.build([3]);
    const f = net.forward(x, true);
    const dy = net.loss.backward(net.loss.forward(f.y, y).ctx);
    net.zeroGrads();
    net.backward(dy, f.tape);
    const full = net.params().map((p) => Array.from(p.grad.data));
    net.zeroGrads();
    net.backwardParams(dy, f.tape);
    assert.deepEqual(
      net.params().map((p) => Array.from(p.grad.data)),
      full,
    );
  });

  it('rejects a batch size of 0, an empty dataset and mismatched rows with clear errors', () => {
    const t = () => new Trainer(linearNet(), new SGD({ lr: 0.1 }));
    assert.throws(
      () => t().fit(diverging(), { epochs: 1, batchSize: 0 }),
      (e: unknown) =>
        e instanceof ValueError && /batchSize must be a positive integer, got 0/.test((e as Error).message),
    );
    assert.throws(() => t().fit(diverging(), { epochs: 0 }), /epochs must be a positive integer, got 0/);
    const empty = Tensor.zeros([0, 3], 'float64');
    assert.throws(
      () => t().fit({ ...diverging(), xTrain: empty, yTrain: Tensor.zeros([0, 1], 'float64') }, { epochs: 1 }),
      /training inputs are empty/,
    );
    assert.throws(
      () => t().fit({ ...diverging(), yTrain: Tensor.zeros([39, 1], 'float64') }, { epochs: 1 }),
      (e: unknown) =>
        e instanceof ShapeError && /40 training inputs but 39 training targets/.test((e as Error).message),
    );
  });

  it('names the layer input problem when features do not match the first Dense layer', () => {
    const net = linearNet();
    net.build([5]);
    assert.throws(
      () => net.forward(randn([2, 3], 1), false),
      /WeightMultiply: input must be \[batch, 5\].*got \[2, 3\]/,
    );
  });
});
