import { gemmWords, runKernelBatch } from '../kernels/gemmMany';
import { type GateQuad, lstmFusable } from '../kernels/lstmKernel';
import { exactSliceDepth, type PackedB, packB, sliceDepth } from '../kernels/packedGemm';
import { kernelThreads } from '../kernels/parallel';
import { COL_SUM, LSTM_BACKWARD_ROWS, LSTM_FORWARD_ROWS } from '../kernels/gemmBatchTask';
import type { StepArena } from '../kernels/stepArena';
import type { BinaryContext } from '../ops/binaryOperation';
import type { ForwardMode, Param } from '../ops/operation';
import { Tensor, type TensorData } from '../tensor/tensor';

/**
 * One training call's packed gate weights (LSTMCell.beginSequence), in the step's memory:
 * `forward` is B = [W_f W_i W_c W_o] [in + hidden, 4·hidden] for the step's one product
 * z·B; `backward` (B's H rows, transposed: [4·hidden, hidden]) gives dL/dH_{t−1} = dS·Bᵀ as one
 * product of depth 4·hidden; `backwardFull` (all rows of W, packed when first needed) gives
 * dL/dz for a layer whose input gradient is wanted.
 */
export interface FusedSequence {
  readonly step: StepArena;
  readonly forward: PackedB;
  readonly backward: PackedB;
  backwardFull: PackedB | null;
}

/** A training step run on the fused kernels: everything its backward reads, [batch, hidden] each. */
export interface FusedTape {
  readonly fused: true;
  readonly sequence: FusedSequence;
  readonly z: BinaryContext;
  /** f, i, C̄, o after their activations. */
  readonly gates: GateQuad;
  readonly cPrev: Tensor;
  readonly c: Tensor;
  readonly tc: Tensor;
  readonly h: Tensor;
}

/**
 * The LSTM step for float32 training on the WebAssembly kernels, with the numbers of the cell's
 * formulas (recurrent/lstmCell.ts) to float32 precision:
 * - forward: S = z·[W_f W_i W_c W_o] as one [batch, 4·hidden] product on weights packed once per
 *   call (kernels/packedGemm.ts; its column chunks shared among kernel threads), then bias,
 *   activations and the cell update in one pass (kernels/lstmKernel.ts);
 * - backward: the elementwise backward in one pass into dS [batch, 4·hidden] (and the biases'
 *   gradients), then in one batch of products dL/dH_{t−1} = dS·W_Hᵀ (depth 4·hidden: the four gates'
 *   shares summed inside the product) and dW_k += zᵀ·dS_k.
 * Needs a hidden size that is a multiple of 8 (gate blocks on whole GEMM panels).
 */
export class FusedLstm {
  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    /** W_f, W_i, W_c, W_o and B_f, B_i, B_c, B_o. */
    private readonly w: readonly Param[],
    private readonly b: readonly Param[],
  ) {}

  /** Gradient products of the last backStep, run with the next one's batch or by endBackward. */
  private pending: number[][] = [];

  /** Runs the gradient products still pending (after BPTT's last step). */
  endBackward(): void {
    if (!this.pending.length) return;
    const entries = this.pending;
    this.pending = [];
    runKernelBatch(entries, false);
  }

  /** Packs the weights for one training call, or null when the fused path does not apply. */
  begin(mode: ForwardMode): FusedSequence | null {
    this.pending = [];
    const step = mode.training ? mode.step : undefined;
    const n = this.hiddenSize,
      k = this.inputSize + n;
    if (
      !step ||
      n % 8 !== 0 ||
      !lstmFusable(
        n,
        [...this.w, ...this.b].flatMap((p) => [p.value.data, p.grad.data]),
      )
    )
      return null;
    const wv = this.w.map((p) => p.value.data as Float32Array);
    // Forward: B(p, j) = W_{j / n}[p, j mod n]; gate g's columns are panels g·n/8 ….
    const fk = sliceDepth(k);
    const forward = packB(
      step,
      k,
      4 * n,
      fk,
      wv.map((source, g) => ({ source, rsB: n, csB: 1, p0: 0, rows: k, j0: g * n, cols: n })),
    );
    // Backward: B(p, j) = W_{p / n}[in + j, p mod n], slices inside one gate's n rows.
    const bk = exactSliceDepth(n);
    const backward = packB(
      step,
      4 * n,
      n,
      bk,
      wv.map((w, g) => ({
        source: w.subarray(this.inputSize * n),
        rsB: 1,
        csB: n,
        p0: g * n,
        rows: n,
        j0: 0,
        cols: n,
      })),
    );
    if (!forward || !backward) return null;
    return { step, forward, backward, backwardFull: null };
  }

  step(seq: FusedSequence, z: BinaryContext, cIn: Tensor): { state: Tensor[]; tape: FusedTape } | null {
    const n = this.hiddenSize;
    const rows = z.y.shape[0];
    if (!lstmFusable(n, [cIn.data, z.y.data])) return null;
    const step = seq.step;
    const s = step.float32(rows * 4 * n);
    const t = () => step.tensor([rows, n]);
    const gates = [t().data, t().data, t().data, t().data] as const;
    const c = t(),
      tc = t(),
      h = t();
    // Each part of the rows: its S = z·[W_f W_i W_c W_o] and its elementwise forward, on one thread.
    const at = (x: TensorData) => x.byteOffset;
    const f = seq.forward;
    const args = stepArgs(step, [
      f.k,
      n,
      at(z.y.data),
      at(f.data),
      f.kcStep,
      at(s),
      ...this.b.map((p) => at(p.value.data)),
      at(cIn.data),
      ...gates.map(at),
      at(c.data),
      at(tc.data),
      at(h.data),
    ]);
    runKernelBatch(
      rowParts(rows).map(([r0, r1]) => [LSTM_FORWARD_ROWS, r0, r1, args]),
      true,
    );
    return { state: [h, c], tape: { fused: true, sequence: seq, z, gates, cPrev: cIn, c, tc, h } };
  }

  /**
   * dL/dz (or, without `withInput`, dL/dH_{t−1} alone: [batch, hidden]) and dL/dC_{t−1}, from
   * dL/dH_t and dL/dC_t; adds the weights' and biases' gradients when `withParams`.
   */
  backStep(
    dState: readonly Tensor[],
    tape: FusedTape,
    withParams: boolean,
    withInput: boolean,
  ): { dz: Tensor; dCPrev: Tensor } {
    const seq = tape.sequence,
      step = seq.step;
    const [rows, n] = tape.h.shape;
    const inArena = (x: Tensor) => {
      // dH and dC come from RecurrentOperation and the later step: step tensors; anything else is copied in.
      if (lstmFusable(n, [x.data])) return x;
      const copy = step.tensor(x.shape);
      copy.data.set(x.data);
      return copy;
    };
    const dH = inArena(dState[0]),
      dCNext = inArena(dState[1]);
    const ds = step.float32(rows * 4 * n);
    const dCPrev = step.tensor([rows, n]);
    let b = seq.backward;
    if (withInput) {
      const k = this.inputSize + n;
      seq.backwardFull ??= packB(
        step,
        4 * n,
        k,
        exactSliceDepth(n),
        this.w.map((p, g) => ({
          source: p.value.data as Float32Array,
          rsB: 1,
          csB: n,
          p0: g * n,
          rows: n,
          j0: 0,
          cols: k,
        })),
      );
      if (!seq.backwardFull) throw new Error('LSTM: the packed weights need the WebAssembly GEMM');
      b = seq.backwardFull;
    }
    const dz = step.tensor([rows, b.n]);
    // Each part of the rows: its elementwise backward into dS, then its dz = dS·Bᵀ, on one thread.
    const at = (x: TensorData) => x.byteOffset;
    const args = stepArgs(step, [
      n,
      at(dH.data),
      at(dCNext.data),
      ...tape.gates.map(at),
      at(tape.cPrev.data),
      at(tape.tc.data),
      at(ds),
      at(dCPrev.data),
      at(b.data),
      b.kcStep,
      b.n,
      at(dz.data),
    ]);
    // This step's rows, with the previous (later) step's weight gradients, which need every row of
    // its dS: they fill the threads' time around the rows' parts.
    const entries: number[][] = rowParts(rows).map(([r0, r1]) => [LSTM_BACKWARD_ROWS, r0, r1, args]);
    entries.push(...this.pending);
    this.pending = [];
    runKernelBatch(entries, true);
    if (withParams) {
      // dW_g += zᵀ·dS_g and dB_g += Σ rows of dS_g (rows in order): in the next step's batch, or
      // at endBackward after the first step.
      const k = this.inputSize + n;
      const z = tape.z.y.data;
      this.w.forEach((p, g) =>
        this.pending.push(
          gemmWords({
            layout: 'TN',
            a: z,
            b: ds.subarray(g * n),
            c: p.grad.data,
            m: k,
            k: rows,
            n,
            accumulate: true,
            strides: [1, k, 4 * n, 1],
          }),
        ),
      );
      this.b.forEach((p, g) => this.pending.push([COL_SUM, at(ds) + 4 * g * n, 16 * n, rows, n, at(p.grad.data)]));
    }
    return { dz, dCPrev };
  }
}

/** Int32 arguments of a batch entry, in the step's memory; returns their byte offset. */
function stepArgs(step: StepArena, values: readonly number[]): number {
  const f = step.float32(values.length);
  new Int32Array(f.buffer, f.byteOffset, values.length).set(values);
  return f.byteOffset;
}

/** [r0, r1) row parts for the threads: multiples of the GEMM's 4-row tile, at least 4 rows each. */
function rowParts(rows: number): [number, number][] {
  const parts = Math.max(1, Math.min(kernelThreads(), Math.floor(rows / 4)));
  const cut = (i: number) => (i === parts ? rows : Math.round((rows * i) / parts / 4) * 4);
  const out: [number, number][] = [];
  for (let i = 0; i < parts; i++) if (cut(i + 1) > cut(i)) out.push([cut(i), cut(i + 1)]);
  return out;
}
