import { DataError } from '../data/dataError';
import { isTextDataset, setEngineLogger } from '../engine';
import type { ModelSpec } from '../modelFile/spec';
import { describeLatent, latentSummary } from '../runs/latentRecord';
import { planResume, SessionError, type SessionPlan, withLength } from '../session/sessionPlan';
import { TrainingSession } from '../session/trainingSession';
import { enableRelaxedSimd } from '../util/enableRelaxedSimd';
import { CliError, displayPath, loadModel } from './loadModel';
import { HumanReporter, JsonReporter, TrainReporter } from './trainReporter';
import { t } from '../l10n';

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

/**
 * Telemetry frames per second in the CLI: low, because nobody watches them live, but not zero, so
 * the record has telemetry.json and frame.json as a run from VS Code does (the editor shows them).
 */
export const CLI_TELEMETRY_HZ = 1;

function plan(file: string | undefined, opts: TrainOptions, err: NodeJS.WritableStream): SessionPlan {
  if (!opts.resume) {
    if (!file) throw new CliError(t('train: expected a model file, e.g. glassbox train examples/mnist-mlp.nn.json'), 2);
    const { text, result } = loadModel(file, err, false);
    return { spec: result.spec as ModelSpec, sourceText: text, modelFile: file };
  }
  if (file) throw new CliError(t('train: give either a model file or --resume <run folder>, not both'), 2);
  try {
    return planResume(opts.resume, opts, displayPath);
  } catch (e) {
    throw e instanceof SessionError ? new CliError(e.message) : e;
  }
}

/**
 * `glassbox train <file>` / `--resume <run>`: a TrainingSession (src/session) with live progress
 * on the terminal. Ctrl-C (or SIGTERM) stops after the current batch and records what was trained
 * (exit 130); a second Ctrl-C exits at once, leaving the record marked as running, which readers
 * report as incomplete.
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
  const warn = (message: string) => void err.write(`${message}\n`);
  setEngineLogger({ info: () => {}, warn });
  let spec: ModelSpec;
  try {
    spec = withLength(p.spec, opts);
  } catch (e) {
    throw e instanceof SessionError ? new CliError(e.message, 2) : e;
  }
  const report: TrainReporter = opts.json ? new JsonReporter(out) : new HumanReporter(out, err);
  let session: TrainingSession;
  try {
    session = TrainingSession.open({ ...p, spec }, { threads: opts.threads, telemetryHz: CLI_TELEMETRY_HZ, warn });
  } catch (e) {
    if (e instanceof DataError) throw new CliError(t('{0}: data: {1}', displayPath(p.modelFile), e.message));
    if (e instanceof SessionError) throw new CliError(e.message);
    throw e;
  }
  const trainRows = session.summary.trainRows;
  session.trainer.addObserver({
    onFitStart: (e) => report.fitStart(e, trainRows),
    onBatchEnd: (e) => report.batch(e),
    onEpochEnd: (e) => report.epoch(e),
    onEvaluation: (e) => report.evaluation(e),
    onEarlyStop: (e) => report.earlyStop(e),
    onSample: (s) => report.sample(s),
  });
  report.start(startLine(session));

  let stops = 0;
  const onSignal = () => {
    stops++;
    if (stops > 1) process.exit(130);
    report.note(t('stopping after this batch (press Ctrl-C again to quit at once)'));
    session.requestStop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // The session yields after every batch; every ~50 ms let the event loop deliver signals.
    const gen = session.steps();
    let r = gen.next();
    let last = Date.now();
    while (!r.done) {
      if (Date.now() - last > 50) {
        await new Promise((res) => setImmediate(res));
        last = Date.now();
      }
      r = gen.next();
    }
    const outcome = session.finish(r.value, stops > 0);
    if (outcome.latent) report.latent(describeLatent(outcome.latent), latentSummary(outcome.latent));
    report.done(outcome.result, outcome.evalLosses, displayPath(session.writer.folder), outcome.status);
    if (outcome.diverged) {
      const d = outcome.diverged;
      err.write(
        `glassbox: ${t(
          "the loss became {0} at step {1} (epoch {2}): training diverged and stopped there (run status 'diverged'). Lower the learning rate, add decay or clip, or change the initialisation.",
          d.loss,
          d.step,
          d.epoch,
        )}\n`,
      );
      return 3;
    }
    return outcome.status === 'interrupted' ? 130 : 0;
  } catch (e) {
    // The record could not be updated (its folder removed?): the original error is what matters.
    session.fail(e, () => {});
    throw e;
  } finally {
    session.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The `start` event / first line: the run summary's figures plus where this run begins. */
function startLine(s: TrainingSession): Record<string, unknown> {
  const { summary, fit, spec, data, plan } = s;
  const text = isTextDataset(data.dataset) ? data.dataset.text : undefined;
  return {
    run: displayPath(s.writer.folder),
    model: summary.modelName,
    epochs: summary.epochs,
    startEpoch: s.startEpoch,
    trainRows: summary.trainRows,
    testRows: summary.testRows,
    parameters: summary.parameters,
    ...(plan.resume ? { resumedFrom: displayPath(plan.resume.folder) } : {}),
    ...(text && fit.text
      ? {
          text: {
            description: data.shape.description,
            iterations: fit.text.iterations,
            evalEvery: spec.training.evalEvery,
            startIteration: s.startEpoch * spec.training.evalEvery,
            vocabulary: text.vocab.size,
            trainChars: text.train.length,
            validationChars: text.validation.length,
          },
        }
      : {}),
  };
}
