import { LSTMCell } from '../recurrent/lstmCell';
import type { DrawParam, RecurrentCell } from '../recurrent/recurrentCell';
import { RecurrentLayer } from './recurrentLayer';

/**
 * The book's LSTMLayer: an LSTM cell (recurrent/lstmCell.ts) over the sequence, then
 * out_t = H_t·W_v + B_v. State: H and C.
 * Shape: Input [batch, T, features] → Output [batch, T, outputSize].
 * Parameters (draw order): W_f, B_f, W_i, B_i, W_c, B_c, W_o, B_o ([features + hidden, hidden]
 * and [1, hidden]), W_v [hidden, outputSize], B_v [1, outputSize]. Book default weight scale 0.01.
 */
export class LSTM extends RecurrentLayer {
  readonly kind = 'LSTM';
  protected createCell(inputSize: number, draw: DrawParam): RecurrentCell {
    return new LSTMCell(inputSize, this.args.hiddenSize, draw);
  }
  protected bookWeightScale(): number {
    return 0.01;
  }
}
