import { parentPort, workerData } from 'node:worker_threads';
import { nodeFileAccess } from '../data/fileAccess';
import { type BatchEnd, setEngineLogger } from '../engine';
import { formatProblem } from '../modelFile/problem';
import { hasErrors, validateModel } from '../modelFile/validate';
import type { ToWorker } from '../protocol/workerProtocol';
import { describeLatent } from '../runs/latentRecord';
import { planResume, type SessionPlan } from '../session/sessionPlan';
import { TrainingSession } from '../session/trainingSession';
import { enableRelaxedSimd } from '../util/enableRelaxedSimd';
import { setLocale, t } from '../l10n';
import { errorText } from '../util/errorText';
import { loadBundle } from '../util/l10nBundle';
import { Control, ControlWord } from './controlWord';
import { type Probe, ProbeMailbox } from './probeMailbox';
import { reportQueue } from './reportQueue';

/*
 * The training worker: one TrainingSession (src/session) per worker, reporting to the host.
 * Pause/resume/step/stop arrive through a shared control word (controlWord.ts), so the
 * synchronous training loop reacts between batches.
 */
const port = parentPort;
if (!port) throw new Error('engineWorker must run in a worker thread');
const shared = workerData as { control: SharedArrayBuffer; probe?: SharedArrayBuffer; locale?: string };
const control = new ControlWord(shared.control);
const probeMailbox = shared.probe ? new ProbeMailbox(shared.probe) : undefined;
// The run's messages (data and session errors, problems) in the host's display language.
setLocale(shared.locale ?? 'en', loadBundle(shared.locale ?? 'en'));
const post = reportQueue(port);
// The engine's kernel notices (which kernels float32 runs on; a one-time fallback warning) go to
// the host's log; relaxed SIMD is switched on first where the runtime has it behind a flag.
setEngineLogger({
  info: (message) => post({ type: 'log', level: 'info', message }),
  warn: (message) => post({ type: 'log', level: 'warn', message }),
});
enableRelaxedSimd();

type Start = Extract<ToWorker, { type: 'start' }>;

port.once('message', (msg: ToWorker) => {
  if (msg.type !== 'start') return post({ type: 'error', message: t("expected 'start', got '{0}'", msg.type) });
  try {
    run(msg);
  } catch (e) {
    // Last resort: run() reports its own failures; this catches a failure to report.
    post({ type: 'error', message: (e as Error).message, stack: (e as Error).stack });
  }
});

/** A fresh run of the editor's text of the model file, or the continuation of a run record. */
function plan(start: Start): SessionPlan {
  if (start.resumeFrom) return planResume(start.resumeFrom);
  const v = validateModel(start.modelText, start.modelPath, { files: nodeFileAccess });
  const errors = v.problems.filter((p) => p.severity === 'error');
  if (!v.spec || hasErrors(v.problems))
    throw new Error(
      t(
        'the model file has {0} problem(s):\n{1}',
        errors.length,
        errors.map((p) => formatProblem(start.modelPath, p)).join('\n'),
      ),
    );
  // The editor's default precision applies only where the file itself says nothing.
  const spec =
    start.defaultPrecision && !v.source.node(['precision']) ? { ...v.spec, precision: start.defaultPrecision } : v.spec;
  return { spec, sourceText: start.modelText, modelFile: start.modelPath };
}

function run(start: Start): void {
  let session: TrainingSession | undefined;
  let steps = 0;
  const warn = (message: string) => post({ type: 'log', level: 'warn', message });
  try {
    const p = plan(start);
    post({ type: 'log', level: 'info', message: `[${p.spec.name}] ${t('loading data')}` });
    control.telemetryHz = start.telemetryHz;
    session = TrainingSession.open(p, {
      threads: start.threads,
      telemetryHz: start.telemetryHz,
      runsDir: start.runsDir,
      warn,
      onFrame: (frame, transfer) => post({ type: 'telemetry', frame }, transfer),
      onProbeAnswer: (answer, transfer) => post({ type: 'probe', answer }, transfer),
      onLatent: (latent) => post({ type: 'latent', latent }),
    });
    const s = session;
    const { summary, writer } = s;
    post({ type: 'started', runId: start.runId, runDir: writer.folder, summary });
    // A resumed run's steps continue the run it resumes; its earlier evaluations go first.
    const stepBase = s.startEpoch * summary.batchesPerEpoch;
    const perEpoch = summary.batchesPerEpoch;
    for (const { epoch, batch, loss, metrics, improved } of writer.metrics.evaluations)
      post({ type: 'evaluation', epoch, step: (epoch - 1) * perEpoch + (batch ?? perEpoch), loss, metrics, improved });
    if (start.paused) control.set(Control.Pause);
    // Held (controlWord.ts): the data is loaded and the model built; the first batch waits for the panel.
    while (control.value === Control.Hold) control.waitWhilePaused(1000, Control.Hold);
    const progress = progressReporter(summary.epochs, summary.batchSize, stepBase);
    s.trainer.addObserver({
      onEpochEnd: (e) =>
        post({ type: 'epochEnd', epoch: e.epoch, step: stepBase + steps, meanTrainLoss: e.meanTrainLoss, lr: e.lr }),
      onEvaluation: (e) =>
        post({
          type: 'evaluation',
          epoch: e.epoch,
          step: stepBase + steps,
          loss: e.loss,
          metrics: e.metrics,
          improved: e.improved,
        }),
      // Text models: samples go to the run record's samples.json (the session) and to the panel.
      onSample: ({ iteration, epoch, seedText, temperature, text }) =>
        post({ type: 'sample', sample: { iteration, epoch, seedText, temperature, text } }),
      // An evaluation (0.4-1.2 s for mnist-cnn's test set) answers the Probe tab between its chunks,
      // on the weights it evaluates, rather than after it: the probe's passes change nothing it uses.
      onInferenceChunk: () => {
        const last = s.lastStep;
        if (!probeMailbox || !last || !s.answersDuringEvaluation) return;
        const probe = probeMailbox.take();
        if (probe !== undefined) runProbe(s, probe, last);
      },
    });

    let stopping = false;
    // A stop given while the data loaded: said at once (the generator still trains one batch).
    if (control.value === Control.Stop) {
      stopping = true;
      s.requestStop();
      post({ type: 'stopping', step: stepBase });
    }
    // Dropped after the run: a generator keeps what its fit held (the training set among it).
    let gen: ReturnType<TrainingSession['steps']> | undefined = s.steps();
    let r = gen.next();
    while (!r.done) {
      const e = r.value;
      steps = e.step;
      s.telemetry.hz = control.telemetryHz;
      let c = control.value;
      progress.add(e, c !== Control.Run);
      if (c === Control.Step) {
        control.set(Control.Pause);
        c = Control.Pause;
      }
      if (c === Control.Pause) {
        const pausedAt = performance.now();
        // A fresh frame for the paused state, so the Network tab and step-through show the
        // current weights' values and gradients whatever the telemetry rate.
        s.telemetry.frameNow(e);
        post({ type: 'paused', step: stepBase + e.step });
        let frameDue = false;
        while (control.value === Control.Pause) {
          control.waitWhilePaused(frameDue ? FRAME_AFTER_ANSWERS_MS : 1000);
          // A probe typed while paused runs on the paused weights (the host wakes this wait for it).
          const typed = probeMailbox?.take();
          if (typed !== undefined) frameDue = runProbe(s, typed, e) || frameDue;
          else if (frameDue) frameDue = fullFrame(s, e);
        }
        if (control.value !== Control.Stop) post({ type: 'resumed' });
        // Paused time (and the step-through's frames) is not the epoch's training time.
        s.excludeTime(performance.now() - pausedAt);
      }
      let probe = probeMailbox?.take();
      // The user is drawing (an answer went in the last DRAWING_WINDOW_MS): a rest after each batch.
      if (probe === undefined && probeMailbox && performance.now() - lastAnswerAt < DRAWING_WINDOW_MS) {
        const t0 = performance.now();
        probeMailbox.wait(DRAWING_REST_MS);
        probe = probeMailbox.take();
        s.excludeTime(performance.now() - t0);
      }
      if (probe !== undefined && probeMailbox) {
        answerWhileDrawing(s, probeMailbox, probe, e);
        lastAnswerAt = performance.now();
      }
      if (control.value === Control.Stop && !stopping) {
        stopping = true;
        s.requestStop();
        post({ type: 'stopping', step: stepBase + e.step });
      }
      r = gen.next();
    }
    gen = undefined;
    // The batches of the last 100 ms were not reported yet: the progress shown ends at the last batch.
    progress.flush();
    s.telemetry.hz = control.telemetryHz;
    const outcome = s.finish(r.value);
    if (outcome.latent)
      post({ type: 'log', level: 'info', message: `[${s.spec.name}] ${describeLatent(outcome.latent)}` });
    const result = outcome.result;
    if (outcome.diverged) {
      const d = outcome.diverged;
      // The panel shows a failed run with this message; run.json says 'diverged'.
      post({
        type: 'error',
        message: t(
          'the loss became {0} at step {1} (epoch {2}): training diverged and stopped there. Lower the learning rate, add decay or clip, or change the initialisation.',
          d.loss,
          d.step,
          d.epoch,
        ),
      });
    }
    post({
      type: 'done',
      reason: outcome.diverged
        ? 'failed'
        : result.interrupted
          ? 'stopped'
          : result.earlyStop
            ? 'earlyStopped'
            : 'finished',
      runDir: writer.folder,
      evalLosses: outcome.evalLosses,
      metrics: result.metrics,
      epochsRun: result.epochsRun,
      steps: result.steps,
    });
    // The worker stays to answer the Probe tab and the Sequence tab's typed probes on the final
    // weights, until the host terminates it (a new run, the panel closed, the window closed, idle).
    const last = s.lastStep;
    if (probeMailbox && last && !outcome.diverged) {
      s.releaseTrainingData();
      for (let frameDue = false; ;) {
        probeMailbox.wait(frameDue ? FRAME_AFTER_ANSWERS_MS : 1000);
        const probe = probeMailbox.take();
        if (probe !== undefined) frameDue = runProbe(s, probe, last) || frameDue;
        else if (frameDue) frameDue = fullFrame(s, last);
      }
    }
  } catch (e) {
    const err = e as Error;
    session?.fail(err, warn);
    post({ type: 'error', message: errorText(err), stack: err.stack });
    const epochsRun = session?.lastStep ? session.lastStep.epoch - 1 : 0;
    post({
      type: 'done',
      reason: 'failed',
      runDir: session?.writer.folder ?? '',
      evalLosses: [],
      metrics: {},
      epochsRun,
      steps,
    });
  } finally {
    session?.close();
  }
}

/**
 * After answering a Probe tab request while training, the worker waits this long (ms) for the
 * next one before it trains on. The user draws: the next request follows the answer's arrival in
 * the panel, and waiting for it (a) answers it at once rather than after a batch and (b) leaves
 * the CPU to the extension host, the workbench and the webview that carry the answer (the
 * training threads occupy two cores). Training stops only while requests come; its results do
 * not change (the probe reads the weights), and the wait is not counted as training time.
 */
const DRAWING_WAIT_MS = 40;

/**
 * For DRAWING_WINDOW_MS after an answer the user is taken to be drawing, and each batch is followed
 * by a rest of DRAWING_REST_MS on the mailbox (a request that comes is answered at once): the
 * training threads leave the two cores to the answer's hops for part of the time, and requests no
 * longer wait for the batch in flight. mnist-cnn trains at a third to a half of its speed while the
 * user draws (a 20 ms rest per 10-20 ms batch; estimated), at full speed otherwise; what it
 * computes does not change, and the rests are not training time. Measured (E2E while training,
 * load 3-8): medians 68-90 ms with the rest, 70-162 ms without.
 */
const DRAWING_WINDOW_MS = 400;
const DRAWING_REST_MS = 20;
/** When the last Probe tab answer went while training (performance.now()). */
let lastAnswerAt = -Infinity;

/** Answers `probe` and every request that follows within DRAWING_WAIT_MS of the last answer. */
function answerWhileDrawing(s: TrainingSession, mailbox: ProbeMailbox, probe: Probe, e: BatchEnd): void {
  let next: Probe | undefined = probe;
  let waited = 0;
  while (next !== undefined) {
    if (!runProbe(s, next, e) || control.value !== Control.Run) break;
    const t0 = performance.now();
    mailbox.wait(DRAWING_WAIT_MS);
    next = mailbox.take();
    waited += performance.now() - t0;
  }
  s.excludeTime(waited);
}

/**
 * While paused or after the run no frame follows a Probe tab answer by itself, and the Network tab
 * (and the step-through) draws the probe's op graph from a full frame: one goes once no request
 * came for this long, i.e. when the user stops drawing, so it never delays an answer.
 */
const FRAME_AFTER_ANSWERS_MS = 150;

/**
 * Runs a typed probe text or a Probe tab request; what is wrong with it goes to the panel, not to
 * the run. True when a Probe tab answer went (the probe part only: a full frame is due).
 */
function runProbe(s: TrainingSession, probe: Probe, e: BatchEnd): boolean {
  try {
    if (probe.kind === 'text') s.probeText(probe.text, e);
    else s.probe(probe, e);
    // Its answer goes now: while paused or after the run nothing else would send the queue.
    post.flush();
    return probe.kind !== 'text';
  } catch (err) {
    const message = (err as Error).message;
    post({
      type: 'probeError',
      message: probe.kind === 'text' ? t('Probe text: {0}.', message) : t('Probe: {0}.', message),
    });
    return false;
  }
}

/** The full frame of the current probe (op graph included) after answers; false: none is due any more. */
function fullFrame(s: TrainingSession, e: BatchEnd): false {
  s.telemetry.frameNow(e);
  post.flush();
  return false;
}

/** 'progress' reports: the mean loss of the batches since the last one, at most every 100 ms. */
function progressReporter(epochs: number, batchSize: number, stepBase: number) {
  const started = Date.now();
  let lossSum = 0,
    lossCount = 0,
    lastPost = 0;
  let last: BatchEnd | undefined;
  const flush = (): void => {
    if (lossCount === 0 || !last) return;
    const e = last;
    const now = Date.now();
    const elapsed = now - started;
    post({
      type: 'progress',
      epoch: e.epoch,
      batch: e.batch,
      batchesPerEpoch: e.batchesPerEpoch,
      epochs,
      step: stepBase + e.step,
      loss: lossSum / lossCount,
      lr: e.lr,
      samplesPerSecond: (e.step * batchSize * 1000) / Math.max(1, elapsed),
      elapsedMs: elapsed,
    });
    lossSum = lossCount = 0;
    lastPost = now;
  };
  return {
    add(e: BatchEnd, force: boolean): void {
      last = e;
      lossSum += e.loss;
      lossCount++;
      if (force || Date.now() - lastPost >= 100) flush();
    },
    flush,
  };
}
