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
 */
export type InitName = 'standard' | 'glorot' | 'he' | 'glorotBook';
export const INIT_NAMES: readonly InitName[] = ['standard', 'glorot', 'he', 'glorotBook'];

export function initStd(init: InitName, fanIn: number, fanOut: number, profile: Profile): number {
  assertValue(fanIn > 0 && fanOut > 0, () => `weight init '${init}': fan-in and fan-out must be positive, got ${fanIn} and ${fanOut}`);
  switch (init) {
    case 'standard':
      return 1;
    case 'glorot':
      return profile.bookGlorot ? 2 / (fanIn + fanOut) : Math.sqrt(2 / (fanIn + fanOut));
    case 'glorotBook':
      return 2 / (fanIn + fanOut);
    case 'he':
      return Math.sqrt(2 / fanIn);
  }
}

/** Draws a tensor of N(0, std) values in C order from the shared stream (as `np.random.normal`). */
export function normalTensor(shape: readonly number[], std: number, rng: RandomState, dtype: DType): Tensor {
  const t = Tensor.zeros(shape, dtype);
  rng.fillNormal(t.data, 0, std);
  return t;
}
