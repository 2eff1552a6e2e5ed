/*
 * Host ↔ webview messages (training panel, Loss view, Feature Maps view). Webviews are treated as
 * untrusted input: the host validates every message with `parseFromWebview` and ignores (and
 * logs) anything else.
 */
import { msg } from '../l10n/catalog';
import { parseExportChart, type ExportChartMessage } from './compareProtocol';
import type { LayerStatsSample } from './layerHistory';
import { parseProbeRequest, type ProbeRequest } from './probeRequest';
import type { ProbeAnswerMessage } from './probeAnswer';
import type { LatentMessage, LayerSummary, RunSummary, TelemetryFrameMessage, TextSampleMessage } from './telemetry';

/** `stopping`: no batch trains any more; the worker evaluates the test set and writes the record. */
export type RunState =
  'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'finished' | 'earlyStopped' | 'stopped' | 'failed';

/** A point of the training-loss curve: x = global step, y = mean batch loss. */
export interface LossPoint {
  readonly step: number;
  readonly loss: number;
}

export interface EvalPoint {
  readonly epoch: number;
  readonly step: number;
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number>>;
}

export interface ProgressInfo {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly step: number;
  readonly loss: number;
  readonly samplesPerSecond: number;
  readonly elapsedMs: number;
}

//#region topics
/**
 * What a view can consume. A view names its topics in `ready`; the host sends it only messages of
 * those topics and answers `ready` with a snapshot restricted to them. The run's summary, state and
 * model path are sent to every view.
 */
export const TOPICS = [
  /** Training-loss points and the progress line (`trainPoints`; snapshot: train, progress). */
  'progress',
  /** Evaluations (`evalPoint`; snapshot: evals). */
  'evals',
  /**
   * The latest telemetry frame (`frame`, at most one per animation frame; snapshot: frame) and the
   * answers to Probe tab requests (`probe`: the probe part of a frame, sent at once).
   */
  'frame',
  /** Per-layer distribution summaries over the run (snapshot: statsHistory; live: `frame.earlier`). */
  'layerStats',
  /** Text models' generated samples (`sample`; snapshot: samples). */
  'samples',
  /** The latent projection (`latent`; snapshot: latent). */
  'latent',
  /** A model's report on the test set (`evaluation`, `regression`; snapshot: evaluation, regression). */
  'evaluation',
  /** The selected layer (`selectLayer`; snapshot: selectedLayer). */
  'selection',
  /** The step-through cursor (`opCursor`; snapshot: opCursor). */
  'opCursor',
  /**
   * Recurrent layers' internals over the probe: the frame's `layers[].sequence` and `probeText`
   * (with `frame`). Views without this topic get frames without them.
   */
  'sequence',
] as const;
export type Topic = (typeof TOPICS)[number];

/** The topic a host → webview message belongs to; undefined: every view gets it. */
export function topicOf(msg: ToWebview): Topic | undefined {
  switch (msg.type) {
    case 'trainPoints':
      return 'progress';
    case 'evalPoint':
      return 'evals';
    case 'frame':
    case 'probe':
      return 'frame';
    case 'sample':
      return 'samples';
    case 'latent':
      return 'latent';
    case 'evaluation':
    case 'regression':
      return 'evaluation';
    case 'selectLayer':
      return 'selection';
    case 'opCursor':
      return 'opCursor';
    case 'probeMessage':
      return 'sequence';
    case 'snapshot':
    case 'state':
      return undefined;
  }
}
//#endregion

/**
 * A classifier's report on the test set (runs/evaluationRecord.ts writes it as evaluation.json):
 * matrix[true][predicted] counts, per-class precision and recall (null: undefined), the most
 * confidently wrong rows and, for image inputs, their pictures (grey 0–255).
 */
export interface EvaluationMessage {
  readonly classes: number;
  readonly rows: number;
  readonly matrix: readonly (readonly number[])[];
  readonly precision: readonly (number | null)[];
  readonly recall: readonly (number | null)[];
  readonly support: readonly number[];
  readonly wrong: readonly {
    readonly row: number;
    readonly label: number;
    readonly predicted: number;
    readonly confidence: number;
  }[];
  readonly images?: readonly { readonly height: number; readonly width: number; readonly pixels: readonly number[] }[];
  /** [true][predicted]: a test row of the cell (−1: none), to probe when the cell is clicked. */
  readonly cellRows?: readonly (readonly number[])[];
}

/**
 * A regression model's predicted vs actual values on the test set (runs/regressionRecord.ts writes
 * them as regression.json), per target column: the drawn rows' values and metrics over all rows.
 */
export interface RegressionMessage {
  readonly rows: number;
  readonly columns: readonly {
    readonly rows: readonly number[];
    readonly actual: readonly number[];
    readonly predicted: readonly number[];
    readonly mae: number;
    readonly rmse: number;
    /** NaN (constant targets) is sent as null. */
    readonly r2: number | null;
    readonly meanResidual: number;
    readonly worstRow: number;
  }[];
}

//#region host → webview
/** Everything a view needs to draw itself from scratch (answer to `ready`), restricted to its topics. */
export interface SnapshotMessage {
  readonly type: 'snapshot';
  /** The model file this view belongs to (kept in webview state for window reloads). */
  readonly modelPath: string;
  readonly run: RunSummary | null;
  readonly state: RunState;
  readonly message?: string;
  readonly runDir?: string;
  /** progress */
  readonly train?: readonly LossPoint[];
  readonly progress?: ProgressInfo | null;
  /** evals */
  readonly evals?: readonly EvalPoint[];
  /** frame */
  readonly frame?: TelemetryFrameMessage | null;
  /** layerStats: per layer, distribution summaries over the run so far (the Layers tab's history). */
  readonly statsHistory?: readonly (readonly LayerStatsSample[])[];
  /** selection */
  readonly selectedLayer?: number;
  /** opCursor */
  readonly opCursor?: OpCursor | null;
  /** samples: text models' latest generated samples, oldest first. */
  readonly samples?: readonly TextSampleMessage[];
  /** latent: the projection of the run's latent layer (latent.json), once the run has written it. */
  readonly latent?: LatentMessage | null;
  /** evaluation: a classifier's confusion matrix and worst mistakes (evaluation.json), once written. */
  readonly evaluation?: EvaluationMessage | null;
  /** evaluation: a regression model's predicted vs actual values (regression.json), once written. */
  readonly regression?: RegressionMessage | null;
}

export type ToWebview =
  | SnapshotMessage
  | { readonly type: 'trainPoints'; readonly points: readonly LossPoint[]; readonly progress: ProgressInfo }
  | { readonly type: 'evalPoint'; readonly point: EvalPoint }
  | { readonly type: 'state'; readonly state: RunState; readonly message?: string; readonly runDir?: string }
  | {
      readonly type: 'frame';
      readonly frame: TelemetryFrameMessage;
      /**
       * Views with the `layerStats` topic: the per-layer summaries of frames the host coalesced away
       * (older than `frame`, oldest first), so the Layers tab's history misses no sample.
       */
      readonly earlier?: readonly (readonly LayerStatsSample[])[];
    }
  /** A Probe tab request's answer: the views replace their frame's probe part with it (probeAnswer.ts). */
  | { readonly type: 'probe'; readonly answer: ProbeAnswerMessage }
  | { readonly type: 'sample'; readonly sample: TextSampleMessage }
  | { readonly type: 'latent'; readonly latent: LatentMessage | null }
  | { readonly type: 'evaluation'; readonly evaluation: EvaluationMessage | null }
  | { readonly type: 'regression'; readonly regression: RegressionMessage | null }
  | { readonly type: 'selectLayer'; readonly index: number }
  /** Step-through backprop: the operation of the probe's graph being shown (null: none). */
  | { readonly type: 'opCursor'; readonly cursor: OpCursor | null }
  /** Why a typed probe text was not run (shown beside the Sequence tab's text box). */
  | { readonly type: 'probeMessage'; readonly message: string };
//#endregion

/** Position in the step-through: an index into the probe's ops (forward order) and the pass. */
export interface OpCursor {
  readonly phase: 'forward' | 'backward';
  readonly index: number;
}

//#region control actions
/**
 * The run controls, defined once: the training panel draws one button per entry (in this order,
 * shown in the listed states) and the host runs the entry's command on the panel's model file.
 */
export const CONTROL_ACTIONS = [
  {
    action: 'train',
    icon: '▶',
    label: msg('Train'),
    title: msg('Train the model'),
    style: 'primary',
    shownIn: ['idle', 'finished', 'earlyStopped', 'stopped', 'failed'],
    command: 'glassbox.trainModel',
  },
  {
    action: 'pause',
    label: msg('Pause'),
    title: msg('Pause after the current batch'),
    shownIn: ['starting', 'running'],
    command: 'glassbox.togglePause',
  },
  {
    action: 'resume',
    label: msg('Resume'),
    title: msg('Resume training'),
    style: 'primary',
    shownIn: ['paused'],
    command: 'glassbox.togglePause',
  },
  {
    action: 'step',
    label: msg('Step'),
    title: msg('Train exactly one batch'),
    shownIn: ['paused'],
    command: 'glassbox.stepBatch',
  },
  {
    action: 'stepOp',
    label: msg('Step op'),
    title: msg('Step one operation of the forward or backward pass (Network tab)'),
    shownIn: ['paused'],
    command: 'glassbox.stepOperation',
  },
  {
    action: 'resumeRun',
    label: msg('Resume run'),
    title: msg('Continue the last stopped run from its checkpoint (Glassbox: Resume Training)'),
    style: 'primary',
    shownIn: ['stopped', 'failed'],
    command: 'glassbox.resumeTraining',
  },
  {
    action: 'exportPyTorch',
    label: msg('Export to PyTorch'),
    title: msg(
      "Write this run's model (and its trained weights, once it has them) as a PyTorch project (Glassbox: Export to PyTorch)",
    ),
    shownIn: ['idle', 'finished', 'earlyStopped', 'stopped', 'failed'],
    command: 'glassbox.exportPyTorch',
  },
  {
    action: 'stop',
    label: msg('Stop'),
    title: msg('Stop and keep what was trained'),
    style: 'danger',
    // Also while stopping: a worker that does not finish is terminated by a second stop.
    shownIn: ['starting', 'running', 'paused', 'stopping'],
    command: 'glassbox.stopTraining',
  },
] as const satisfies readonly ControlActionSpec[];

export interface ControlActionSpec {
  readonly action: string;
  /** A symbol before the label. */
  readonly icon?: string;
  readonly label: string;
  /** The tooltip. */
  readonly title: string;
  readonly style?: 'primary' | 'danger';
  /** The run states in which the button is shown. */
  readonly shownIn: readonly RunState[];
  /** The command the host runs (with the model file's Uri). */
  readonly command: string;
}

export type ControlAction = (typeof CONTROL_ACTIONS)[number]['action'];

export function controlAction(action: ControlAction): (typeof CONTROL_ACTIONS)[number] {
  return CONTROL_ACTIONS.find((a) => a.action === action) as (typeof CONTROL_ACTIONS)[number];
}
//#endregion

//#region webview → host
export type FromWebview =
  /** The webview's script has loaded: it wants a snapshot, then the messages of these topics. */
  | { readonly type: 'ready'; readonly topics: readonly Topic[] }
  /** The webview has drawn the last frame it was sent: the host may send the next. */
  | { readonly type: 'ack' }
  | { readonly type: 'control'; readonly action: ControlAction }
  | { readonly type: 'selectLayer'; readonly index: number }
  /** Reveal the layer's entry in the model file. */
  | { readonly type: 'revealLayer'; readonly index: number }
  /** Run this text through the text model (the Sequence tab's probe); at most PROBE_TEXT_MAX characters. */
  | { readonly type: 'probeText'; readonly text: string }
  /** Run this input through the model (the Probe tab); validated by parseProbeRequest. */
  | { readonly type: 'probe'; readonly request: ProbeRequest }
  /** Save a chart (PNG/SVG/CSV): the host asks where. */
  | ExportChartMessage;
//#endregion

/** The longest probe text the webview may send (code units); the worker keeps its first 200 characters. */
export const PROBE_TEXT_MAX = 400;

const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/**
 * Returns the message if it has a known shape, otherwise undefined (the caller logs it). Only the
 * fields of the message's type are kept: nothing else from the webview reaches the host.
 */
export function parseFromWebview(msg: unknown): FromWebview | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const m = msg as Record<string, unknown>;
  switch (m.type) {
    case 'ready': {
      const t = m.topics;
      if (!Array.isArray(t) || !t.every((x) => (TOPICS as readonly unknown[]).includes(x))) return undefined;
      return { type: 'ready', topics: [...new Set(t as Topic[])] };
    }
    case 'ack':
      return { type: 'ack' };
    case 'control':
      return CONTROL_ACTIONS.some((a) => a.action === m.action)
        ? { type: 'control', action: m.action as ControlAction }
        : undefined;
    case 'selectLayer':
    case 'revealLayer':
      return isIndex(m.index) ? { type: m.type, index: m.index } : undefined;
    case 'probeText':
      return typeof m.text === 'string' && m.text.length > 0 && m.text.length <= PROBE_TEXT_MAX
        ? { type: 'probeText', text: m.text }
        : undefined;
    case 'exportChart':
      return parseExportChart(m);
    case 'probe': {
      const request = parseProbeRequest(m.request);
      return request ? { type: 'probe', request } : undefined;
    }
    default:
      return undefined;
  }
}

export type { LatentMessage, LayerStatsSample, LayerSummary, RunSummary, TelemetryFrameMessage, TextSampleMessage };
