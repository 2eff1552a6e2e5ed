import { assertShape, assertValue } from '../errors';
import { kernelArena } from '../kernels/kernelBackend';
import { StepArena } from '../kernels/stepArena';
import type { Layer, LayerTape, SetupContext } from '../layers/layer';
import type { Loss } from '../losses/loss';
import type { ForwardMode, Param } from '../ops/operation';
import { MODERN, Profile } from '../profile';
import { RandomState } from '../random/randomState';
import { formatShape, Shape } from '../tensor/shape';
import { DType, Tensor, TensorData } from '../tensor/tensor';

export interface NeuralNetworkArgs {
  layers: Layer[];
  loss: Loss;
  /** Network seed: seeds initialisation (and, in the book profile, every Dense layer's reseed). */
  seed?: number;
  profile?: Profile;
  dtype?: DType;
}

/** The record of one forward pass through the network, layer by layer. */
export interface NetworkTape {
  readonly layers: readonly LayerTape[];
}

/**
 * The book's NeuralNetwork: layers in order plus a loss. It owns the shared random stream (the
 * book's global NumPy RNG), from which initialisation, shuffles and dropout masks all draw, so a
 * seeded run is reproducible end to end.
 */
export class NeuralNetwork {
  readonly layers: Layer[];
  readonly loss: Loss;
  readonly seed: number;
  readonly profile: Profile;
  readonly dtype: DType;
  readonly rng: RandomState;

  constructor(args: NeuralNetworkArgs) {
    assertValue(args.layers.length > 0, () => 'NeuralNetwork: needs at least one layer');
    this.layers = args.layers;
    this.loss = args.loss;
    this.seed = args.seed ?? 1;
    this.profile = args.profile ?? MODERN;
    this.dtype = args.dtype ?? 'float32';
    this.rng = new RandomState(this.seed);
    this.layers.forEach((l, i) => {
      if (!l.name) l.name = `${l.kind.toLowerCase()}${i + 1}`;
    });
  }

  private setupContext(): SetupContext {
    return { rng: this.rng, profile: this.profile, dtype: this.dtype, seed: this.seed };
  }

  /** Output shape per layer for an input shape without the batch axis (pure shape inference). */
  inferShapes(inputShape: Shape): Shape[] {
    const out: Shape[] = [];
    let s = inputShape;
    for (const l of this.layers) {
      s = l.outputShape(s);
      out.push(s);
    }
    return out;
  }

  /** Builds every layer eagerly from the input shape, drawing from the shared stream in order. */
  build(inputShape: Shape): void {
    let s = inputShape;
    for (const l of this.layers) {
      l.build(s, this.setupContext());
      s = l.outputShape(s);
    }
  }

  get isBuilt(): boolean {
    return this.layers.every((l) => l.isBuilt);
  }

  /** Marks every layer for re-initialisation at its next forward (the book's `restart`). */
  reset(): void {
    for (const l of this.layers) l.reset();
  }

  private stepMemory: StepArena | null = null;

  /**
   * The memory of this network's training steps (float32 on the WebAssembly kernels), or null.
   * Each training forward starts a new step: the previous step's outputs and gradients are
   * overwritten, so a caller that keeps a tape's tensors across steps must copy them.
   */
  private stepArena(): StepArena | null {
    const arena = this.dtype === 'float32' ? kernelArena() : null;
    if (!arena) return null;
    if (this.stepMemory?.arena !== arena) this.stepMemory = new StepArena(arena, this);
    return this.stepMemory;
  }

  forward(x: Tensor, training: boolean): { y: Tensor; tape: NetworkTape } {
    assertShape(x.rank >= 2, () => `NeuralNetwork.forward: input must have a batch axis, got ${formatShape(x.shape)}`);
    const step = training ? this.stepArena() : null;
    step?.begin();
    const mode: ForwardMode = { training, rng: this.rng, profile: this.profile, step };
    const tapes: LayerTape[] = [];
    let h = x.dtype === this.dtype ? x : x.astype(this.dtype);
    for (const layer of this.layers) {
      // Lazy build: the book initialises each layer inside its first forward, so the draw order
      // interleaves with earlier layers' dropout masks (book-parity.md §3.1).
      if (!layer.isBuilt) layer.build(h.shape.slice(1), this.setupContext());
      const r = layer.forward(h, mode);
      tapes.push(r.tape);
      h = r.y;
    }
    return { y: h, tape: { layers: tapes } };
  }

  /** Backpropagates dL/dy through the tape, adding parameter gradients; returns dL/dx. */
  backward(dy: Tensor, tape: NetworkTape): Tensor {
    let g = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) g = this.layers[i].backward(g, tape.layers[i]);
    return g;
  }

  /** Like `backward` but skips dL/dx of the first layer, which training never uses. */
  backwardParams(dy: Tensor, tape: NetworkTape): void {
    let g = dy;
    for (let i = this.layers.length - 1; i > 0; i--) g = this.layers[i].backward(g, tape.layers[i]);
    this.layers[0].backwardParamsOnly(g, tape.layers[0]);
  }

  zeroGrads(): void {
    for (const p of this.params()) p.grad.data.fill(0);
  }

  /** forward → loss → backward on one batch (gradients replace the previous ones). */
  trainBatch(x: Tensor, y: Tensor): { loss: number; tape: NetworkTape; prediction: Tensor } {
    const f = this.forward(x, true);
    const l = this.loss.forward(f.y, y);
    this.zeroGrads();
    this.backwardParams(this.loss.backward(l.ctx), f.tape);
    return { loss: l.loss, tape: f.tape, prediction: f.y };
  }

  /**
   * Rows per inference chunk so one chunk's intermediate tensors stay near `budgetFloats` elements.
   * Per row: each layer's output counted 4× (its ops' outputs — weight multiply, bias add,
   * activation, dropout — and, for conv, im2col columns of about the same size). E5.4 (conv 16 ×
   * 28×28): ~50k floats a row → 320 rows; an MLP hits the 2,048 cap.
   */
  inferenceChunk(rowShape: Shape, budgetFloats = 16 * 2 ** 20): number {
    const perRow = this.inferShapes(rowShape).reduce((sum, s) => sum + 4 * s.reduce((a, b) => a * b, 1), 0);
    return Math.max(32, Math.min(2048, Math.floor(budgetFloats / Math.max(1, perRow))));
  }

  /**
   * Inference-mode predictions, computed in chunks of rows to bound memory (see inferenceChunk).
   * `afterChunk` runs after each chunk's output is copied out (a driver answers requests there,
   * between the chunks of a long evaluation); it must leave the network as it is.
   */
  predict(x: Tensor, chunk = this.inferenceChunk(x.shape.slice(1)), afterChunk?: () => void): Tensor {
    const n = x.shape[0];
    if (n <= chunk) {
      const y = this.forward(x, false).y;
      afterChunk?.();
      return y;
    }
    let out: Tensor | undefined;
    const rowSize = x.size / n;
    for (let start = 0; start < n; start += chunk) {
      const rows = Math.min(chunk, n - start);
      const xs = new Tensor([rows, ...x.shape.slice(1)], x.data.subarray(start * rowSize, (start + rows) * rowSize));
      const y = this.forward(xs, false).y;
      if (!out) out = Tensor.zeros([n, ...y.shape.slice(1)], y.dtype);
      out.data.set(y.data, start * (y.size / rows));
      afterChunk?.();
    }
    return out as Tensor;
  }

  /** Loss on a whole set in inference mode (`afterChunk`: see predict). */
  evaluate(x: Tensor, y: Tensor, afterChunk?: () => void): { loss: number; prediction: Tensor } {
    const p = this.predict(x, undefined, afterChunk);
    const target = y.dtype === p.dtype ? y : y.astype(p.dtype);
    return { loss: this.loss.forward(p, target).loss, prediction: p };
  }

  params(): Param[] {
    const out: Param[] = [];
    for (const l of this.layers) out.push(...l.params());
    return out;
  }

  parameterCount(): number {
    return this.layers.reduce((n, l) => n + l.parameterCount(), 0);
  }

  /**
   * Every layer's state (Layer.state: carried recurrent state, running statistics) as copies, in
   * layer order, each named `<layer>.<name>` as files store it.
   */
  state(): { readonly name: string; readonly data: TensorData; readonly shape: Shape }[] {
    return this.layers.flatMap((l) =>
      l.state().map((s) => ({ name: `${l.name}.${s.name}`, data: s.value.data, shape: s.value.shape })),
    );
  }

  /** Loads `values` (in `state()` order) into the layers; fewer or more values than the layers hold is an error. */
  loadState(values: readonly TensorData[]): void {
    let i = 0;
    for (const l of this.layers) {
      const n = l.state().length;
      assertValue(
        i + n <= values.length,
        () => `NeuralNetwork.loadState: ${values.length} tensor(s) given, the layers hold more`,
      );
      l.loadState(values.slice(i, i + n));
      i += n;
    }
    assertValue(
      i === values.length,
      () => `NeuralNetwork.loadState: ${values.length} tensor(s) given, the layers hold ${i}`,
    );
  }

  /**
   * Runs `fn` (an extra forward: telemetry's probe, a text sample, an evaluation) and puts every
   * layer's state back as it was, so a look inside the network does not change what training sees
   * next (a carry-mode recurrent layer replaces its state on every forward).
   */
  keepingState<T>(fn: () => T): T {
    const saved = this.state().map((s) => s.data);
    try {
      return fn();
    } finally {
      this.loadState(saved);
    }
  }

  /** A copy of the model: every parameter's values in `params()` order, then the layers' state (`state()`). */
  snapshot(): TensorData[] {
    return [...this.params().map((p) => p.value.data.slice()), ...this.state().map((s) => s.data)];
  }

  /**
   * Puts back a `snapshot()`: the parameters, then the state. A snapshot of the parameters only (a
   * checkpoint written before layers had state) leaves the state as it is.
   */
  restore(snapshot: readonly TensorData[]): void {
    const ps = this.params();
    assertValue(
      ps.length <= snapshot.length,
      () => `NeuralNetwork.restore: snapshot has ${snapshot.length} tensors, network has ${ps.length} parameters`,
    );
    ps.forEach((p, i) => {
      assertShape(
        snapshot[i].length === p.value.size,
        () =>
          `NeuralNetwork.restore: parameter ${i} (${p.name}) has ${p.value.size} values, snapshot has ${snapshot[i].length}`,
      );
      p.value.data.set(snapshot[i]);
    });
    if (snapshot.length > ps.length) this.loadState(snapshot.slice(ps.length));
  }
}
