import { assertShape } from '../errors';
import { residentCopy, residentData } from '../kernels/residentTensor';
import type { RandomState } from '../random/randomState';
import type { Profile } from '../profile';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

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
}

/**
 * The book's Operation: `forward` and `backward` are template methods that check shapes once,
 * so subclasses only implement `output`, `inputGrad` and (for ParamOperations) `paramGrads`.
 */
export abstract class Operation {
  abstract readonly name: string;
  /** Parameters this operation reads; empty for parameter-free operations. */
  readonly params: Param[] = [];

  forward(x: Tensor, mode: ForwardMode): { y: Tensor; ctx: OpContext } {
    this.checkInput(x);
    const ctx: OpContext = { x, y: x };
    ctx.y = this.output(x, ctx, mode);
    return { y: ctx.y, ctx };
  }

  /** Returns dL/dx and adds dL/dparam into each param's `grad`. */
  backward(dy: Tensor, ctx: OpContext): Tensor {
    assertShape(dy.sameShape(ctx.y), () => `${this.name}.backward: output gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(ctx.y.shape)}`);
    const dx = this.inputGrad(dy, ctx);
    assertShape(dx.sameShape(ctx.x), () => `${this.name}.backward: input gradient shape ${formatShape(dx.shape)} does not match input shape ${formatShape(ctx.x.shape)}`);
    this.paramGrads(dy, ctx);
    return dx;
  }

  /** dL/dx only, leaving parameter gradients untouched (telemetry's probe backward). */
  backwardInput(dy: Tensor, ctx: OpContext): Tensor {
    assertShape(dy.sameShape(ctx.y), () => `${this.name}.backward: output gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(ctx.y.shape)}`);
    return this.inputGrad(dy, ctx);
  }

  /**
   * Adds dL/dparam into each param's `grad` without computing dL/dx: the first layer of a network
   * has no use for its input gradient, and skipping it saves a third of a dense layer's backward.
   */
  backwardParamsOnly(dy: Tensor, ctx: OpContext): void {
    assertShape(dy.sameShape(ctx.y), () => `${this.name}.backward: output gradient shape ${formatShape(dy.shape)} does not match output shape ${formatShape(ctx.y.shape)}`);
    this.paramGrads(dy, ctx);
  }

  /** Throws a ShapeError if the input cannot be processed (rank, feature count...). */
  protected checkInput(_x: Tensor): void {}
  protected abstract output(x: Tensor, ctx: OpContext, mode: ForwardMode): Tensor;
  protected abstract inputGrad(dy: Tensor, ctx: OpContext): Tensor;
  protected paramGrads(_dy: Tensor, _ctx: OpContext): void {}
}

/** Elementwise map helper: `out[i] = f(x[i])` into a fresh tensor of x's shape and dtype. */
export function mapUnary(x: Tensor, f: (v: number) => number): Tensor {
  const out = Tensor.zeros(x.shape, x.dtype);
  const xd = x.data;
  const od = out.data;
  for (let i = 0; i < xd.length; i++) od[i] = f(xd[i]);
  return out;
}
