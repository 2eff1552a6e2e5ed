import { dirname, join } from 'node:path';
import { nodeFileAccess } from '../data/fileAccess';
import { specToModelJson } from '../modelFile/specJson';
import { validateModel } from '../modelFile/validate';
import type { ModelSpec } from '../modelFile/spec';
import { type MetricsHistory, readRunRecord, type RunRecord, RunRecordError } from '../runs/runRecord';
import { t } from '../l10n';

/**
 * A refusal to train that the user can act on (no such record, still running, already
 * complete). Front ends show the message as it is: the CLI exits 1, the extension shows it.
 */
export class SessionError extends Error {}

/** Where a resumed run continues from: the record it continues and the history it inherits. */
export interface ResumePoint {
  readonly folder: string;
  /** Absent when the stopped run had not completed an epoch: training starts from scratch. */
  readonly checkpointFile?: string;
  /** The evaluations and epochs up to the checkpoint, carried into the new record. */
  readonly history: MetricsHistory;
  /** The new record goes beside the one it continues. */
  readonly runsDir: string;
}

/** What a TrainingSession trains: a model file's resolved spec, or a run record to continue. */
export interface SessionPlan {
  readonly spec: ModelSpec;
  /** The model file's text as trained (copied to model.nn.json; gives the summary its line numbers). */
  readonly sourceText: string;
  readonly modelFile: string;
  readonly resume?: ResumePoint;
}

/** Training length a front end may override: epochs, or iterations for text models. */
export interface LengthOverride {
  readonly epochs?: number;
  readonly iterations?: number;
}

/** The spec with `--epochs N` / `--iterations N` applied (text models count rounds of evalEvery). */
export function withLength(spec: ModelSpec, o: LengthOverride): ModelSpec {
  if (o.iterations && spec.data.type !== 'text')
    throw new SessionError(t("--iterations is for text models (data type 'text'); use --epochs"));
  if (o.iterations)
    return {
      ...spec,
      training: {
        ...spec.training,
        iterations: o.iterations,
        epochs: Math.ceil(o.iterations / spec.training.evalEvery),
      },
    };
  return o.epochs ? { ...spec, training: { ...spec.training, epochs: o.epochs } } : spec;
}

/** True when `glassbox train --resume` (or Resume Training) would accept the record as it is. */
export function isResumable(rec: RunRecord): boolean {
  return rec.status !== 'running' && rec.status !== 'complete' && rec.info.checkpointEpoch < rec.info.epochs;
}

/**
 * Plans a resumed run from a run folder, with the CLI's rules: a running record is refused; a
 * complete one only trains further with a larger length; the run continues after its last
 * checkpointed epoch, inheriting the metrics up to it. `show` formats paths for messages.
 */
export function planResume(folder: string, o: LengthOverride = {}, show = (p: string) => p): SessionPlan {
  let rec: RunRecord;
  try {
    rec = readRunRecord(folder);
  } catch (e) {
    const m = (e as Error).message;
    if (e instanceof RunRecordError) throw new SessionError(`--resume: ${m}`);
    throw new SessionError(`--resume ${folder}: ${m.includes('ENOENT') ? t('no such run record') : m}`);
  }
  // config.json is checked as a model file would be: a damaged or edited one is a message, not a crash.
  const configFile = join(rec.folder, 'config.json');
  let checked;
  try {
    checked = validateModel(JSON.stringify(specToModelJson(rec.spec)), rec.info.modelFile, { files: nodeFileAccess });
  } catch (e) {
    throw new SessionError(t('{0}: {1}: the run record is damaged', show(configFile), (e as Error).message));
  }
  const error = checked.problems.find((p) => p.severity === 'error');
  if (error || !checked.spec)
    throw new SessionError(
      t(
        '{0}: {1}: the run record is damaged or its data changed',
        show(configFile),
        error?.message ?? t('not a model'),
      ),
    );
  if (rec.status === 'running')
    throw new SessionError(t('{0}: still running (process {1}); stop it first', show(rec.folder), rec.info.pid));
  const done = rec.info.checkpointEpoch;
  const epochs =
    o.epochs ?? (o.iterations ? Math.ceil(o.iterations / rec.spec.training.evalEvery) : rec.spec.training.epochs);
  if (rec.status === 'complete' && !o.epochs && !o.iterations)
    throw new SessionError(t('{0}: the run is complete; pass --epochs N to train further', show(rec.folder)));
  if (done >= epochs)
    throw new SessionError(
      t('{0}: {1} epochs already trained; pass --epochs N with N > {1} to train further', show(rec.folder), done),
    );
  // Epochs were trained: without their checkpoint a resume would start again from epoch 1 while
  // keeping (and claiming) the old history.
  if (done > 0 && !rec.checkpointFile)
    throw new SessionError(
      t(
        done === 1
          ? '{0}: checkpoint.gbw is missing, so its {1} trained epoch cannot be continued; train the model file again'
          : '{0}: checkpoint.gbw is missing, so its {1} trained epochs cannot be continued; train the model file again',
        show(rec.folder),
        done,
      ),
    );
  const keep = (e: { epoch: number }) => e.epoch <= done;
  return {
    spec: checked.spec,
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
