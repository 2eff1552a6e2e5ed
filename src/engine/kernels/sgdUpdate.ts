import type { TensorData } from '../tensor/tensor';
import { fastElementwise } from './kernelBackend';

/**
 * Plain SGD over one parameter tensor, in place: w ← w − lr·g. float32 tensors that live in the
 * kernel arena (parameters made by makeParam) run on the WebAssembly kernel, which computes in
 * float64 and rounds once, as this loop does on a Float32Array: the same bits either way (W4's
 * LSTM: the loop was 2–4% of a training step).
 */
export function sgdUpdate(w: TensorData, g: TensorData, lr: number): void {
  if (w instanceof Float32Array && g instanceof Float32Array && fastElementwise()?.sgd(w, g, lr)) return;
  for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
}
