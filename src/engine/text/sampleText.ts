import { assertValue } from '../errors';
import { RecurrentLayer } from '../layers/recurrentLayer';
import type { NeuralNetwork } from '../network/neuralNetwork';
import type { RandomState } from '../random/randomState';
import type { Tensor } from '../tensor/tensor';
import type { CharVocabulary } from './charVocabulary';
import { oneHotSequences } from './charBatches';

/**
 * Generates `length` characters from a character model (a network of recurrent layers whose
 * last layer outputs one logit per vocabulary entry): feed `seedText`, then repeatedly draw the
 * next character from softmax(logits / temperature) with `rng` and feed it back, one step at a
 * time, carrying every recurrent layer's state between steps. Returns the generated text only.
 *
 * Starts from the state the next training call would start from (zeros; in 'carry' mode the
 * carried state, as the book's `sample_output`, which samples a deep copy of the trained model),
 * and restores each layer's state mode and every layer's state (NeuralNetwork.keepingState)
 * afterwards, so sampling in the middle of training does not disturb it. Lower temperatures give likelier, more repetitive text.
 */
export function sampleText(
  network: NeuralNetwork,
  vocab: CharVocabulary,
  seedText: string,
  length: number,
  rng: RandomState,
  temperature = 1,
): string {
  assertValue(seedText.length > 0, () => 'sampleText: the seed text is empty');
  assertValue(
    Number.isInteger(length) && length >= 0,
    () => `sampleText: length must be a non-negative integer, got ${length}`,
  );
  assertValue(
    Number.isFinite(temperature) && temperature > 0,
    () => `sampleText: temperature must be a positive number, got ${temperature}`,
  );
  const seed = vocab.encode(seedText);
  if (!network.isBuilt) network.build([seed.length, vocab.size]);
  const recurrent = network.layers.filter((l): l is RecurrentLayer => l instanceof RecurrentLayer);
  const modes = recurrent.map((l) => l.stateMode);
  return network.keepingState(() => {
    try {
      for (const l of recurrent) {
        if (l.stateMode === 'zero') l.carriedState = null;
        l.stateMode = 'carry';
      }
      return generate(network, vocab, seed, length, rng, temperature);
    } finally {
      recurrent.forEach((l, i) => {
        l.stateMode = modes[i];
        if (modes[i] === 'zero') l.carriedState = null;
      });
    }
  });
}

function generate(
  network: NeuralNetwork,
  vocab: CharVocabulary,
  seed: ArrayLike<number>,
  length: number,
  rng: RandomState,
  temperature: number,
): string {
  const feed = (indices: ArrayLike<number>): Tensor =>
    network.forward(oneHotSequences(indices, [0], indices.length, vocab.size, network.dtype), false).y;
  let logits = feed(seed);
  const out = new Int32Array(length);
  const probs = new Float64Array(vocab.size);
  for (let k = 0; k < length; k++) {
    assertValue(
      logits.rank === 3 && logits.shape[2] === vocab.size,
      () => `sampleText: the network must output [batch, T, ${vocab.size}] logits, got [${logits.shape.join(', ')}]`,
    );
    // Softmax of the last step's logits at this temperature (max subtracted for stability).
    const last = logits.data.subarray(logits.size - vocab.size);
    let max = -Infinity;
    for (let j = 0; j < vocab.size; j++) max = Math.max(max, last[j] / temperature);
    for (let j = 0; j < vocab.size; j++) probs[j] = Math.exp(last[j] / temperature - max);
    out[k] = rng.choice(probs);
    if (k + 1 < length) logits = feed([out[k]]);
  }
  return vocab.decode(out);
}
