import { parentPort, workerData } from 'node:worker_threads';
import { loadData } from '../data/dataSource';
import { describeLatent, projectLatent } from '../runs/latentRecord';
import { nodeFileAccess } from '../data/fileAccess';
import {
  BatchEnd,
  FitResult,
  FrameRate,
  isTextDataset,
  profileByName,
  setEngineLogger,
  TelemetryCollector,
  Tensor,
  Trainer,
} from '../engine';
import { buildModel } from '../modelFile/build';
import { formatProblem } from '../modelFile/problem';
import { inferLayerShapes } from '../modelFile/shapes';
import { hasErrors, validateModel } from '../modelFile/validate';
import type { RunSummary } from '../protocol/telemetry';
import type { FromWorker, ToWorker } from '../protocol/workerProtocol';
import { RunWriter } from '../runs/runRecord';
import { writeFileAtomic } from '../runs/atomicWrite';
import { encodeFrame, writeFrameRecord } from '../runs/frameRecord';
import { TelemetryRecorder } from '../runs/telemetryRecord';
import { join } from 'node:path';
import { Control, ControlWord } from './controlWord';
import { toFrameMessage } from './telemetryAdapter';
import { enableRelaxedSimd } from '../util/enableRelaxedSimd';
import { defaultKernelThreads, enableKernelThreads } from '../util/kernelThreads';

/*
 * The training worker: validates and builds the model, loads its data, trains, writes the run
 * record, and reports to the host. One worker per run. Pause/resume/step/stop arrive through a
 * shared control word (controlWord.ts), so the synchronous training loop reacts between batches.
 */
const port = parentPort;
if (!port) throw new Error('engineWorker must run in a worker thread');
const control = new ControlWord((workerData as { control: SharedArrayBuffer }).control);

/*
 * Reports go to the host in batches: one cross-thread message at most every BATCH_MS, whatever the
 * model's speed (a small model runs hundreds of epochs a second, each with an epoch end and maybe
 * an evaluation). Every message wakes the extension host's main thread, and a flood of them made
 * it stall on a busy machine. State changes go at once, with whatever is queued before them.
 */
const BATCH_MS = 50;
const IMMEDIATE: ReadonlySet<FromWorker['type']> = new Set(['started', 'paused', 'resumed', 'log', 'error', 'done']);
let queue: FromWorker[] = [];
let queueTransfer: ArrayBuffer[] = [];
let lastFlush = 0;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => {
  queue.push(m);
  queueTransfer.push(...transfer);
  const now = Date.now();
  if (IMMEDIATE.has(m.type) || now - lastFlush >= BATCH_MS) {
    port.postMessage(
      queue.length === 1 ? queue[0] : ({ type: 'batch', messages: queue } satisfies FromWorker),
      queueTransfer,
    );
    queue = [];
    queueTransfer = [];
    lastFlush = now;
  }
};
// The engine's kernel notices (which kernels float32 runs on; a one-time fallback warning) go to
// the host's log; relaxed SIMD is switched on first where the runtime has it behind a flag.
setEngineLogger({
  info: (message) => post({ type: 'log', level: 'info', message }),
  warn: (message) => post({ type: 'log', level: 'warn', message }),
});
enableRelaxedSimd();

port.once('message', (msg: ToWorker) => {
  if (msg.type !== 'start') return post({ type: 'error', message: `expected 'start', got '${msg.type}'` });
  try {
    run(msg);
  } catch (e) {
    // Last resort: run() reports its own failures; this catches a failure to report.
    post({ type: 'error', message: (e as Error).message, stack: (e as Error).stack });
  }
});

function run(start: Extract<ToWorker, { type: 'start' }>): void {
  let writer: RunWriter | undefined;
  let epochsRun = 0,
    steps = 0;
  try {
    const v = validateModel(start.modelText, start.modelPath, { files: nodeFileAccess });
    const errors = v.problems.filter((p) => p.severity === 'error');
    if (!v.spec || hasErrors(v.problems))
      throw new Error(
        `the model file has ${errors.length} problem(s):\n${errors.map((p) => formatProblem(start.modelPath, p)).join('\n')}`,
      );
    // The editor's default precision applies only where the file itself says nothing.
    const spec =
      start.defaultPrecision && !v.source.node(['precision'])
        ? { ...v.spec, precision: start.defaultPrecision }
        : v.spec;
    post({ type: 'log', level: 'info', message: `[${spec.name}] loading data` });
    const { dataset, shape, testLabels } = loadData(spec.data, start.modelPath, spec.precision);
    const { network, optimizer, fitOptions } = buildModel(spec);
    // Kernel threads (both cores by default) for float32 runs; float64 runs never use them.
    if (spec.precision !== 'float64') {
      enableKernelThreads(start.threads || defaultKernelThreads(), (message) =>
        post({ type: 'log', level: 'warn', message }),
      );
    }
    writer = RunWriter.create(start.modelPath, spec, start.modelText, { runsDir: start.runsDir });
    const rows = inferLayerShapes(spec.layers, shape.inputShape, profileByName(spec.profile)).rows;
    const batchSize = fitOptions.batchSize ?? 32;
    // Text models train in rounds of evalEvery iterations (the Trainer's epochs; textTrainer.ts).
    const text = isTextDataset(dataset) ? dataset.text : undefined;
    if (text) writer.recordSamples(text.vocab.chars);
    const summary: RunSummary = {
      modelName: spec.name,
      modelPath: start.modelPath,
      inputShape: shape.inputShape,
      layers: rows.map((r) => ({
        index: r.index,
        name: r.name,
        kind: r.type,
        outputShape: r.outputShape,
        parameters: r.parameters,
        line: v.source.rangeOf(['layers', r.index]).start.line,
      })),
      parameters: rows.reduce((n, r) => n + r.parameters, 0),
      epochs: fitOptions.epochs,
      batchesPerEpoch: text ? (fitOptions.evalEvery ?? 100) : Math.ceil(dataset.xTrain.shape[0] / batchSize),
      batchSize,
      evalEvery: fitOptions.evalEvery ?? 10,
      profile: spec.profile,
      precision: spec.precision,
      loss: spec.loss.type,
      optimizer: describeOptimizer(spec.optimizer),
      dataset: typeof spec.data === 'object' && 'name' in spec.data ? String(spec.data.name) : spec.data.type,
      trainRows: dataset.xTrain.shape[0],
      testRows: dataset.xTest.shape[0],
    };
    post({ type: 'started', runId: start.runId, runDir: writer.folder, summary });
    writeFileAtomic(join(writer.folder, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    const recorder = new TelemetryRecorder();

    const trainer = new Trainer(network, optimizer);
    const w = writer;
    const started = Date.now();
    let lossSum = 0,
      lossCount = 0,
      lastPost = 0;
    const frameRate = new FrameRate(control.telemetryHz);
    const progress = (e: BatchEnd, force: boolean): void => {
      lossSum += e.loss;
      lossCount++;
      if (force || Date.now() - lastPost >= 100) postProgress(e);
    };
    /** Reports the batches since the last report (their mean loss) as of batch `e`. */
    const postProgress = (e: BatchEnd): void => {
      if (lossCount === 0) return;
      const now = Date.now();
      const elapsed = now - started;
      post({
        type: 'progress',
        epoch: e.epoch,
        batch: e.batch,
        batchesPerEpoch: e.batchesPerEpoch,
        epochs: fitOptions.epochs,
        step: e.step,
        loss: lossSum / lossCount,
        lr: e.lr,
        samplesPerSecond: (e.step * batchSize * 1000) / Math.max(1, elapsed),
        elapsedMs: elapsed,
      });
      lossSum = lossCount = 0;
      lastPost = now;
    };
    control.telemetryHz = start.telemetryHz;
    const probe = { x: firstRow(dataset.xTest), y: firstRow(dataset.yTest) };
    const collector = new TelemetryCollector({
      every: 1_000_000,
      probe,
      onFrame: (f) => {
        const { frame, transfer } = toFrameMessage(f);
        recorder.add(frame);
        post({ type: 'telemetry', frame }, transfer);
      },
    });
    trainer.addObserver({
      onEpochEnd: (e) => {
        w.metrics.epochs.push({ ...e, seconds: (Date.now() - started) / 1000 });
        post({ type: 'epochEnd', epoch: e.epoch, step: steps, meanTrainLoss: e.meanTrainLoss, lr: e.lr });
      },
      onEvaluation: (e) => {
        w.metrics.evaluations.push(e);
        post({
          type: 'evaluation',
          epoch: e.epoch,
          step: steps,
          loss: e.loss,
          metrics: e.metrics,
          improved: e.improved,
        });
      },
      onEpochComplete: (state) => {
        w.checkpoint(network, optimizer, state);
        recorder.write(w.folder);
      },
      // Text models: samples go to the run record's samples.json and to the training panel.
      onSample: (sample) => {
        w.addSample(sample);
        post({
          type: 'sample',
          sample: {
            iteration: sample.iteration,
            epoch: sample.epoch,
            seedText: sample.seedText,
            temperature: sample.temperature,
            text: sample.text,
          },
        });
      },
    });
    trainer.addObserver(collector);

    if (start.paused) control.set(Control.Pause);
    const gen = trainer.steps(dataset, fitOptions);
    let r = gen.next();
    let lastBatch: BatchEnd | undefined;
    while (!r.done) {
      const e = r.value;
      lastBatch = e;
      steps = e.step;
      epochsRun = e.epoch - 1;
      // Telemetry rate: frames per second → every N steps, from the measured step rate.
      frameRate.hz = control.telemetryHz;
      const every = frameRate.update(e.step, Date.now());
      if (every !== undefined) collector.setEvery(every);
      let c = control.value;
      progress(e, c !== Control.Run);
      if (c === Control.Step) {
        control.set(Control.Pause);
        c = Control.Pause;
      }
      if (c === Control.Pause) {
        // A fresh frame for the paused state, so the Network tab and step-through show the
        // current weights' values and gradients whatever the telemetry rate.
        const { frame, transfer } = toFrameMessage(collector.sample(e));
        recorder.add(frame);
        post({ type: 'telemetry', frame }, transfer);
        post({ type: 'paused', step: e.step });
        while (control.value === Control.Pause) control.waitWhilePaused(1000);
        if (control.value !== Control.Stop) post({ type: 'resumed' });
      }
      if (control.value === Control.Stop) trainer.requestStop();
      r = gen.next();
    }
    const result: FitResult = r.value;
    const status = result.interrupted ? 'interrupted' : 'complete';
    // The batches of the last 100 ms were not reported yet: the progress shown ends at the last batch.
    if (lastBatch) postProgress(lastBatch);
    // One last frame, so the record's norms describe the final weights.
    let lastFrame: unknown;
    if (control.telemetryHz > 0 && lastBatch) {
      const { frame, transfer } = toFrameMessage(collector.sample(lastBatch));
      recorder.add(frame);
      lastFrame = encodeFrame(frame); // before its arrays are transferred to the host
      post({ type: 'telemetry', frame }, transfer);
    }
    recorder.write(writer.folder);
    if (lastFrame) writeFrameRecord(writer.folder, lastFrame);
    // The latent projection (E7.6) describes the trained model, as the CLI writes it.
    if (spec.latent && status === 'complete') {
      const projected = projectLatent(network, spec.latent, dataset.xTest, testLabels);
      writer.writeLatent(projected);
      post({ type: 'log', level: 'info', message: `[${spec.name}] ${describeLatent(projected)}` });
    }
    writer.finish(network, result, trainer.bestWeights, status);
    post({
      type: 'done',
      reason: result.interrupted ? 'stopped' : result.earlyStop ? 'earlyStopped' : 'finished',
      runDir: writer.folder,
      evalLosses: writer.info.result?.evalLosses ?? result.evalLosses,
      metrics: result.metrics,
      epochsRun: result.epochsRun,
      steps: result.steps,
    });
  } catch (e) {
    const err = e as Error;
    try {
      writer?.fail(err);
    } catch (inner) {
      post({
        type: 'log',
        level: 'warn',
        message: `could not mark the run record as failed: ${(inner as Error).message}`,
      });
    }
    post({ type: 'error', message: err.message, stack: err.stack });
    post({
      type: 'done',
      reason: 'failed',
      runDir: writer?.folder ?? '',
      evalLosses: [],
      metrics: {},
      epochsRun,
      steps,
    });
  }
}

function firstRow(t: Tensor): Tensor {
  const row = t.size / t.shape[0];
  return new Tensor([1, ...t.shape.slice(1)], t.data.slice(0, row));
}

function describeOptimizer(o: {
  type: string;
  lr: number;
  momentum?: number;
  decay?: { type: string; finalLr: number };
}): string {
  return `${o.type} lr ${o.lr}${o.momentum !== undefined ? `, momentum ${o.momentum}` : ''}${o.decay ? `, ${o.decay.type} decay to ${o.decay.finalLr}` : ''}`;
}
