import type { DrawParam, RecurrentCell } from '../recurrent/recurrentCell';
import { RNNCell } from '../recurrent/rnnCell';
import { recurrentDescriptor, RecurrentLayer } from './recurrentLayer';

/**
 * The book's RNNLayer: H_t = tanh([X_t, H_{t−1}]·W_f + B_f), out_t = H_t·W_v + B_v.
 * Shape: Input [batch, T, features] → Output [batch, T, outputSize].
 * Parameters (draw order): W_f [features + hidden, hidden], B_f [1, hidden], W_v, B_v.
 * Book default weight scale 2/(features + outputSize) (E6.1: 2/124).
 */
export class RNN extends RecurrentLayer {
  static readonly descriptor = recurrentDescriptor(
    'rnn',
    {
      bookName: 'RNNLayer',
      bookScale: '2/(features + outputSize)',
      what: 'Elman RNN: H_t = tanh([x_t, H_{t−1}]·W_f + B_f)',
      cellParameters: RNNCell.parameterCount,
    },
    (a) => new RNN(a),
  );

  readonly kind = 'RNN';
  protected createCell(inputSize: number, draw: DrawParam): RecurrentCell {
    return new RNNCell(inputSize, this.args.hiddenSize, draw);
  }
  protected bookWeightScale(inputSize: number): number {
    return 2 / (inputSize + this.args.outputSize);
  }
}
