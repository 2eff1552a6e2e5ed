import type { Tensor } from '../tensor/tensor';
import { argmaxRows } from './metrics';

/** One test row the model got wrong, with the probability it gave its (wrong) answer. */
export interface WrongExample {
  /** Row index in the test set. */
  readonly row: number;
  readonly label: number;
  readonly predicted: number;
  /** Softmax probability of `predicted` (the model's confidence in its mistake). */
  readonly confidence: number;
}

/**
 * How a classifier did on the test set, per class: the confusion matrix (rows: true class,
 * columns: predicted class; it sums to the test-set size and its trace over the total is the
 * accuracy), each class's precision and recall, and the most confidently wrong rows.
 */
export interface ClassificationReport {
  readonly classes: number;
  readonly rows: number;
  /** [classes][classes] counts: matrix[true][predicted]. */
  readonly matrix: number[][];
  readonly precision: number[];
  readonly recall: number[];
  /** Test rows of each true class. */
  readonly support: number[];
  /** At most `maxWrong`, most confident first. */
  readonly wrong: WrongExample[];
  /**
   * [true][predicted]: the first test row of each cell of the matrix, −1 for an empty cell (the
   * Evaluation tab probes it when the cell is clicked). Absent beyond MAX_CELL_CLASSES classes.
   */
  readonly cellRows?: number[][];
}

/** Classes up to which the report lists a row per cell (classes² numbers). */
export const MAX_CELL_CLASSES = 100;

/**
 * From the network's outputs (logits or probabilities, [rows, classes]) and one-hot targets.
 * Precision of a class no row was predicted as is NaN (undefined), as scikit-learn warns.
 */
export function classificationReport(prediction: Tensor, target: Tensor, maxWrong = 16): ClassificationReport {
  const [rows, classes] = prediction.shape;
  const p = argmaxRows(prediction),
    y = argmaxRows(target);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const wrong: WrongExample[] = [];
  const d = prediction.data;
  const cells =
    classes <= MAX_CELL_CLASSES
      ? Array.from({ length: classes }, () => new Array<number>(classes).fill(-1))
      : undefined;
  for (let r = 0; r < rows; r++) {
    matrix[y[r]][p[r]]++;
    if (cells && cells[y[r]][p[r]] < 0) cells[y[r]][p[r]] = r;
    if (p[r] === y[r]) continue;
    // Softmax probability of the predicted class, stable: exp(x_p − max) / Σ exp(x_j − max).
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, d[r * classes + j]);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += Math.exp(d[r * classes + j] - max);
    wrong.push({ row: r, label: y[r], predicted: p[r], confidence: Math.exp(d[r * classes + p[r]] - max) / sum });
  }
  wrong.sort((a, b) => b.confidence - a.confidence || a.row - b.row);
  const support = matrix.map((row) => row.reduce((s, v) => s + v, 0));
  const predicted = matrix[0]?.map((_, c) => matrix.reduce((s, row) => s + row[c], 0)) ?? [];
  return {
    classes,
    rows,
    matrix,
    precision: predicted.map((n, c) => (n ? matrix[c][c] / n : NaN)),
    recall: support.map((n, c) => (n ? matrix[c][c] / n : NaN)),
    support,
    wrong: wrong.slice(0, maxWrong),
    ...(cells ? { cellRows: cells } : {}),
  };
}
