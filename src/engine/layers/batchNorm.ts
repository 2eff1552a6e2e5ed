import { assertShape, assertValue, engineText } from '../errors';
import { ForwardMode, makeParam, OpContext, Operation, opTensor, Param } from '../ops/operation';
import { formatShape, Shape } from '../tensor/shape';
import { Tensor, TensorData } from '../tensor/tensor';
import { ActivationName, createActivation } from './activation';
import { Layer, SetupContext, StateTensor } from './layer';
import { activationArg, LayerDescriptor, summary, withDefaults } from './layerDescriptor';

export interface BatchNormArgs {
  /**
   * Weight of the current batch in the running statistics, PyTorch's convention:
   * running = (1 − momentum)·running + momentum·batch. Default 0.1 (PyTorch's default; Keras'
   * `momentum: 0.99` is 1 − 0.01 in this convention).
   */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5 (PyTorch's). */
  eps?: number;
  /** Activation after the normalisation. Default 'linear'. */
  activation?: ActivationName;
  /** Slope for x < 0 when activation is 'leakyRelu'. Default 0.01. */
  alpha?: number;
}

interface BatchNormContext extends OpContext {
  /** Training: normalised with the batch's statistics; inference: with the running ones. */
  training: boolean;
  /** x̂ = (x − mean)·invStd, the input's shape (training only). */
  xHat?: Tensor;
  /** The mean it subtracted and 1/√(var + eps), per channel. */
  mean: Float64Array;
  invStd: Float64Array;
  /** Σ ∂L/∂y and Σ ∂L/∂y·x̂ per channel, for the `dy` they were summed from. */
  sums?: { dy: Tensor; dy1: Float64Array; dyXHat: Float64Array };
}

/**
 * Batch normalisation over the batch axis, per feature of [batch, features] or per channel of
 * [batch, channels, h, w] (statistics over batch, h and w), as PyTorch's BatchNorm1d/2d:
 *   training:  mean, var = the batch's (biased) mean and variance;  x̂ = (x − mean)/√(var + eps)
 *   inference: x̂ = (x − runningMean)/√(runningVar + eps);  y = γ·x̂ + β in both.
 * Training also updates the running statistics (layer state, not parameters):
 *   runningMean ← (1 − momentum)·runningMean + momentum·mean,
 *   runningVar  ← (1 − momentum)·runningVar + momentum·var·m/(m − 1)   (unbiased, m values per channel).
 * Backward (training): ∂L/∂x = invStd/m·(m·g − Σg − x̂·Σ(g·x̂)) with g = γ·∂L/∂y; in inference mode
 * the op is affine: ∂L/∂x = γ·invStd·∂L/∂y. ∂L/∂γ = Σ ∂L/∂y·x̂, ∂L/∂β = Σ ∂L/∂y.
 * Parameters: gamma [channels] (starts at 1), beta [channels] (starts at 0).
 */
export class BatchNormOp extends Operation {
  readonly name = 'BatchNorm';
  readonly equation =
    'y = γ·(x − μ)/√(σ² + ε) + β  (μ, σ²: batch statistics in training, running ones in inference)\n∂L/∂x = γ/(m√(σ² + ε))·(m·∂L/∂y − Σ∂L/∂y − x̂·Σ ∂L/∂y·x̂)\n∂L/∂γ = Σ ∂L/∂y·x̂,  ∂L/∂β = Σ ∂L/∂y';
  readonly gamma: Param;
  readonly beta: Param;
  runningMean: Tensor;
  runningVar: Tensor;

  constructor(
    channels: number,
    dtype: Tensor['dtype'],
    readonly momentum: number,
    readonly eps: number,
  ) {
    super();
    this.gamma = makeParam('gamma', Tensor.fill([channels], 1, dtype));
    this.beta = makeParam('beta', Tensor.zeros([channels], dtype));
    this.params.push(this.gamma, this.beta);
    this.runningMean = Tensor.zeros([channels], dtype);
    this.runningVar = Tensor.fill([channels], 1, dtype);
  }

  protected override checkInput(x: Tensor): void {
    const c = this.gamma.value.size;
    assertShape(
      (x.rank === 2 || x.rank === 4) && x.shape[1] === c,
      () => `BatchNorm: input must be [batch, ${c}] or [batch, ${c}, h, w], got ${formatShape(x.shape)}`,
    );
  }

  protected output(x: Tensor, ctx: OpContext, mode: ForwardMode): Tensor {
    const [n, c] = x.shape;
    const inner = x.rank === 4 ? x.shape[2] * x.shape[3] : 1;
    const m = n * inner;
    const xd = x.data;
    const mean = new Float64Array(c);
    const invStd = new Float64Array(c);
    if (mode.training) {
      const variance = new Float64Array(c);
      for (let b = 0; b < n; b++)
        for (let j = 0; j < c; j++) {
          const o = (b * c + j) * inner;
          let s = 0;
          for (let k = 0; k < inner; k++) s += xd[o + k];
          mean[j] += s;
        }
      for (let j = 0; j < c; j++) mean[j] /= m;
      for (let b = 0; b < n; b++)
        for (let j = 0; j < c; j++) {
          const o = (b * c + j) * inner;
          const mu = mean[j];
          let s = 0;
          for (let k = 0; k < inner; k++) s += (xd[o + k] - mu) * (xd[o + k] - mu);
          variance[j] += s;
        }
      const rm = this.runningMean.data,
        rv = this.runningVar.data,
        mo = this.momentum;
      for (let j = 0; j < c; j++) {
        variance[j] /= m; // biased: what normalises this batch
        invStd[j] = 1 / Math.sqrt(variance[j] + this.eps);
        rm[j] = (1 - mo) * rm[j] + mo * mean[j];
        rv[j] = (1 - mo) * rv[j] + mo * (m > 1 ? (variance[j] * m) / (m - 1) : variance[j]);
      }
    } else {
      for (let j = 0; j < c; j++) {
        mean[j] = this.runningMean.data[j];
        invStd[j] = 1 / Math.sqrt(this.runningVar.data[j] + this.eps);
      }
    }
    const y = opTensor(ctx, x.shape, x.dtype);
    const xHat = mode.training ? opTensor(ctx, x.shape, x.dtype) : null;
    const yd = y.data,
      g = this.gamma.value.data,
      be = this.beta.value.data;
    for (let b = 0; b < n; b++)
      for (let j = 0; j < c; j++) {
        const o = (b * c + j) * inner;
        const mu = mean[j],
          is = invStd[j],
          gj = g[j],
          bj = be[j];
        for (let k = 0; k < inner; k++) {
          const h = (xd[o + k] - mu) * is;
          if (xHat) xHat.data[o + k] = h;
          yd[o + k] = gj * h + bj;
        }
      }
    const bc = ctx as BatchNormContext;
    bc.training = mode.training;
    bc.mean = mean;
    bc.invStd = invStd;
    if (xHat) bc.xHat = xHat;
    return y;
  }

  /** x̂ of a call: saved in training; recomputed from the running mean in inference. */
  private xHatOf(ctx: BatchNormContext): TensorData {
    if (ctx.xHat) return ctx.xHat.data;
    const x = ctx.x;
    const [n, c] = x.shape;
    const inner = x.size / (n * c);
    const out = new Float64Array(x.size);
    const mean = ctx.mean;
    for (let b = 0; b < n; b++)
      for (let j = 0; j < c; j++) {
        const o = (b * c + j) * inner;
        for (let k = 0; k < inner; k++) out[o + k] = (x.data[o + k] - mean[j]) * ctx.invStd[j];
      }
    return out;
  }

  private sums(dy: Tensor, ctx: BatchNormContext): { dy1: Float64Array; dyXHat: Float64Array } {
    if (ctx.sums?.dy === dy) return ctx.sums;
    const [n, c] = dy.shape;
    const inner = dy.size / (n * c);
    const dy1 = new Float64Array(c),
      dyXHat = new Float64Array(c);
    const d = dy.data,
      h = this.xHatOf(ctx);
    for (let b = 0; b < n; b++)
      for (let j = 0; j < c; j++) {
        const o = (b * c + j) * inner;
        let s = 0,
          sh = 0;
        for (let k = 0; k < inner; k++) {
          s += d[o + k];
          sh += d[o + k] * h[o + k];
        }
        dy1[j] += s;
        dyXHat[j] += sh;
      }
    ctx.sums = { dy, dy1, dyXHat };
    return ctx.sums;
  }

  protected inputGrad(dy: Tensor, ctx: OpContext): Tensor {
    const bc = ctx as BatchNormContext;
    const [n, c] = dy.shape;
    const inner = dy.size / (n * c);
    const dx = opTensor(ctx, dy.shape, dy.dtype);
    const d = dy.data,
      o = dx.data,
      g = this.gamma.value.data;
    if (!bc.training) {
      for (let b = 0; b < n; b++)
        for (let j = 0; j < c; j++) {
          const s = g[j] * bc.invStd[j],
            base = (b * c + j) * inner;
          for (let k = 0; k < inner; k++) o[base + k] = s * d[base + k];
        }
      return dx;
    }
    const m = n * inner;
    const { dy1, dyXHat } = this.sums(dy, bc);
    const h = (bc.xHat as Tensor).data;
    for (let b = 0; b < n; b++)
      for (let j = 0; j < c; j++) {
        const s = (g[j] * bc.invStd[j]) / m,
          base = (b * c + j) * inner;
        for (let k = 0; k < inner; k++) o[base + k] = s * (m * d[base + k] - dy1[j] - h[base + k] * dyXHat[j]);
      }
    return dx;
  }

  protected override paramGrads(dy: Tensor, ctx: OpContext): void {
    const { dy1, dyXHat } = this.sums(dy, ctx as BatchNormContext);
    const gg = this.gamma.grad.data,
      gb = this.beta.grad.data;
    for (let j = 0; j < dy1.length; j++) {
      gg[j] += dyXHat[j];
      gb[j] += dy1[j];
    }
  }
}

/**
 * Batch normalisation layer (BatchNormOp), then an optional activation: y = act(γ·x̂ + β).
 * Shape: [features] → [features], or [channels, h, w] → [channels, h, w] with per-channel
 * statistics (after a conv2d: give the conv `useBias: false`, β takes its place).
 * Parameters: gamma, beta [channels]. State: runningMean, runningVar [channels] (saved in
 * checkpoints and weights files, kept by the best-model snapshot). Training normalises with the
 * batch's statistics, evaluation and prediction with the running ones.
 */
export class BatchNorm extends Layer {
  static readonly descriptor: LayerDescriptor = {
    type: 'batchNorm',
    description:
      'Batch normalisation: y = activation(γ·(x − μ)/√(σ² + eps) + β) per feature of [features] or per channel of [channels, height, width], with the batch statistics μ, σ² in training and running estimates in evaluation (PyTorch BatchNorm1d/2d). Output shape = input shape.',
    required: [],
    args: {
      momentum: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: 0.1,
        description:
          "Weight of each batch in the running mean and variance, PyTorch's convention: running = (1 − momentum)·running + momentum·batch (Keras' momentum 0.99 is 0.01 here).",
        examples: [0.1],
      },
      eps: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1e-5,
        description: 'Added to the variance before the square root.',
        examples: [1e-5],
      },
      activation: activationArg('normalisation'),
      alpha: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 0.01,
        description: "Slope for x < 0; only with activation 'leakyRelu'.",
        examples: [0.01],
      },
    },
    create: (a) => new BatchNorm(a as BatchNormArgs),
    parameterCount: (input) => 2 * input[0],
    describe: (a) =>
      summary(
        (a.activation as string) ?? 'linear',
        a.momentum !== undefined && a.momentum !== 0.1 && `momentum ${a.momentum}`,
        a.eps !== undefined && a.eps !== 1e-5 && `eps ${a.eps}`,
      ),
  };

  readonly kind = 'BatchNorm';
  readonly args: Required<BatchNormArgs>;
  private op: BatchNormOp | null = null;

  constructor(args: BatchNormArgs = {}) {
    super();
    this.args = withDefaults(BatchNorm.descriptor, args) as Required<BatchNormArgs>;
    const { momentum, eps } = this.args;
    assertValue(Number.isFinite(momentum) && momentum > 0 && momentum <= 1, () =>
      engineText('BatchNorm: momentum must be in (0, 1], got {0}', momentum),
    );
    assertValue(Number.isFinite(eps) && eps > 0, () =>
      engineText('BatchNorm: eps must be a positive number, got {0}', eps),
    );
  }

  outputShape(inputShape: Shape): Shape {
    assertShape(inputShape.length === 1 || inputShape.length === 3, () =>
      engineText(
        'BatchNorm: input must be [features] or an image [channels, height, width] per example, got {0}',
        formatShape(inputShape),
      ),
    );
    return inputShape;
  }

  protected createOperations(inputShape: Shape, setup: SetupContext): Operation[] {
    this.outputShape(inputShape);
    this.op = new BatchNormOp(inputShape[0], setup.dtype, this.args.momentum, this.args.eps);
    return [this.op, createActivation(this.args.activation, setup.profile, this.args.alpha)];
  }

  override state(): StateTensor[] {
    if (!this.op || !this.isBuilt) return [];
    return [
      { name: 'runningMean', value: this.op.runningMean.clone() },
      { name: 'runningVar', value: this.op.runningVar.clone() },
    ];
  }

  override loadState(values: readonly TensorData[]): void {
    if (!this.op || !this.isBuilt) return super.loadState(values);
    assertValue(
      values.length === 2,
      () => `BatchNorm ${this.name}: state is runningMean and runningVar, got ${values.length} tensor(s)`,
    );
    this.op.runningMean = this.stateFrom(values[0], this.op.runningMean, 'runningMean');
    this.op.runningVar = this.stateFrom(values[1], this.op.runningVar, 'runningVar');
  }
}
