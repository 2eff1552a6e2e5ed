import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeGraph } from '../../../src/engine/autodiff/describeGraph';
import { traceBackward } from '../../../src/engine/autodiff/traceBackward';
import { e6_6Graph } from '../../../src/engine/autodiff/experimentE6_6';
import { matmul } from '../../../src/engine/autodiff/matmul';
import { variable } from '../../../src/engine/autodiff/var';
import { randn } from '../helpers/gradHelpers';

describe('describeGraph: a serialisable autodiff graph for the Network tab', () => {
  it('E6.6 before and after backward: nodes in forward order, edges, values, gradients, backward order', () => {
    const g = e6_6Graph();
    const before = describeGraph(g.e);
    assert.ok(before.nodes.every((n) => n.grad === null));
    const ran = g.e.backward();
    const d = describeGraph(g.e);
    // JSON round trip: plain data only.
    assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
    const byLabel = new Map(d.nodes.filter((n) => n.label).map((n) => [n.label, n]));
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].map((k) => [k, byLabel.get(k)?.value, byLabel.get(k)?.grad]),
      [
        ['a', [3], [35]],
        ['b', [12], [5]],
        ['c', [15], [5]],
        ['d', [5], [15]],
        ['e', [75], [1]],
      ],
    );
    // a, 4, b, 3, c, 2, d, e: 8 nodes, the three numbers as constants with no gradient.
    assert.equal(d.nodes.length, 8);
    const constants = d.nodes.filter((n) => n.op === 'constant');
    assert.deepEqual(
      constants.map((n) => [n.label, n.value[0], n.grad, n.requiresGrad]),
      [
        ['4', 4, null, false],
        ['3', 3, null, false],
        ['2', 2, null, false],
      ],
    );
    const pos = new Map(d.nodes.map((n, i) => [n.id, i]));
    for (const e of d.edges) assert.ok((pos.get(e.from) ?? 99) < (pos.get(e.to) ?? -1));
    assert.equal(d.edges.length, 8);
    const e = byLabel.get('e');
    assert.deepEqual(
      d.edges.filter((x) => x.to === e?.id).map((x) => [x.from, x.operand]),
      [
        [byLabel.get('c')?.id, 0],
        [byLabel.get('d')?.id, 1],
      ],
    );
    assert.equal(d.root, e?.id);
    assert.deepEqual(
      d.backwardOrder,
      ran.map((v) => v.id),
    );
    assert.deepEqual(
      d.backwardOrder.map((id) => d.nodes.find((n) => n.id === id)?.label),
      ['e', 'd', 'c', 'b'],
    );
  });
  it('keeps shapes and truncates large tensors', () => {
    const w = variable(randn([30, 4], 1), 'W');
    const y = matmul(variable(randn([2, 30], 2), 'x'), w);
    y.backward();
    const d = describeGraph(y, { maxElements: 50 });
    const wn = d.nodes.find((n) => n.label === 'W');
    assert.deepEqual(wn?.shape, [30, 4]);
    assert.equal(wn?.truncated, true);
    assert.equal(wn?.value.length, 50);
    assert.equal(wn?.grad?.length, 50);
    assert.equal(d.nodes.find((n) => n.op === 'matmul')?.truncated, false);
  });
});

describe('traceBackward: the backward pass step by step', () => {
  it('E6.6: a receives 20 through b and 15 through d; each step shows the complete gradient it passes on', () => {
    const g = e6_6Graph();
    const steps = traceBackward(g.e);
    const name = new Map([g.a, g.b, g.c, g.d, g.e].map((v) => [v.id, v.label]));
    assert.deepEqual(
      steps.map((s) => [name.get(s.node), s.grad, s.sent.map((x) => [name.get(x.to), x.operand, x.grad])]),
      [
        [
          'e',
          [1],
          [
            ['c', 0, [5]],
            ['d', 1, [15]],
          ],
        ],
        ['d', [15], [['a', 0, [15]]]],
        ['c', [5], [['b', 0, [5]]]],
        ['b', [5], [['a', 0, [20]]]],
      ],
    );
    assert.equal(g.a.grad?.data[0], 35);
    assert.deepEqual(JSON.parse(JSON.stringify(steps)), steps);
  });
});
