import { Sigmoid, Tanh } from '../ops/activations';
import type { BinaryContext } from '../ops/binaryOperation';
import { BiasAdd } from '../ops/biasAdd';
import { Concat } from '../ops/concat';
import { Add, Multiply } from '../ops/elementwise';
import type { ForwardMode, OpContext, Operation, Param } from '../ops/operation';
import { WeightMultiply } from '../ops/weightMultiply';
import { Tensor } from '../tensor/tensor';
import { type GateQuad, lstmBackwardKernel, lstmForwardKernel, lstmFusable } from '../kernels/lstmKernel';
import type { StepArena } from '../kernels/stepArena';
import { Gate } from './gate';
import { back, CellTrace, DrawParam, RecurrentCell, sumGrads } from './recurrentCell';

type LSTMTape = OpsTape | FusedTape;

/** A step run op by op (float64, the reference kernels, inference). */
interface OpsTape {
  readonly fused?: undefined;
  readonly z: BinaryContext;
  /** Tapes of the forget, input, candidate and output gates. */
  readonly gates: OpContext[][];
  readonly fc: BinaryContext;
  readonly ic: BinaryContext;
  readonly c: BinaryContext;
  readonly tc: OpContext;
  readonly h: BinaryContext;
}

/**
 * A float32 training step whose elementwise work ran on the fused kernels (kernels/lstmKernel.ts):
 * the same values, [batch, hidden] each, without an op context per product.
 */
interface FusedTape {
  readonly fused: true;
  readonly step: StepArena;
  readonly z: BinaryContext;
  /** The four weight multiplies' contexts (x = z). */
  readonly products: OpContext[];
  /** f, i, C̄, o after their activations. */
  readonly gates: GateQuad;
  readonly cPrev: Tensor;
  readonly c: Tensor;
  readonly tc: Tensor;
  readonly h: Tensor;
}

/**
 * The book's LSTMNode without its output projection. With Z = [X_t, H_{t−1}]:
 *   f = σ(Z·W_f + B_f), i = σ(Z·W_i + B_i), C̄ = tanh(Z·W_c + B_c), o = σ(Z·W_o + B_o),
 *   C_t = f ⊙ C_{t−1} + i ⊙ C̄,   H_t = o ⊙ tanh(C_t).
 * Shape: x [batch, in], state [H, C] each [batch, hidden] → [H, C].
 * Parameters (draw order W_f, B_f, W_i, B_i, W_c, B_c, W_o, B_o): W_* [in + hidden, hidden],
 * B_* [1, hidden].
 */
export class LSTMCell implements RecurrentCell<LSTMTape> {
  readonly kind = 'LSTM';
  readonly equation =
    'f, i, o = σ([x_t, H_{t−1}]·W_{f,i,o} + B_{f,i,o}), C̄ = tanh([x_t, H_{t−1}]·W_c + B_c)\nC_t = f ⊙ C_{t−1} + i ⊙ C̄,  H_t = o ⊙ tanh(C_t)';
  readonly stateCount = 2;
  private readonly concat = new Concat();
  /** forget, input, candidate, output. */
  private readonly gates: Gate[];
  private readonly mulF = new Multiply();
  private readonly mulI = new Multiply();
  private readonly addC = new Add();
  private readonly tanhC = new Tanh();
  private readonly mulO = new Multiply();

  /** Values of the four gates' W [in + hidden, hidden] and B [1, hidden], as the constructor draws them. */
  static parameterCount(inputSize: number, hiddenSize: number): number {
    return 4 * ((inputSize + hiddenSize) * hiddenSize + hiddenSize);
  }

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    draw: DrawParam,
  ) {
    const gate = (k: string, act: Operation) =>
      new Gate(
        new WeightMultiply(draw(`W_${k}`, [inputSize + hiddenSize, hiddenSize], 'weight'), `W_${k}`),
        new BiasAdd(draw(`B_${k}`, [1, hiddenSize], 'bias'), `B_${k}`),
        act,
      );
    // One statement per gate keeps the draw order explicit: W_f, B_f, W_i, B_i, W_c, B_c, W_o, B_o.
    const f = gate('f', new Sigmoid());
    const i = gate('i', new Sigmoid());
    const c = gate('c', new Tanh());
    const o = gate('o', new Sigmoid());
    this.gates = [f, i, c, o];
  }

  get params(): Param[] {
    return this.gates.flatMap((g) => g.params);
  }

  step(x: Tensor, state: readonly Tensor[], mode: ForwardMode): { state: Tensor[]; tape: LSTMTape } {
    const [hIn, cIn] = state;
    const z = this.concat.forward(x, hIn, mode);
    // The four gate products z·W_k as one batch (shared out among kernel threads), then each
    // gate's bias and activation: the numbers of Gate.forward, gate by gate.
    const m = WeightMultiply.forwardAll(
      this.gates.map((gate) => gate.w),
      z.y,
      mode,
    );
    const step = mode.training ? mode.step : undefined;
    const n = this.hiddenSize;
    if (
      step &&
      lstmFusable(n, [cIn.data, ...m.map((r) => r.y.data), ...this.gates.map((gate) => gate.b.b.value.data)])
    ) {
      // Bias, activations and the cell update of all four gates in one pass (float32 training).
      const rows = z.y.shape[0];
      const t = () => step.tensor([rows, n]);
      const gates = [t().data, t().data, t().data, t().data] as const;
      const c = t(),
        tc = t(),
        h = t();
      lstmForwardKernel(
        [m[0].y.data, m[1].y.data, m[2].y.data, m[3].y.data],
        [
          this.gates[0].b.b.value.data,
          this.gates[1].b.b.value.data,
          this.gates[2].b.b.value.data,
          this.gates[3].b.b.value.data,
        ],
        cIn.data,
        gates,
        { c: c.data, tc: tc.data, h: h.data },
        rows,
        n,
      );
      const tape: FusedTape = {
        fused: true,
        step,
        z: z.ctx,
        products: m.map((r) => r.ctx),
        gates,
        cPrev: cIn,
        c,
        tc,
        h,
      };
      return { state: [h, c], tape };
    }
    const g = this.gates.map((gate, k) => {
      const sb = gate.b.forward(m[k].y, mode);
      const a = gate.act.forward(sb.y, mode);
      return { y: a.y, tape: [m[k].ctx, sb.ctx, a.ctx] };
    });
    const [f, i, cBar, o] = g.map((r) => r.y);
    const fc = this.mulF.forward(f, cIn, mode);
    const ic = this.mulI.forward(i, cBar, mode);
    const c = this.addC.forward(fc.y, ic.y, mode);
    const tc = this.tanhC.forward(c.y, mode);
    const h = this.mulO.forward(o, tc.y, mode);
    return {
      state: [h.y, c.y],
      tape: { z: z.ctx, gates: g.map((r) => r.tape), fc: fc.ctx, ic: ic.ctx, c: c.ctx, tc: tc.ctx, h: h.ctx },
    };
  }

  backStep(dState: readonly Tensor[], tape: LSTMTape, withParams: boolean): { dx: Tensor; dState: Tensor[] } {
    if (tape.fused) {
      const r = this.fusedBackStep(dState, tape, withParams, true);
      return { dx: r.dx ?? this.missing(), dState: r.dState };
    }
    const [dH, dCNext] = dState;
    const [dO, dTc] = this.mulO.backward(dH, tape.h);
    // C_t feeds both H_t (through tanh) and C_{t+1}.
    const dC = sumGrads(tape.h, dCNext, this.tanhC.backward(dTc, tape.tc));
    const [dFc, dIc] = this.addC.backward(dC, tape.c);
    const [dF, dCIn] = this.mulF.backward(dFc, tape.fc);
    const [dI, dCBar] = this.mulI.backward(dIc, tape.ic);
    const dGates = [dF, dI, dCBar, dO];
    // Gate.backward gate by gate, with the four weight multiplies' products run as one batch.
    const dMs = this.gates.map((gate, k) => {
      const ds = back(gate.act, dGates[k], tape.gates[k][2], withParams);
      return back(gate.b, ds, tape.gates[k][1], withParams);
    });
    const dZs = WeightMultiply.backwardAll(
      this.gates.map((gate) => gate.w),
      dMs,
      tape.gates.map((t) => t[0]),
      withParams,
    );
    const [dx, dHIn] = this.concat.backward(sumGrads(tape.z, dZs[0], ...dZs.slice(1)), tape.z);
    return { dx, dState: [dHIn, dCIn] };
  }

  backStepState(dState: readonly Tensor[], tape: LSTMTape): Tensor[] {
    // Op by op: dx comes with the rest; fused: dZ·Wᵀ skips W's x rows.
    return tape.fused ? this.fusedBackStep(dState, tape, true, false).dState : this.backStep(dState, tape, true).dState;
  }

  private missing(): never {
    throw new Error('LSTMCell: no input gradient was computed');
  }

  /**
   * backStep of a fused step: the elementwise backward in one pass, then the same products; without
   * `withInput`, dZ·Wᵀ only for the H_{t−1} columns of Z (W's rows after the input's) and dx null.
   */
  private fusedBackStep(
    dState: readonly Tensor[],
    tape: FusedTape,
    withParams: boolean,
    withInput: boolean,
  ): { dx: Tensor | null; dState: Tensor[] } {
    const { step } = tape;
    const [rows, n] = tape.h.shape;
    // dH and dCNext come from RecurrentOperation and the later step: step tensors in a training
    // step; anything else (a caller's own gradient) is copied into the step's memory first.
    const inArena = (x: Tensor) => {
      if (lstmFusable(n, [x.data])) return x;
      const copy = step.tensor(x.shape);
      copy.data.set(x.data);
      return copy;
    };
    const dH = inArena(dState[0]),
      dCNext = inArena(dState[1]);
    const t = () => step.tensor([rows, n]);
    const ds = [t(), t(), t(), t()];
    const dCPrev = t();
    lstmBackwardKernel(
      dH.data,
      dCNext.data,
      tape.gates,
      tape.cPrev.data,
      tape.tc.data,
      [ds[0].data, ds[1].data, ds[2].data, ds[3].data],
      dCPrev.data,
      withParams
        ? [
            this.gates[0].b.b.grad.data,
            this.gates[1].b.b.grad.data,
            this.gates[2].b.b.grad.data,
            this.gates[3].b.b.grad.data,
          ]
        : null,
      rows,
      n,
    );
    const dZs = WeightMultiply.backwardAll(
      this.gates.map((gate) => gate.w),
      ds,
      tape.products,
      withParams,
      withInput ? 0 : this.inputSize,
    );
    const dZ = sumGrads(tape.z, dZs[0], ...dZs.slice(1));
    if (!withInput) return { dx: null, dState: [dZ, dCPrev] };
    const [dx, dHIn] = this.concat.backward(dZ, tape.z);
    return { dx, dState: [dHIn, dCPrev] };
  }

  trace(tape: LSTMTape): CellTrace[] {
    if (tape.fused) {
      const [f, i, cBar, o] = tape.gates.map((g) => new Tensor(tape.h.shape, g));
      return [
        { name: 'h', value: tape.h },
        { name: 'c', value: tape.c },
        { name: 'input', value: i },
        { name: 'forget', value: f },
        { name: 'output', value: o },
        { name: 'candidate', value: cBar },
      ];
    }
    // The gates' tapes end with their activation's context: [multiply, bias, activation].
    const [f, i, cBar, o] = tape.gates.map((g) => g[2].y);
    return [
      { name: 'h', value: tape.h.y },
      { name: 'c', value: tape.c.y },
      { name: 'input', value: i },
      { name: 'forget', value: f },
      { name: 'output', value: o },
      { name: 'candidate', value: cBar },
    ];
  }
}
