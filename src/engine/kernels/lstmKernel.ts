import type { TensorData } from '../tensor/tensor';
import { fastElementwise } from './kernelBackend';
import type { WasmElementwise } from './wasm/wasmElementwise';

/** The four gates' arrays in the order forget, input, candidate, output. */
export type GateQuad = readonly [TensorData, TensorData, TensorData, TensorData];

/**
 * Whether one LSTM step's elementwise work can run on the fused WebAssembly kernels: float32
 * arrays that all live in the kernel arena (a training step's tensors, parameters and their
 * gradients) and a hidden size that is a multiple of 4 (the kernels have no scalar tail).
 */
export function lstmFusable(hidden: number, arrays: readonly TensorData[]): boolean {
  const fast = fastElementwise();
  if (!fast || hidden % 4 !== 0) return false;
  return arrays.every((a) => a instanceof Float32Array && fast.arena.owns(a));
}

/**
 * One LSTM step's elementwise forward in one pass (elementwise.wat's lstmForward), every array
 * [rows, hidden] except the biases [1, hidden] (the gate products s may be column blocks of one
 * [rows, 4·hidden] product: rows `sStride` elements apart):
 *   f, i, o = σ(s + B), g = tanh(s_c + B_c), c = f ⊙ cPrev + i ⊙ g, tc = tanh(c), h = o ⊙ tc.
 * σ is ½ + ½·tanh(x/2) on the tanh kernel's rational approximation (within ~3e-7). The caller
 * checked `lstmFusable` for every array.
 */
export function lstmForwardKernel(
  s: GateQuad,
  sStride: number,
  b: GateQuad,
  cPrev: TensorData,
  gates: GateQuad,
  out: { readonly c: TensorData; readonly tc: TensorData; readonly h: TensorData },
  rows: number,
  hidden: number,
): void {
  const at = (x: TensorData) => x.byteOffset;
  kernels().lstmForwardRun(
    ...s.map(at),
    4 * sStride,
    ...b.map(at),
    at(cPrev),
    ...gates.map(at),
    at(out.c),
    at(out.tc),
    at(out.h),
    rows,
    hidden,
  );
}

/**
 * Its backward, from dH and dCNext (∂L/∂C_t from the later step) and the forward's gates, cPrev
 * and tc: the gate products' gradients ds (forget, input, candidate, output; rows `dsStride`
 * elements apart, as the forward's s), dCPrev, and, when
 * `biasGrads` is given, each bias gradient += Σ over rows of its ds (rows in order, as BiasAdd).
 */
export function lstmBackwardKernel(
  dH: TensorData,
  dCNext: TensorData,
  gates: GateQuad,
  cPrev: TensorData,
  tc: TensorData,
  ds: GateQuad,
  dsStride: number,
  dCPrev: TensorData,
  biasGrads: GateQuad | null,
  rows: number,
  hidden: number,
): void {
  const at = (x: TensorData) => x.byteOffset;
  kernels().lstmBackwardRun(
    at(dH),
    at(dCNext),
    ...gates.map(at),
    at(cPrev),
    at(tc),
    ...ds.map(at),
    4 * dsStride,
    at(dCPrev),
    ...(biasGrads ?? ds).map(at),
    rows,
    hidden,
    biasGrads ? 1 : 0,
  );
}

function kernels(): WasmElementwise {
  const fast = fastElementwise();
  if (!fast) throw new Error('LSTM kernels: the WebAssembly backend is not selected (check lstmFusable first)');
  return fast;
}
