import assert from 'node:assert/strict';
import { formatFailures, gradCheck, GradCheckOptions } from '../../../src/engine/gradcheck/gradCheck';
import type { Layer } from '../../../src/engine/layers/layer';
import type { Loss } from '../../../src/engine/losses/loss';
import type { ForwardMode, Operation } from '../../../src/engine/ops/operation';
import { MODERN, Profile } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';

export function randn(shape: number[], seed: number, scale = 1): Tensor {
  const t = Tensor.zeros(shape, 'float64');
  new RandomState(seed).fillNormal(t.data, 0, scale);
  return t;
}

/** Inference-style mode with a fixed-seed RNG: every forward redraws the same masks. */
export function fixedMode(training: boolean, seed = 7, profile: Profile = MODERN): () => ForwardMode {
  return () => ({ training, rng: new RandomState(seed), profile });
}

/** Checks dL/dx and dL/dparam of one operation. */
export function checkOperation(
  op: Operation,
  x: Tensor,
  mode: () => ForwardMode = fixedMode(false),
  options: GradCheckOptions = {},
): void {
  const tensors: Record<string, Tensor> = { x };
  op.params.forEach((p) => (tensors[p.name] = p.value));
  const failures = gradCheck(
    tensors,
    () => op.forward(x, mode()).y,
    (dy) => {
      for (const p of op.params) p.grad.data.fill(0);
      const { ctx } = op.forward(x, mode());
      const dx = op.backward(dy, ctx);
      const out: Record<string, Tensor> = { x: dx };
      op.params.forEach((p) => (out[p.name] = p.grad.clone()));
      return out;
    },
    options,
  );
  assert.equal(failures.length, 0, `${op.name} gradient check failed:\n${formatFailures(failures)}`);
}

/** Checks dL/dx and every parameter gradient of a built layer. */
export function checkLayer(
  layer: Layer,
  x: Tensor,
  mode: () => ForwardMode = fixedMode(false),
  options: GradCheckOptions = {},
): void {
  const params = layer.params();
  const tensors: Record<string, Tensor> = { x };
  params.forEach((p, i) => (tensors[`${p.name}${i}`] = p.value));
  const failures = gradCheck(
    tensors,
    () => layer.forward(x, mode()).y,
    (dy) => {
      for (const p of params) p.grad.data.fill(0);
      const { tape } = layer.forward(x, mode());
      const out: Record<string, Tensor> = { x: layer.backward(dy, tape) };
      params.forEach((p, i) => (out[`${p.name}${i}`] = p.grad.clone()));
      return out;
    },
    options,
  );
  assert.equal(failures.length, 0, `${layer.kind} gradient check failed:\n${formatFailures(failures)}`);
}

/** Checks dL/dprediction of a loss (the loss is a scalar; dy is a random scalar). */
export function checkLoss(loss: Loss, prediction: Tensor, target: Tensor, options: GradCheckOptions = {}): void {
  const failures = gradCheck(
    { prediction },
    () => Tensor.fill([1], loss.forward(prediction, target).loss, 'float64'),
    (dy) => {
      const { ctx } = loss.forward(prediction, target);
      const g = loss.backward(ctx);
      const scaled = g.clone();
      for (let i = 0; i < scaled.size; i++) scaled.data[i] *= dy.data[0];
      return { prediction: scaled };
    },
    options,
  );
  assert.equal(failures.length, 0, `${loss.name} gradient check failed:\n${formatFailures(failures)}`);
}
