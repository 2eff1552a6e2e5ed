import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdaGrad,
  BOOK,
  DType,
  FitOptions,
  LSTM,
  NeuralNetwork,
  RNN,
  SequenceSoftmaxCrossEntropy,
  TensorData,
  Trainer,
  textDataset,
} from '../../src/engine';
import { encodeCheckpoint, encodeParameters, restoreCheckpoint } from '../../src/runs/checkpoint';
import { decodeWeights, encodeWeights } from '../../src/runs/weightsFormat';

const TEXT = 'the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. '.repeat(12);
const T = 8;

function setup(kind: 'rnn' | 'lstm', dtype: DType) {
  const data = textDataset(TEXT, { sequenceLength: T, dtype });
  const v = data.text.vocab.size;
  const layer =
    kind === 'rnn'
      ? new RNN({ hiddenSize: 10, outputSize: v, state: 'carry' })
      : new LSTM({ hiddenSize: 10, outputSize: v, state: 'carry' });
  const network = new NeuralNetwork({
    layers: [layer],
    loss: new SequenceSoftmaxCrossEntropy({ form: 'book', reduction: 'sum' }),
    seed: 7,
    profile: BOOK,
    dtype,
  });
  return { data, network, optimizer: new AdaGrad({ lr: 0.01, form: 'book' }) };
}

const options: FitOptions = {
  epochs: 5,
  evalEvery: 5,
  batchSize: 4,
  text: { iterations: 25, rowStride: 1, sampleEvery: 7, sampleLength: 12 },
};

/** Trains the whole run and returns its eval losses and the checkpoint written after `round` rounds. */
function whole(kind: 'rnn' | 'lstm', dtype: DType, round: number) {
  const { data, network, optimizer } = setup(kind, dtype);
  let bytes: Uint8Array | undefined;
  const trainer = new Trainer(network, optimizer);
  trainer.addObserver({
    onEpochComplete: (state) => {
      if (state.epoch === round) bytes = encodeCheckpoint(network, optimizer, state);
    },
  });
  const result = trainer.fit(data, options);
  assert.ok(bytes);
  return { evalLosses: result.evalLosses, bytes, network };
}

function resumed(kind: 'rnn' | 'lstm', dtype: DType, bytes: Uint8Array): number[] {
  const { data, network, optimizer } = setup(kind, dtype);
  network.build(data.xTrain.shape.slice(1));
  const state = restoreCheckpoint(bytes, 'checkpoint.gbw', network, optimizer);
  return new Trainer(network, optimizer).fit(data, { ...options, restart: false, resume: state }).evalLosses;
}

for (const [kind, dtype] of [
  ['rnn', 'float64'],
  ['lstm', 'float32'],
] as const)
  describe(`book-profile ${kind} with carried state (${dtype}): checkpoint and resume`, () => {
    it('the checkpoint holds the carried state, and a resumed run equals the uninterrupted one (eval losses)', () => {
      const full = whole(kind, dtype, 2);
      const file = decodeWeights(full.bytes);
      const names = kind === 'lstm' ? [`${kind}1.H`, `${kind}1.C`] : [`${kind}1.H`];
      for (const n of names) {
        const t = file.tensors.find((x) => x.name === n);
        assert.ok(t, `checkpoint has ${n}`);
        assert.deepEqual(t.shape, [1, 10]);
        assert.ok(
          Array.from(t.data).some((x) => x !== 0),
          `${n} is the carried state, not zeros`,
        );
        assert.ok(
          file.tensors.some((x) => x.name === `best/${n}`),
          `the best model keeps ${n}`,
        );
      }
      assert.deepEqual(resumed(kind, dtype, full.bytes), full.evalLosses.slice(2));
    });
    it('an old checkpoint without the state still resumes (from zeros), and then differs', () => {
      const full = whole(kind, dtype, 2);
      const file = decodeWeights(full.bytes);
      const old = encodeWeights(
        file.tensors.filter((t) => !/^(best\/)?\w+1\.[HC]$/.test(t.name)),
        file.meta,
      );
      const losses = resumed(kind, dtype, old);
      assert.equal(losses.length, full.evalLosses.length - 2);
      assert.notDeepEqual(losses, full.evalLosses.slice(2));
    });
  });

describe('layer state in weights files and snapshots', () => {
  it('final weights carry the state; a snapshot restores it; keepingState puts it back after a forward', () => {
    const { data, network, optimizer } = setup('rnn', 'float64');
    new Trainer(network, optimizer).fit(data, { ...options, text: { iterations: 6, sampleEvery: 0 } });
    const h = network.state()[0];
    assert.equal(h.name, 'rnn1.H');
    const file = decodeWeights(encodeParameters(network, {}));
    assert.deepEqual(Array.from(file.tensors.find((t) => t.name === 'rnn1.H')!.data), Array.from(h.data));

    const snap: TensorData[] = network.snapshot();
    assert.equal(snap.length, network.params().length + 1);
    network.keepingState(() => network.forward(data.xTest, false));
    assert.deepEqual(Array.from(network.state()[0].data), Array.from(h.data), 'keepingState restores it');
    network.forward(data.xTest, false);
    assert.notDeepEqual(Array.from(network.state()[0].data), Array.from(h.data), 'a forward replaces it');
    network.restore(snap);
    assert.deepEqual(Array.from(network.state()[0].data), Array.from(h.data), 'restore(snapshot) puts it back');
  });
});
