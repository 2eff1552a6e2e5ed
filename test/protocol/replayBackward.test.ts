import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildExpressionGraph, E6_6_EXPRESSION } from '../../src/engine/autodiff/expressionGraph';
import { describeGraph } from '../../src/engine/autodiff/describeGraph';
import { traceBackward } from '../../src/engine/autodiff/traceBackward';
import { replayBackward } from '../../src/protocol/replayBackward';

describe('replayBackward: the autodiff panel steps a recorded backward pass', () => {
  const g = buildExpressionGraph(E6_6_EXPRESSION);
  const steps = traceBackward(g.output);
  const d = describeGraph(g.output);
  const id = (name: string) => g.names.get(name)!.id;

  it('before any step only the root holds its seed; after all, every running sum is the final gradient', () => {
    const start = replayBackward(d.root, steps, 0);
    assert.equal(start.active, null);
    assert.deepEqual([...start.grads], [[d.root, [1]]]);
    const end = replayBackward(d.root, steps, steps.length);
    assert.equal(end.done, steps.length);
    for (const n of d.nodes) assert.deepEqual(end.grads.get(n.id) ?? null, n.grad, `node ${n.label}`);
    // Clamped.
    assert.equal(replayBackward(d.root, steps, 99).done, steps.length);
    assert.equal(replayBackward(d.root, steps, -3).done, 0);
  });

  it("E6.6: a's running sum goes 20 then 35 (in backward order), one contribution per use", () => {
    // e, c, b, d run in that order (reverse topological): b sends 20 to a, then d sends 15.
    assert.deepEqual(
      steps.map((s) => d.nodes.find((n) => n.id === s.node)?.label),
      ['e', 'd', 'c', 'b'],
    );
    const sums = steps.map((_, k) => replayBackward(d.root, steps, k + 1).grads.get(id('a'))?.[0]);
    assert.deepEqual(sums, [undefined, 15, 15, 35]);
    const last = replayBackward(d.root, steps, steps.length);
    assert.deepEqual(
      last.received.get(id('a'))?.map((c) => [c.from, c.grad[0]]),
      [
        [id('d'), 15],
        [id('b'), 20],
      ],
    );
    assert.equal(replayBackward(d.root, steps, 2).active, id('d'));
  });
});
