import { decodeBase64 } from './decodeBase64';
import type { WasmApi, WasmMemory } from './wasmApi';
import { wasmBinaries } from './wasmBinaries';
import type { WasmGemmVariant } from './wasmGemm';

/**
 * conv.wat's exports (byte offsets into the shared memory; layouts in conv.wat): stride-1 direct
 * convolution of one example, forward and weight gradient, and the padding helpers they read from.
 */
export interface ConvExports {
  padInput(
    x: number,
    dst: number,
    cIn: number,
    h: number,
    w: number,
    hp: number,
    wp: number,
    padTop: number,
    padLeft: number,
  ): void;
  padRows(src: number, dst: number, rows: number, w: number, wDst: number): void;
  convForward(
    xp: number,
    hp: number,
    wp: number,
    cIn: number,
    w4: number,
    b4: number,
    y: number,
    cOut: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
  ): void;
  convWeightGrad(
    xp: number,
    hp: number,
    wp: number,
    cIn: number,
    dy: number,
    dyRow: number,
    dw4: number,
    db4: number,
    cOut: number,
    oh: number,
    ow4: number,
    kh: number,
    kw: number,
  ): void;
}

/** Instantiates one variant of conv.wat on a shared memory; null when the runtime cannot validate it. */
export function instantiateConv(wasm: WasmApi, variant: WasmGemmVariant, memory: WasmMemory): ConvExports | null {
  const bytes = decodeBase64(variant === 'relaxedSimd' ? wasmBinaries.convRelaxedSimd : wasmBinaries.convSimd128);
  if (!wasm.validate(bytes)) return null;
  const e = new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports;
  return {
    padInput: e.padInput as ConvExports['padInput'],
    padRows: e.padRows as ConvExports['padRows'],
    convForward: e.convForward as ConvExports['convForward'],
    convWeightGrad: e.convWeightGrad as ConvExports['convWeightGrad'],
  };
}
