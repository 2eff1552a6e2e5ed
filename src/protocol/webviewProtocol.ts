/*
 * Host ↔ webview messages (training panel, Loss view, Feature Maps view). Webviews are treated as
 * untrusted input: the host validates every message with `parseFromWebview` and ignores (and
 * logs) anything else.
 */
import type {
  LatentMessage,
  LayerSummary,
  RunSummary,
  StatsMessage,
  TelemetryFrameMessage,
  TextSampleMessage,
} from './telemetry';

export type RunState = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'earlyStopped' | 'stopped' | 'failed';

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

//#region host → webview
export type ToWebview =
  /** Everything the view needs to draw itself from scratch (answer to `ready`). */
  | {
      readonly type: 'snapshot';
      /** The model file this view belongs to (kept in webview state for window reloads). */
      readonly modelPath: string;
      readonly run: RunSummary | null;
      readonly state: RunState;
      readonly message?: string;
      readonly train: readonly LossPoint[];
      readonly evals: readonly EvalPoint[];
      readonly progress: ProgressInfo | null;
      readonly frame: TelemetryFrameMessage | null;
      readonly selectedLayer: number;
      readonly runDir?: string;
      /** Per layer: distribution summaries over the run so far (the Layers tab's history). */
      readonly opCursor: OpCursor | null;
      readonly statsHistory: readonly (readonly {
        readonly step: number;
        readonly activation: StatsMessage;
        readonly weight?: StatsMessage;
        readonly gradient?: StatsMessage;
      }[])[];
      /** Text models: the latest generated samples, oldest first. */
      readonly samples: readonly TextSampleMessage[];
      /** The projection of the run's latent layer (latent.json), once the run has written it. */
      readonly latent: LatentMessage | null;
    }
  | { readonly type: 'trainPoints'; readonly points: readonly LossPoint[]; readonly progress: ProgressInfo }
  | { readonly type: 'evalPoint'; readonly point: EvalPoint }
  | { readonly type: 'state'; readonly state: RunState; readonly message?: string; readonly runDir?: string }
  | { readonly type: 'frame'; readonly frame: TelemetryFrameMessage }
  | { readonly type: 'sample'; readonly sample: TextSampleMessage }
  | { readonly type: 'latent'; readonly latent: LatentMessage | null }
  | { readonly type: 'selectLayer'; readonly index: number }
  /** Step-through backprop: the operation of the probe's graph being shown (null: none). */
  | { readonly type: 'opCursor'; readonly cursor: OpCursor | null };
//#endregion

/** Position in the step-through: an index into the probe's ops (forward order) and the pass. */
export interface OpCursor {
  readonly phase: 'forward' | 'backward';
  readonly index: number;
}

//#region webview → host
/** `resume` continues a paused run; `resumeRun` continues the last stopped run from its checkpoint. */
export type ControlAction = 'train' | 'pause' | 'resume' | 'step' | 'stop' | 'stepOp' | 'resumeRun';

export type FromWebview =
  /** The webview's script has loaded and wants a snapshot. */
  | { readonly type: 'ready' }
  | { readonly type: 'control'; readonly action: ControlAction }
  | { readonly type: 'selectLayer'; readonly index: number }
  /** Reveal the layer's entry in the model file. */
  | { readonly type: 'revealLayer'; readonly index: number };
//#endregion

const ACTIONS: readonly ControlAction[] = ['train', 'pause', 'resume', 'step', 'stop', 'stepOp', 'resumeRun'];

/** Returns the message if it has a known shape, otherwise undefined (the caller logs it). */
export function parseFromWebview(msg: unknown): FromWebview | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const m = msg as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'control':
      return typeof m.action === 'string' && (ACTIONS as readonly string[]).includes(m.action)
        ? { type: 'control', action: m.action as ControlAction }
        : undefined;
    case 'selectLayer':
    case 'revealLayer':
      return Number.isInteger(m.index) && (m.index as number) >= 0
        ? { type: m.type, index: m.index as number }
        : undefined;
    default:
      return undefined;
  }
}

export type { LatentMessage, LayerSummary, RunSummary, TelemetryFrameMessage, TextSampleMessage };
