import { Tensor, TensorData } from '../tensor/tensor';
import { kernelArena } from './kernelBackend';

/**
 * Storage for a long-lived tensor (a parameter, its gradient, optimizer state) of this length and
 * element type: in the kernel arena for float32 when the WebAssembly backend is active, so
 * kernels update it in place; a plain typed array otherwise.
 */
export function residentData(length: number, like: TensorData): TensorData {
  if (like instanceof Float32Array) {
    const arena = kernelArena();
    if (arena) return arena.float32(length);
  }
  return new (like.constructor as Float64ArrayConstructor | Float32ArrayConstructor)(length);
}

/** A copy of `t` whose data is resident (see residentData). */
export function residentCopy(t: Tensor): Tensor {
  const data = residentData(t.size, t.data);
  data.set(t.data);
  return new Tensor(t.shape, data);
}
