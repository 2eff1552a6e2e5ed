import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { setKernelPreference } from '../../../src/engine/kernels/kernelBackend';
import { LSTM } from '../../../src/engine/layers/lstm';
import { SequenceSoftmaxCrossEntropy } from '../../../src/engine/losses/sequenceSoftmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { RandomState } from '../../../src/engine/random/randomState';
import type { DType } from '../../../src/engine/tensor/tensor';
import { Tensor } from '../../../src/engine/tensor/tensor';

setFlagsFromString('--experimental-wasm-relaxed-simd');

/*
 * The float32 LSTM runs its gate products as batches (kernels/gemmMany.ts) on the WebAssembly
 * kernels (float64: the reference kernels, the book's sums). Both must give the same
 * gradients, to float32 precision, on every kernel backend.
 */
function gradients(dtype: DType, stacked = false): Float64Array[] {
  const net = new NeuralNetwork({
    // Stacked, the second LSTM's input gradient is wanted (BPTT through all of W, not its H rows only).
    layers: stacked
      ? [new LSTM({ hiddenSize: 48, outputSize: 20 }), new LSTM({ hiddenSize: 24, outputSize: 30 })]
      : [new LSTM({ hiddenSize: 48, outputSize: 30 })],
    loss: new SequenceSoftmaxCrossEntropy(),
    seed: 12,
    dtype,
  });
  const rng = new RandomState(8);
  const [b, T, V] = [7, 9, 30];
  const x = new Float64Array(b * T * V),
    y = new Float64Array(b * T * V);
  for (let i = 0; i < b * T; i++) {
    x[i * V + rng.randint(0, V)] = 1;
    y[i * V + rng.randint(0, V)] = 1;
  }
  const cast = (d: Float64Array) => (dtype === 'float32' ? Float32Array.from(d) : d);
  // Two batches: the second one's gradients must not carry rows of the first.
  net.trainBatch(new Tensor([b, T, V], cast(x)), new Tensor([b, T, V], cast(y)));
  net.trainBatch(new Tensor([b, T, V], cast(y)), new Tensor([b, T, V], cast(x)));
  return net.params().map((p) => Float64Array.from(p.grad.data));
}

describe('LSTM float32 (batched gate products) vs float64', () => {
  for (const [backend, stacked] of [
    ['auto', false],
    ['reference', false],
    ['auto', true],
  ] as const) {
    it(`every parameter's gradient within 2e-5 of float64 (relative to its largest), ${backend} kernels${stacked ? ', two LSTMs stacked' : ''}`, () => {
      setKernelPreference(backend);
      try {
        const g32 = gradients('float32', stacked),
          g64 = gradients('float64', stacked);
        assert.equal(g32.length, stacked ? 20 : 10);
        g64.forEach((ref, i) => {
          let scale = 0,
            err = 0;
          for (let j = 0; j < ref.length; j++) {
            scale = Math.max(scale, Math.abs(ref[j]));
            err = Math.max(err, Math.abs(g32[i][j] - ref[j]));
          }
          assert.ok(scale > 0, `parameter ${i} has no gradient`);
          assert.ok(err / scale <= 2e-5, `parameter ${i}: largest difference ${err} of ${scale}`);
        });
      } finally {
        setKernelPreference('auto');
      }
    });
  }
});
