import type { Tensor } from '../tensor/tensor';
import type { BackwardStepDescription } from './graphDescription';
import type { Var } from './var';

/**
 * Runs `root.backward()` and records each step as plain data: which node ran, its gradient, and
 * the gradient it sent to each operand (E6.6: `a` receives 20 from b = a·4 and then 15 from
 * d = a + 2, which add up to 35). Pair it with describeGraph for the values and final gradients.
 */
export function traceBackward(root: Var, seed?: Tensor, maxElements = 4096): BackwardStepDescription[] {
  const plain = (t: Tensor): number[] => Array.from(t.data.subarray(0, maxElements));
  const steps: BackwardStepDescription[] = [];
  root.backward(seed, (node, grads) => {
    steps.push({
      node: node.id,
      grad: node.grad ? plain(node.grad) : [],
      sent: node.parents.flatMap((p, operand) => {
        const g = grads[operand];
        return g && p.requiresGrad ? [{ to: p.id, operand, grad: plain(g) }] : [];
      }),
    });
  });
  return steps;
}
