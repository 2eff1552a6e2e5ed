import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError } from '../data/dataError';
import { loadData } from '../data/dataSource';
import { FitOptions, isTextDataset, setEngineLogger, Trainer } from '../engine';
import { buildModel } from '../modelFile/build';
import { inferLayerShapes } from '../modelFile/shapes';
import type { ModelSpec } from '../modelFile/spec';
import { restoreCheckpoint } from '../runs/checkpoint';
import { describeLatent, latentSummary, projectLatent } from '../runs/latentRecord';
import { MetricsHistory, readRunRecord, RunWriter } from '../runs/runRecord';
import { CliError, displayPath, loadModel } from './loadModel';
import { HumanReporter, JsonReporter, TrainReporter } from './trainReporter';
import { enableRelaxedSimd } from '../util/enableRelaxedSimd';
import { defaultKernelThreads, enableKernelThreads } from '../util/kernelThreads';
import { stopKernelThreads } from '../engine/kernels/parallel';

export interface TrainOptions {
  readonly json: boolean;
  /** A run folder to continue from (its last completed epoch). */
  readonly resume?: string;
  /** Train to this many epochs instead of the file's. */
  readonly epochs?: number;
  /** Threads for float32 kernels (default min(2, cores)). */
  readonly threads?: number;
  /** Text models: train to this many iterations instead of the file's. */
  readonly iterations?: number;
}

interface Plan {
  spec: ModelSpec;
  sourceText: string;
  modelFile: string;
  resume?: { folder: string; checkpointFile?: string; history: MetricsHistory; runsDir: string };
}

function plan(file: string | undefined, opts: TrainOptions, err: NodeJS.WritableStream): Plan {
  if (!opts.resume) {
    if (!file) throw new CliError('train: expected a model file, e.g. glassbox train examples/mnist-mlp.nn.json', 2);
    const { text, result } = loadModel(file, err, false);
    return { spec: result.spec as ModelSpec, sourceText: text, modelFile: file };
  }
  if (file) throw new CliError(`train: give either a model file or --resume <run folder>, not both`, 2);
  let rec;
  try {
    rec = readRunRecord(opts.resume);
  } catch (e) {
    throw new CliError(
      `--resume ${opts.resume}: ${(e as Error).message.includes('ENOENT') ? 'no such run record' : (e as Error).message}`,
    );
  }
  if (rec.status === 'running')
    throw new CliError(`${displayPath(rec.folder)}: still running (process ${rec.info.pid}); stop it first`);
  const done = rec.info.checkpointEpoch;
  const epochs =
    opts.epochs ??
    (opts.iterations ? Math.ceil(opts.iterations / rec.spec.training.evalEvery) : rec.spec.training.epochs);
  if (rec.status === 'complete' && !opts.epochs && !opts.iterations)
    throw new CliError(`${displayPath(rec.folder)}: the run is complete; pass --epochs N to train further`);
  if (done >= epochs)
    throw new CliError(
      `${displayPath(rec.folder)}: ${done} epochs already trained; pass --epochs N with N > ${done} to train further`,
    );
  const keep = (e: { epoch: number }) => e.epoch <= done;
  return {
    spec: rec.spec,
    sourceText: rec.sourceText,
    modelFile: rec.info.modelFile,
    resume: {
      folder: rec.folder,
      checkpointFile: done > 0 ? rec.checkpointFile : undefined,
      history: { epochs: rec.metrics.epochs.filter(keep), evaluations: rec.metrics.evaluations.filter(keep) },
      runsDir: dirname(rec.folder),
    },
  };
}

/**
 * `glassbox train <file>` / `--resume <run>`: loads the data, builds the model, trains with live
 * progress, and keeps a run record. Ctrl-C (or SIGTERM) stops after the current batch and
 * records what was trained (exit 130); a second Ctrl-C exits at once, leaving the record marked
 * as running, which readers report as incomplete.
 */
export async function trainCommand(
  file: string | undefined,
  opts: TrainOptions,
  out: NodeJS.WriteStream,
  err: NodeJS.WriteStream,
): Promise<number> {
  const p = plan(file, opts, err);
  // Fused multiply-add kernels on Node 20 too; a kernel fallback is reported once on stderr.
  enableRelaxedSimd();
  setEngineLogger({ info: () => {}, warn: (message) => void err.write(`${message}\n`) });
  const spec: ModelSpec =
    opts.iterations && p.spec.data.type === 'text'
      ? {
          ...p.spec,
          training: {
            ...p.spec.training,
            iterations: opts.iterations,
            epochs: Math.ceil(opts.iterations / p.spec.training.evalEvery),
          },
        }
      : opts.epochs
        ? { ...p.spec, training: { ...p.spec.training, epochs: opts.epochs } }
        : p.spec;
  if (opts.iterations && p.spec.data.type !== 'text')
    throw new CliError("--iterations is for text models (data type 'text'); use --epochs", 2);
  const report: TrainReporter = opts.json ? new JsonReporter(out) : new HumanReporter(out, err);
  let data;
  try {
    data = loadData(spec.data, p.modelFile, spec.precision);
  } catch (e) {
    if (e instanceof DataError) throw new CliError(`${displayPath(p.modelFile)}: data: ${e.message}`);
    throw e;
  }
  const { network, optimizer, fitOptions } = buildModel(spec);
  if (spec.precision !== 'float64')
    enableKernelThreads(opts.threads ?? defaultKernelThreads(), (message) => void err.write(`${message}\n`));
  let fit: FitOptions = fitOptions;
  if (p.resume?.checkpointFile) {
    network.build(data.dataset.xTrain.shape.slice(1));
    const state = restoreCheckpoint(readFileSync(p.resume.checkpointFile), p.resume.checkpointFile, network, optimizer);
    fit = { ...fitOptions, restart: false, resume: state };
  }
  const writer = RunWriter.create(
    p.modelFile,
    spec,
    p.sourceText,
    p.resume ? { resumedFrom: p.resume.folder, history: p.resume.history, runsDir: p.resume.runsDir } : {},
  );
  const trainer = new Trainer(network, optimizer);
  const started = Date.now();
  const text = isTextDataset(data.dataset) ? data.dataset.text : undefined;
  if (text) writer.recordSamples(text.vocab.chars);
  trainer.addObserver({
    onFitStart: (e) => report.fitStart(e, data.dataset.xTrain.shape[0]),
    onBatchEnd: (e) => report.batch(e),
    onEpochEnd: (e) => {
      writer.metrics.epochs.push({ ...e, seconds: (Date.now() - started) / 1000 });
      report.epoch(e);
    },
    onEvaluation: (e) => {
      writer.metrics.evaluations.push(e);
      report.evaluation(e);
    },
    onEarlyStop: (e) => report.earlyStop(e),
    onEpochComplete: (state) => writer.checkpoint(network, optimizer, state),
    onSample: (s) => {
      writer.addSample(s);
      report.sample(s);
    },
  });
  report.start({
    run: displayPath(writer.folder),
    model: spec.name,
    epochs: spec.training.epochs,
    startEpoch: fit.resume?.epoch ?? 0,
    trainRows: data.dataset.xTrain.shape[0],
    testRows: data.dataset.xTest.shape[0],
    parameters: inferLayerShapes(spec.layers, data.shape.inputShape, network.profile).rows.reduce(
      (n, l) => n + l.parameters,
      0,
    ),
    ...(p.resume ? { resumedFrom: displayPath(p.resume.folder) } : {}),
    ...(text && fit.text
      ? {
          text: {
            description: data.shape.description,
            iterations: fit.text.iterations,
            evalEvery: spec.training.evalEvery,
            startIteration: (fit.resume?.epoch ?? 0) * spec.training.evalEvery,
            vocabulary: text.vocab.size,
            trainChars: text.train.length,
            validationChars: text.validation.length,
          },
        }
      : {}),
  });

  let stops = 0;
  const onSignal = () => {
    stops++;
    if (stops > 1) process.exit(130);
    report.note('stopping after this batch (press Ctrl-C again to quit at once)');
    trainer.requestStop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // The trainer yields after every batch; every ~50 ms let the event loop deliver signals.
    const gen = trainer.steps(data.dataset, fit);
    let r = gen.next();
    let last = Date.now();
    while (!r.done) {
      if (Date.now() - last > 50) {
        await new Promise((res) => setImmediate(res));
        last = Date.now();
      }
      r = gen.next();
    }
    const result = r.value;
    const status = result.interrupted || stops > 0 ? 'interrupted' : 'complete';
    // The latent projection (E7.6) describes the trained model: skipped when stopped early.
    if (spec.latent && status === 'complete') {
      const rec = projectLatent(network, spec.latent, data.dataset.xTest, data.testLabels);
      writer.writeLatent(rec);
      report.latent(describeLatent(rec), latentSummary(rec));
    }
    writer.finish(network, result, trainer.bestWeights, status);
    report.done(result, writer.info.result?.evalLosses ?? result.evalLosses, displayPath(writer.folder), status);
    return status === 'interrupted' ? 130 : 0;
  } catch (e) {
    try {
      writer.fail(e);
    } catch {
      // The record could not be updated (its folder removed?): report the original error.
    }
    throw e;
  } finally {
    stopKernelThreads();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
