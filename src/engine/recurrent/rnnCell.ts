import { Tanh } from '../ops/activations';
import type { BinaryContext } from '../ops/binaryOperation';
import { BiasAdd } from '../ops/biasAdd';
import { Concat } from '../ops/concat';
import type { ForwardMode, OpContext, Param } from '../ops/operation';
import { WeightMultiply } from '../ops/weightMultiply';
import type { Tensor } from '../tensor/tensor';
import { Gate } from './gate';
import { CellTrace, DrawParam, RecurrentCell } from './recurrentCell';

interface RNNTape {
  readonly z: BinaryContext;
  readonly gate: OpContext[];
}

/**
 * The book's RNNNode without its output projection: H_t = tanh([X_t, H_{t−1}]·W_f + B_f).
 * Shape: x [batch, in], H [batch, hidden] → H [batch, hidden].
 * Parameters (draw order W_f, B_f): W_f [in + hidden, hidden], B_f [1, hidden].
 */
export class RNNCell implements RecurrentCell<RNNTape> {
  readonly kind = 'RNN';
  readonly equation = 'H_t = tanh([x_t, H_{t−1}]·W_f + B_f)';
  readonly stateCount = 1;
  private readonly concat = new Concat();
  private readonly gate: Gate;

  /** Values of W_f [in + hidden, hidden] and B_f [1, hidden], as the constructor draws them. */
  static parameterCount(inputSize: number, hiddenSize: number): number {
    return (inputSize + hiddenSize) * hiddenSize + hiddenSize;
  }

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    draw: DrawParam,
  ) {
    const w = new WeightMultiply(draw('W_f', [inputSize + hiddenSize, hiddenSize], 'weight'), 'W_f');
    this.gate = new Gate(w, new BiasAdd(draw('B_f', [1, hiddenSize], 'bias'), 'B_f'), new Tanh());
  }

  get params(): Param[] {
    return this.gate.params;
  }

  step(x: Tensor, state: readonly Tensor[], mode: ForwardMode): { state: Tensor[]; tape: RNNTape } {
    const z = this.concat.forward(x, state[0], mode);
    const h = this.gate.forward(z.y, mode);
    return { state: [h.y], tape: { z: z.ctx, gate: h.tape } };
  }

  backStep(dState: readonly Tensor[], tape: RNNTape, withParams: boolean): { dx: Tensor; dState: Tensor[] } {
    const dz = this.gate.backward(dState[0], tape.gate, withParams);
    const [dx, dh] = this.concat.backward(dz, tape.z);
    return { dx, dState: [dh] };
  }

  trace(tape: RNNTape): CellTrace[] {
    // The gate's tape ends with its activation's context: H_t.
    return [{ name: 'h', value: tape.gate[2].y }];
  }
}
