import {
  addFrame,
  LayerHistory,
  layerStatsSample,
  MAX_LAYER_SAMPLES,
  type LayerSample,
  type LayerStatsSample,
} from '../protocol/layerHistory';
import type {
  EvalPoint,
  LossPoint,
  OpCursor,
  ProgressInfo,
  RunState,
  SnapshotMessage,
  ToWebview,
  Topic,
} from '../protocol/webviewProtocol';
import { TOPICS, type EvaluationMessage, type RegressionMessage } from '../protocol/webviewProtocol';
import type { LatentMessage, RunSummary, TelemetryFrameMessage, TextSampleMessage } from '../protocol/telemetry';
import { type ProbeAnswerMessage, probesOlderInput, withProbeAnswer } from '../protocol/probeAnswer';

/** Most training-loss points kept per run; beyond it pairs are merged, so memory is bounded. */
export const MAX_TRAIN_POINTS = 2000;
export { MAX_LAYER_SAMPLES };
export type { LayerSample, LayerStatsSample };

/** Most text samples kept (the newest; each is a few hundred characters). */
export const MAX_SAMPLES = 50;

/** Most evaluations kept (each is tiny; a cap still bounds a pathological run). */
export const MAX_EVAL_POINTS = 5000;

/**
 * Everything the views of one model file show about its current (or last) run. Views subscribe
 * for incremental messages and ask for a `snapshot` when they (re)load, so a hidden or reloaded
 * webview never misses data. No vscode imports: unit-testable in plain Node.
 */
export class RunStore {
  run: RunSummary | null = null;
  state: RunState = 'idle';
  message: string | undefined;
  runDir: string | undefined;
  readonly train: LossPoint[] = [];
  readonly evals: EvalPoint[] = [];
  progress: ProgressInfo | null = null;
  frame: TelemetryFrameMessage | null = null;
  /** The last Probe tab answer (probeAnswer.ts): merged into `frame`, and into frames built before it. */
  private answer: ProbeAnswerMessage | undefined;
  selectedLayer = 0;
  /** Step-through backprop cursor over the probe's ops (null when not stepping). */
  opCursor: OpCursor | null = null;
  /** Per layer index: norms over the run, bounded (the hover, inlay hints, the doctor). */
  private readonly norms = new LayerHistory<LayerSample>();
  /** Per layer index: activation/weight/gradient statistics over the run (the Layers tab), bounded. */
  private readonly stats = new LayerHistory<LayerStatsSample>(MAX_LAYER_SAMPLES / 2);
  /** Text models: generated samples, oldest first, the newest MAX_SAMPLES. */
  readonly samples: TextSampleMessage[] = [];
  /** The run's latent projection (latent.json), when its model file asks for one. */
  latent: LatentMessage | null = null;
  /** A classifier's report on the test set (evaluation.json), once the run has written it. */
  evaluation: EvaluationMessage | null = null;
  /** A regression model's predicted vs actual values (regression.json), once the run has written it. */
  regression: RegressionMessage | null = null;
  private readonly listeners = new Set<(msg: ToWebview) => void>();

  constructor(readonly modelPath: string) {}

  /** Per layer index: norms over the run, oldest first. */
  get layerHistory(): readonly (readonly LayerSample[])[] {
    return this.norms.layers;
  }

  /** Per layer index: distribution summaries over the run, oldest first. */
  get statsHistory(): readonly (readonly LayerStatsSample[])[] {
    return this.stats.layers;
  }

  subscribe(listener: (msg: ToWebview) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Everything a view with these topics needs to draw itself (copies: later changes do not show). */
  snapshot(topics: readonly Topic[] = TOPICS): SnapshotMessage {
    const has = (t: Topic) => topics.includes(t);
    return {
      type: 'snapshot',
      modelPath: this.modelPath,
      run: this.run,
      state: this.state,
      message: this.message,
      runDir: this.runDir,
      ...(has('progress') && { train: this.train.slice(), progress: this.progress }),
      ...(has('evals') && { evals: this.evals.slice() }),
      ...(has('frame') && { frame: this.frame }),
      ...(has('layerStats') && { statsHistory: this.stats.copy() }),
      ...(has('selection') && { selectedLayer: this.selectedLayer }),
      ...(has('opCursor') && { opCursor: this.opCursor }),
      ...(has('samples') && { samples: this.samples.slice() }),
      ...(has('latent') && { latent: this.latent }),
      ...(has('evaluation') && { evaluation: this.evaluation, regression: this.regression }),
    };
  }

  /** A new run begins: forget the previous one's curves. */
  begin(state: RunState = 'starting'): void {
    this.run = null;
    this.train.length = 0;
    this.evals.length = 0;
    this.progress = null;
    this.frame = null;
    this.answer = undefined;
    this.runDir = undefined;
    this.norms.clear();
    this.stats.clear();
    this.samples.length = 0;
    this.latent = null;
    this.evaluation = null;
    this.regression = null;
    this.setState(state);
    this.emit(this.snapshot());
  }

  /** Replaces everything with a finished run read from its record, then sends one snapshot. */
  restore(r: {
    run: RunSummary | null;
    runDir: string;
    state: RunState;
    message: string;
    train: LossPoint[];
    evals: EvalPoint[];
    layerHistory: readonly (readonly LayerSample[])[];
    frame?: TelemetryFrameMessage;
    samples?: TextSampleMessage[];
    latent?: LatentMessage;
    evaluation?: EvaluationMessage;
    regression?: RegressionMessage;
  }): void {
    this.run = r.run;
    this.runDir = r.runDir;
    this.state = r.state;
    this.message = r.message;
    this.train.splice(0, this.train.length, ...r.train.slice(-MAX_TRAIN_POINTS));
    this.evals.splice(0, this.evals.length, ...r.evals.slice(-MAX_EVAL_POINTS));
    this.norms.replace(r.layerHistory);
    this.stats.clear();
    this.progress = null;
    this.frame = r.frame ?? null;
    this.answer = undefined;
    this.samples.splice(0, this.samples.length, ...(r.samples ?? []).slice(-MAX_SAMPLES));
    this.latent = r.latent ?? null;
    this.evaluation = r.evaluation ?? null;
    this.regression = r.regression ?? null;
    this.emit(this.snapshot());
  }

  setSummary(run: RunSummary, runDir: string): void {
    this.run = run;
    this.runDir = runDir;
    this.emit(this.snapshot());
  }

  setState(state: RunState, message?: string): void {
    if (state !== 'paused' && this.opCursor) this.setOpCursor(null);
    this.state = state;
    this.message = message;
    this.emit({ type: 'state', state, message, runDir: this.runDir });
  }

  addProgress(point: LossPoint, progress: ProgressInfo): void {
    this.progress = progress;
    this.train.push(point);
    if (this.train.length > MAX_TRAIN_POINTS) thin(this.train);
    this.emit({ type: 'trainPoints', points: [point], progress });
  }

  addEval(point: EvalPoint): void {
    this.evals.push(point);
    if (this.evals.length > MAX_EVAL_POINTS) this.evals.splice(0, this.evals.length - MAX_EVAL_POINTS);
    this.emit({ type: 'evalPoint', point });
  }

  setFrame(frame: TelemetryFrameMessage): void {
    // Built before the last answer: its probe part is an older input's (the batch part is new).
    if (probesOlderInput(frame, this.answer)) frame = withProbeAnswer(frame, this.answer!);
    this.frame = frame;
    addFrame(this.norms, frame);
    for (const l of frame.layers) this.stats.add(l.index, layerStatsSample(frame.step, l));
    this.emit({ type: 'frame', frame });
  }

  /**
   * A Probe tab answer: the probe part of the latest frame is replaced (snapshots show it) and the
   * answer goes to the views as it is, a third of a frame's size; without a frame yet there is
   * nothing to draw it into (the worker then answers with a full frame).
   */
  setProbeAnswer(answer: ProbeAnswerMessage): void {
    this.answer = answer;
    if (this.frame) this.frame = withProbeAnswer(this.frame, answer);
    this.emit({ type: 'probe', answer });
  }

  /** A typed probe text could not be run: the Sequence tab says why (not kept in snapshots). */
  probeMessage(message: string): void {
    this.emit({ type: 'probeMessage', message });
  }

  setRegression(regression: RegressionMessage | null): void {
    this.regression = regression;
    this.emit({ type: 'regression', regression });
  }

  setEvaluation(evaluation: EvaluationMessage | null): void {
    this.evaluation = evaluation;
    this.emit({ type: 'evaluation', evaluation });
  }

  setLatent(latent: LatentMessage | null): void {
    this.latent = latent;
    this.emit({ type: 'latent', latent });
  }

  addSample(sample: TextSampleMessage): void {
    this.samples.push(sample);
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
    this.emit({ type: 'sample', sample });
  }

  setOpCursor(cursor: OpCursor | null): void {
    this.opCursor = cursor;
    this.emit({ type: 'opCursor', cursor });
  }

  /**
   * The next position of the step-through: forward through every op of the probe's graph, then
   * backward from the last op to the first; null after the last backward op (the batch is done).
   */
  nextOpCursor(): OpCursor | null {
    const n = this.frame?.probeOps?.length ?? 0;
    const c = this.opCursor;
    if (n === 0) return null;
    if (!c) return { phase: 'forward', index: 0 };
    if (c.phase === 'forward')
      return c.index + 1 < n ? { phase: 'forward', index: c.index + 1 } : { phase: 'backward', index: n - 1 };
    return c.index > 0 ? { phase: 'backward', index: c.index - 1 } : null;
  }

  selectLayer(index: number): void {
    this.selectedLayer = index;
    this.emit({ type: 'selectLayer', index });
  }

  private emit(msg: ToWebview): void {
    for (const l of this.listeners) l(msg);
  }
}

/** Halves a curve in place by averaging neighbouring pairs (keeps the later step). */
function thin(points: LossPoint[]): void {
  const out: LossPoint[] = [];
  for (let i = 0; i + 1 < points.length; i += 2)
    out.push({ step: points[i + 1].step, loss: (points[i].loss + points[i + 1].loss) / 2 });
  if (points.length % 2 === 1) out.push(points[points.length - 1]);
  points.length = 0;
  points.push(...out);
}
