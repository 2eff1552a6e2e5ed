import { assertShape } from '../errors';
import { residentCopy, residentData } from '../kernels/residentTensor';
import type { StepArena } from '../kernels/stepArena';
import type { RandomState } from '../random/randomState';
import type { Profile } from '../profile';
import { formatShape, Shape } from '../tensor/shape';
import { DType, Tensor } from '../tensor/tensor';

/** A trainable tensor and the gradient accumulated for it by backward passes. */
export interface Param {
  /** 'W' or 'B' (the book's names); the layer prefixes its own name for display. */
  readonly name: string;
  value: Tensor;
  grad: Tensor;
}

/**
 * A parameter over a copy of `value`: float32 values and gradients live in the kernel arena when
 * the WebAssembly backend is active, so products and updates use them in place.
 */
export function makeParam(name: string, value: Tensor): Param {
  const v = residentCopy(value);
  return { name, value: v, grad: new Tensor(v.shape, residentData(v.size, v.data)) };
}

/** How a forward pass runs: training or inference, the shared RNG for masks, the profile. */
export interface ForwardMode {
  readonly training: boolean;
  readonly rng: RandomState;
  readonly profile: Profile;
  /**
   * Training only: the network's memory for this step (kernels/stepArena.ts). Float32 outputs and
   * input gradients are carved from it, valid until the network's next training forward.
   */
  readonly step?: StepArena | null;
}

/**
 * Everything one application of an operation saved for its backward pass. Operations are
 * shared definitions; each call gets its own context, so the same operation (an RNN cell's
 * weight multiply, say) can run at every time step of one graph.
 */
export interface OpContext {
  x: Tensor;
  y: Tensor;
  /** Extra saved tensor (the dropout mask, the normalised prediction, ...). */
  saved?: Tensor;
  /** A saved scalar (dropout's inference scale, ...). */
  scale?: number;
  /** The step arena of the training forward that made this context (its backward allocates there too). */
  step?: StepArena;
}

/**
 * The book's Operation: `forward` and `backward` are template methods that check shapes once,
 * so subclasses only implement `output`, `inputGrad` and (for ParamOperations) `paramGrads`.
 */
export abstract class Operation {
  abstract readonly name: string;
  /**
   * What the operation computes and the derivative it applies on the way back, one formula a line
   * (chapter 1's vocabulary), e.g. 'y = x·W\n∂L/∂x = ∂L/∂y·Wᵀ\n∂L/∂W = xᵀ·∂L/∂y'. Telemetry's probe
   * carries it to the Network tab.
   */
  abstract readonly equation: string;
  /** Parameters this operation reads; empty for parameter-free operations. */
  readonly params: Param[] = [];

  forward(x: Tensor, mode: ForwardMode): { y: Tensor; ctx: OpContext } {
    this.checkInput(x);
    const ctx: OpContext = { x, y: x };
    if (mode.training && mode.step) ctx.step = mode.step;
    ctx.y = this.output(x, ctx, mode);
    return { y: ctx.y, ctx };
  }

  /** Returns dL/dx and adds dL/dparam into each param's `grad`. */
  backward(dy: Tensor, ctx: OpContext): Tensor {
    assertShape(
      dy.sameShape(ctx.y),
      () =>
        `${this.name}.backward: output gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(ctx.y.shape)}`,
    );
    const dx = this.inputGrad(dy, ctx);
    assertShape(
      dx.sameShape(ctx.x),
      () =>
        `${this.name}.backward: input gradient shape ${formatShape(dx.shape)} does not match input shape ${formatShape(ctx.x.shape)}`,
    );
    this.paramGrads(dy, ctx);
    return dx;
  }

  /** dL/dx only, leaving parameter gradients untouched (telemetry's probe backward). */
  backwardInput(dy: Tensor, ctx: OpContext): Tensor {
    assertShape(
      dy.sameShape(ctx.y),
      () =>
        `${this.name}.backward: output gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(ctx.y.shape)}`,
    );
    return this.inputGrad(dy, ctx);
  }

  /**
   * Adds dL/dparam into each param's `grad` without computing dL/dx: the first layer of a network
   * has no use for its input gradient, and skipping it saves a third of a dense layer's backward.
   */
  backwardParamsOnly(dy: Tensor, ctx: OpContext): void {
    assertShape(
      dy.sameShape(ctx.y),
      () =>
        `${this.name}.backward: output gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(ctx.y.shape)}`,
    );
    this.paramGrads(dy, ctx);
  }

  /** Throws a ShapeError if the input cannot be processed (rank, feature count...). */
  protected checkInput(_x: Tensor): void {}
  protected abstract output(x: Tensor, ctx: OpContext, mode: ForwardMode): Tensor;
  protected abstract inputGrad(dy: Tensor, ctx: OpContext): Tensor;
  protected paramGrads(_dy: Tensor, _ctx: OpContext): void {}
}

/**
 * Storage for an op's output or input gradient: in the step arena when the call belongs to a
 * training step that has one and the dtype is float32 (its contents are then arbitrary unless
 * `zero`), else a fresh zero-filled tensor. Kernels read and write step tensors in place.
 */
export function opTensor(
  ctx: { readonly step?: StepArena } | undefined,
  shape: Shape,
  dtype: DType,
  zero = false,
): Tensor {
  const step = ctx?.step;
  if (step && dtype === 'float32') return zero ? step.zeros(shape) : step.tensor(shape);
  return Tensor.zeros(shape, dtype);
}

/** Elementwise map helper: `out[i] = f(x[i])` into a tensor of x's shape and dtype (opTensor). */
export function mapUnary(x: Tensor, f: (v: number) => number, ctx?: OpContext): Tensor {
  const out = opTensor(ctx, x.shape, x.dtype);
  const xd = x.data;
  const od = out.data;
  for (let i = 0; i < xd.length; i++) od[i] = f(xd[i]);
  return out;
}
