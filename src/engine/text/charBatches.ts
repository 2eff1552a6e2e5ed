import { assertValue } from '../errors';
import { DType, Tensor } from '../tensor/tensor';

/**
 * One-hot sequences [rows, T, vocabSize] of `encoded[start_r .. start_r + T)` for each row's start.
 */
export function oneHotSequences(
  encoded: ArrayLike<number>,
  starts: ArrayLike<number>,
  length: number,
  vocabSize: number,
  dtype: DType = 'float32',
): Tensor {
  const rows = starts.length;
  const t = Tensor.zeros([rows, length, vocabSize], dtype);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < length; s++) t.data[(r * length + s) * vocabSize + encoded[starts[r] + s]] = 1;
  }
  return t;
}

export interface CharBatchesArgs {
  /** Rows per batch. Default 32 (the book's RNNTrainer). */
  batchSize?: number;
  /** T, the characters per row. */
  sequenceLength: number;
  /**
   * Characters between the starts of consecutive rows. Default 1: the book's overlapping windows,
   * each row one character after the previous. `sequenceLength` gives disjoint rows.
   */
  rowStride?: number;
  dtype?: DType;
}

/**
 * The book's RNNTrainer batches over an encoded text: row r of a batch starting at `start` is
 * x = text[start + r·stride, … + T), y = the same window one character later (next-character
 * targets), both one-hot [batch, T, V]. Each batch starts batch·stride characters after the last
 * one, back at 0 when the next would run within one character of the end (as the book's
 * `start_pos + T + B + 1 > len(data)` for stride 1).
 */
export class CharBatches {
  readonly batchSize: number;
  readonly sequenceLength: number;
  readonly rowStride: number;
  readonly dtype: DType;
  /** Where the next batch starts. */
  start = 0;

  constructor(
    readonly encoded: Int32Array,
    readonly vocabSize: number,
    args: CharBatchesArgs,
  ) {
    this.batchSize = args.batchSize ?? 32;
    this.sequenceLength = args.sequenceLength;
    this.rowStride = args.rowStride ?? 1;
    this.dtype = args.dtype ?? 'float32';
    const positive = (v: number) => Number.isInteger(v) && v > 0;
    assertValue(
      positive(this.batchSize) && positive(this.sequenceLength) && positive(this.rowStride),
      () =>
        `CharBatches: batchSize, sequenceLength and rowStride must be positive integers, got ${this.batchSize}, ${this.sequenceLength}, ${this.rowStride}`,
    );
    assertValue(
      this.span() + 1 <= encoded.length,
      () => `CharBatches: a batch needs ${this.span() + 1} characters, the text has ${encoded.length}`,
    );
  }

  /** Characters one batch reaches past its start, plus the book's spare one. */
  private span(): number {
    return this.batchSize * this.rowStride + this.sequenceLength;
  }

  /** The next batch: inputs x and next-character targets y, [batch, T, V]. */
  next(): { x: Tensor; y: Tensor; start: number } {
    if (this.start + this.span() + 1 > this.encoded.length) this.start = 0;
    const start = this.start;
    const starts = Array.from({ length: this.batchSize }, (_, r) => start + r * this.rowStride);
    const x = oneHotSequences(this.encoded, starts, this.sequenceLength, this.vocabSize, this.dtype);
    const y = oneHotSequences(
      this.encoded,
      starts.map((s) => s + 1),
      this.sequenceLength,
      this.vocabSize,
      this.dtype,
    );
    this.start += this.batchSize * this.rowStride;
    return { x, y, start };
  }
}
