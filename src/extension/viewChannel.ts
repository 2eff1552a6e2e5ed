import { LayerHistory, layerStatsSample, MAX_LAYER_SAMPLES, type LayerStatsSample } from '../protocol/layerHistory';
import { probesOlderInput, withProbeAnswer } from '../protocol/probeAnswer';
import { withoutSequence } from '../protocol/telemetry';
import {
  parseFromWebview,
  topicOf,
  type FromWebview,
  type SnapshotMessage,
  type ToWebview,
  type Topic,
} from '../protocol/webviewProtocol';

/** The webview side as the channel sees it (a vscode.Webview plus its view's visibility). */
export interface ViewPort {
  readonly visible: boolean;
  postMessage(msg: ToWebview): PromiseLike<boolean>;
}

/** Where a view's data comes from: the RunStore of one model file. */
export interface ViewSource {
  snapshot(topics: readonly Topic[]): SnapshotMessage;
  subscribe(listener: (msg: ToWebview) => void): { dispose(): void };
}

/** Timers, injectable so that throttling is testable with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (f, ms) => setTimeout(f, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface ViewChannelOptions {
  /** For log lines. */
  readonly name: string;
  /** Least time between two sends to the view (ms): messages in between are batched. */
  readonly intervalMs?: number;
  /** A frame not acknowledged within this time (the webview lost it) no longer holds the next one back. */
  readonly ackTimeoutMs?: number;
  readonly clock?: Clock;
  readonly warn?: (message: string) => void;
}

/**
 * After a Probe tab request, regular frames wait this long (ms) for the next request: while the user
 * draws, only the answers travel (a frame is three times an answer's size and redraws every tab).
 */
export const PROBING_HOLD_MS = 400;

/** Messages from the webview the channel does not handle itself. */
export type ViewRequest = Exclude<FromWebview, { type: 'ready' } | { type: 'ack' }>;

/**
 * The one path between a RunStore and a webview (the training panel, the Loss view, the Feature
 * Maps view). The view names its topics in `ready`; the channel then:
 * - sends it only messages of those topics, and answers `ready` (and becoming visible again) with
 *   a snapshot restricted to them; a hidden view gets nothing;
 * - throttles: messages are sent at most every `intervalMs`, loss points merged; of the telemetry
 *   frames only the newest pending one is kept, and it is sent only once the view has acknowledged
 *   drawing the previous one (`ack`), so a view never gets more frames than it can draw. Views that
 *   keep a history of layer statistics get those of the frames coalesced away (`frame.earlier`);
 * - sends a Probe tab answer (`probe`, probeAnswer.ts) at once, ahead of the interval and the ack;
 * - validates everything from the webview (`parseFromWebview`) and passes on the requests.
 * No vscode import: unit-tested in plain Node with a fake clock.
 */
export class ViewChannel {
  private source: ViewSource | undefined;
  private subscription: { dispose(): void } | undefined;
  /** Known once the webview has sent `ready` (and kept across hide/show: its script reloads and says it again). */
  private topics: readonly Topic[] | undefined;
  private queue: ToWebview[] = [];
  private pendingFrame: Extract<ToWebview, { type: 'frame' }> | undefined;
  private earlier: LayerHistory<LayerStatsSample> | undefined;
  private frameSentAt: number | undefined;
  private timer: unknown;
  private timerAt = Infinity;
  private lastFlush = -Infinity;
  /** The Probe tab request the last posted frame answered: a frame answering a newer one goes without the interval. */
  private answeredProbe: number | undefined;
  private answerPending = false;
  /** Until when regular frames wait: the view sent a Probe tab request (clock ms). */
  private probingUntil = -Infinity;
  /** A Probe tab answer (`probe` message) is queued: flush now. */
  private probeQueued = false;
  /** A probe's answer was sent before the ack of the frame in flight (cleared by the next ack). */
  private overtook = false;
  private disposed = false;
  private wasVisible: boolean;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly ackTimeoutMs: number;
  /** Counts for tests and the log. */
  readonly stats = { posted: 0, framesPosted: 0, framesCoalesced: 0, dropped: 0 };

  constructor(
    private readonly port: ViewPort,
    private readonly onRequest: (request: ViewRequest) => void,
    private readonly options: ViewChannelOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.intervalMs = options.intervalMs ?? 33;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 1000;
    this.wasVisible = port.visible;
  }

  /** Shows this store's run (undefined: none); sends a snapshot if the view is ready. */
  follow(source: ViewSource | undefined): void {
    if (source === this.source) return;
    this.subscription?.dispose();
    this.source = source;
    this.subscription = source?.subscribe((msg) => this.send(msg));
    this.resync();
  }

  get followed(): ViewSource | undefined {
    return this.source;
  }

  /** The topics the view asked for (undefined before its `ready`). */
  get consumes(): readonly Topic[] | undefined {
    return this.topics;
  }

  /** A raw message from the webview. */
  receive(raw: unknown): void {
    const msg = parseFromWebview(raw);
    if (!msg) {
      this.options.warn?.(
        `${this.options.name}: ignored a message of unknown shape: ${JSON.stringify(raw)?.slice(0, 200)}`,
      );
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.topics = msg.topics;
        this.resync();
        break;
      case 'ack':
        this.frameSentAt = undefined;
        this.overtook = false;
        if (this.pendingFrame) this.schedule();
        break;
      default:
        // While the user draws on the Probe tab, regular frames wait (see flush).
        if (msg.type === 'probe') this.probingUntil = this.clock.now() + PROBING_HOLD_MS;
        this.onRequest(msg);
    }
  }

  /** Call when the view's visibility (or focus) changes: a view shown again gets a fresh snapshot. */
  visibilityChanged(): void {
    const visible = this.port.visible;
    if (visible === this.wasVisible) return;
    this.wasVisible = visible;
    this.resync();
  }

  /** Everything pending is dropped and the view is sent a snapshot of its topics (if it can be). */
  private resync(): void {
    this.clear();
    if (this.source && this.topics && this.port.visible && !this.disposed) {
      this.queue.push(this.source.snapshot(this.topics));
      this.schedule();
    }
  }

  private clear(): void {
    this.queue = [];
    this.pendingFrame = undefined;
    this.earlier = undefined;
    this.frameSentAt = undefined;
    this.overtook = false;
    this.probeQueued = false;
  }

  /** A message from the store: filtered by topic, queued, merged or coalesced, then sent by `flush`. */
  private send(msg: ToWebview): void {
    if (this.disposed || !this.topics || !this.port.visible) {
      this.stats.dropped++;
      return;
    }
    if (msg.type === 'snapshot') return this.resync();
    const topic = topicOf(msg);
    if (topic && !this.topics.includes(topic)) return;
    if (msg.type === 'probe') {
      // A Probe tab answer goes at once, ahead of the interval and of the frame's ack (it is not a
      // frame: a third of the size, and the view acknowledges nothing). The pending frame was built
      // before it: its probe part becomes the answer's, so the view does not go back to the old input.
      const pending = this.pendingFrame;
      if (pending && probesOlderInput(pending.frame, msg.answer))
        this.pendingFrame = { ...pending, frame: withProbeAnswer(pending.frame, msg.answer) };
      this.answerPending = false;
      const k = this.queue.findIndex((m) => m.type === 'probe');
      if (k >= 0) this.queue.splice(k, 1);
      this.queue.push(msg);
      this.answeredProbe = msg.answer.probeSource.id;
      this.probeQueued = true;
    } else if (msg.type === 'frame') {
      if (this.pendingFrame) {
        this.stats.framesCoalesced++;
        if (this.topics.includes('layerStats')) {
          this.earlier ??= new LayerHistory<LayerStatsSample>(MAX_LAYER_SAMPLES / 2);
          const old = this.pendingFrame.frame;
          for (const l of old.layers) this.earlier.add(l.index, layerStatsSample(old.step, l));
        }
      }
      this.pendingFrame = msg;
      const id = msg.frame.probeSource?.id;
      this.answerPending = id !== undefined && id !== this.answeredProbe;
    } else {
      const last = this.queue[this.queue.length - 1];
      if (msg.type === 'trainPoints' && last?.type === 'trainPoints')
        this.queue[this.queue.length - 1] = {
          type: 'trainPoints',
          points: [...last.points, ...msg.points],
          progress: msg.progress,
        };
      else this.queue.push(msg);
    }
    this.schedule();
  }

  /** Arranges a flush no sooner than `intervalMs` after the last one (an earlier arrangement stands). */
  private schedule(notBefore = -Infinity): void {
    if (this.disposed) return;
    const now = this.clock.now();
    // The answer to a probe the user is drawing goes at once (latency), even with one frame unacknowledged.
    const answer = (this.answerPending && !this.overtook) || this.probeQueued;
    let at = answer ? now : Math.max(now, this.lastFlush + this.intervalMs, notBefore);
    // Only a frame waiting for the view's ack: come back when the ack is overdue (or earlier, on the ack).
    if (!answer && this.queue.length === 0 && this.pendingFrame && this.frameSentAt !== undefined)
      at = Math.max(at, this.frameSentAt + this.ackTimeoutMs);
    if (this.timer !== undefined) {
      if (this.timerAt <= at) return;
      this.clock.clearTimeout(this.timer);
    }
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => this.flush(), at - now);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.disposed) return;
    if (!this.port.visible) return this.clear();
    const now = this.clock.now();
    this.lastFlush = now;
    this.probeQueued = false;
    for (const msg of this.queue.splice(0)) this.post(msg);
    const waiting =
      (this.frameSentAt !== undefined && now - this.frameSentAt < this.ackTimeoutMs) ||
      // The view is asking for probes (the user draws): a regular frame (~300 KB, redrawn in full)
      // would queue ahead of the answers on the way and in the view; it goes when the requests stop.
      (now < this.probingUntil && !this.answerPending);
    // A probe's answer may overtake the ack once: at most two frames are ever unacknowledged.
    const overtake = waiting && this.answerPending && !this.overtook;
    if (this.pendingFrame && (!waiting || overtake)) {
      if (overtake) this.overtook = true;
      const msg = this.pendingFrame;
      const earlier = this.earlier?.copy();
      this.pendingFrame = undefined;
      this.earlier = undefined;
      this.frameSentAt = now;
      this.answeredProbe = msg.frame.probeSource?.id ?? this.answeredProbe;
      this.answerPending = false;
      this.stats.framesPosted++;
      this.post(earlier?.some((l) => l.length) ? { ...msg, earlier } : msg);
    }
    if (this.pendingFrame) this.schedule(Math.max(this.probingUntil, now));
  }

  /** The single guarded send: never after disposal; a lost message is made up by the next snapshot. */
  private post(msg: ToWebview): void {
    if (this.disposed) return;
    // Recurrent sequences only to views that draw them (the `sequence` topic).
    if (!this.topics?.includes('sequence')) {
      if (msg.type === 'frame') msg = { ...msg, frame: withoutSequence(msg.frame) };
      else if (msg.type === 'snapshot' && msg.frame) msg = { ...msg, frame: withoutSequence(msg.frame) };
    }
    this.stats.posted++;
    void this.port.postMessage(msg);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription?.dispose();
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.clear();
  }
}
