import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type LoadedData, loadData } from '../data/dataSource';
import {
  type BatchEnd,
  type Dataset,
  type FitOptions,
  type FitResult,
  isTextDataset,
  oneHotSequences,
  Tensor,
  Trainer,
} from '../engine';
import { buildModel, type BuiltModel } from '../modelFile/build';
import type { ModelSpec } from '../modelFile/spec';
import type { RunSummary } from '../protocol/telemetry';
import { writeFileAtomic } from '../runs/atomicWrite';
import { restoreCheckpoint } from '../runs/checkpoint';
import { type LatentRecord, projectLatent } from '../runs/latentRecord';
import { RunWriter } from '../runs/runRecord';
import { evaluationRecord, writeEvaluationRecord } from '../runs/evaluationRecord';
import { regressionRecord, writeRegressionRecord } from '../runs/regressionRecord';
import { defaultKernelThreads, enableKernelThreads } from '../util/kernelThreads';
import { buildRunSummary } from './runSummary';
import { SessionError, type SessionPlan } from './sessionPlan';
import { modelFingerprint } from '../runs/modelFingerprint';
import { EpochClock } from './epochClock';
import { LiveLatent } from './liveLatent';
import { ProbeSampler } from './probeSample';
import type { ProbeRequest } from '../protocol/probeRequest';
import { type FrameListener, type ProbeAnswerListener, SessionTelemetry } from './sessionTelemetry';
import { t } from '../l10n';

export interface SessionOptions {
  /** Kernel threads (0 or absent: min(2, cores)); float64 products give the same bits on any count. */
  readonly threads?: number;
  /** Telemetry frames per second (0: none during training); `session.telemetry.hz` may change it later. */
  readonly telemetryHz: number;
  /** Folder for a fresh run's record (default `.glassbox/runs` beside the model); resumed runs go beside theirs. */
  readonly runsDir?: string;
  /** Notices the user should see (a kernel fallback). */
  readonly warn: (message: string) => void;
  readonly onFrame?: FrameListener;
  /** Probe tab answers (`probe`): the probe part of a frame (protocol/probeAnswer.ts). */
  readonly onProbeAnswer?: ProbeAnswerListener;
  /** Projections of the latent layer during training (model files with `latent`; liveLatent.ts). */
  readonly onLatent?: (latent: LatentRecord) => void;
}

/** How a session ended, for the front end to report. */
export interface SessionOutcome {
  readonly status: 'complete' | 'interrupted' | 'diverged';
  readonly result: FitResult;
  /** Where the loss first became NaN or infinite (status 'diverged'). */
  readonly diverged?: { readonly step: number; readonly epoch: number; readonly loss: number };
  /** Every evaluation of the run, a resumed run's inherited ones first (run.json's result). */
  readonly evalLosses: number[];
  /** The latent projection written to latent.json (complete runs of a model with `latent`). */
  readonly latent?: LatentRecord;
}

/**
 * One training run, whoever drives it (the CLI, the extension's worker): data, model, kernel
 * threads, the run record with every file (run, config, metrics, checkpoints, summary, telemetry,
 * frame, samples, latent) and the loop. Front ends add only their reporting: observers on
 * `trainer`, what they do between `steps()`, and how they show the outcome.
 */
export class TrainingSession {
  readonly trainer: Trainer;
  readonly writer: RunWriter;
  readonly summary: RunSummary;
  readonly telemetry: SessionTelemetry;
  /** Epochs (text: rounds) already trained: 0 for a fresh run. */
  readonly startEpoch: number;
  private lastBatch: BatchEnd | undefined;
  /** Splits the run's time into training, evaluation, samples and checkpoints (metrics.json). */
  private readonly clock = new EpochClock();
  /** The same on the process's CPU time (every thread), for figures taken on a busy machine. */
  private readonly cpuClock = new EpochClock(() => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  });
  private readonly liveLatent: LiveLatent | undefined;

  private constructor(
    readonly plan: SessionPlan,
    readonly spec: ModelSpec,
    /** The run's data; after the run without its training set (releaseTrainingData). */
    public data: LoadedData,
    private readonly model: BuiltModel,
    readonly fit: FitOptions,
    opts: SessionOptions,
  ) {
    this.startEpoch = fit.resume?.epoch ?? 0;
    const resume = plan.resume;
    this.writer = RunWriter.create(
      plan.modelFile,
      spec,
      plan.sourceText,
      resume
        ? { resumedFrom: resume.folder, history: resume.history, runsDir: resume.runsDir }
        : { runsDir: opts.runsDir },
    );
    try {
      this.trainer = new Trainer(model.network, model.optimizer);
      const text = isTextDataset(data.dataset) ? data.dataset.text : undefined;
      if (text) this.writer.recordSamples(text.vocab.chars);
      this.summary = buildRunSummary(spec, resolve(plan.modelFile), plan.sourceText, data, fit);
      writeFileAtomic(join(this.writer.folder, 'summary.json'), JSON.stringify(this.summary, null, 2) + '\n');
      this.observeForRecord();
      this.telemetry = new SessionTelemetry(
        this.trainer,
        data.dataset,
        opts.telemetryHz,
        opts.onFrame,
        text?.vocab.chars,
      );
      if (opts.onProbeAnswer) this.telemetry.onProbeAnswer = opts.onProbeAnswer;
      if (spec.latent && opts.onLatent)
        this.liveLatent = new LiveLatent(
          model.network,
          spec.latent,
          data.dataset.xTest,
          data.testLabels,
          opts.onLatent,
          opts.warn,
        );
    } catch (e) {
      // No front end holds the session yet to fail it: the record must not stay "running".
      this.writer.fail(e);
      throw e;
    }
  }

  /** Loads the data, builds the model (restored from the checkpoint when resuming) and starts the record. */
  static open(plan: SessionPlan, opts: SessionOptions): TrainingSession {
    const spec = plan.spec;
    const data = loadData(spec.data, plan.modelFile, spec.precision);
    const model = buildModel(spec);
    enableKernelThreads(opts.threads || defaultKernelThreads(), opts.warn);
    let fit = model.fitOptions;
    const checkpoint = plan.resume?.checkpointFile;
    if (checkpoint) {
      model.network.build(data.dataset.xTrain.shape.slice(1));
      let state;
      try {
        state = restoreCheckpoint(
          readFileSync(checkpoint),
          checkpoint,
          model.network,
          model.optimizer,
          modelFingerprint(spec),
        );
        checkResumeOrder(state.order, data.dataset);
      } catch (e) {
        // Damaged, truncated or foreign checkpoints: a message naming the file, never a stack trace.
        throw new SessionError(t('cannot resume: {0}', (e as Error).message));
      }
      fit = { ...fit, restart: false, resume: state };
    }
    return new TrainingSession(plan, spec, data, model, fit, opts);
  }

  /** What the run record keeps as training goes: metrics, checkpoints, telemetry.json, samples. */
  private observeForRecord(): void {
    const w = this.writer;
    const { network, optimizer } = this.model;
    // The clock's observer comes first: every later observer's per-batch work counts as training.
    const timing = this.clock.observer({
      epochEnd: (e, times) => w.metrics.epochs.push({ ...e, ...times }),
      evaluation: (e, seconds) => w.metrics.evaluations.push({ ...e, seconds }),
      epochComplete: (state) => {
        w.checkpoint(network, optimizer, state);
        this.telemetry.write(w.folder);
      },
    });
    this.trainer.addObserver({
      ...timing,
      onSample: (s) => {
        timing.onSample?.(s);
        w.addSample(s);
      },
    });
    // After the wall clock's observer: its epoch entry exists, and its checkpoint is not training.
    this.trainer.addObserver(
      this.cpuClock.observer({
        epochEnd: (_e, times) => {
          const last = w.metrics.epochs[w.metrics.epochs.length - 1];
          if (last) last.trainCpuSeconds = times.trainSeconds;
        },
        evaluation: () => {},
        epochComplete: () => {},
      }),
    );
  }

  /** Time the front end held the run (a paused worker): kept out of the epoch's training seconds. */
  excludeTime(ms: number): void {
    this.clock.exclude(ms);
  }

  /** The training loop, one batch per step; the front end decides what happens between steps. */
  *steps(): Generator<BatchEnd, FitResult, void> {
    const gen = this.trainer.steps(this.data.dataset, this.fit);
    for (let r = gen.next(); ; r = gen.next()) {
      if (r.done) return r.value;
      this.lastBatch = r.value;
      this.telemetry.afterBatch(r.value);
      this.liveLatent?.afterBatch(r.value.step, r.value.epoch);
      // A NaN or infinite loss only gets worse: stop there, and say so (status 'diverged').
      if (!this.divergedAt && !Number.isFinite(r.value.loss)) {
        this.divergedAt = { step: r.value.step, epoch: r.value.epoch, loss: r.value.loss };
        this.trainer.requestStop();
      }
      yield r.value;
    }
  }

  private divergedAt: SessionOutcome['diverged'];

  /**
   * A text model's probe becomes `text` (the user typed it in the Sequence tab): every later frame
   * runs it, and one frame of it is taken now, on the weights as they are after batch `e`. The
   * model reads text[0 … n−2] and is scored on predicting text[1 … n−1], as in training.
   * Throws SessionError with a message for the user (not a text model, too short, unknown characters).
   */
  probeText(text: string, e: BatchEnd): void {
    const dataset = this.data.dataset;
    if (!isTextDataset(dataset)) throw new SessionError(t('only a text model can be probed with typed text'));
    const vocab = dataset.text.vocab;
    const unknown = [...new Set(text)].filter((c) => !vocab.chars.includes(c));
    if (unknown.length)
      throw new SessionError(
        t(
          'the model does not know {0}{1}: its vocabulary is the {2} characters of its training text',
          unknown
            .slice(0, 8)
            .map((c) => JSON.stringify(c))
            .join(', '),
          unknown.length > 8 ? t(' and {0} more', unknown.length - 8) : '',
          vocab.size,
        ),
      );
    const codes = vocab.encode(text);
    if (codes.length < 2) throw new SessionError(t('type at least two characters: the model predicts each next one'));
    const n = codes.length - 1;
    const dtype = this.model.network.dtype;
    this.telemetry.setProbe(
      oneHotSequences(codes, [0], n, vocab.size, dtype),
      oneHotSequences(codes, [1], n, vocab.size, dtype),
    );
    this.telemetry.frameNow(e);
  }

  private sampler: ProbeSampler | undefined;

  /**
   * A Probe tab request (a test row, a drawn image, slider values) becomes the probe: every later
   * frame runs it, and it is answered now (`onProbeAnswer`: the probe part of a frame) on the
   * weights as they are after batch `e` — or, from an evaluation's chunk hook, in the evaluation
   * after it, on the weights it evaluates. Inference forward and input-gradient passes only: the
   * optimizer's state, the parameters' gradients and the seeded random stream are untouched, so
   * training goes on as it would have.
   * Throws SessionError with a message for the user (no such row, the wrong number of values).
   */
  probe(request: ProbeRequest, e: BatchEnd): void {
    if (isTextDataset(this.data.dataset)) throw new SessionError(t('a text model is probed with typed text'));
    const takenAt = Date.now();
    this.sampler ??= new ProbeSampler(this.data, this.model.network.dtype);
    const { x, y, source } = this.sampler.sample(request);
    this.telemetry.setProbe(x, y, request.target ?? -1, { ...source, takenAt });
    this.telemetry.answerProbe(e);
  }

  /**
   * Whether a Probe tab request can be answered in an evaluation (its chunk hook): a row model
   * that has sent a frame already, so the answer is the probe part alone and needs no batch tape.
   */
  get answersDuringEvaluation(): boolean {
    return !isTextDataset(this.data.dataset) && this.telemetry.answersAlone;
  }

  /**
   * After the run the worker stays to answer the Probe tab (engineWorker.ts): rows come from the
   * test set, drawings are mapped to the training inputs' range, so the training set goes (full
   * MNIST: 188 MB of float32 inputs held for the 15 minutes a finished run's worker serves).
   * Text models keep theirs (the Sequence tab's typed probes read the vocabulary only, but the
   * text is one array).
   */
  releaseTrainingData(): void {
    const d = this.data.dataset;
    if (isTextDataset(d)) return;
    const sampler = (this.sampler ??= new ProbeSampler(this.data, this.model.network.dtype));
    sampler.keepPixelRange();
    const none = (t: Tensor) => new Tensor([0, ...t.shape.slice(1)], t.data.slice(0, 0));
    this.data = { ...this.data, dataset: { ...d, xTrain: none(d.xTrain), yTrain: none(d.yTrain) } };
    this.sampler = sampler.withData(this.data);
  }

  /** Ends training after the current batch (the outcome is 'interrupted'). */
  requestStop(): void {
    this.trainer.requestStop();
  }

  /** The last batch trained (undefined before the first). */
  get lastStep(): BatchEnd | undefined {
    return this.lastBatch;
  }

  /** Writes the end of the record: the last frame, latent.json (complete runs), weights, run.json last. */
  finish(result: FitResult, stopped = false): SessionOutcome {
    const status = this.divergedAt ? 'diverged' : result.interrupted || stopped ? 'interrupted' : 'complete';
    this.telemetry.finish(this.writer.folder, this.lastBatch);
    // The latent projection (E7.6) describes the trained model: skipped when stopped early.
    let latent: LatentRecord | undefined;
    if (this.spec.latent && status === 'complete') {
      latent = projectLatent(this.model.network, this.spec.latent, this.data.dataset.xTest, this.data.testLabels);
      this.writer.writeLatent(latent);
    }
    // A classifier's confusion matrix, per-class precision/recall and worst mistakes (the panel's Evaluation tab).
    if (result.classification)
      writeEvaluationRecord(this.writer.folder, evaluationRecord(result.classification, this.data.dataset.xTest));
    // A regression model's predicted vs actual values (the Evaluation tab's scatter and residuals).
    if (result.regression) writeRegressionRecord(this.writer.folder, regressionRecord(result.regression));
    this.writer.finish(this.model.network, result, this.trainer.bestWeights, status);
    return {
      status,
      result,
      evalLosses: this.writer.info.result?.evalLosses ?? result.evalLosses,
      latent,
      ...(this.divergedAt ? { diverged: this.divergedAt } : {}),
    };
  }

  /** Marks the record failed; a record that cannot be written any more is reported to `warn`. */
  fail(error: unknown, warn: (message: string) => void): void {
    try {
      this.writer.fail(error);
    } catch (inner) {
      warn(`could not mark the run record as failed: ${(inner as Error).message}`);
    }
  }

  /**
   * Ends the session (call once, after finish or fail). The kernel threads stay for the process's
   * next session: starting helpers anew each time leaked their shared-memory blocks (a stopped
   * helper may still read them until its thread exits, so they cannot be handed out again), and
   * the helpers are unref'd and sleep between tasks, ending with the process or the engine worker.
   */
  close(): void {}
}

/**
 * A checkpoint's row order must fit the data: a permutation of the training rows (epochs), or a
 * batch pointer inside the text (text models). Out-of-range indices were accepted and trained on
 * whatever memory they pointed at.
 */
function checkResumeOrder(order: Int32Array, dataset: Dataset): void {
  if (isTextDataset(dataset)) {
    const n = dataset.text.train.length;
    if (order.length < 1 || order[0] < 0 || order[0] >= n)
      throw new Error(t('its text pointer {0} is outside the {1} training characters', order[0], n));
    return;
  }
  const n = dataset.xTrain.shape[0];
  if (order.length !== n) throw new Error(t('its row order has {0} rows, the data has {1}', order.length, n));
  const seen = new Uint8Array(n);
  for (const i of order) {
    if (i < 0 || i >= n || seen[i])
      throw new Error(t('its row order is not a permutation of the {0} training rows', n));
    seen[i] = 1;
  }
}
