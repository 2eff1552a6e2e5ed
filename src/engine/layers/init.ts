import { assertValue } from '../errors';
import type { Profile } from '../profile';
import type { RandomState } from '../random/randomState';
import { Tensor, DType } from '../tensor/tensor';

/**
 * Weight initialisation schemes.
 * - `standard`: N(0, 1), the book's default.
 * - `glorot`: N(0, √(2/(fanIn+fanOut))) (Glorot/Xavier normal).
 * - `he`: N(0, √(2/fanIn)), for ReLU layers.
 * - `glorotBook`: N(0, 2/(fanIn+fanOut)) — the book-era lincoln's formula, which uses the
 *   variance as the std. In the book profile, `glorot` means this (E4.10–E4.14, E5.4).
 * - `pytorch`: PyTorch's default for nn.Linear and nn.Conv2d (chapter 7): W and B ~
 *   U(−1/√fanIn, 1/√fanIn), so std 1/√(3·fanIn). Fan-in only: a 28 → 5488 decoder layer starts
 *   with weights ~6× larger than Glorot gives it, which the E7.5 autoencoder needs to learn.
 */
export type InitName = 'standard' | 'glorot' | 'he' | 'glorotBook' | 'pytorch';
export const INIT_NAMES: readonly InitName[] = ['standard', 'glorot', 'he', 'glorotBook', 'pytorch'];

/** What a layer without `init` gets, in words (the schema's description of the default). */
export const DEFAULT_INIT_TEXT =
  "Default: in the modern profile 'he' for relu and leakyRelu, 'glorot' for every other activation (as Keras and PyTorch practice); in the book profile 'standard', the book's.";

/**
 * The initialisation of a layer whose model file gives no `init`: modern practice in the modern
 * profile (He et al. for ReLU-family activations, Glorot for tanh, sigmoid, linear and softmax,
 * which keeps the pre-activations near unit variance), the book's N(0, 1) in the book profile.
 */
export function defaultInit(activation: string | undefined, profile: Profile): InitName {
  if (profile.standardDefaultInit) return 'standard';
  return activation === 'relu' || activation === 'leakyRelu' ? 'he' : 'glorot';
}

export function initStd(init: InitName, fanIn: number, fanOut: number, profile: Profile): number {
  assertValue(
    fanIn > 0 && fanOut > 0,
    () => `weight init '${init}': fan-in and fan-out must be positive, got ${fanIn} and ${fanOut}`,
  );
  switch (init) {
    case 'standard':
      return 1;
    case 'glorot':
      return profile.bookGlorot ? 2 / (fanIn + fanOut) : Math.sqrt(2 / (fanIn + fanOut));
    case 'glorotBook':
      return 2 / (fanIn + fanOut);
    case 'he':
      return Math.sqrt(2 / fanIn);
    case 'pytorch':
      return 1 / Math.sqrt(3 * fanIn);
  }
}

/** PyTorch's default bound: weights and biases are drawn from U(−1/√fanIn, 1/√fanIn). */
export function pytorchBound(fanIn: number): number {
  return 1 / Math.sqrt(fanIn);
}

/** Draws a tensor of U(−bound, bound) values in C order from the shared stream. */
export function uniformTensor(shape: readonly number[], bound: number, rng: RandomState, dtype: DType): Tensor {
  const t = Tensor.zeros(shape, dtype);
  for (let i = 0; i < t.size; i++) t.data[i] = (2 * rng.double() - 1) * bound;
  return t;
}

/** Draws a tensor of N(0, std) values in C order from the shared stream (as `np.random.normal`). */
export function normalTensor(shape: readonly number[], std: number, rng: RandomState, dtype: DType): Tensor {
  const t = Tensor.zeros(shape, dtype);
  rng.fillNormal(t.data, 0, std);
  return t;
}
