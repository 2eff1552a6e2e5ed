import { GRUCell } from '../recurrent/gruCell';
import type { DrawParam, RecurrentCell } from '../recurrent/recurrentCell';
import { recurrentDescriptor, RecurrentLayer } from './recurrentLayer';

/**
 * The book's GRULayer with a correct GRU cell (recurrent/gruCell.ts says how and why it differs
 * from the book's), then out_t = H_t·W_v + B_v.
 * Shape: Input [batch, T, features] → Output [batch, T, outputSize].
 * Parameters (draw order): W_xr, W_hr, B_r, W_xu, W_hu, B_u, W_xh, W_hh, B_h, W_v, B_v. Book
 * default weight scale 0.01; the book profile draws B_h, W_v and B_v with std 1, as the book.
 */
export class GRU extends RecurrentLayer {
  static readonly descriptor = recurrentDescriptor(
    'gru',
    {
      bookName: 'GRULayer',
      bookScale: '0.01',
      what: "GRU: reset and update gates (the book profile reproduces the book's GRU, whose gates never train: book-parity.md §6.7)",
      cellParameters: GRUCell.parameterCount,
    },
    (a) => new GRU(a),
  );

  readonly kind = 'GRU';
  protected createCell(inputSize: number, draw: DrawParam): RecurrentCell {
    return new GRUCell(inputSize, this.args.hiddenSize, draw);
  }
  protected bookWeightScale(): number {
    return 0.01;
  }
  protected override bookOutputStd(): number {
    return 1;
  }
}
