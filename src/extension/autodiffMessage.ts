import { buildExpressionGraph } from '../engine/autodiff/expressionGraph';
import { describeGraph } from '../engine/autodiff/describeGraph';
import { traceBackward } from '../engine/autodiff/traceBackward';
import type { AutodiffGraphMessage } from '../protocol/autodiffProtocol';

/**
 * Builds the expression's graph, runs its backward pass recording each step, and packs both for the
 * autodiff panel. Throws the engine's ExpressionError (line, column) for bad text. No vscode: the
 * panel's data is unit-tested as is.
 */
export function autodiffMessage(expression: string): AutodiffGraphMessage {
  const g = buildExpressionGraph(expression);
  const steps = traceBackward(g.output);
  const d = describeGraph(g.output);
  return {
    type: 'autodiffGraph',
    expression,
    outputName: g.outputName,
    nodes: d.nodes.map((n) => ({
      id: n.id,
      op: n.op,
      label: n.label,
      parents: n.parents,
      shape: n.shape,
      value: n.value,
      grad: n.grad,
      requiresGrad: n.requiresGrad,
    })),
    edges: d.edges,
    root: d.root,
    steps,
  };
}
