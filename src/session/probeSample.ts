import { type DType, Tensor } from '../engine';
import type { LoadedData } from '../data/dataSource';
import type { ProbeRequest } from '../protocol/probeRequest';
import type { ProbeSource } from '../protocol/telemetry';
import { SessionError } from './sessionPlan';
import { t } from '../l10n';

/** One example for the probe: x [1, ...input], its target y [1, ...output] (zeros when unknown), where it came from. */
export interface ProbeSample {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly source: ProbeSource;
}

/**
 * Turns a Probe tab request into the probe example. Test rows are copied from the test set (a
 * random one is picked with Math.random, never the engine's seeded stream, which training draws
 * from). A drawn image's grey values g ∈ [0, 1] become lo + g·(hi − lo), lo and hi being the
 * training inputs' smallest and largest values: every pixel scaling Glassbox applies ('unit',
 * 'book', 'minusOneToOne') is affine and MNIST's pixels span 0…255, so this is the data's own map
 * of a blank and a full pixel. Throws SessionError with a message for the user.
 */
export class ProbeSampler {
  private range: [number, number] | undefined;

  constructor(
    private readonly data: LoadedData,
    private readonly dtype: DType,
  ) {}

  /** Takes the training inputs' range now (before the training set is dropped: releaseTrainingData). */
  keepPixelRange(): void {
    this.pixelRange();
  }

  /** The same sampler (and range) over `data`: the run's data without its training set. */
  withData(data: LoadedData): ProbeSampler {
    const s = new ProbeSampler(data, this.dtype);
    s.range = this.range;
    return s;
  }

  sample(r: ProbeRequest): ProbeSample {
    const { xTest, yTest } = this.data.dataset;
    const rows = xTest.shape[0];
    // The test rows' shape is the training rows' (the training set may be gone after the run).
    const inputShape = xTest.shape.slice(1);
    const inputSize = inputShape.reduce((a, b) => a * b, 1);
    const outputShape = yTest.shape.slice(1);
    const zeros = () => Tensor.zeros([1, ...outputShape], this.dtype);
    switch (r.kind) {
      case 'row':
      case 'random': {
        const row = r.kind === 'row' ? r.row : this.randomRow(r.label);
        if (row >= rows) throw new SessionError(t('there is no test row {0}: the test set has {1} rows', row, rows));
        const label = this.data.testLabels?.[row];
        return {
          x: rowOf(xTest, row),
          y: rowOf(yTest, row),
          source: { kind: 'test', row, ...(label !== undefined ? { label } : {}), id: r.id },
        };
      }
      case 'image': {
        if (r.pixels.length !== inputSize)
          throw new SessionError(
            t('the drawing has {0} pixels, the model takes {1} input values', r.pixels.length, inputSize),
          );
        const [lo, hi] = this.pixelRange();
        const x = Tensor.zeros([1, ...inputShape], this.dtype);
        r.pixels.forEach((g, i) => (x.data[i] = lo + g * (hi - lo)));
        return { x, y: zeros(), source: { kind: 'drawn', id: r.id } };
      }
      case 'features': {
        if (r.values.length !== inputSize)
          throw new SessionError(t('{0} feature values given, the model takes {1}', r.values.length, inputSize));
        const x = Tensor.zeros([1, ...inputShape], this.dtype);
        x.data.set(r.values);
        return { x, y: zeros(), source: { kind: 'values', id: r.id } };
      }
    }
  }

  private randomRow(label: number | undefined): number {
    const rows = this.data.dataset.xTest.shape[0];
    const labels = this.data.testLabels;
    if (label === undefined || !labels) return Math.floor(Math.random() * rows);
    const of: number[] = [];
    labels.forEach((l, i) => l === label && of.push(i));
    if (of.length === 0) throw new SessionError(t('no test row has the class {0}', label));
    return of[Math.floor(Math.random() * of.length)];
  }

  private pixelRange(): [number, number] {
    if (!this.range) {
      const d = this.data.dataset.xTrain.data;
      let lo = Infinity,
        hi = -Infinity;
      for (let i = 0; i < d.length; i++) {
        if (d[i] < lo) lo = d[i];
        if (d[i] > hi) hi = d[i];
      }
      this.range = hi > lo ? [lo, hi] : [0, 1];
    }
    return this.range;
  }
}

function rowOf(t: Tensor, row: number): Tensor {
  const size = t.size / t.shape[0];
  return new Tensor([1, ...t.shape.slice(1)], t.data.slice(row * size, (row + 1) * size));
}
