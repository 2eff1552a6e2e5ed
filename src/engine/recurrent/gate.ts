import { Add } from '../ops/elementwise';
import type { BinaryContext } from '../ops/binaryOperation';
import { BiasAdd } from '../ops/biasAdd';
import type { ForwardMode, OpContext, Operation, Param } from '../ops/operation';
import { WeightMultiply } from '../ops/weightMultiply';
import type { Tensor } from '../tensor/tensor';
import { back } from './recurrentCell';

/**
 * act(z·W + B): one gate of an RNN or LSTM cell, from the concatenated [X, H].
 * Shape: z [batch, in + hidden] → [batch, hidden]. W [in + hidden, hidden], B [1, hidden].
 */
export class Gate {
  constructor(
    readonly w: WeightMultiply,
    readonly b: BiasAdd,
    readonly act: Operation,
  ) {}

  get params(): Param[] {
    return [this.w.w, this.b.b];
  }

  forward(z: Tensor, mode: ForwardMode): { y: Tensor; tape: OpContext[] } {
    const m = this.w.forward(z, mode);
    const s = this.b.forward(m.y, mode);
    const a = this.act.forward(s.y, mode);
    return { y: a.y, tape: [m.ctx, s.ctx, a.ctx] };
  }

  /** dL/dz from dL/dy. */
  backward(dy: Tensor, tape: OpContext[], withParams: boolean): Tensor {
    const ds = back(this.act, dy, tape[2], withParams);
    const dm = back(this.b, ds, tape[1], withParams);
    return back(this.w, dm, tape[0], withParams);
  }
}

/**
 * act(x·W_x + h·W_h + B): a GRU gate, whose input and hidden weights are separate parameters
 * (the book's W_xr and W_hr, ...). Shape: x [batch, in], h [batch, hidden] → [batch, hidden].
 */
export class SplitGate {
  private readonly add = new Add();

  constructor(
    readonly wx: WeightMultiply,
    readonly wh: WeightMultiply,
    readonly b: BiasAdd,
    readonly act: Operation,
  ) {}

  get params(): Param[] {
    return [this.wx.w, this.wh.w, this.b.b];
  }

  forward(x: Tensor, h: Tensor, mode: ForwardMode): { y: Tensor; tape: SplitGateTape } {
    const mx = this.wx.forward(x, mode);
    const mh = this.wh.forward(h, mode);
    const s = this.add.forward(mx.y, mh.y, mode);
    const sb = this.b.forward(s.y, mode);
    const a = this.act.forward(sb.y, mode);
    return { y: a.y, tape: { mx: mx.ctx, mh: mh.ctx, add: s.ctx, bias: sb.ctx, act: a.ctx } };
  }

  /** [dL/dx, dL/dh] from dL/dy. */
  backward(dy: Tensor, tape: SplitGateTape, withParams: boolean): [Tensor, Tensor] {
    const da = back(this.act, dy, tape.act, withParams);
    const ds = back(this.b, da, tape.bias, withParams);
    const [dmx, dmh] = this.add.backward(ds, tape.add);
    return [back(this.wx, dmx, tape.mx, withParams), back(this.wh, dmh, tape.mh, withParams)];
  }
}

export interface SplitGateTape {
  readonly mx: OpContext;
  readonly mh: OpContext;
  readonly add: BinaryContext;
  readonly bias: OpContext;
  readonly act: OpContext;
}
