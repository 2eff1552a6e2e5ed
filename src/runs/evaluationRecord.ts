import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassificationReport, Tensor } from '../engine';
import { writeFileAtomic } from './atomicWrite';
import { imageShape } from './latentImages';
import { t } from '../l10n';

/** evaluation.json: a classifier's report on the test set, and each listed mistake's input as a small image. */
export interface EvaluationRecord extends ClassificationReport {
  readonly format: 'glassbox-evaluation/1';
  /** One per `wrong` entry when the input is an image (`imageShape`: up to 64×64): grey 0–255, row-major. */
  readonly images?: { readonly height: number; readonly width: number; readonly pixels: number[] }[];
}

const MAX_CLASSES = 1000;
const MAX_FILE_BYTES = 64 * 2 ** 20;

/** The report with the listed mistakes' inputs from `xTest` drawn as grey images (first channel). */
export function evaluationRecord(report: ClassificationReport, xTest: Tensor): EvaluationRecord {
  const rowSize = xTest.size / xTest.shape[0];
  // The same rule as the Latent tab's images: [rows, 1, h, w], [rows, h, w] or MNIST's flat 784.
  const [h, w] = imageShape(xTest.shape) ?? [0, 0];
  const image = h > 0;
  return {
    format: 'glassbox-evaluation/1',
    ...report,
    ...(image
      ? {
          images: report.wrong.map(({ row }) => {
            const v = xTest.data.subarray(row * rowSize, row * rowSize + h * w);
            let lo = Infinity,
              hi = -Infinity;
            for (const x of v) if (Number.isFinite(x)) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
            const span = hi > lo ? hi - lo : 1;
            return { height: h, width: w, pixels: Array.from(v, (x) => Math.round((255 * (x - lo)) / span) || 0) };
          }),
        }
      : {}),
  };
}

export function writeEvaluationRecord(folder: string, record: EvaluationRecord): void {
  writeFileAtomic(join(folder, 'evaluation.json'), JSON.stringify(record) + '\n');
}

/**
 * evaluation.json of a run folder, or undefined when the run wrote none (not a classifier).
 * Throws an Error naming the file when it is not a consistent glassbox-evaluation/1 record.
 */
export function readEvaluationRecord(folder: string): EvaluationRecord | undefined {
  const file = join(folder, 'evaluation.json');
  if (!existsSync(file)) return undefined;
  if (statSync(file).size > MAX_FILE_BYTES) throw new Error(t('{0}: larger than {1} MB', file, MAX_FILE_BYTES >> 20));
  const r = JSON.parse(readFileSync(file, 'utf8')) as EvaluationRecord;
  const k = r.classes;
  const counts = (a: unknown, n: number) =>
    Array.isArray(a) && a.length === n && a.every((x) => Number.isInteger(x) && x >= 0);
  const ok =
    r.format === 'glassbox-evaluation/1' &&
    Number.isInteger(k) &&
    k >= 1 &&
    k <= MAX_CLASSES &&
    Array.isArray(r.matrix) &&
    r.matrix.length === k &&
    r.matrix.every((row) => counts(row, k)) &&
    counts(r.support, k) &&
    r.matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0) === r.rows &&
    Array.isArray(r.wrong) &&
    r.wrong.length <= 64 &&
    r.wrong.every((x) => counts([x.row, x.label, x.predicted], 3) && x.label < k && x.predicted < k) &&
    (r.cellRows === undefined ||
      (Array.isArray(r.cellRows) &&
        r.cellRows.length === k &&
        r.cellRows.every(
          (row) =>
            Array.isArray(row) && row.length === k && row.every((x) => Number.isInteger(x) && x >= -1 && x < r.rows),
        ))) &&
    (r.images === undefined ||
      (Array.isArray(r.images) &&
        r.images.length === r.wrong.length &&
        r.images.every((im) => im.height <= 64 && im.width <= 64 && counts(im.pixels, im.height * im.width))));
  if (!ok) throw new Error(t('{0}: not a consistent glassbox-evaluation/1 record', file));
  return r;
}
