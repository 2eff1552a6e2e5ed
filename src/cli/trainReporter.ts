import type { BatchEnd, EarlyStop, EpochEnd, Evaluation, FitResult, FitStart, TextSample } from '../engine';
import { ProgressBar } from './progressBar';
import { t } from '../l10n';

/** How `train` talks to the user: JSON Lines on stdout (--json) or human lines plus a progress bar. */
export interface TrainReporter {
  start(info: Record<string, unknown>): void;
  fitStart(e: FitStart, trainRows: number): void;
  batch(e: BatchEnd): void;
  epoch(e: EpochEnd): void;
  evaluation(e: Evaluation): void;
  earlyStop(e: EarlyStop): void;
  note(message: string): void;
  /** The latent projection was written: a summary line, and the record's fields other than points and labels. */
  latent(line: string, info: Record<string, unknown>): void;
  done(result: FitResult, evalLosses: number[], run: string, status: string): void;
  /** Text models: a generated sample. */
  sample(s: TextSample): void;
}

/**
 * Text models count iterations: `start` info carries `text` with the iterations and the
 * iterations per round (the Trainer's "epochs"), so evaluations can say which iteration.
 */
interface TextRun {
  readonly iterations: number;
  readonly evalEvery: number;
}

const textRun = (info: Record<string, unknown>): TextRun | undefined => info.text as TextRun | undefined;
const iterationOf = (t: TextRun, epoch: number) => Math.min(t.iterations, epoch * t.evalEvery);

export function formatMetrics(m: Readonly<Record<string, number>>): string {
  return Object.entries(m)
    .map(([k, v]) => (k === 'accuracy' ? t('accuracy {0}%', (v * 100).toFixed(2)) : `${k} ${v.toFixed(4)}`))
    .join('  ');
}

/** Examples per second and time left, from the wall clock since the fit started. */
class Pace {
  private t0 = 0;
  private examples = 0;
  private batches = 0;
  private total = 0;
  start(e: FitStart): void {
    this.t0 = Date.now();
    this.total = (e.epochs - e.startEpoch) * e.batchesPerEpoch;
  }
  add(e: BatchEnd): { examplesPerSecond: number; etaSeconds: number } {
    this.examples += e.batchSize;
    this.batches++;
    const s = Math.max(1e-3, (Date.now() - this.t0) / 1000);
    return { examplesPerSecond: this.examples / s, etaSeconds: ((this.total - this.batches) * s) / this.batches };
  }
}

export class JsonReporter implements TrainReporter {
  private pace = new Pace();
  private lastProgress = 0;
  private epochs = 0;
  private text: TextRun | undefined;
  constructor(private readonly out: NodeJS.WritableStream) {}
  private emit(event: string, body: object): void {
    this.out.write(JSON.stringify({ event, ...body }) + '\n');
  }
  start(info: Record<string, unknown>): void {
    this.text = textRun(info);
    this.emit('start', info);
  }
  fitStart(e: FitStart): void {
    this.pace.start(e);
    this.epochs = e.epochs;
  }
  batch(e: BatchEnd): void {
    const p = this.pace.add(e);
    const now = Date.now();
    if (now - this.lastProgress < 500 && e.batch + 1 < e.batchesPerEpoch) return;
    this.lastProgress = now;
    this.emit('progress', {
      epoch: e.epoch,
      epochs: this.epochs,
      batch: e.batch + 1,
      batchesPerEpoch: e.batchesPerEpoch,
      loss: e.loss,
      ...p,
    });
  }
  epoch(e: EpochEnd): void {
    this.emit('epoch', { ...e });
  }
  evaluation(e: Evaluation): void {
    this.emit('evaluation', { ...e, ...(this.text ? { iteration: iterationOf(this.text, e.epoch) } : {}) });
  }
  earlyStop(e: EarlyStop): void {
    this.emit('earlyStop', { ...e });
  }
  sample(s: TextSample): void {
    this.emit('sample', { ...s });
  }
  note(message: string): void {
    this.emit('note', { message });
  }
  latent(_line: string, info: Record<string, unknown>): void {
    this.emit('latent', info);
  }
  done(r: FitResult, evalLosses: number[], run: string, status: string): void {
    this.emit('done', {
      evalLosses,
      metrics: r.metrics,
      run,
      status,
      epochsRun: r.epochsRun,
      interrupted: r.interrupted,
      ...(r.earlyStop ? { earlyStop: r.earlyStop } : {}),
      ...(this.text ? { iterations: r.steps } : {}),
    });
  }
}

export class HumanReporter implements TrainReporter {
  private pace = new Pace();
  private bar: ProgressBar;
  private epochs = 0;
  private t0 = Date.now();
  constructor(
    private readonly out: NodeJS.WriteStream,
    err: NodeJS.WriteStream,
  ) {
    this.bar = new ProgressBar(err);
  }
  private text: TextRun | undefined;
  private line(s: string): void {
    this.bar.log(this.out, s);
  }
  start(info: Record<string, unknown>): void {
    this.t0 = Date.now();
    this.text = textRun(info);
    if (this.text) {
      const text = info.text as TextRun & { description: string; startIteration: number };
      this.line(
        t(
          'training {0}: {1}, {2} parameters, iterations {3}–{4}',
          String(info.model),
          text.description,
          Number(info.parameters).toLocaleString('en-US'),
          text.startIteration + 1,
          text.iterations,
        ),
      );
      this.line(t('run record: {0}', String(info.run)));
      return;
    }
    this.line(
      t(
        'training {0}: {1} train / {2} test rows, {3} parameters, epochs {4}–{5}',
        String(info.model),
        String(info.trainRows),
        String(info.testRows),
        Number(info.parameters).toLocaleString('en-US'),
        Number(info.startEpoch) + 1,
        String(info.epochs),
      ),
    );
    this.line(t('run record: {0}', String(info.run)));
  }
  fitStart(e: FitStart): void {
    this.pace.start(e);
    this.epochs = e.epochs;
  }
  batch(e: BatchEnd): void {
    const p = this.pace.add(e);
    const iteration = this.text
      ? {
          done: Math.min(this.text.iterations, (e.epoch - 1) * this.text.evalEvery + e.batch + 1),
          total: this.text.iterations,
        }
      : undefined;
    this.bar.update({
      epoch: e.epoch,
      epochs: this.epochs,
      batch: e.batch + 1,
      batchesPerEpoch: e.batchesPerEpoch,
      loss: e.loss,
      ...p,
      ...(iteration ? { iteration } : {}),
    });
  }
  epoch(): void {}
  evaluation(e: Evaluation): void {
    if (this.text) {
      this.line(
        t(
          'iteration {0}: validation loss {1}  {2}',
          iterationOf(this.text, e.epoch),
          e.loss.toFixed(4),
          formatMetrics(e.metrics),
        ),
      );
      return;
    }
    const where = e.batch === undefined ? t('epoch {0}', e.epoch) : t('epoch {0} batch {1}', e.epoch, e.batch);
    this.line(
      t('{0}: test loss {1}  {2}', where, e.loss.toFixed(3), formatMetrics(e.metrics)) +
        (e.improved || e.batch !== undefined ? '' : t('  (not better)')),
    );
  }
  earlyStop(e: EarlyStop): void {
    this.line(
      t(
        'early stop: loss increased after epoch {0}; best {1}, keeping the model from epoch {2} as best',
        e.epoch,
        e.bestLoss.toFixed(3),
        e.restoredEpoch,
      ),
    );
  }
  note(message: string): void {
    this.line(message);
  }
  latent(line: string): void {
    this.line(line);
  }
  sample(s: TextSample): void {
    this.line(
      `--- ${t('sample after iteration {0} (seed {1}, temperature {2})', s.iteration, JSON.stringify(s.seedText), s.temperature)} ---`,
    );
    this.line(s.text);
    this.line('---');
  }
  done(r: FitResult, _evalLosses: number[], run: string, status: string): void {
    const secs = ((Date.now() - this.t0) / 1000).toFixed(1);
    if (this.text)
      this.line(
        t(
          status === 'interrupted'
            ? r.steps === 1
              ? 'interrupted after {0} iteration in {1}s: {2}'
              : 'interrupted after {0} iterations in {1}s: {2}'
            : r.steps === 1
              ? 'done after {0} iteration in {1}s: {2}'
              : 'done after {0} iterations in {1}s: {2}',
          r.steps,
          secs,
          formatMetrics(r.metrics),
        ),
      );
    else
      this.line(
        t(
          status === 'interrupted'
            ? r.epochsRun === 1
              ? 'interrupted after {0} epoch in {1}s: {2}'
              : 'interrupted after {0} epochs in {1}s: {2}'
            : r.epochsRun === 1
              ? 'done after {0} epoch in {1}s: {2}'
              : 'done after {0} epochs in {1}s: {2}',
          r.epochsRun,
          secs,
          formatMetrics(r.metrics),
        ),
      );
    this.line(t('run record: {0}', run));
    if (status === 'interrupted') this.line(t('continue with: {0}', `glassbox train --resume ${run}`));
  }
}
