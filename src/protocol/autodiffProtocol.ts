/**
 * Messages between the host and the autodiff panel ("Glassbox: Run an Autodiff Expression…").
 * The graph and the backward steps are the engine's describeGraph / traceBackward output
 * (src/engine/autodiff/graphDescription.ts), restated here structurally: the protocol depends on
 * nothing, and the engine's types are assignable to these. Values and gradients are row-major
 * arrays of the node's `shape` ([] for a number, [n] a vector, [rows, columns] a matrix).
 */

export interface AutodiffNode {
  readonly id: number;
  /** 'variable', 'constant' or the op ('add', 'multiply', 'sigmoid', ...). */
  readonly op: string;
  /** The name the expression gave it ('a'), a constant's number, or ''. Untrusted text. */
  readonly label: string;
  readonly parents: readonly number[];
  readonly shape: readonly number[];
  readonly value: readonly number[];
  /** The final gradient after the whole backward pass (null where none flows: constants). */
  readonly grad: readonly number[] | null;
  readonly requiresGrad: boolean;
}

export interface AutodiffEdge {
  readonly from: number;
  readonly to: number;
  readonly operand: number;
}

export interface AutodiffStep {
  /** The node whose backward ran. */
  readonly node: number;
  /** Its complete gradient at that moment. */
  readonly grad: readonly number[];
  /** The gradient it sent to each operand that takes one. */
  readonly sent: readonly { readonly to: number; readonly operand: number; readonly grad: readonly number[] }[];
}

export interface AutodiffGraphMessage {
  readonly type: 'autodiffGraph';
  /** The expression as the user wrote it (untrusted: shown with textContent). */
  readonly expression: string;
  /** The output's name, or ''. */
  readonly outputName: string;
  readonly nodes: readonly AutodiffNode[];
  readonly edges: readonly AutodiffEdge[];
  readonly root: number;
  /** The backward pass, one step per node whose backward ran, in the order it ran. */
  readonly steps: readonly AutodiffStep[];
}

export type ToAutodiffView = AutodiffGraphMessage;
export type FromAutodiffView = { readonly type: 'ready' };

/** A message from the autodiff webview, validated (anything else: null). */
export function parseFromAutodiffView(msg: unknown): FromAutodiffView | null {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'ready'
    ? { type: 'ready' }
    : null;
}

/** The host's message to the autodiff webview, checked for its shape (anything else: null). */
export function parseAutodiffGraphMessage(msg: unknown): AutodiffGraphMessage | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as Partial<AutodiffGraphMessage>;
  return m.type === 'autodiffGraph' &&
    typeof m.expression === 'string' &&
    typeof m.root === 'number' &&
    Array.isArray(m.nodes) &&
    m.nodes.every((n) => typeof n === 'object' && n !== null && Array.isArray(n.shape) && Array.isArray(n.value)) &&
    Array.isArray(m.edges) &&
    Array.isArray(m.steps)
    ? (m as AutodiffGraphMessage)
    : null;
}
