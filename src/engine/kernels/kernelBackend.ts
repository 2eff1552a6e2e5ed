import { engineLogger } from '../logger';
import { WasmArena } from './wasm/wasmArena';
import { getWebAssembly } from './wasm/wasmApi';
import { ConvExports, instantiateConv } from './wasm/wasmConv';
import { WasmElementwise } from './wasm/wasmElementwise';
import { WasmGemm, WasmGemmVariant } from './wasm/wasmGemm';
import { WasmGemm64 } from './wasm/wasmGemm64';

/** The kernels float32 work runs on (float64: see fastGemm64). */
export type KernelBackendName = 'reference' | 'wasm-simd128' | 'wasm-relaxed-simd';
/** 'auto' takes the fastest available backend; a named one is used if this runtime has it. */
export type KernelPreference = 'auto' | KernelBackendName;

const VARIANT: Record<Exclude<KernelBackendName, 'reference'>, WasmGemmVariant> = {
  'wasm-simd128': 'simd128',
  'wasm-relaxed-simd': 'relaxedSimd',
};

interface Backend {
  readonly name: KernelBackendName;
  readonly gemm: WasmGemm | null;
  readonly elementwise: WasmElementwise | null;
  /** conv.wat in the GEMM's variant (null where it does not validate: convolutions use im2col + GEMM). */
  readonly conv: ConvExports | null;
  readonly arena: WasmArena | null;
}

let preference: KernelPreference = 'auto';
let selected: Backend | null = null;
/** One arena per process: tensors placed in it stay valid whichever backend is chosen later. */
let arena: WasmArena | null = null;
/** The float64 GEMM: undefined until detected, null when float64 products use the reference kernels. */
let selected64: WasmGemm64 | null | undefined;

/** Chooses the backend for later float32 work (the next kernel call re-runs detection). */
export function setKernelPreference(p: KernelPreference): void {
  preference = p;
  selected = null;
  selected64 = undefined;
}

export function kernelPreference(): KernelPreference {
  return preference;
}

/** The backend float32 work runs on now, detecting it on first use. */
export function kernelBackendName(): KernelBackendName {
  return (selected ?? select()).name;
}

/** The WebAssembly GEMM to use for float32, or null for the reference kernels. */
export function fastGemm(): WasmGemm | null {
  return (selected ?? select()).gemm;
}

/** The WebAssembly elementwise kernels to use for float32, or null for the reference loops. */
export function fastElementwise(): WasmElementwise | null {
  return (selected ?? select()).elementwise;
}

/** The direct-convolution kernels (conv.wat) of the selected backend, or null. */
export function fastConv(): ConvExports | null {
  return (selected ?? select()).conv;
}

/**
 * The arena long-lived float32 tensors (parameters, gradients, optimizer state) should live in,
 * so the kernels use them in place; null on the reference backend.
 */
export function kernelArena(): WasmArena | null {
  return (selected ?? select()).arena;
}

/**
 * Feature detection: relaxed SIMD (fused multiply-add; Node 20 needs
 * --experimental-wasm-relaxed-simd, newer V8 and VS Code have it), then SIMD128, then the
 * reference kernels. Falling back from a wanted WebAssembly backend is said once per selection
 * through the engine logger: slower, never wrong.
 */
function select(): Backend {
  const wanted: Exclude<KernelBackendName, 'reference'>[] =
    preference === 'reference' ? [] : preference === 'auto' ? ['wasm-relaxed-simd', 'wasm-simd128'] : [preference];
  const wasm = getWebAssembly();
  if (wanted.length > 0 && wasm) {
    arena ??= WasmArena.create(wasm);
    for (const name of arena ? wanted : []) {
      // The GEMM and the elementwise kernels come in the same variant (relaxed SIMD fuses the
      // multiply-adds of both).
      const elementwise = WasmElementwise.create(arena, VARIANT[name]);
      const gemm = elementwise && WasmGemm.create(VARIANT[name], arena);
      if (elementwise && gemm) {
        selected = {
          name,
          gemm,
          elementwise,
          conv: instantiateConv(wasm, VARIANT[name], (arena as WasmArena).memory),
          arena,
        };
        engineLogger().info(`Glassbox kernels: float32 work uses WebAssembly (${name}).`);
        return selected;
      }
    }
  }
  if (wanted.length > 0) {
    const why = !wasm
      ? 'this runtime has no WebAssembly'
      : !arena
        ? 'this runtime has no shared WebAssembly memory'
        : `this runtime does not support ${wanted.join(' or ')}`;
    engineLogger().warn(
      `Glassbox kernels: ${why}; float32 work uses the reference TypeScript kernels (slower, same results).`,
    );
  }
  selected = { name: 'reference', gemm: null, elementwise: null, conv: null, arena: null };
  return selected;
}

// ---- float64 (the book profile, gradient checks): gemm64.wat ----

/**
 * The float64 WebAssembly GEMM (bit-identical to the reference kernels, see wasm/gemm64.wat), or
 * null for the reference kernels: with the 'reference' preference, or where the float32 path
 * has no WebAssembly backend (no WebAssembly, no shared memory, no SIMD).
 */
export function fastGemm64(): WasmGemm64 | null {
  if (selected64 === undefined) {
    const onArena = kernelArena();
    selected64 = onArena && WasmGemm64.create(onArena);
    if (selected64) engineLogger().info('Glassbox kernels: float64 products use WebAssembly (gemm64, SIMD128).');
  }
  return selected64;
}

/** The backend float64 products run on now: 'wasm-simd128' or 'reference'. */
export function kernelBackend64Name(): 'reference' | 'wasm-simd128' {
  return fastGemm64() ? 'wasm-simd128' : 'reference';
}
