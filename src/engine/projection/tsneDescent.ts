import { assertValue } from '../errors';
import { RandomState } from '../random/randomState';

export interface TsneOptions {
  /** Effective number of neighbours each point's Gaussian covers. Default 30 (scikit-learn's). */
  perplexity?: number;
  /** Gradient steps. Default 1000. */
  iterations?: number;
  /** Seed of the initial layout, N(0, 1e-4²) per coordinate. Default 1. */
  seed?: number;
  /** Step size. Default scikit-learn's 'auto': max(rows / 12 / 4, 50). */
  learningRate?: number;
  /**
   * A starting layout [rows × 2], e.g. the last map of the same rows while a network trains:
   * no early exaggeration then (the clusters are already formed), so the map moves smoothly.
   */
  initial?: ArrayLike<number>;
}

/** Early exaggeration: P × 12 for the first 250 steps (scikit-learn's). */
export const EXAGGERATION = 12;
const EXAGGERATED_STEPS = 250;

export interface DescentOptions extends TsneOptions {
  /** Called every `reportEvery` steps with the step and the current layout (for progress). */
  onStep?: (step: number, points: Float64Array) => void;
  reportEvery?: number;
}

/**
 * The gradient descent exact and Barnes–Hut t-SNE share (scikit-learn's schedule): an N(0, 1e-4²)
 * start (or `initial`, then no exaggeration), `gradient` evaluated with P × 12 for 250 steps,
 * momentum 0.5 then 0.8, per-coordinate gains +0.2 / ×0.8 (at least 0.01), learning rate
 * max(rows / 48, 50), the map re-centred after every step. Returns the layout [rows × 2].
 */
export function tsneDescent(
  rows: number,
  options: DescentOptions,
  who: string,
  /** Writes ∂C/∂y at `y` into `grad` ([rows × 2]) with P multiplied by `exaggeration`. */
  gradient: (y: Float64Array, exaggeration: number, grad: Float64Array) => void,
): Float64Array {
  const iterations = options.iterations ?? 1000;
  const lr = options.learningRate ?? Math.max(rows / EXAGGERATION / 4, 50);
  const rng = new RandomState(options.seed ?? 1);
  const y = new Float64Array(rows * 2);
  if (options.initial) {
    assertValue(options.initial.length === rows * 2, () => `${who}: initial layout needs ${rows * 2} values`);
    y.set(options.initial);
  } else rng.fillNormal(y, 0, 1e-4);
  const exaggerated = options.initial ? 0 : EXAGGERATED_STEPS;
  const update = new Float64Array(rows * 2);
  const gains = new Float64Array(rows * 2).fill(1);
  const grad = new Float64Array(rows * 2);
  for (let it = 0; it < iterations; it++) {
    const momentum = it < exaggerated ? 0.5 : 0.8;
    gradient(y, it < exaggerated ? EXAGGERATION : 1, grad);
    for (let k = 0; k < rows * 2; k++) {
      // Grow a coordinate's gain while its gradient keeps pointing against the last step, shrink it otherwise.
      gains[k] = Math.sign(grad[k]) !== Math.sign(update[k]) ? gains[k] + 0.2 : Math.max(0.01, gains[k] * 0.8);
      update[k] = momentum * update[k] - lr * gains[k] * grad[k];
      y[k] += update[k];
    }
    centre(y, rows);
    if (options.onStep && (it + 1) % (options.reportEvery ?? 50) === 0) options.onStep(it + 1, y);
  }
  return y;
}

function centre(y: Float64Array, rows: number): void {
  let mx = 0,
    my = 0;
  for (let i = 0; i < rows; i++) {
    mx += y[2 * i];
    my += y[2 * i + 1];
  }
  mx /= rows;
  my /= rows;
  for (let i = 0; i < rows; i++) {
    y[2 * i] -= mx;
    y[2 * i + 1] -= my;
  }
}
