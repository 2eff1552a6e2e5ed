import { type BatchEnd, FrameRate, NO_FRAMES, TelemetryCollector, Tensor, type Trainer } from '../engine';
import type { ProbeAnswerMessage } from '../protocol/probeAnswer';
import type { ProbeSource, TelemetryFrameMessage } from '../protocol/telemetry';
import { encodeFrame, writeFrameRecord } from '../runs/frameRecord';
import { TelemetryRecorder } from '../runs/telemetryRecord';
import { toFrameMessage, toProbeAnswer } from './telemetryAdapter';

const WRITE_EVERY_MS = 1000;

/** Receives each frame with the buffers it may transfer (the worker posts them to the host). */
export type FrameListener = (frame: TelemetryFrameMessage, transfer: ArrayBuffer[]) => void;
/** Receives each Probe tab answer (the probe part of a frame) with the buffers it may transfer. */
export type ProbeAnswerListener = (answer: ProbeAnswerMessage, transfer: ArrayBuffer[]) => void;

/**
 * A session's telemetry: the engine's collector sampling at a rate in frames per second (turned
 * into "every N steps" from the measured step rate), and the run record's telemetry.json (norm
 * history) and frame.json (the last frame). A frame is recorded before it is handed on, because
 * handing it on may transfer (detach) its arrays.
 */
export class SessionTelemetry {
  /** Frames per second; 0 records no frames during training (and no frame.json). */
  hz: number;
  private readonly collector: TelemetryCollector;
  private readonly recorder = new TelemetryRecorder();
  /** The sampling rate; its `frames` and `spentMs` are the frames' cost as measured (benchmarks). */
  readonly frameRate: FrameRate;
  private lastWrite = 0;

  constructor(
    trainer: Pick<Trainer, 'addObserver'>,
    probeSet: { xTest: Tensor; yTest: Tensor },
    hz: number,
    private readonly onFrame: FrameListener = () => {},
    /** A text model's vocabulary: frames carry the probe window as characters. */
    private readonly chars?: readonly string[],
    /**
     * Milliseconds. Wall time (the default), as the step rate: frames are held to FRAME_BUDGET of
     * the training time. Benchmarks pass the process's CPU time.
     */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.hz = hz;
    this.frameRate = new FrameRate(hz);
    this.collector = new TelemetryCollector({
      every: NO_FRAMES,
      // The frame's cost on this clock includes onFrame: the message built and handed to the
      // worker's report queue (which posts it within 50 ms; the frame's arrays are transferred, so
      // that post's serialisation is small beside the frame).
      clock,
      // One fixed test row whose path through the network every frame records (Probe tab).
      probe: { x: firstRow(probeSet.xTest), y: firstRow(probeSet.yTest) },
      onFrame: (f) => this.emit(toFrameMessage(f, this.chars)),
    });
    trainer.addObserver(this.collector);
  }

  /** After every batch: re-derive the sampling interval from the current rate and step rate. */
  afterBatch(e: BatchEnd): void {
    this.frameRate.hz = this.hz;
    const cost = this.collector.takeCost();
    if (cost !== undefined) this.frameRate.frameCost(cost);
    const every = this.frameRate.update(e.step, this.clock());
    if (every !== undefined) this.collector.setEvery(every);
  }

  /** Where the probe came from (Probe tab requests), carried by every frame. */
  private probeSource: ProbeSource | undefined;

  /**
   * Every frame from now on records this probe sample instead of the first test row, with the
   * saliency of output `saliencyClass` (−1: the predicted class).
   */
  setProbe(x: Tensor, y: Tensor, saliencyClass = -1, source?: ProbeSource): void {
    this.collector.setProbe({ x, y }, saliencyClass);
    this.probeSource = source;
  }

  /** A frame of the weights as they are now (a pause: the Network tab shows the current values). */
  frameNow(e: BatchEnd): void {
    this.emit(toFrameMessage(this.collector.sample(e), this.chars));
  }

  /** Receives the answers of `answerProbe`. */
  onProbeAnswer: ProbeAnswerListener = () => {};
  /** A frame was handed on: a probe answer has one to merge into (probeAnswer.ts). */
  private framed = false;

  /** Whether `answerProbe` can answer without the batch's tape (a frame went before: it sends the probe part only). */
  get answersAlone(): boolean {
    return this.framed;
  }

  /**
   * The probe set by `setProbe`, run on the weights as they are now (after batch `e`, or in the
   * evaluation after it), goes to `onProbeAnswer` as the probe part of a frame: ~1 ms for
   * mnist-cnn where a frame of a new batch takes ~20 ms, and a third of its bytes. Before any
   * frame a full frame answers (there is nothing to merge the probe into). Not recorded in
   * telemetry.json: answers describe the user's input, not the run.
   */
  answerProbe(e: BatchEnd): void {
    if (!this.framed) return this.frameNow(e);
    const probe = this.collector.probeOnly(e.network);
    if (!probe || !this.probeSource) return;
    const { answer, transfer } = toProbeAnswer(probe, e, { ...this.probeSource, builtAt: Date.now() });
    this.onProbeAnswer(answer, transfer);
  }

  /**
   * telemetry.json as of now, at most once a second as the checkpoints are (every write is an
   * fsync: a small model completes hundreds of epochs a second, and writing after each made a
   * 2000-epoch run five times slower).
   */
  write(folder: string): void {
    if (Date.now() - this.lastWrite < WRITE_EVERY_MS) return;
    this.recorder.write(folder);
    this.lastWrite = Date.now();
  }

  /** The end of the run: one last frame (the record's norms describe the final weights), frame.json. */
  finish(folder: string, lastBatch: BatchEnd | undefined): void {
    let lastFrame: unknown;
    // The run's end may have restored the best weights since the last batch: summarise afresh.
    this.collector.forgetBatch();
    if (this.hz > 0 && lastBatch) {
      const m = toFrameMessage(this.collector.sample(lastBatch), this.chars);
      lastFrame = encodeFrame(m.frame); // before its arrays are transferred
      this.emit(m);
    }
    this.recorder.write(folder);
    if (lastFrame) writeFrameRecord(folder, lastFrame);
  }

  private emit(m: { frame: TelemetryFrameMessage; transfer: ArrayBuffer[] }): void {
    const { transfer } = m;
    const frame = this.probeSource
      ? { ...m.frame, probeSource: { ...this.probeSource, builtAt: Date.now() } }
      : m.frame;
    this.recorder.add(frame);
    this.framed = true;
    this.onFrame(frame, transfer);
  }
}

function firstRow(t: Tensor): Tensor {
  const row = t.size / t.shape[0];
  return new Tensor([1, ...t.shape.slice(1)], t.data.slice(0, row));
}
