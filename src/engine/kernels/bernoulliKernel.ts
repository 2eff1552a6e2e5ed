import { inversionConstants, type RandomState } from '../random/randomState';
import type { TensorData } from '../tensor/tensor';
import { fastElementwise } from './kernelBackend';

/**
 * `rng.fillBernoulli(out, p, one)` — the same values and the same stream consumed — on the
 * WebAssembly kernel when out is float32 in the kernel arena (a training step's dropout mask),
 * else in JavaScript. The generator's state goes into the kernel and comes back, so later draws
 * (JavaScript or not) continue the stream exactly. Dropout draws one mask value (two 32-bit words)
 * per activation: in JavaScript this was 40% of the chapter-5 CNN's epoch.
 */
export function bernoulliKernel(rng: RandomState, out: TensorData, p: number, one = 1): void {
  const fast = out instanceof Float32Array && p !== 0 ? fastElementwise() : null;
  if (fast && out instanceof Float32Array) {
    // NumPy's inversion for n = 1 with RandomState's own constants; after x = 1 its px update
    // ((n − x + 1)·p·px)/(x·q) with px = qn is p·qn/q.
    const flip = p > 0.5;
    const c = inversionConstants(1, flip ? 1 - p : p);
    const state = rng.getState(); // a copy: the kernel advances it in place
    const pos = fast.bernoulli(out, state.mt, state.pos, c.qn, (c.p * c.qn) / c.q, flip, one);
    if (pos !== null) {
      rng.setState({ mt: state.mt, pos, cachedGauss: state.cachedGauss });
      return;
    }
  }
  rng.fillBernoulli(out, p, one);
}
