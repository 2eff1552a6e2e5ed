import type { TensorData } from '../tensor/tensor';
import { fastElementwise } from './kernelBackend';

/**
 * out[i] = a[i]·b[i] for i < out.length (out may be a or b). float32 operands that all live in
 * the kernel arena (a training step's tensors) run on the SIMD kernel; anything else on this loop.
 */
export function multiplyKernel(a: TensorData, b: TensorData, out: TensorData): void {
  if (
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    out instanceof Float32Array &&
    fastElementwise()?.mul(a, b, out)
  )
    return;
  for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i];
}
