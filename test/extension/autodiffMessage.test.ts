import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { autodiffMessage } from '../../src/extension/autodiffMessage';
import { E6_6_EXPRESSION } from '../../src/engine/autodiff/expressionGraph';
import { ExpressionError } from '../../src/engine/autodiff/parseExpression';
import { parseAutodiffGraphMessage, parseFromAutodiffView } from '../../src/protocol/autodiffProtocol';

describe('autodiffMessage: what the autodiff panel is sent', () => {
  it('E6.6: plain JSON with every node, its value and final gradient, the edges and four backward steps', () => {
    const m = autodiffMessage(E6_6_EXPRESSION);
    assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
    assert.deepEqual(parseAutodiffGraphMessage(JSON.parse(JSON.stringify(m))), m);
    assert.equal(m.outputName, 'e');
    const a = m.nodes.find((n) => n.label === 'a');
    assert.deepEqual([a?.op, a?.value, a?.grad], ['variable', [3], [35]]);
    assert.equal(m.nodes.length, 8);
    assert.equal(m.edges.length, 8); // b ← a, 4; c ← b, 3; d ← a, 2; e ← c, d
    assert.equal(m.steps.length, 4);
    assert.equal(m.root, m.nodes.find((n) => n.label === 'e')?.id);
  });

  it('bad text throws the ExpressionError the command shows; the view parses only well-formed messages', () => {
    assert.throws(() => autodiffMessage('a = 3; b = a +'), ExpressionError);
    assert.equal(parseAutodiffGraphMessage({ type: 'autodiffGraph', expression: 1 }), null);
    assert.equal(parseAutodiffGraphMessage(null), null);
    assert.deepEqual(parseFromAutodiffView({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.equal(parseFromAutodiffView({ type: 'run' }), null);
  });
});
