import { Tensor } from '../tensor/tensor';
import { GlassboxError } from '../errors';
import { add, divide, multiply, subtract } from './elementwise';
import { matmul } from './matmul';
import {
  EXPRESSION_FUNCTIONS,
  ExpressionError,
  parseExpression,
  type ExprNode,
  type ExpressionFunction,
} from './parseExpression';
import { mean, sum } from './reduce';
import { exp, log, negate, relu, sigmoid, tanh } from './unary';
import { constant, variable, type Var } from './var';

/** Most graph nodes (variables, numbers and ops) one expression may make. */
export const MAX_EXPRESSION_NODES = 200;

/** The E6.6 example (Autograd_Simple.ipynb), what the command offers first: de/da = 35. */
export const E6_6_EXPRESSION = 'a = 3; b = a * 4; c = b + 3; d = a + 2; e = c * d';

export interface ExpressionGraph {
  /** The node backward starts from: the last statement's value. */
  readonly output: Var;
  /** Its name, or '' when the last statement is a bare expression. */
  readonly outputName: string;
  /** Every assigned name and its node. */
  readonly names: ReadonlyMap<string, Var>;
}

const FUNCTIONS: Record<ExpressionFunction, (x: Var) => Var> = {
  sigmoid,
  tanh,
  relu,
  exp,
  log,
  sum: (x) => sum(x),
  mean: (x) => mean(x),
};
const BINARY = { '+': add, '-': subtract, '*': multiply, '/': divide, '@': matmul };

/** A literal's value: a vector [n] or matrix [rows, columns]. */
const tensorOf = (e: { shape: readonly number[]; values: readonly number[] }) =>
  new Tensor([...e.shape], Float64Array.from(e.values));

/**
 * Builds the autodiff graph of an expression (parseExpression.ts) with float64 values, the book's
 * NumberWithGrad generalised to tensors: `a = 3` or `W = [[1, 2], [3, 4]]` (a name given a
 * literal) makes a variable, which takes a gradient; a literal inside an expression is a constant;
 * every other `name = expr` labels its node with the name. Does not run backward (a non-scalar
 * output is seeded with ones: the gradient of the sum of its elements).
 * Throws ExpressionError (line, column) for unknown or repeated names, shapes that do not fit (a
 * matrix product of [1, 2] by [3, 2]), too many nodes, or an output that depends on no variable.
 */
export function buildExpressionGraph(src: string): ExpressionGraph {
  const statements = parseExpression(src);
  const names = new Map<string, Var>();
  let nodes = 0;
  const count = (at: ExprNode, v: Var): Var => {
    if (++nodes > MAX_EXPRESSION_NODES)
      throw new ExpressionError(`more than ${MAX_EXPRESSION_NODES} graph nodes`, at.line, at.column);
    return v;
  };
  const scalar = (x: number) => Tensor.fill([], x, 'float64');

  function build(e: ExprNode): Var {
    switch (e.kind) {
      case 'number':
        return count(e, constant(e.value, 'float64'));
      case 'tensor':
        return count(e, constant(tensorOf(e), 'float64', `[${e.shape.join('×')}]`));
      case 'name': {
        const v = names.get(e.name);
        if (!v)
          throw new ExpressionError(`unknown name '${e.name}' (assign it first: ${e.name} = 3)`, e.line, e.column);
        return v;
      }
      case 'negate':
        // −3 is the number −3, not negate(3): one node, labelled as written.
        if (e.operand.kind === 'number') return count(e, constant(-e.operand.value, 'float64'));
        return count(e, negate(build(e.operand)));
      case 'call':
        return count(e, FUNCTIONS[e.fn](build(e.arg)));
      case 'binary': {
        const l = build(e.left);
        const r = build(e.right);
        try {
          return count(e, BINARY[e.op](l, r));
        } catch (err) {
          // The engine's shape error ("matmul: cannot multiply [1, 2] by [3, 2]") at the operator.
          if (err instanceof GlassboxError && !(err instanceof ExpressionError))
            throw new ExpressionError(err.message, e.line, e.column);
          throw err;
        }
      }
    }
  }

  let output: Var | null = null;
  let outputName = '';
  for (const s of statements) {
    if (s.name !== null) {
      if ((EXPRESSION_FUNCTIONS as readonly string[]).includes(s.name))
        throw new ExpressionError(`'${s.name}' is a function and cannot be assigned`, s.line, s.column);
      if (names.has(s.name))
        throw new ExpressionError(
          `'${s.name}' is already assigned (each name once, so that each node has one name)`,
          s.line,
          s.column,
        );
    }
    const literal =
      s.expr.kind === 'number'
        ? scalar(s.expr.value)
        : s.expr.kind === 'negate' && s.expr.operand.kind === 'number'
          ? scalar(-s.expr.operand.value)
          : s.expr.kind === 'tensor'
            ? tensorOf(s.expr)
            : null;
    let v: Var;
    if (s.name !== null && literal !== null) {
      v = count(s.expr, variable(literal, s.name));
    } else {
      v = build(s.expr);
      // `b = a` names the same node twice: it keeps its first name.
      if (s.name !== null && v.label === '') v.label = s.name;
    }
    if (s.name !== null) names.set(s.name, v);
    output = v;
    outputName = s.name ?? '';
  }
  const last = statements[statements.length - 1];
  if (!output || !output.requiresGrad)
    throw new ExpressionError(
      'the output depends on no variable, so it has no gradient to show: assign a number to a name (a = 3) and use it',
      last.line,
      last.column,
    );
  return { output, outputName, names };
}
