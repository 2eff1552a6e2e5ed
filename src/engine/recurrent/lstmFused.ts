import { type GemmProduct, gemmMany } from '../kernels/gemmMany';
import { type GateQuad, lstmBackwardKernel, lstmForwardKernel, lstmFusable } from '../kernels/lstmKernel';
import { exactSliceDepth, type PackedB, packB, packedProducts, sliceDepth } from '../kernels/packedGemm';
import type { StepArena } from '../kernels/stepArena';
import type { BinaryContext } from '../ops/binaryOperation';
import type { ForwardMode, Param } from '../ops/operation';
import { Tensor } from '../tensor/tensor';

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

  /** Packs the weights for one training call, or null when the fused path does not apply. */
  begin(mode: ForwardMode): FusedSequence | null {
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
    gemmMany(packedProducts(z.y.data as Float32Array, seq.forward, s, rows, false), { linger: true });
    const t = () => step.tensor([rows, n]);
    const gates = [t().data, t().data, t().data, t().data] as const;
    const c = t(),
      tc = t(),
      h = t();
    lstmForwardKernel(
      [s.subarray(0), s.subarray(n), s.subarray(2 * n), s.subarray(3 * n)],
      4 * n,
      [this.b[0].value.data, this.b[1].value.data, this.b[2].value.data, this.b[3].value.data],
      cIn.data,
      gates,
      { c: c.data, tc: tc.data, h: h.data },
      rows,
      n,
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
    lstmBackwardKernel(
      dH.data,
      dCNext.data,
      tape.gates,
      tape.cPrev.data,
      tape.tc.data,
      [ds.subarray(0), ds.subarray(n), ds.subarray(2 * n), ds.subarray(3 * n)],
      4 * n,
      dCPrev.data,
      withParams ? [this.b[0].grad.data, this.b[1].grad.data, this.b[2].grad.data, this.b[3].grad.data] : null,
      rows,
      n,
    );
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
    // dz first (the next step waits for it), then the weight gradients dW_g += zᵀ·dS_g.
    const products: GemmProduct[] = packedProducts(ds, b, dz.data as Float32Array, rows, false, 2);
    if (withParams) {
      const k = this.inputSize + n;
      const z = tape.z.y.data;
      this.w.forEach((p, g) =>
        products.push({
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
      );
    }
    gemmMany(products, { linger: true });
    return { dz, dCPrev };
  }
}
