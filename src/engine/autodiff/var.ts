import { assertShape, GlassboxError } from '../errors';
import { formatShape, shapesEqual } from '../tensor/shape';
import { DType, Tensor } from '../tensor/tensor';

/**
 * Gradients for each parent, from the gradient of the output: same order as `parents`, each of
 * its parent's shape, or null where a parent needs none (a constant). Tensors returned are new:
 * the engine adds them into the parents' `grad`.
 */
export type BackwardFn = (dy: Tensor) => (Tensor | null)[];

/**
 * Called by `backward` once per node whose backward runs, before its parents receive `grads`
 * (one per parent, null where none is sent): what a step-through view shows.
 */
export type BackwardHook = (node: Var, grads: readonly (Tensor | null)[]) => void;

let nextId = 1;

/**
 * A node of a reverse-mode autodiff graph: a Tensor value, the gradient dL/dvalue filled in by
 * `backward`, and how it was made (the op's name, its parents and a closure that maps the
 * output's gradient to the parents'). micrograd's `Value` with a tensor inside (style.md §2.1):
 * each op builds its output node and its backward as one loop over a typed array.
 *
 * Leaves are made with `variable` (wants a gradient) or `constant` (does not); ops in
 * autodiff/*.ts make the rest. The value is not copied: gradient checks perturb it in place.
 */
export class Var {
  /** Unique, increasing in creation order: parents always have smaller ids than children. */
  readonly id = nextId++;
  /** dL/dvalue, same shape and dtype as `value`; null until a backward pass reaches this node. */
  grad: Tensor | null = null;

  constructor(
    readonly value: Tensor,
    /** 'variable', 'constant' or the op that made it ('matmul', 'sigmoid', ...): for display. */
    readonly op: string,
    readonly parents: readonly Var[] = [],
    /** Null for leaves. */
    readonly backwardFn: BackwardFn | null = null,
    /** True if a gradient flows to this node: a variable, or an op with a parent that needs one. */
    readonly requiresGrad = false,
    /** Optional display name ('W_f', 'a'). */
    public label = '',
  ) {}

  get shape(): readonly number[] {
    return this.value.shape;
  }
  get dtype(): DType {
    return this.value.dtype;
  }
  get isLeaf(): boolean {
    return this.parents.length === 0;
  }

  /**
   * Reverse-mode backward from this node: seeds dL/dself with `seed` (default: ones, i.e. this
   * node is the loss L itself, or L = Σ of its elements), then visits the graph in reverse
   * topological order so that each node's gradient is complete (all its uses have added their
   * share) before it is pushed to its parents.
   *
   * Gradients of intermediate nodes are recomputed by each call (reset first); gradients of
   * leaves accumulate across calls, as PyTorch's do (call `zeroGrad` between steps).
   * Returns the nodes in the order their backward ran (the backward order the graph view steps);
   * `onStep` sees each of them with the gradients it sends.
   */
  backward(seed?: Tensor, onStep?: BackwardHook): Var[] {
    const order = topologicalOrder(this);
    for (const v of order) if (!v.isLeaf) v.grad = null;
    const g = seed ?? Tensor.fill(this.shape, 1, this.dtype);
    assertShape(
      shapesEqual(g.shape, this.shape),
      () => `backward: seed shape ${formatShape(g.shape)} does not match ${formatShape(this.shape)}`,
    );
    accumulate(this, g);
    const ran: Var[] = [];
    for (let k = order.length - 1; k >= 0; k--) {
      const v = order[k];
      if (!v.backwardFn || !v.grad || !v.requiresGrad) continue;
      ran.push(v);
      const grads = v.backwardFn(v.grad);
      onStep?.(v, grads);
      v.parents.forEach((p, i) => {
        const gp = grads[i];
        if (gp && p.requiresGrad) accumulate(p, gp);
      });
    }
    return ran;
  }
}

/** A leaf that wants a gradient (a weight, an input whose gradient is checked). */
export function variable(value: Tensor, label = ''): Var {
  return new Var(value, 'variable', [], null, true, label);
}

/** A leaf with no gradient (data, targets, a number in an expression). */
export function constant(value: Tensor | number, dtype: DType = 'float64', label = ''): Var {
  const t = typeof value === 'number' ? Tensor.fill([], value, dtype) : value;
  return new Var(t, 'constant', [], null, false, label || (typeof value === 'number' ? String(value) : ''));
}

/** Operand of an op: a node, or a number made a scalar constant of the other operand's dtype. */
export type Operand = Var | number;

export function asVar(x: Operand, dtype: DType): Var {
  return typeof x === 'number' ? constant(x, dtype) : x;
}

/** The op's output node; it needs a gradient iff one of its parents does. */
export function makeNode(value: Tensor, op: string, parents: Var[], backwardFn: BackwardFn): Var {
  const dtypes = new Set(parents.map((p) => p.dtype));
  if (dtypes.size > 1) throw new GlassboxError(`${op}: operands mix float32 and float64`);
  return new Var(
    value,
    op,
    parents,
    backwardFn,
    parents.some((p) => p.requiresGrad),
  );
}

/** g added into v.grad (a copy on first arrival: a node used twice receives the sum of both uses). */
function accumulate(v: Var, g: Tensor): void {
  assertShape(
    shapesEqual(g.shape, v.shape),
    () => `backward: gradient ${formatShape(g.shape)} for a ${formatShape(v.shape)} node (${v.op})`,
  );
  if (!v.grad) {
    v.grad = g.dtype === v.dtype ? g.clone() : g.astype(v.dtype);
    return;
  }
  const o = v.grad.data,
    d = g.data;
  for (let i = 0; i < o.length; i++) o[i] += d[i];
}

/**
 * Every node `root` depends on, parents before children (depth-first post-order, micrograd's
 * `build_topo`, iterative so a long unrolled sequence cannot overflow the call stack).
 */
export function topologicalOrder(root: Var): Var[] {
  const order: Var[] = [];
  const seen = new Set<Var>();
  const stack: { v: Var; next: number }[] = [{ v: root, next: 0 }];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.v.parents.length) {
      const p = top.v.parents[top.next++];
      if (!seen.has(p)) {
        seen.add(p);
        stack.push({ v: p, next: 0 });
      }
    } else {
      order.push(top.v);
      stack.pop();
    }
  }
  return order;
}

/** Sets the gradient of every given node to null (between training steps). */
export function zeroGrad(vars: Iterable<Var>): void {
  for (const v of vars) v.grad = null;
}
