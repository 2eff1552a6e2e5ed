import { setFlagsFromString } from 'node:v8';
import { getWebAssembly } from '../engine/kernels/wasm/wasmApi';
import { wasmBinaries } from '../engine/kernels/wasm/wasmBinaries';

/**
 * Lets the engine's fused multiply-add GEMM run on Node 20, whose V8 has relaxed SIMD behind
 * --experimental-wasm-relaxed-simd (newer Node and VS Code's Electron have it on; without it the
 * engine uses plain SIMD128, ~25% slower). Sets the flag only when the runtime does not already
 * validate the relaxed module, and must run before the engine compiles its first WebAssembly
 * module (V8 flags are per process, so worker threads see it too). Returns whether relaxed SIMD
 * is available now.
 */
export function enableRelaxedSimd(): boolean {
  const wasm = getWebAssembly();
  if (!wasm) return false;
  const bytes = Buffer.from(wasmBinaries.gemmRelaxedSimd, 'base64');
  if (wasm.validate(bytes)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return wasm.validate(bytes);
}
