import type { AutodiffStep } from './autodiffProtocol';

/** One gradient a node received during backward: from which node's step, and how much. */
export interface GradientContribution {
  /** The node whose backward sent it (the root's own seed has from === the root's id). */
  readonly from: number;
  readonly grad: number[];
}

/** The gradients of a graph part-way through a backward pass (after `done` of its steps). */
export interface BackwardState {
  /** How many steps have run (0: only the root's seed is in place). */
  readonly done: number;
  /** The node whose backward ran last (null before the first step). */
  readonly active: number | null;
  /** Each node's running gradient: the sum of what it has received so far (absent: nothing yet). */
  readonly grads: ReadonlyMap<number, number[]>;
  /** What each node has received so far, in order (the terms of its running sum). */
  readonly received: ReadonlyMap<number, readonly GradientContribution[]>;
}

/**
 * Replays the first `done` steps of a recorded backward pass (the engine's traceBackward) on plain data, as
 * `Var.backward` accumulates them: the root starts with its seed (the gradient its own step
 * records), then each step adds what it sends into its operands' running sums. E6.6 after every
 * step: a has received 20 (from b = a·4) and 15 (from d = a + 2), i.e. 35.
 * `done` is clamped to 0..steps.length.
 */
export function replayBackward(root: number, steps: readonly AutodiffStep[], done: number): BackwardState {
  const n = Math.max(0, Math.min(steps.length, Math.floor(done)));
  const grads = new Map<number, number[]>();
  const received = new Map<number, GradientContribution[]>();
  const receive = (to: number, from: number, g: readonly number[]) => {
    const sum = grads.get(to);
    grads.set(to, sum ? sum.map((x, i) => x + g[i]) : [...g]);
    const list = received.get(to) ?? [];
    list.push({ from, grad: [...g] });
    received.set(to, list);
  };
  // The root's step records its complete gradient, which is its seed (nothing else flows into it).
  const rootStep = steps.find((s) => s.node === root);
  if (rootStep) receive(root, root, rootStep.grad);
  for (let k = 0; k < n; k++) for (const s of steps[k].sent) receive(s.to, steps[k].node, s.grad);
  return { done: n, active: n > 0 ? steps[n - 1].node : null, grads, received };
}
