import { Sigmoid, Tanh } from '../ops/activations';
import type { BinaryContext } from '../ops/binaryOperation';
import { BiasAdd } from '../ops/biasAdd';
import { Concat } from '../ops/concat';
import { Add, Multiply } from '../ops/elementwise';
import type { ForwardMode, OpContext, Operation, Param } from '../ops/operation';
import { WeightMultiply } from '../ops/weightMultiply';
import { Tensor } from '../tensor/tensor';
import { Gate } from './gate';
import { FusedLstm, type FusedSequence, type FusedTape } from './lstmFused';
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
  /** Float32 training on the WebAssembly kernels (recurrent/lstmFused.ts), and this call's packed weights. */
  private readonly fused: FusedLstm;
  private sequence: FusedSequence | null = null;

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
    this.fused = new FusedLstm(
      inputSize,
      hiddenSize,
      this.gates.map((g) => g.w.w),
      this.gates.map((g) => g.b.b),
    );
  }

  beginSequence(mode: ForwardMode): void {
    this.sequence = this.fused.begin(mode);
  }

  endBackward(): void {
    this.fused.endBackward();
  }

  get params(): Param[] {
    return this.gates.flatMap((g) => g.params);
  }

  step(x: Tensor, state: readonly Tensor[], mode: ForwardMode): { state: Tensor[]; tape: LSTMTape } {
    const [hIn, cIn] = state;
    const z = this.concat.forward(x, hIn, mode);
    // Float32 training with this call's packed weights: the fused step (same formulas).
    const seq = this.sequence;
    if (seq && mode.training && mode.step === seq.step) {
      const r = this.fused.step(seq, z.ctx, cIn);
      if (r) return r;
    }
    // The four gate products z·W_k as one batch (shared out among kernel threads), then each
    // gate's bias and activation: the numbers of Gate.forward, gate by gate.
    const m = WeightMultiply.forwardAll(
      this.gates.map((gate) => gate.w),
      z.y,
      mode,
    );
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
      const r = this.fused.backStep(dState, tape, withParams, true);
      const [dx, dHIn] = this.concat.backward(r.dz, tape.z);
      return { dx, dState: [dHIn, r.dCPrev] };
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
    if (!tape.fused) return this.backStep(dState, tape, true).dState;
    // dS·Wᵀ over W's H rows only: dL/dH_{t−1} without dL/dx_t.
    const r = this.fused.backStep(dState, tape, true, false);
    return [r.dz, r.dCPrev];
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
