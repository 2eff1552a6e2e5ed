import type { LoadedData } from '../data/dataSource';
import { type FitOptions, isTextDataset, profileWith } from '../engine';
import { parseModelText } from '../modelFile/parse';
import { inferLayerShapes } from '../modelFile/shapes';
import { ModelSource, type ModelSpec } from '../modelFile/spec';
import type { RunSummary } from '../protocol/telemetry';
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
