import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../../src/engine/errors';
import { LSTM } from '../../../src/engine/layers/lstm';
import { RNN } from '../../../src/engine/layers/rnn';
import { SequenceSoftmaxCrossEntropy } from '../../../src/engine/losses/sequenceSoftmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { BOOK } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { CharBatches, oneHotSequences } from '../../../src/engine/text/charBatches';
import { CharVocabulary } from '../../../src/engine/text/charVocabulary';
import { sampleText } from '../../../src/engine/text/sampleText';

describe('CharVocabulary', () => {
  it('is the sorted distinct characters, so indices do not depend on hashing', () => {
    const v = CharVocabulary.fromText('hello, world\n');
    assert.deepEqual(v.chars, ['\n', ' ', ',', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    assert.deepEqual(Array.from(v.encode('low')), [6, 7, 9]);
    assert.equal(v.decode(v.encode('hello')), 'hello');
  });
  it('names a character it does not know', () => {
    assert.throws(
      () => CharVocabulary.fromText('abc').encode('abz'),
      (e: unknown) => e instanceof ValueError && /"z"/.test(e.message),
    );
  });
});

describe('CharBatches (the book RNNTrainer windows)', () => {
  const vocab = CharVocabulary.fromText('abcdefghij');
  const encoded = vocab.encode('abcdefghijabcdefghij');

  it('one-hot rows offset by one character, targets shifted by one', () => {
    const b = new CharBatches(encoded, vocab.size, { batchSize: 2, sequenceLength: 3 }).next();
    assert.deepEqual(b.x.shape, [2, 3, 10]);
    const argmax = (t: typeof b.x) =>
      Array.from({ length: t.size / 10 }, (_, r) => t.data.subarray(r * 10, r * 10 + 10).indexOf(1));
    assert.equal(vocab.decode(argmax(b.x)), 'abcbcd');
    assert.equal(vocab.decode(argmax(b.y)), 'bcdcde');
  });
  it('advances batch·stride characters and wraps to 0 as the book (start + T + B + 1 > length)', () => {
    const batches = new CharBatches(encoded, vocab.size, { batchSize: 4, sequenceLength: 5, rowStride: 1 });
    const starts = Array.from({ length: 5 }, () => batches.next().start);
    // 20 characters: start 8 is the last with 8 + 5 + 4 + 1 <= 20.
    assert.deepEqual(starts, [0, 4, 8, 0, 4]);
  });
  it('oneHotSequences puts exactly one 1 per position', () => {
    const t = oneHotSequences(encoded, [0, 5], 4, vocab.size, 'float64');
    assert.equal(
      Array.from(t.data).reduce((s, v) => s + v, 0),
      8,
    );
  });
  it('refuses a text too short for one batch', () => {
    assert.throws(() => new CharBatches(encoded, vocab.size, { batchSize: 8, sequenceLength: 12 }), ValueError);
  });
});

describe('sampleText', () => {
  const vocab = CharVocabulary.fromText('the quick brown fox');
  const network = (profile = BOOK) =>
    new NeuralNetwork({
      layers: [new RNN({ hiddenSize: 8, outputSize: 6 }), new LSTM({ hiddenSize: 8, outputSize: vocab.size })],
      loss: new SequenceSoftmaxCrossEntropy(),
      seed: 3,
      profile,
      dtype: 'float64',
    });

  it('returns the requested number of characters, all from the vocabulary, reproducibly for a seed', () => {
    const net = network();
    const a = sampleText(net, vocab, 'the', 40, new RandomState(1));
    assert.equal(a.length, 40);
    assert.ok(
      [...a].every((c) => vocab.chars.includes(c)),
      a,
    );
    assert.equal(sampleText(net, vocab, 'the', 40, new RandomState(1)), a);
    assert.equal(sampleText(net, vocab, 'the', 0, new RandomState(1)), '');
  });
  it("leaves every layer's state mode and carried state as it found them", () => {
    const net = network();
    net.forward(oneHotSequences(vocab.encode('quick brown'), [0, 2], 5, vocab.size, 'float64'), true);
    const layers = net.layers as (RNN | LSTM)[];
    const before = layers.map((l) => l.carriedState?.map((s) => Array.from(s.data)));
    sampleText(net, vocab, 'fox', 10, new RandomState(2), 0.5);
    assert.deepEqual(
      layers.map((l) => l.carriedState?.map((s) => Array.from(s.data))),
      before,
    );
    assert.ok(layers.every((l) => l.stateMode === 'carry'));
  });
  it('rejects a non-positive temperature', () => {
    assert.throws(() => sampleText(network(), vocab, 'the', 5, new RandomState(1), 0), ValueError);
  });
});
