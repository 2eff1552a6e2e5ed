import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Evaluation, FitResult, NeuralNetwork, Optimizer, TensorData, TextSample, TrainerState } from '../engine';
import type { ModelSpec } from '../modelFile/spec';
import { writeFileAtomic } from './atomicWrite';
import { modelFingerprint } from './modelFingerprint';
import { encodeCheckpoint, encodeParameters } from './checkpoint';
import type { LatentRecord } from './latentRecord';
import { t } from '../l10n';

/** run.json: what a run is and how it ended. See docs/run-records.md. */
export interface RunInfo {
  readonly format: 'glassbox-run/1';
  /** 'running' in a file whose process is gone means the run was killed: see `runStatus`. */
  /** 'diverged': the loss became NaN or infinite and training stopped there. */
  status: 'running' | 'complete' | 'interrupted' | 'failed' | 'diverged';
  readonly model: string;
  readonly modelFile: string;
  readonly pid: number;
  readonly startedAt: string;
  updatedAt: string;
  readonly epochs: number;
  epochsRun: number;
  /** Epochs covered by checkpoint.gbw (what --resume continues from). */
  checkpointEpoch: number;
  readonly resumedFrom?: string;
  /** A name the user gave the run (the Runs view's Rename); untrusted text like the rest. */
  displayName?: string;
  result?: {
    evalLosses: number[];
    metrics: Record<string, number>;
    earlyStop?: FitResult['earlyStop'];
    bestEpoch: number;
    bestLoss: number | null;
  };
  error?: string;
}

export interface MetricsHistory {
  /**
   * One entry per epoch (text: round); `seconds` since this run (not the one it resumed) started,
   * `trainSeconds` the epoch's training alone and `sampleSeconds` its text samples (session/epochClock.ts;
   * absent in records written before session 6).
   */
  epochs: {
    epoch: number;
    meanTrainLoss: number;
    lr: number;
    seconds: number;
    trainSeconds?: number;
    /** The process's CPU seconds (every thread) over the same span as `trainSeconds`. */
    trainCpuSeconds?: number;
    sampleSeconds?: number;
  }[];
  /** `seconds`: how long the evaluation took (absent before session 6). */
  evaluations: (Evaluation & { seconds?: number })[];
}

/** samples.json of a text model's run: its vocabulary and the samples generated during training. */
export interface SamplesRecord {
  readonly format: 'glassbox-samples/1';
  /** The model's characters in index order (sorted): what its one-hot inputs and logits mean. */
  readonly vocabulary: readonly string[];
  readonly samples: TextSample[];
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '')
    .replace('T', '-');
const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'model';

/** `.glassbox/runs/` next to the model file. */
export function runsFolder(modelFile: string): string {
  return join(dirname(resolve(modelFile)), '.glassbox', 'runs');
}

/**
 * Writes one run's record as training goes. Every file is replaced atomically, so a crash leaves
 * each file either as it was or as it became; run.json's status says whether the run finished.
 */
export class RunWriter {
  readonly info: RunInfo;
  readonly metrics: MetricsHistory;

  private pending: { bytes: Uint8Array; epoch: number } | undefined;
  private lastWrite = 0;
  /** Text models (see `recordSamples`): written as samples.json with the metrics. */
  private samples: SamplesRecord | undefined;

  private constructor(
    readonly folder: string,
    info: RunInfo,
    metrics: MetricsHistory,
    private readonly checkpointEveryMs: number,
    /** The spec trained: its fingerprint goes into every checkpoint. */
    private readonly spec: ModelSpec,
  ) {
    this.info = info;
    this.metrics = metrics;
  }

  static create(
    modelFile: string,
    spec: ModelSpec,
    sourceText: string,
    opts: {
      resumedFrom?: string;
      history?: MetricsHistory;
      now?: Date;
      runsDir?: string;
      checkpointEveryMs?: number;
    } = {},
  ): RunWriter {
    const now = opts.now ?? new Date();
    const base = join(opts.runsDir ?? runsFolder(modelFile), `${stamp(now)}-${safeName(spec.name)}`);
    mkdirSync(dirname(base), { recursive: true });
    let folder = base;
    for (let k = 2; ; k++) {
      try {
        mkdirSync(folder);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        folder = `${base}-${k}`;
      }
    }
    const info: RunInfo = {
      format: 'glassbox-run/1',
      status: 'running',
      model: spec.name,
      modelFile: resolve(modelFile),
      pid: process.pid,
      startedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      epochs: spec.training.epochs,
      epochsRun: 0,
      checkpointEpoch: 0,
      ...(opts.resumedFrom ? { resumedFrom: opts.resumedFrom } : {}),
    };
    const w = new RunWriter(
      folder,
      info,
      opts.history ?? { epochs: [], evaluations: [] },
      opts.checkpointEveryMs ?? 1000,
      spec,
    );
    // run.json first: a folder that has anything has it (a full disk left folders without it).
    w.writeInfo();
    writeFileAtomic(join(folder, 'config.json'), JSON.stringify(spec, null, 2) + '\n');
    writeFileAtomic(join(folder, 'model.nn.json'), sourceText);
    w.writeMetrics();
    return w;
  }

  private writeInfo(): void {
    this.info.updatedAt = new Date().toISOString();
    writeFileAtomic(join(this.folder, 'run.json'), JSON.stringify(this.info, null, 2) + '\n');
  }

  private writeMetrics(): void {
    writeFileAtomic(join(this.folder, 'metrics.json'), JSON.stringify(this.metrics) + '\n');
    if (this.samples) writeFileAtomic(join(this.folder, 'samples.json'), JSON.stringify(this.samples, null, 1) + '\n');
  }

  /** Text models: keep samples.json with the vocabulary (written now) and every sample added. */
  recordSamples(vocabulary: readonly string[]): void {
    this.samples = { format: 'glassbox-samples/1', vocabulary: [...vocabulary], samples: [] };
    this.writeMetrics();
  }

  /** A sample, written with the next checkpoint or at the end. */
  addSample(s: TextSample): void {
    this.samples?.samples.push(s);
  }

  /**
   * After each completed epoch: keeps the state to resume from and writes it (checkpoint, then
   * metrics, then run.json) at most every `checkpointEveryMs`; `finish` writes the latest one, so
   * a stopped run resumes from its last completed epoch and a killed one from at most ~1 s earlier.
   */
  checkpoint(network: NeuralNetwork, optimizer: Optimizer, state: TrainerState): void {
    this.pending = {
      bytes: encodeCheckpoint(network, optimizer, state, modelFingerprint(this.spec)),
      epoch: state.epoch,
    };
    this.info.epochsRun = state.epoch;
    if (Date.now() - this.lastWrite >= this.checkpointEveryMs) this.flush();
  }

  private flush(): void {
    if (this.pending) {
      writeFileAtomic(join(this.folder, 'checkpoint.gbw'), this.pending.bytes);
      this.info.checkpointEpoch = this.pending.epoch;
      this.pending = undefined;
    }
    this.writeMetrics();
    this.writeInfo();
    this.lastWrite = Date.now();
  }

  /** Final and best weights, metrics and the outcome; the status is written last. */
  finish(
    network: NeuralNetwork,
    result: FitResult,
    best: { weights: TensorData[]; epoch: number } | null,
    status: 'complete' | 'interrupted' | 'diverged',
  ): void {
    if (this.pending) {
      writeFileAtomic(join(this.folder, 'checkpoint.gbw'), this.pending.bytes);
      this.info.checkpointEpoch = this.pending.epoch;
      this.pending = undefined;
    }
    writeFileAtomic(
      join(this.folder, 'final.gbw'),
      encodeParameters(network, { epoch: result.epochsRun, interrupted: result.interrupted }),
    );
    if (best)
      writeFileAtomic(
        join(this.folder, 'best.gbw'),
        encodeParameters(
          network,
          { epoch: best.epoch, bestLoss: Number.isFinite(result.bestLoss) ? result.bestLoss : null },
          best.weights,
        ),
      );
    this.info.status = status;
    this.info.epochsRun = result.epochsRun;
    this.info.result = {
      evalLosses: this.metrics.evaluations.filter((e) => e.batch === undefined).map((e) => e.loss),
      metrics: result.metrics,
      ...(result.earlyStop ? { earlyStop: result.earlyStop } : {}),
      bestEpoch: best?.epoch ?? result.epochsRun,
      bestLoss: Number.isFinite(result.bestLoss) ? result.bestLoss : null,
    };
    this.writeMetrics();
    this.writeInfo();
  }

  /** latent.json: the projection of the model file's `latent` layer (written before `finish`). */
  writeLatent(record: LatentRecord): void {
    writeFileAtomic(join(this.folder, 'latent.json'), JSON.stringify(record) + '\n');
  }

  fail(error: unknown): void {
    this.info.status = 'failed';
    this.info.error = error instanceof Error ? error.message : String(error);
    try {
      this.writeMetrics();
    } catch {
      // A full disk: the metrics stay as last written; run.json's status matters more.
    }
    try {
      this.writeInfo();
    } catch {
      // An atomic write needs room for a second copy. Overwrite run.json in place instead: the
      // failed status is short and fits in the blocks the file already has.
      const text = JSON.stringify({ ...this.info, updatedAt: new Date().toISOString() }) + '\n';
      const fd = openSync(join(this.folder, 'run.json'), 'r+');
      try {
        writeSync(fd, text, 0);
        ftruncateSync(fd, Buffer.byteLength(text));
      } finally {
        closeSync(fd);
      }
    }
  }
}

export type RunStatus = RunInfo['status'] | 'incomplete';

export interface RunRecord {
  readonly folder: string;
  readonly info: RunInfo;
  readonly status: RunStatus;
  readonly spec: ModelSpec;
  readonly sourceText: string;
  readonly metrics: MetricsHistory;
  readonly checkpointFile?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** 'incomplete' when run.json still says running but its process is gone (killed or crashed). */
export function runStatus(info: RunInfo): RunStatus {
  return info.status === 'running' && !alive(info.pid) ? 'incomplete' : info.status;
}

export function readRunRecord(folder: string): RunRecord {
  if (!existsSync(join(folder, 'run.json'))) throw new RunRecordError(t('{0}: not a run record (no run.json)', folder));
  const json = <T>(f: string, check: (v: Record<string, unknown>) => string | undefined): T => {
    const file = join(folder, f);
    let v: unknown;
    try {
      v = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      const why =
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? t('{0} is missing: the run record is damaged', file)
          : t('{0} is not valid JSON ({1}): the run record is damaged', file, (e as Error).message);
      throw new RunRecordError(why);
    }
    const problem =
      v && typeof v === 'object' && !Array.isArray(v) ? check(v as Record<string, unknown>) : t('not an object');
    if (problem) throw new RunRecordError(t('{0}: {1}: the run record is damaged', file, problem));
    return v as T;
  };
  const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  const info = json<RunInfo>('run.json', (v) =>
    v.format !== 'glassbox-run/1'
      ? t("unsupported run record format '{0}' (this Glassbox reads 'glassbox-run/1')", String(v.format))
      : typeof v.status !== 'string' || !['running', 'complete', 'interrupted', 'failed', 'diverged'].includes(v.status)
        ? t('unknown status {0}', JSON.stringify(v.status))
        : !count(v.epochs) || !count(v.epochsRun) || !count(v.checkpointEpoch)
          ? t('epochs, epochsRun and checkpointEpoch must be counts')
          : undefined,
  );
  const spec = json<ModelSpec>('config.json', (v) =>
    !Array.isArray(v.layers) || typeof v.data !== 'object' || typeof v.training !== 'object' || !v.optimizer
      ? t('expected a model (data, layers, optimizer, training)')
      : undefined,
  );
  const entry = (e: unknown) =>
    !!e &&
    typeof e === 'object' &&
    Number.isInteger((e as { epoch?: unknown }).epoch) &&
    (e as { epoch: number }).epoch >= 0;
  const metrics = json<MetricsHistory>('metrics.json', (v) =>
    !Array.isArray(v.epochs) || !Array.isArray(v.evaluations)
      ? t('expected epochs and evaluations lists')
      : !v.epochs.every(entry) || !v.evaluations.every(entry)
        ? t('every epoch and evaluation needs its epoch number')
        : undefined,
  );
  let sourceText: string;
  try {
    sourceText = readFileSync(join(folder, 'model.nn.json'), 'utf8');
  } catch {
    throw new RunRecordError(t('{0} is missing: the run record is damaged', join(folder, 'model.nn.json')));
  }
  const checkpointFile = join(folder, 'checkpoint.gbw');
  return {
    folder,
    info,
    status: runStatus(info),
    spec,
    sourceText,
    metrics,
    ...(existsSync(checkpointFile) ? { checkpointFile } : {}),
  };
}

/** A run folder that cannot be read as a record: the message names the file and what is wrong. */
export class RunRecordError extends Error {}

/**
 * Marks a record whose writer died (a worker crash) as failed, keeping everything it had written;
 * a record that already ended keeps its status.
 */
export function markRunFailed(folder: string, error: string): void {
  const file = join(folder, 'run.json');
  const info = JSON.parse(readFileSync(file, 'utf8')) as RunInfo;
  if (info.status !== 'running') return;
  info.status = 'failed';
  info.error = error;
  info.updatedAt = new Date().toISOString();
  writeFileAtomic(file, JSON.stringify(info, null, 2) + '\n');
}
