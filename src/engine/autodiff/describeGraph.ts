import type { Tensor } from '../tensor/tensor';
import type { GraphDescription, GraphEdgeDescription, GraphNodeDescription } from './graphDescription';
import { topologicalOrder, Var } from './var';

export interface DescribeGraphOptions {
  /** At most this many elements of each value and gradient (default 4096). */
  maxElements?: number;
}

/**
 * The graph `root` depends on, as plain data (graphDescription.ts): every node with its value and
 * gradient, the edges, and the order `root.backward()` visits nodes. Call it after backward to
 * see gradients (before, they are null). Does not modify the graph.
 */
export function describeGraph(root: Var, options: DescribeGraphOptions = {}): GraphDescription {
  const max = options.maxElements ?? 4096;
  const order = topologicalOrder(root);
  const plain = (t: Tensor): number[] => Array.from(t.data.subarray(0, max));
  const nodes: GraphNodeDescription[] = order.map((v) => ({
    id: v.id,
    op: v.op,
    label: v.label,
    shape: [...v.shape],
    dtype: v.dtype,
    parents: v.parents.map((p) => p.id),
    value: plain(v.value),
    grad: v.grad ? plain(v.grad) : null,
    requiresGrad: v.requiresGrad,
    truncated: v.value.size > max,
  }));
  const edges: GraphEdgeDescription[] = order.flatMap((v) =>
    v.parents.map((p, operand) => ({ from: p.id, to: v.id, operand })),
  );
  // The same rule as Var.backward: nodes with a backward that a gradient reaches, root first.
  const backwardOrder = order
    .filter((v) => v.backwardFn !== null && v.requiresGrad)
    .reverse()
    .map((v) => v.id);
  return { nodes, edges, root: root.id, backwardOrder };
}
