import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FromWorker, ToWorker } from '../protocol/workerProtocol';
import type { RunState } from '../protocol/webviewProtocol';
import type { RunStore } from './runStore';
import { Control, ControlWord } from '../worker/controlWord';
import { ProbeMailbox } from '../worker/probeMailbox';
import type { ProbeRequest } from '../protocol/probeRequest';
import { markRunFailed } from '../runs/runRecord';
import { readLatentRecord } from '../runs/latentFile';
import { currentLocale, t } from '../l10n';
import { metricText } from '../protocol/metricText';
import { readEvaluationRecord } from '../runs/evaluationRecord';
import { readRegressionRecord, sendableRegression } from '../runs/regressionRecord';

/** How long a finished run's worker waits for a probe before it ends. */
const SERVE_IDLE_MS = 15 * 60_000;
/**
 * Finished runs' workers that may stay to answer probes at once, across model files: each holds its
 * model and data (hundreds of MB for full MNIST) in the extension host's process, so the oldest
 * serving one ends when another would exceed this.
 */
export const MAX_SERVING_WORKERS = 2;
/** Serving controllers, oldest first. */
const servingOrder: RunController[] = [];

export interface RunSettings {
  readonly telemetryHz: number;
  readonly runsDir: string;
  readonly defaultPrecision: 'float32' | 'float64';
  /** Kernel threads for the run (0: min(2, cores)). */
  readonly threads?: number;
}

/**
 * One training run of one model file, in its own worker thread: the engine never runs on the
 * extension host's thread. The controller forwards the worker's reports into the file's RunStore
 * and turns a crash into a failed run without taking the extension down.
 */
export class RunController implements vscode.Disposable {
  private worker: Worker | undefined;
  private ended = false;
  private readonly endEmitter = new vscode.EventEmitter<RunState>();
  /** Fires once when the run ends (finished, stopped, failed...). */
  readonly onDidEnd = this.endEmitter.event;
  private lastProgressStep = 0;
  private readonly control = new ControlWord();
  private readonly probes = new ProbeMailbox();
  /** The worker after its run: it answers probes (Probe tab, typed text) until disposed or idle. */
  private serving = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private stopRequestedAt: number | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get active(): boolean {
    return this.worker !== undefined && !this.ended;
  }

  get state(): RunState {
    return this.store.state;
  }

  /**
   * Starts the worker on the editor's text of the model file, or (`resumeFrom`, a run folder) on
   * that record's model text from its last checkpoint, as `glassbox train --resume` does.
   */
  start(modelText: string, settings: RunSettings, paused = false, resumeFrom?: string, held = false): void {
    // Held: the worker loads and builds, then waits for release() before its first batch.
    if (held && !paused) this.control.set(Control.Hold);
    const script = path.join(this.extensionUri.fsPath, 'dist', 'engineWorker.js');
    this.store.begin('starting');
    const runId = `${Date.now().toString(36)}`;
    this.log.info(`[${path.basename(this.store.modelPath)}] starting worker ${script}`);
    const worker = new Worker(script, {
      name: `glassbox-${path.basename(this.store.modelPath)}`,
      workerData: { control: this.control.buffer, probe: this.probes.buffer, locale: currentLocale() },
    });
    this.worker = worker;
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (e) => this.fail(t('the training worker crashed: {0}', e.message), e.stack));
    worker.on('exit', (code) => {
      if (!this.ended) this.fail(t('the training worker exited unexpectedly (code {0})', code));
      this.worker = undefined;
    });
    this.send({
      type: 'start',
      runId,
      modelPath: this.store.modelPath,
      modelText,
      runsDir: settings.runsDir,
      telemetryHz: settings.telemetryHz,
      paused,
      defaultPrecision: settings.defaultPrecision,
      threads: settings.threads,
      ...(resumeFrom ? { resumeFrom } : {}),
    });
  }

  /** Whether a typed probe text can be run now: while training, paused, or after a text model's run. */
  get probing(): boolean {
    return this.worker !== undefined && (this.active || this.serving);
  }

  /** Runs `text` through the model (the Sequence tab's typed probe); its frame arrives as telemetry. */
  probeText(text: string): boolean {
    if (!this.probing) return false;
    if (this.serving) this.keepServing();
    this.probes.post(text);
    this.control.wake();
    return true;
  }

  /** When each recent Probe tab request reached the host (id → Date.now): its answer carries it (latency legs). */
  private readonly asked = new Map<number, number>();

  /** Runs a Probe tab request through the model; its answer arrives as a `probe` message. */
  probe(request: ProbeRequest): boolean {
    if (!this.probing) return false;
    if (this.serving) this.keepServing();
    this.asked.set(request.id, Date.now());
    if (this.asked.size > 64) this.asked.delete(this.asked.keys().next().value!);
    this.probes.postRequest(request);
    this.control.wake();
    return true;
  }

  /** A serving worker holds the model and its data: it ends after SERVE_IDLE_MS without a probe. */
  private keepServing(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopServing(), SERVE_IDLE_MS);
  }

  /** Counts this controller among the serving ones; past MAX_SERVING_WORKERS the oldest ends. */
  private joinServing(): void {
    const i = servingOrder.indexOf(this);
    if (i >= 0) servingOrder.splice(i, 1);
    servingOrder.push(this);
    while (servingOrder.length > MAX_SERVING_WORKERS) servingOrder.shift()?.stopServing();
  }

  /** Ends the serving worker (idle, or displaced by a newer one); a later probe says the run is over. */
  private stopServing(): void {
    clearTimeout(this.idleTimer);
    const i = servingOrder.indexOf(this);
    if (i >= 0) servingOrder.splice(i, 1);
    if (!this.serving) return;
    this.serving = false;
    void this.worker?.terminate();
  }

  /** Lets a held run (start's `held`) begin training; a no-op otherwise. */
  release(): void {
    this.control.release();
  }

  // Pause, resume, step and stop go through the shared control word (worker/controlWord.ts): the
  // worker's loop is synchronous and reads it between batches.
  pause(): void {
    this.control.set(Control.Pause);
  }
  resume(): void {
    this.control.set(Control.Run);
  }
  step(): void {
    this.control.set(Control.Step);
  }

  /** Asks the worker to stop after its current batch; it is terminated if it does not answer. */
  stop(): void {
    if (!this.active) return;
    this.stopRequestedAt ??= Date.now();
    this.log.info(`[${path.basename(this.store.modelPath)}] stop requested`);
    this.control.set(Control.Stop);
    // Still loading its data or building the model: the worker reads the stop before its first
    // batch. Say so now rather than when loading ends (a stop 1 s into a run took 1.9 s to show).
    if (this.store.state === 'starting')
      this.store.setState('stopping', t('Stopping: the run ends before it trains a batch…'));
    this.killTimer ??= setTimeout(() => {
      if (this.active) {
        this.log.warn(`[${path.basename(this.store.modelPath)}] the worker did not stop within 5 s; terminating it`);
        this.finish('stopped', t('Stopped (the worker was terminated).'));
        // Its record still says running, in this (live) process, and Resume Training would refuse
        // it: once the worker can no longer write, mark it failed (resumable from its checkpoint).
        void this.worker
          ?.terminate()
          .then(() => this.markRecordFailed(t('the worker did not stop within 5 s and was terminated')));
      }
    }, 5000);
  }

  setTelemetryRate(hz: number): void {
    this.control.telemetryHz = hz;
  }

  private send(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }

  private onMessage(m: FromWorker): void {
    const s = this.store;
    switch (m.type) {
      case 'started':
        s.setSummary(m.summary, m.runDir);
        // A stop given while it loaded stays shown (the worker stops before training on).
        if (this.stopRequestedAt === undefined) s.setState('running');
        this.log.info(
          `[${m.summary.modelName}] training: ${m.summary.parameters} parameters, ${m.summary.epochs} epochs × ${m.summary.batchesPerEpoch} batches; run record ${m.runDir}`,
        );
        break;
      case 'progress':
        this.lastProgressStep = m.step;
        s.addProgress(
          { step: m.step, loss: m.loss },
          {
            epoch: m.epoch,
            epochs: m.epochs,
            batch: m.batch,
            batchesPerEpoch: m.batchesPerEpoch,
            step: m.step,
            loss: m.loss,
            samplesPerSecond: m.samplesPerSecond,
            elapsedMs: m.elapsedMs,
          },
        );
        break;
      case 'evaluation':
        s.addEval({ epoch: m.epoch, step: m.step || this.lastProgressStep, loss: m.loss, metrics: m.metrics });
        this.log.info(
          `[${s.run?.modelName}] epoch ${m.epoch}: test loss ${m.loss.toFixed(4)} ${JSON.stringify(m.metrics)}`,
        );
        break;
      case 'epochEnd':
        break;
      case 'batch':
        for (const x of m.messages) this.onMessage(x);
        break;
      case 'telemetry':
        s.setFrame(m.frame);
        break;
      case 'probe': {
        const source = { ...m.answer.probeSource, hostInAt: this.asked.get(m.answer.probeSource.id ?? -1) };
        s.setProbeAnswer({ ...m.answer, probeSource: { ...source, hostOutAt: Date.now() } });
        break;
      }
      case 'sample':
        s.addSample(m.sample);
        break;
      case 'latent':
        s.setLatent(m.latent);
        break;
      case 'paused':
        s.setState('paused', t('Paused at step {0}.', m.step));
        break;
      case 'stopping':
        s.setState('stopping', t('Stopped at step {0}; evaluating the test set and writing the run record…', m.step));
        break;
      case 'resumed':
        s.setState('running');
        break;
      case 'log':
        if (m.level === 'warn') this.log.warn(m.message);
        else this.log.info(m.message);
        break;
      case 'error':
        this.log.error(`${m.message}${m.stack ? `\n${m.stack}` : ''}`);
        s.setState(s.state, m.message);
        break;
      case 'done': {
        const metrics = Object.entries(m.metrics)
          .map(([k, v]) => `${metricText(k)} ${k === 'accuracy' ? (100 * v).toFixed(2) + '%' : v.toFixed(4)}`)
          .join(', ');
        const text = t(
          m.reason === 'failed'
            ? 'Failed after {0} epochs ({1} steps). {2}'
            : m.reason === 'stopped'
              ? 'Stopped after {0} epochs ({1} steps). {2}'
              : 'Finished after {0} epochs ({1} steps). {2}',
          m.epochsRun,
          m.steps,
          metrics,
        );
        this.finish(m.reason, m.reason === 'failed' ? (s.message ?? text) : text);
        this.showLatent(m.runDir);
        this.showEvaluation(m.runDir);
        // The worker stays to answer probes (engineWorker.ts) until disposed or idle.
        if (m.reason !== 'failed') {
          this.serving = true;
          this.keepServing();
          this.joinServing();
        } else void this.worker?.terminate();
        break;
      }
      case 'probeError':
        s.probeMessage(m.message);
        break;
      default: {
        const never: never = m;
        this.log.warn(`unknown worker message ${JSON.stringify(never)}`);
      }
    }
  }

  /** A classifier's run wrote evaluation.json, a regression model's regression.json: the Evaluation tab draws it. */
  private showEvaluation(runDir: string): void {
    try {
      const evaluation = readEvaluationRecord(runDir);
      if (evaluation) this.store.setEvaluation(evaluation);
      const regression = readRegressionRecord(runDir);
      if (regression) this.store.setRegression(sendableRegression(regression));
    } catch (e) {
      this.log.warn((e as Error).message);
    }
  }

  /** A completed run of a model file with a `latent` section wrote latent.json: the Latent tab draws it. */
  private showLatent(runDir: string): void {
    try {
      const latent = readLatentRecord(runDir);
      if (latent) this.store.setLatent(latent);
    } catch (e) {
      this.log.warn((e as Error).message);
    }
  }

  private fail(message: string, stack?: string): void {
    if (this.ended) return;
    this.log.error(`${message}${stack ? `\n${stack}` : ''}`);
    this.markRecordFailed(message);
    void vscode.window.showErrorMessage(
      t('Glassbox: {0}. The run record keeps what was trained; see the Glassbox output for details.', message),
    );
    this.finish('failed', message);
  }

  /** A record its worker can no longer end (crashed, terminated) is marked failed, keeping what it wrote. */
  private markRecordFailed(message: string): void {
    if (!this.store.runDir) return;
    try {
      markRunFailed(this.store.runDir, message);
    } catch (e) {
      this.log.warn(`could not mark ${this.store.runDir} as failed: ${(e as Error).message}`);
    }
  }

  private finish(state: RunState, message: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.killTimer);
    if (this.stopRequestedAt !== undefined)
      this.log.info(
        `[${path.basename(this.store.modelPath)}] ${state} ${Date.now() - this.stopRequestedAt} ms after the stop request`,
      );
    this.store.setState(state, message);
    this.endEmitter.fire(state);
  }

  dispose(): void {
    clearTimeout(this.killTimer);
    this.stopServing();
    void this.worker?.terminate();
    this.endEmitter.dispose();
  }
}
