import { assertShape } from '../errors';
import { formatShape } from '../tensor/shape';
import { allocate, Tensor } from '../tensor/tensor';
import { mean, sum } from './reduce';
import { multiply } from './elementwise';
import { negate } from './unary';
import { constant, makeNode, Var } from './var';

/**
 * log softmax along the last axis, in the stable form y = x − max − log Σ e^(x − max).
 * Shape: [..., n] → [..., n]. Backward: dL/dx = dL/dy − softmax(x) · Σ_row dL/dy.
 */
export function logSoftmax(x: Var): Var {
  assertShape(x.value.rank >= 1, () => `logSoftmax: needs at least one axis, got ${formatShape(x.shape)}`);
  const n = x.shape[x.shape.length - 1];
  const rows = x.value.size / n;
  const xv = x.value.data;
  const y = allocate(x.dtype, xv.length);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, xv[r * n + j]);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(xv[r * n + j] - max);
    const lse = max + Math.log(s);
    for (let j = 0; j < n; j++) y[r * n + j] = xv[r * n + j] - lse;
  }
  return makeNode(new Tensor(x.shape, y), 'logSoftmax', [x], (dy) => {
    const g = dy.data;
    const dx = allocate(x.dtype, xv.length);
    for (let r = 0; r < rows; r++) {
      let gs = 0;
      for (let j = 0; j < n; j++) gs += g[r * n + j];
      for (let j = 0; j < n; j++) dx[r * n + j] = g[r * n + j] - Math.exp(y[r * n + j]) * gs;
    }
    return [new Tensor(x.shape, dx)];
  });
}

/**
 * Softmax cross-entropy, mean over the batch: L = −(1/batch) Σ y ⊙ log softmax(logits), written
 * with autodiff primitives (its gradient, (softmax − y)/batch, comes out of the graph).
 * Shape: logits [batch, classes], targets [batch, classes] (one-hot or probabilities) → L [].
 */
export function softmaxCrossEntropy(logits: Var, targets: Tensor): Var {
  assertShape(
    logits.value.rank === 2 && targets.sameShape(logits.value),
    () => `softmaxCrossEntropy: logits ${formatShape(logits.shape)} and targets ${formatShape(targets.shape)}`,
  );
  const perRow = sum(
    multiply(
      constant(targets.dtype === logits.dtype ? targets : targets.astype(logits.dtype), logits.dtype, 'targets'),
      logSoftmax(logits),
    ),
    1,
  );
  return negate(mean(perRow));
}
