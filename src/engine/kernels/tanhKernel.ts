import type { TensorData } from '../tensor/tensor';
import { fastElementwise } from './kernelBackend';
import { threadedTanh, threadedTanhBackward } from './parallel';

/**
 * y[i] = tanh(x[i]) over x (y as long as x; y may be x). float32 runs on the WebAssembly kernel
 * when available (a rational approximation within 6e-7 relative of Math.tanh, fused multiply-adds
 * under relaxed SIMD; test/bench/tanhBench.ts measures it against the previous kernel),
 * split across the kernel threads when it is long; float64 and the reference backend use Math.tanh.
 */
export function tanhKernel(x: TensorData, y: TensorData): void {
  if (x instanceof Float32Array && y instanceof Float32Array) {
    const fast = fastElementwise();
    if (fast) {
      fast.tanh(x, y, threadedTanh());
      return;
    }
  }
  for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
}

/**
 * dx[i] = dy[i]·(1 − y[i]²) for i < dx.length: tanh's backward from its output. float32 on the
 * WebAssembly kernel (computed as (1 − y)(1 + y) in float32, within a few ulps), else this loop.
 */
export function tanhBackwardKernel(dy: TensorData, y: TensorData, dx: TensorData): void {
  if (dy instanceof Float32Array && y instanceof Float32Array && dx instanceof Float32Array) {
    const fast = fastElementwise();
    if (fast) {
      fast.tanhBackward(dy, y, dx, threadedTanhBackward());
      return;
    }
  }
  for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
}
