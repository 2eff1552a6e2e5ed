import type { LoadedData } from '../data/dataSource';
import { type FitOptions, isTextDataset, profileWith } from '../engine';
import { parseModelText } from '../modelFile/parse';
import { inferLayerShapes } from '../modelFile/shapes';
import { ModelSource, type ModelSpec } from '../modelFile/spec';
import type { FeatureRanges, RunSummary } from '../protocol/telemetry';
import { imageShape } from '../runs/latentImages';
import { t } from '../l10n';

/**
 * The run's summary (layer table, sizes, schedule): one builder for summary.json, the worker's
 * 'started' message and the CLI's start line, so they cannot disagree. Layer lines come from the
 * model text as trained (a resumed run's model.nn.json), so they point where the file did.
 */
export function buildRunSummary(
  spec: ModelSpec,
  modelPath: string,
  sourceText: string,
  data: LoadedData,
  fit: FitOptions,
): RunSummary {
  const rows = inferLayerShapes(spec.layers, data.shape.inputShape, profileWith(spec.profile, spec.quirks)).rows;
  const parsed = parseModelText(sourceText);
  const source = new ModelSource(parsed.root, parsed.lines);
  const batchSize = fit.batchSize ?? 32;
  // Text models train in rounds of evalEvery iterations (the Trainer's epochs; textSchedule.ts).
  const text = isTextDataset(data.dataset);
  return {
    modelName: spec.name,
    modelPath,
    inputShape: data.shape.inputShape,
    layers: rows.map((r) => ({
      index: r.index,
      name: r.name,
      kind: r.type,
      outputShape: r.outputShape,
      parameters: r.parameters,
      line: source.rangeOf(['layers', r.index]).start.line,
    })),
    parameters: rows.reduce((n, r) => n + r.parameters, 0),
    epochs: fit.epochs,
    batchesPerEpoch: text ? (fit.evalEvery ?? 100) : Math.ceil(data.dataset.xTrain.shape[0] / batchSize),
    batchSize,
    evalEvery: fit.evalEvery ?? 10,
    profile: spec.profile,
    precision: spec.precision,
    loss: spec.loss.type,
    optimizer: describeOptimizer(spec.optimizer),
    dataset: typeof spec.data === 'object' && 'name' in spec.data ? String(spec.data.name) : spec.data.type,
    trainRows: data.dataset.xTrain.shape[0],
    testRows: data.dataset.xTest.shape[0],
    ...(data.shape.classNames ? { classNames: [...data.shape.classNames] } : {}),
    task: data.shape.task,
    ...probeInputs(data),
  };
}

/** The most features the Probe tab offers sliders for. */
const MAX_SLIDERS = 64;

/** What the Probe tab offers as inputs: a drawing canvas for images, sliders for a few features. */
function probeInputs(data: LoadedData): { image?: [number, number]; features?: FeatureRanges } {
  if (data.shape.task === 'sequence') return {};
  const x = data.dataset.xTrain;
  const image = imageShape(x.shape);
  if (image) return { image };
  if (x.rank !== 2 || x.shape[1] > MAX_SLIDERS || x.shape[0] === 0) return {};
  const k = x.shape[1];
  const min = new Array<number>(k).fill(Infinity);
  const max = new Array<number>(k).fill(-Infinity);
  for (let r = 0; r < x.shape[0]; r++)
    for (let c = 0; c < k; c++) {
      const v = x.data[r * k + c];
      if (v < min[c]) min[c] = v;
      if (v > max[c]) max[c] = v;
    }
  const cols = data.shape.columns;
  const names = cols?.names.length === k ? [...cols.names] : min.map((_, c) => `x${c + 1}`);
  return {
    features: {
      names,
      min,
      max,
      ...(cols?.mean && cols.std ? { mean: cols.mean, std: cols.std } : {}),
    },
  };
}

function describeOptimizer(o: {
  type: string;
  lr: number;
  momentum?: number;
  decay?: { type: string; finalLr: number };
}): string {
  const momentum = o.momentum !== undefined ? t(', momentum {0}', o.momentum) : '';
  const decay = o.decay ? t(', {0} decay to {1}', o.decay.type, o.decay.finalLr) : '';
  return `${o.type} lr ${o.lr}${momentum}${decay}`;
}
