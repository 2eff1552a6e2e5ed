import { Sigmoid, Tanh } from '../ops/activations';
import type { BinaryContext } from '../ops/binaryOperation';
import { BiasAdd } from '../ops/biasAdd';
import { Add, Multiply, Subtract } from '../ops/elementwise';
import type { ForwardMode, Operation, Param } from '../ops/operation';
import { WeightMultiply } from '../ops/weightMultiply';
import type { Tensor } from '../tensor/tensor';
import { SplitGate, SplitGateTape } from './gate';
import { CellTrace, DrawParam, RecurrentCell, sumGrads } from './recurrentCell';

interface GRUTape {
  readonly r: SplitGateTape;
  readonly u: SplitGateTape;
  readonly rh: BinaryContext;
  readonly hBar: SplitGateTape;
  readonly d: BinaryContext;
  readonly ud: BinaryContext;
  readonly out: BinaryContext;
}

/**
 * A gated recurrent unit, with the book's parameters and conventions (GRUNode, RNN_DLFS):
 *   r = σ(X·W_xr + H·W_hr + B_r),   u = σ(X·W_xu + H·W_hu + B_u),
 *   h̄ = tanh(X·W_xh + (r ⊙ H)·W_hh + B_h),   H_t = u ⊙ H + (1 − u) ⊙ h̄ = h̄ + u ⊙ (H − h̄).
 * Shape: x [batch, in], H [batch, hidden] → H [batch, hidden].
 * Parameters (draw order W_xr, W_hr, B_r, W_xu, W_hu, B_u, W_xh, W_hh, B_h): W_x* [in, hidden],
 * W_h* [hidden, hidden], B_* [1, hidden]. The book profile draws B_h with std 1, as the book does.
 *
 * This GRU is correct, and deliberately not the book's (book-parity.md §2.1, §6.7): the book's
 * forward computes u from the reset gate's products (X·W_xr + H·W_hr + B_u, so W_xu and W_hu are
 * never used) and its backward drops the gradient from the output, so every GRU parameter gets a
 * zero gradient and in E6.5 the GRU is a frozen random feature extractor. Chapter 6 is only
 * qualitative (unseeded), so nothing printed depends on the bug; both profiles use this cell.
 */
export class GRUCell implements RecurrentCell<GRUTape> {
  readonly kind = 'GRU';
  readonly equation =
    'r = σ(x_t·W_xr + H_{t−1}·W_hr + B_r),  u = σ(x_t·W_xu + H_{t−1}·W_hu + B_u)\nH̄ = tanh(x_t·W_xh + (r ⊙ H_{t−1})·W_hh + B_h),  H_t = u ⊙ H_{t−1} + (1 − u) ⊙ H̄';
  readonly stateCount = 1;
  private readonly reset: SplitGate;
  private readonly update: SplitGate;
  private readonly candidate: SplitGate;
  private readonly mulR = new Multiply();
  private readonly sub = new Subtract();
  private readonly mulU = new Multiply();
  private readonly add = new Add();

  /** Values of the three gates' W_x [in, hidden], W_h [hidden, hidden] and B [1, hidden], as the constructor draws them. */
  static parameterCount(inputSize: number, hiddenSize: number): number {
    return 3 * (inputSize * hiddenSize + hiddenSize * hiddenSize + hiddenSize);
  }

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    draw: DrawParam,
  ) {
    const gate = (k: string, act: Operation, bookBiasStd?: number) =>
      new SplitGate(
        new WeightMultiply(draw(`W_x${k}`, [inputSize, hiddenSize], 'weight'), `W_x${k}`),
        new WeightMultiply(draw(`W_h${k}`, [hiddenSize, hiddenSize], 'weight'), `W_h${k}`),
        new BiasAdd(draw(`B_${k}`, [1, hiddenSize], 'bias', bookBiasStd), `B_${k}`),
        act,
      );
    this.reset = gate('r', new Sigmoid());
    this.update = gate('u', new Sigmoid());
    // The book names the candidate's parameters W_xh, W_hh and B_h.
    this.candidate = gate('h', new Tanh(), 1);
  }

  get params(): Param[] {
    return [...this.reset.params, ...this.update.params, ...this.candidate.params];
  }

  step(x: Tensor, state: readonly Tensor[], mode: ForwardMode): { state: Tensor[]; tape: GRUTape } {
    const h = state[0];
    const r = this.reset.forward(x, h, mode);
    const u = this.update.forward(x, h, mode);
    const rh = this.mulR.forward(r.y, h, mode);
    const hBar = this.candidate.forward(x, rh.y, mode);
    const d = this.sub.forward(h, hBar.y, mode);
    const ud = this.mulU.forward(u.y, d.y, mode);
    const out = this.add.forward(hBar.y, ud.y, mode);
    return {
      state: [out.y],
      tape: { r: r.tape, u: u.tape, rh: rh.ctx, hBar: hBar.tape, d: d.ctx, ud: ud.ctx, out: out.ctx },
    };
  }

  backStep(dState: readonly Tensor[], tape: GRUTape, withParams: boolean): { dx: Tensor; dState: Tensor[] } {
    const [dHBarDirect, dUd] = this.add.backward(dState[0], tape.out);
    const [dU, dD] = this.mulU.backward(dUd, tape.ud);
    const [dHDirect, dHBarNeg] = this.sub.backward(dD, tape.d);
    const [dX1, dRh] = this.candidate.backward(sumGrads(tape.out, dHBarDirect, dHBarNeg), tape.hBar, withParams);
    const [dR, dHThroughR] = this.mulR.backward(dRh, tape.rh);
    const [dX2, dHU] = this.update.backward(dU, tape.u, withParams);
    const [dX3, dHR] = this.reset.backward(dR, tape.r, withParams);
    // H feeds the output directly, the candidate (through r ⊙ H) and both gates.
    return { dx: sumGrads(tape.out, dX1, dX2, dX3), dState: [sumGrads(tape.out, dHDirect, dHThroughR, dHU, dHR)] };
  }

  trace(tape: GRUTape): CellTrace[] {
    return [
      { name: 'h', value: tape.out.y },
      { name: 'reset', value: tape.r.act.y },
      { name: 'update', value: tape.u.act.y },
      { name: 'candidate', value: tape.hBar.act.y },
    ];
  }
}
