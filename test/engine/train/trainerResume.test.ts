import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  Adam,
  Dense,
  MeanSquaredError,
  NeuralNetwork,
  Optimizer,
  Profile,
  BOOK,
  MODERN,
  RandomState,
  SGDMomentum,
  Tensor,
  Trainer,
  TrainerState,
  TensorData,
  Dataset,
} from '../../../src/engine';

function toyData(): Dataset {
  const rng = new RandomState(3);
  const make = (n: number) => {
    const x = Tensor.zeros([n, 4], 'float64');
    rng.fillNormal(x.data);
    const y = Tensor.zeros([n, 1], 'float64');
    for (let i = 0; i < n; i++)
      y.data[i] = x.data[i * 4] - 2 * x.data[i * 4 + 1] + 0.5 * x.data[i * 4 + 2] * x.data[i * 4 + 3];
    return { x, y };
  };
  const a = make(40),
    b = make(15);
  return { xTrain: a.x, yTrain: a.y, xTest: b.x, yTest: b.y };
}

function network(profile: Profile): NeuralNetwork {
  return new NeuralNetwork({
    layers: [new Dense({ units: 6, activation: 'tanh', keepProb: 0.8, init: 'glorot' }), new Dense({ units: 1 })],
    loss: new MeanSquaredError(),
    seed: 11,
    profile,
    dtype: 'float64',
  });
}
const momentum = () => new SGDMomentum({ lr: 0.05, finalLr: 0.01, decay: 'exponential', momentum: 0.9 });
const adam = () => new Adam({ lr: 0.01, finalLr: 0.005, decay: 'linear' });
const fitOptions = { epochs: 8, batchSize: 7, evalEvery: 2, seed: 5, earlyStopping: false };

for (const [profile, optimizer] of [
  [MODERN, momentum],
  [BOOK, momentum],
  [MODERN, adam],
] as [Profile, () => Optimizer][]) {
  describe(`Trainer resume (${profile.name} profile, ${optimizer().name})`, () => {
    it('a fit resumed from an onEpochComplete state ends exactly like an uninterrupted one', () => {
      const data = toyData();
      const whole = new Trainer(network(profile), optimizer());
      let saved: { state: TrainerState; weights: TensorData[]; opt: TensorData[][] } | undefined;
      whole.addObserver({
        onEpochComplete: (state) => {
          if (state.epoch === 3)
            saved = {
              state,
              weights: whole.network.snapshot(),
              opt: whole.optimizer.exportState(whole.network.params()).map((s) => s.map((a) => a.slice())),
            };
        },
      });
      const full = whole.fit(data, fitOptions);
      assert.ok(saved);

      const net = network(profile);
      net.build([4]);
      net.restore(saved.weights);
      const opt = optimizer();
      opt.importState(net.params(), saved.opt);
      const resumed = new Trainer(net, opt).fit(data, { ...fitOptions, restart: false, resume: saved.state });
      assert.deepEqual(resumed.evalLosses, full.evalLosses.slice(1));
      assert.deepEqual(resumed.metrics, full.metrics);
      assert.deepEqual(net.snapshot(), whole.network.snapshot());
    });
  });
}

describe('Trainer resume validation', () => {
  it('rejects a resume state for a different number of rows', () => {
    const t = new Trainer(network(MODERN), momentum());
    const bad: TrainerState = {
      epoch: 1,
      rng: new RandomState(1).getState(),
      order: new Int32Array(3),
      bestLoss: Infinity,
      best: null,
    };
    assert.throws(
      () => t.fit(toyData(), { ...fitOptions, restart: false, resume: bad }),
      /resume state is for epoch 1 and 3 rows/,
    );
  });
});
