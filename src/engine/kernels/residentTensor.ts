import { Tensor, TensorData } from '../tensor/tensor';
import { fastGemm64, kernelArena } from './kernelBackend';

/**
 * Storage for a long-lived tensor (a parameter, its gradient, optimizer state) of this length and
 * element type: in the kernel arena for float32 when the WebAssembly backend is active, and for
 * float64 when the float64 GEMM is (so products read it in place instead of copying it in);
 * a plain typed array otherwise.
 */
export function residentData(length: number, like: TensorData): TensorData {
  const arena = kernelArena();
  if (arena && like instanceof Float32Array) return arena.float32(length);
  if (arena && like instanceof Float64Array && fastGemm64()) return arena.float64(length);
  return new (like.constructor as Float64ArrayConstructor | Float32ArrayConstructor)(length);
}

/** A copy of `t` whose data is resident (see residentData). */
export function residentCopy(t: Tensor): Tensor {
  const data = residentData(t.size, t.data);
  data.set(t.data);
  return new Tensor(t.shape, data);
}
