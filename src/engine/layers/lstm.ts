import { LSTMCell } from '../recurrent/lstmCell';
import type { DrawParam, RecurrentCell } from '../recurrent/recurrentCell';
import { recurrentDescriptor, RecurrentLayer } from './recurrentLayer';

/**
 * The book's LSTMLayer: an LSTM cell (recurrent/lstmCell.ts) over the sequence, then
 * out_t = H_t·W_v + B_v. State: H and C.
 * Shape: Input [batch, T, features] → Output [batch, T, outputSize].
 * Parameters (draw order): W_f, B_f, W_i, B_i, W_c, B_c, W_o, B_o ([features + hidden, hidden]
 * and [1, hidden]), W_v [hidden, outputSize], B_v [1, outputSize]. Book default weight scale 0.01.
 */
export class LSTM extends RecurrentLayer {
  static readonly descriptor = recurrentDescriptor(
    'lstm',
    {
      bookName: 'LSTMLayer',
      bookScale: '0.01',
      what: 'LSTM: forget, input, candidate and output gates over [x_t, H_{t−1}], cell state C',
      cellParameters: LSTMCell.parameterCount,
    },
    (a) => new LSTM(a),
  );

  readonly kind = 'LSTM';
  protected createCell(inputSize: number, draw: DrawParam): RecurrentCell {
    return new LSTMCell(inputSize, this.args.hiddenSize, draw);
  }
  protected bookWeightScale(): number {
    return 0.01;
  }
}
