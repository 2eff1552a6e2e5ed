/**
 * A serialisable picture of an autodiff graph (describeGraph.ts), for the panel's Network tab:
 * plain JSON, no class instances, so it crosses postMessage as is.
 */
export interface GraphNodeDescription {
  /** The node's Var id (unique within a run, increasing in creation order). */
  readonly id: number;
  /** 'variable', 'constant' or the op that made it ('add', 'matmul', 'sigmoid', ...). */
  readonly op: string;
  /** Display name given by the author of the expression ('a', 'W_f'), or ''. */
  readonly label: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'float64';
  /** Ids of the nodes this one was computed from, in operand order. */
  readonly parents: number[];
  /** Row-major values (the first `maxElements` when `truncated`). */
  readonly value: number[];
  /** dL/dvalue in the same layout, or null when no backward pass has reached the node. */
  readonly grad: number[] | null;
  /** Whether a gradient flows to this node (false for constants and what depends only on them). */
  readonly requiresGrad: boolean;
  /** True when value and grad hold only the first `maxElements` elements. */
  readonly truncated: boolean;
}

/** An edge from an operand to the node computed from it (the direction of the forward pass). */
export interface GraphEdgeDescription {
  readonly from: number;
  readonly to: number;
  /** Operand position at `to` (0 for the left operand of a − b, 1 for the right). */
  readonly operand: number;
}

export interface GraphDescription {
  /** Parents before children: the order the forward pass computed them. */
  readonly nodes: GraphNodeDescription[];
  readonly edges: GraphEdgeDescription[];
  /** Id of the output the backward pass starts from. */
  readonly root: number;
  /** Ids of the nodes whose backward runs, in the order it runs (reverse topological, root first). */
  readonly backwardOrder: number[];
}

/** One step of a backward pass (traceBackward.ts): a node pushes its gradient to its operands. */
export interface BackwardStepDescription {
  /** The node whose backward ran. */
  readonly node: number;
  /** Its complete gradient dL/dnode at that moment (all its uses have added their share). */
  readonly grad: number[];
  /** What it sent to each operand that takes a gradient, to be added to that operand's grad. */
  readonly sent: { readonly to: number; readonly operand: number; readonly grad: number[] }[];
}
