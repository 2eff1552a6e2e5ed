import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildExpressionGraph,
  E6_6_EXPRESSION,
  MAX_EXPRESSION_NODES,
} from '../../../src/engine/autodiff/expressionGraph';
import { ExpressionError, MAX_EXPRESSION_CHARS, parseExpression } from '../../../src/engine/autodiff/parseExpression';
import { describeGraph } from '../../../src/engine/autodiff/describeGraph';
import { traceBackward } from '../../../src/engine/autodiff/traceBackward';

const grad = (src: string, name: string): number | undefined => {
  const g = buildExpressionGraph(src);
  g.output.backward();
  return g.names.get(name)?.grad?.data[0];
};

/** The ExpressionError `src` throws: its line, column and reason. */
function errorOf(src: string): { line: number; column: number; reason: string } {
  try {
    buildExpressionGraph(src);
  } catch (e) {
    assert.ok(e instanceof ExpressionError, `not an ExpressionError: ${String(e)}`);
    assert.match(e.message, new RegExp(`^line ${e.line}, column ${e.column}: `));
    return { line: e.line, column: e.column, reason: e.reason };
  }
  assert.fail(`no error for ${JSON.stringify(src)}`);
}

describe('autodiff expressions (the autodiff panel): E6.6 through the parser', () => {
  it('a = 3; b = a*4; c = b + 3: a.grad 4, b.grad 1 (the notebook prints 4 and 1)', () => {
    const g = buildExpressionGraph('a=3; b=a*4; c=b+3');
    assert.equal(g.outputName, 'c');
    g.output.backward();
    assert.equal(g.names.get('a')?.grad?.data[0], 4);
    assert.equal(g.names.get('b')?.grad?.data[0], 1);
    assert.equal(g.output.value.data[0], 15);
  });

  it('with d = a + 2; e = c*d: a.grad 35 (20 through b, 15 through d), e = 75', () => {
    const g = buildExpressionGraph('a=3; b=a*4; c=b+3\nd=a+2; e=c*d');
    assert.equal(g.outputName, 'e');
    const steps = traceBackward(g.output);
    assert.equal(g.output.value.data[0], 75);
    assert.equal(g.names.get('a')?.grad?.data[0], 35);
    const toA = steps.flatMap((s) => s.sent.filter((x) => x.to === g.names.get('a')?.id).map((x) => x.grad[0]));
    assert.deepEqual(
      toA.sort((x, y) => x - y),
      [15, 20],
    );
    // The panel's example is the same expression.
    assert.equal(grad(E6_6_EXPRESSION, 'a'), 35);
    // a, 4, b, 3, c, 2, d, e: the names label their nodes, numbers are constants labelled as written.
    const d = describeGraph(g.output);
    assert.deepEqual(
      d.nodes.map((n) => [n.label, n.op]),
      [
        ['a', 'variable'],
        ['4', 'constant'],
        ['b', 'multiply'],
        ['3', 'constant'],
        ['c', 'add'],
        ['2', 'constant'],
        ['d', 'add'],
        ['e', 'multiply'],
      ],
    );
  });

  it('precedence, unary minus, parentheses, division and the functions', () => {
    const g = buildExpressionGraph(
      'x = 2; y = -x + 3 * (x - 1) / 4; z = tanh(y) + sigmoid(x) * exp(log(x)) - relu(-x)',
    );
    const x = 2;
    const y = -x + (3 * (x - 1)) / 4;
    const s = 1 / (1 + Math.exp(-x));
    assert.ok(Math.abs(g.names.get('y')!.value.data[0] - y) < 1e-12);
    assert.ok(Math.abs(g.output.value.data[0] - (Math.tanh(y) + s * x)) < 1e-12);
    g.output.backward();
    const dydx = -1 + 3 / 4;
    const expected = (1 - Math.tanh(y) ** 2) * dydx + s * (1 - s) * x + s;
    assert.ok(Math.abs(g.names.get('x')!.grad!.data[0] - expected) < 1e-12);
    // A bare last expression is the output too; x = -2.5 is a variable, 1e-1 a number.
    const h = buildExpressionGraph('x = -2.5\n\n x * x + 1e-1;');
    assert.equal(h.outputName, '');
    assert.equal(h.output.value.data[0], 6.35);
    assert.equal(h.names.get('x')?.op, 'variable');
  });

  it('bad input: the reason, with the line and column where it went wrong', () => {
    const cases: [string, number, number, RegExp][] = [
      ['a = 3; b = a *', 1, 15, /expected a number, \[, a name or \(, found the end of the text/],
      ['a = 3; b = a $ 2', 1, 14, /unexpected character "\$"/],
      ['a = 3\nb = q + a', 2, 5, /unknown name 'q'/],
      ['a = 3; b = sin(a)', 1, 12, /unknown function 'sin'/],
      ['a = 3; b = (a + 1', 1, 18, /'\)' to close the '\(' at column 12/],
      ['a = 3; a = 4', 1, 8, /'a' is already assigned/],
      ['a = 3; b = 2a', 1, 13, /after the number 2 \(write 2\*a/],
      ['a = 3 4', 1, 7, /expected an operator, ';' or a new line, found '4'/],
      ['a = 3; 2 + 3', 1, 8, /depends on no variable/],
      ['exp = 3', 1, 1, /'exp' is a function and cannot be assigned/],
      ['  \n ;', 1, 1, /no expression/],
      ['a = 3; b = tanh a', 1, 17, /expected '\(' after the function tanh, found 'a'/],
    ];
    for (const [src, line, column, re] of cases) {
      const e = errorOf(src);
      assert.match(e.reason, re, src);
      assert.deepEqual([e.line, e.column], [line, column], `${src}: ${e.reason}`);
    }
  });

  it('bounded: at most 2,000 characters, 200 nodes, and nesting depth', () => {
    assert.equal(errorOf('a = 3; b = a' + ' '.repeat(MAX_EXPRESSION_CHARS)).reason.includes('at most 2000'), true);
    // 1 variable + 2 nodes per "+ a*1"... a + 1 + 1 ...: each "+ 1" makes a constant and an add.
    const many = 'a = 1; b = a' + ' + 1'.repeat(MAX_EXPRESSION_NODES / 2);
    assert.ok(many.length <= MAX_EXPRESSION_CHARS);
    assert.match(errorOf(many).reason, /more than 200 graph nodes/);
    assert.match(errorOf('a = 1; b = ' + '('.repeat(300) + 'a' + ')'.repeat(300)).reason, /too deeply nested/);
    assert.match(errorOf('a = 1; b = ' + '-'.repeat(300) + 'a').reason, /too deeply nested/);
    // Just under the node limit is fine.
    assert.doesNotThrow(() => buildExpressionGraph('a = 1; b = a' + ' + 1'.repeat(MAX_EXPRESSION_NODES / 2 - 1)));
    assert.equal(parseExpression('a=1;;;b=a').length, 2);
  });

  it('vectors, matrices, @ and sum: y = sum(tanh(x @ W + b)) with dy/dW = xᵀ(1 − tanh²) and dy/db = 1 − tanh²', () => {
    const src = 'W = [[0.5, -1], [2, 0.25]]\nx = [[1, 3]]\nb = [0.1, -0.2]\nh = tanh(x @ W + b)\ny = sum(h)';
    const g = buildExpressionGraph(src);
    assert.deepEqual(g.names.get('W')?.shape, [2, 2]);
    assert.deepEqual(g.names.get('b')?.shape, [2]);
    assert.deepEqual(g.output.shape, []);
    g.output.backward();
    // x @ W + b = [1·0.5 + 3·2 + 0.1, 1·(−1) + 3·0.25 − 0.2] = [6.6, −0.45]
    const z = [6.6, -0.45];
    const d = z.map((v) => 1 - Math.tanh(v) ** 2);
    const close = (a: ArrayLike<number> | undefined, b: number[]) =>
      assert.ok(a && b.every((v, i) => Math.abs(a[i] - v) < 1e-12), `${String(a && Array.from(a))} vs ${b}`);
    close(g.output.value.data, [Math.tanh(6.6) + Math.tanh(-0.45)]);
    close(g.names.get('W')?.grad?.data, [1 * d[0], 1 * d[1], 3 * d[0], 3 * d[1]]);
    close(g.names.get('b')?.grad?.data, d);
    close(g.names.get('x')?.grad?.data, [0.5 * d[0] - 1 * d[1], 2 * d[0] + 0.25 * d[1]]);
    // A matrix over several lines, a literal constant inside an expression, mean.
    const m = buildExpressionGraph('A = [[1, 2],\n     [3, 4]]\nm = mean(A * [[1, 0], [0, 1]])');
    assert.equal(m.output.value.data[0], (1 + 4) / 4);
    m.output.backward();
    assert.deepEqual(Array.from(m.names.get('A')!.grad!.data), [0.25, 0, 0, 0.25]);
    // A vector output is seeded with ones (the gradient of its sum).
    const v = buildExpressionGraph('a = [1, 2, 3]; c = a * a');
    v.output.backward();
    assert.deepEqual(Array.from(v.names.get('a')!.grad!.data), [2, 4, 6]);
  });

  it('tensor literals and shapes: bad input named with its line and column, literals bounded', () => {
    const cases: [string, number, number, RegExp][] = [
      ['W = [[1, 2], [3]]', 1, 5, /row 2 of the matrix has 1 numbers, row 1 has 2/],
      ['W = [[1, 2]]; x = [[1, 2, 3]]; y = x @ W', 1, 38, /matmul: cannot multiply \[1, 3\] by \[1, 2\]/],
      ['a = [1, 2; b = a', 1, 10, /',' or '\]' to close the '\[' at line 1, column 5/],
      ['a = [1, x]', 1, 9, /expected a number, found 'x'/],
      ['a = [[1, 2], 3]', 1, 14, /expected '\[' to start the next row/],
      ['a = [1, 2]; b = [1, 2, 3]; c = a + b', 1, 34, /cannot broadcast|shape/],
      [`a = [${Array.from({ length: 65 }, () => 1).join(', ')}]`, 1, 5, /a literal of 65 numbers; at most 64/],
    ];
    for (const [src, line, column, re] of cases) {
      const e = errorOf(src);
      assert.match(e.reason, re, src);
      assert.deepEqual([e.line, e.column], [line, column], `${src}: ${e.reason}`);
    }
  });

  it('gradients of random expressions match central differences', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const vars = ['x0', 'x1', 'x2'];
    const gen = (depth: number): string => {
      if (depth === 0 || rand() < 0.2) return rand() < 0.8 ? vars[Math.floor(rand() * 3)] : (rand() * 2).toFixed(2);
      const a = gen(depth - 1);
      const b = gen(depth - 1);
      const forms = [
        `(${a} + ${b})`,
        `(${a} - ${b})`,
        `${a} * ${b}`,
        `${a} / (2 + sigmoid(${b}))`,
        `tanh(${a})`,
        `sigmoid(${a})`,
        `-${a}`,
        `log(1 + exp(tanh(${a})))`,
      ];
      return forms[Math.floor(rand() * forms.length)];
    };
    for (let trial = 0; trial < 20; trial++) {
      const body = `y = ${gen(4)} + x0 * x1 * x2`;
      const at = vars.map(() => rand() * 2 - 1);
      const src = (v: number[]) => vars.map((n, i) => `${n} = ${v[i]}`).join('; ') + '\n' + body;
      const g = buildExpressionGraph(src(at));
      g.output.backward();
      vars.forEach((n, i) => {
        const h = 1e-5;
        const f = (d: number) =>
          buildExpressionGraph(src(at.map((v, j) => (j === i ? v + d : v)))).output.value.data[0];
        const numeric = (f(h) - f(-h)) / (2 * h);
        const analytic = g.names.get(n)?.grad?.data[0] ?? 0;
        assert.ok(
          Math.abs(numeric - analytic) <= 1e-6 * Math.max(1, Math.abs(numeric)),
          `${body} at ${at}: d/d${n} ${analytic} vs ${numeric}`,
        );
      });
    }
  });
});
