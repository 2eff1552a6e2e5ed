import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadData } from '../data/dataSource';
import {
  characterMetrics,
  computeMetrics,
  defaultMetrics,
  type FitResult,
  isTextDataset,
  type MetricName,
  type NeuralNetwork,
  type TensorData,
  TelemetryCollector,
  Tensor,
} from '../engine';
import { buildModel } from '../modelFile/build';
import type { ModelSpec } from '../modelFile/spec';
import { writeFileAtomic } from '../runs/atomicWrite';
import { encodeFrame, writeFrameRecord } from '../runs/frameRecord';
import { type MetricsHistory, RunWriter } from '../runs/runRecord';
import { TelemetryRecorder } from '../runs/telemetryRecord';
import { buildRunSummary } from '../session/runSummary';
import { toFrameMessage } from '../session/telemetryAdapter';
import { ExportError, readExportSource } from './exportSource';
import { decodeNpz, type NpyArray } from './npzFormat';
import { t } from '../l10n';

/** `<weights>.npz.json`, written by the exported train.py beside its weights. */
interface TrainHistory {
  readonly format: 'glassbox-pytorch-train/1';
  readonly done: { loss: number; metrics: Record<string, number>; epochsRun: number; processes: number };
  readonly epochs: MetricsHistory['epochs'];
  readonly evaluations: MetricsHistory['evaluations'];
}

export interface ImportResult {
  readonly runFolder: string;
  /** The loss and metrics Glassbox computes with the imported weights on the test set. */
  readonly loss: number;
  readonly metrics: Record<string, number>;
  /** What train.py printed at its end, when its history file was found. */
  readonly pytorch?: { loss: number; metrics: Record<string, number> };
}

/** Values of a state dict (layers.<index>.<name>) in the network's parameter and state order, checked by name and shape. */
export function valuesFromStateDict(arrays: Map<string, NpyArray>, network: NeuralNetwork, file: string): TensorData[] {
  const used = new Set<string>();
  const take = (key: string, shape: readonly number[]): TensorData => {
    const a = arrays.get(key);
    const size = shape.reduce((x, y) => x * y, 1);
    if (!a)
      throw new ExportError(
        t("{0}: no array '{1}' (shape [{2}]); was it written for this model file?", file, key, shape.join(', ')),
      );
    if (a.data.length !== size)
      throw new ExportError(
        t(
          "{0}: '{1}' has shape [{2}], the model needs [{3}]; was the model file changed?",
          file,
          key,
          a.shape.join(', '),
          shape.join(', '),
        ),
      );
    used.add(key);
    return Float64Array.from(a.data);
  };
  const params: TensorData[] = [];
  const state: TensorData[] = [];
  network.layers.forEach((layer, i) => {
    for (const p of layer.params()) params.push(take(`layers.${i}.${p.name}`, p.value.shape));
    for (const s of layer.state()) state.push(take(`layers.${i}.${s.name}`, s.value.shape));
  });
  const extra = [...arrays.keys()].filter((k) => !used.has(k));
  if (extra.length) throw new ExportError(t('{0}: arrays the model does not have: {1}', file, extra.join(', ')));
  return [...params, ...state];
}

function firstRows(t: Tensor, rows: number): Tensor {
  const n = Math.min(rows, t.shape[0]);
  const per = t.size / t.shape[0];
  return new Tensor([n, ...t.shape.slice(1)], t.data.slice(0, n * per));
}

/**
 * Turns weights trained by an exported train.py (weights.npz / trained.npz, the state dict of
 * model.py) into a Glassbox run record beside the model file: config.json, model.nn.json,
 * final.gbw, metrics.json (train.py's history when its `.json` is beside the weights), summary.json,
 * telemetry.json and frame.json (one frame at the imported weights: gradients of one training batch,
 * the probe sample's path), and run.json, complete, whose result holds Glassbox's evaluation of the
 * imported weights on the test set.
 */
export function importPyTorch(weightsPath: string, into: string): ImportResult {
  const src = readExportSource(into);
  const spec: ModelSpec = src.spec;
  const sourceText = src.runFolder
    ? readFileSync(join(src.runFolder, 'model.nn.json'), 'utf8')
    : readFileSync(src.modelFile, 'utf8');
  if (!existsSync(weightsPath) || !statSync(weightsPath).isFile())
    throw new ExportError(t('{0}: no such weights file', weightsPath));
  const arrays = decodeNpz(new Uint8Array(readFileSync(weightsPath)), weightsPath);
  const historyFile = `${weightsPath}.json`;
  const history = existsSync(historyFile) ? (JSON.parse(readFileSync(historyFile, 'utf8')) as TrainHistory) : undefined;

  const built = buildModel(spec);
  const network = built.network;
  const data = loadData(spec.data, src.modelFile, spec.precision);
  const { xTrain, yTrain, xTest, yTest } = data.dataset;
  network.build(xTest.shape.slice(1));
  network.restore(valuesFromStateDict(arrays, network, weightsPath));

  const evaluation = network.evaluate(xTest, yTest);
  const text = isTextDataset(data.dataset);
  const names: MetricName[] = built.fitOptions.metrics ?? defaultMetrics(yTest);
  const metrics = text
    ? characterMetrics(evaluation.prediction, yTest)
    : computeMetrics(names, evaluation.prediction, yTest);

  const writer = RunWriter.create(src.modelFile, spec, sourceText);
  const epochsRun = history?.done.epochsRun ?? 0;
  if (history) {
    // Loops, not push(...): the history comes from a file, and a spread of ~120,000 items overflows the stack.
    for (const e of history.epochs) writer.metrics.epochs.push(e);
    for (const e of history.evaluations) writer.metrics.evaluations.push(e);
  }
  (writer.info as typeof writer.info & { importedFrom?: string }).importedFrom = resolve(weightsPath);
  writeFileAtomic(
    join(writer.folder, 'summary.json'),
    JSON.stringify(buildRunSummary(spec, src.modelFile, sourceText, data, built.fitOptions), null, 2) + '\n',
  );

  // One telemetry frame at the imported weights (the panel's Network and Probe tabs, hovers, the
  // doctor): gradients of the first training batch, without an optimizer step; the layers' state
  // (batch norm's running statistics) is put back afterwards.
  network.keepingState(() => {
    const batchSize = Math.min(spec.training.batchSize, xTrain.shape[0]);
    const x = firstRows(xTrain, batchSize);
    const y = firstRows(yTrain, batchSize);
    const collector = new TelemetryCollector({
      every: 1,
      probe: { x: firstRows(xTest, 1), y: firstRows(yTest, 1) },
      onFrame: () => {},
    });
    const r = network.trainBatch(x, y.dtype === x.dtype ? y : y.astype(x.dtype));
    const step = Math.max(1, epochsRun * Math.ceil(xTrain.shape[0] / batchSize));
    const frame = collector.sample({
      epoch: Math.max(1, epochsRun),
      batch: 0,
      batchesPerEpoch: Math.ceil(xTrain.shape[0] / batchSize),
      step,
      batchSize,
      loss: r.loss,
      lr: spec.optimizer.lr,
      network,
      tape: r.tape,
      input: x,
      target: y,
    });
    const m = toFrameMessage(frame);
    const encoded = encodeFrame(m.frame);
    const recorder = new TelemetryRecorder();
    recorder.add(m.frame);
    recorder.write(writer.folder);
    writeFrameRecord(writer.folder, encoded);
  });

  const result: FitResult = {
    evalLosses: [evaluation.loss],
    evaluations: [],
    metrics,
    epochsRun,
    steps: 0,
    interrupted: false,
    bestLoss: evaluation.loss,
  };
  writer.finish(network, result, null, 'complete');
  return {
    runFolder: writer.folder,
    loss: evaluation.loss,
    metrics,
    ...(history ? { pytorch: { loss: history.done.loss, metrics: history.done.metrics } } : {}),
  };
}
