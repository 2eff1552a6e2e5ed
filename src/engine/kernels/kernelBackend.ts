import { engineLogger } from '../logger';
import { getWebAssembly } from './wasm/wasmApi';
import { WasmGemm, WasmGemmVariant } from './wasm/wasmGemm';

/** The kernels float32 products run on. float64 always uses the reference kernels. */
export type KernelBackendName = 'reference' | 'wasm-simd128' | 'wasm-relaxed-simd';
/** 'auto' takes the fastest available backend; a named one is used if this runtime has it. */
export type KernelPreference = 'auto' | KernelBackendName;

const VARIANT: Record<Exclude<KernelBackendName, 'reference'>, WasmGemmVariant> = {
  'wasm-simd128': 'simd128',
  'wasm-relaxed-simd': 'relaxedSimd',
};

let preference: KernelPreference = 'auto';
let selected: { name: KernelBackendName; gemm: WasmGemm | null } | null = null;

/** Chooses the backend for later float32 products (the next product re-runs detection). */
export function setKernelPreference(p: KernelPreference): void {
  preference = p;
  selected = null;
}

export function kernelPreference(): KernelPreference {
  return preference;
}

/** The backend float32 products run on now, detecting it on first use. */
export function kernelBackendName(): KernelBackendName {
  return select().name;
}

/** The WebAssembly GEMM to use for float32, or null for the reference kernels. */
export function fastGemm(): WasmGemm | null {
  return (selected ?? select()).gemm;
}

/**
 * Feature detection: relaxed SIMD (fused multiply-add; Node 20 needs
 * --experimental-wasm-relaxed-simd, newer V8 and VS Code have it), then SIMD128, then the
 * reference kernels. Falling back from a wanted WebAssembly backend is said once per selection
 * through the engine logger: slower, never wrong.
 */
function select(): { name: KernelBackendName; gemm: WasmGemm | null } {
  if (selected) return selected;
  const wanted: Exclude<KernelBackendName, 'reference'>[] =
    preference === 'reference' ? [] : preference === 'auto' ? ['wasm-relaxed-simd', 'wasm-simd128'] : [preference];
  for (const name of wanted) {
    const gemm = WasmGemm.create(VARIANT[name]);
    if (gemm) {
      selected = { name, gemm };
      engineLogger().info(`Glassbox kernels: float32 matrix products use WebAssembly (${name}).`);
      return selected;
    }
  }
  if (wanted.length > 0) {
    const why = getWebAssembly() ? `this runtime does not support ${wanted.join(' or ')}` : 'this runtime has no WebAssembly';
    engineLogger().warn(`Glassbox kernels: ${why}; float32 products use the reference TypeScript kernels (slower, same results).`);
  }
  selected = { name: 'reference', gemm: null };
  return selected;
}
