import { GlassboxError } from '../errors';

/**
 * A tiny expression language for the autodiff graph view (chapter 6): statements separated by `;`
 * or new lines, each `name = expr` or a bare `expr`; numbers, vectors `[1, 2]` ([2]) and matrices
 * `[[1, 2], [3, 4]]` ([2, 2]), names, + − * / (elementwise, broadcasting), @ (matrix product),
 * unary minus, parentheses and the one-argument functions of FUNCTIONS. Parsed by hand (recursive
 * descent), never evaluated as JavaScript: the text is untrusted (an editor selection).
 *
 *   program   := statement ((';' | newline) statement)*     (empty statements allowed)
 *   statement := name '=' sum | sum
 *   sum       := product (('+' | '-') product)*
 *   product   := unary (('*' | '/' | '@') unary)*
 *   unary     := '-' unary | primary
 *   primary   := number | tensor | name | name '(' sum ')' | '(' sum ')'
 *   tensor    := '[' signed (',' signed)* ']' | '[' row (',' row)* ']'     (rows of equal length;
 *   row       := '[' signed (',' signed)* ']'                              new lines inside are spaces)
 */

/** The functions an expression may call: the autodiff's one-argument ops (unary.ts). */
export const EXPRESSION_FUNCTIONS = ['sigmoid', 'tanh', 'relu', 'exp', 'log', 'sum', 'mean'] as const;
export type ExpressionFunction = (typeof EXPRESSION_FUNCTIONS)[number];

/** Longest expression text accepted (characters). */
export const MAX_EXPRESSION_CHARS = 2000;
/** Most elements of one vector or matrix literal (the panel draws each node's values in a small box). */
export const MAX_LITERAL_ELEMENTS = 64;

/** 1-based line and column of a token's first character. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export type ExprNode = SourcePosition &
  (
    | { readonly kind: 'number'; readonly value: number }
    /** A vector [n] or matrix [rows, columns] literal, row-major values. */
    | { readonly kind: 'tensor'; readonly shape: readonly number[]; readonly values: readonly number[] }
    | { readonly kind: 'name'; readonly name: string }
    | { readonly kind: 'negate'; readonly operand: ExprNode }
    | {
        readonly kind: 'binary';
        readonly op: '+' | '-' | '*' | '/' | '@';
        readonly left: ExprNode;
        readonly right: ExprNode;
      }
    | { readonly kind: 'call'; readonly fn: ExpressionFunction; readonly arg: ExprNode }
  );

export interface Statement extends SourcePosition {
  /** The assigned name, or null for a bare expression. */
  readonly name: string | null;
  readonly expr: ExprNode;
}

/** Bad expression text: the message names the line and column (1-based) where it went wrong. */
export class ExpressionError extends GlassboxError {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

type TokenKind = 'number' | 'name' | 'op' | 'end-of-statement' | 'eof';
interface Token extends SourcePosition {
  readonly kind: TokenKind;
  readonly text: string;
}

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  // Inside [ ] a new line is a space, so a matrix can be written one row per line.
  let brackets = 0;
  while (i < src.length) {
    const ch = src[i];
    const pos = { line, column: i - lineStart + 1 };
    if (ch === '\n' || ch === ';') {
      if (ch === ';' || brackets === 0) tokens.push({ kind: 'end-of-statement', text: ch, ...pos });
      i++;
      if (ch === '\n') {
        line++;
        lineStart = i;
      }
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if ('+-*/@()=[],'.includes(ch)) {
      if (ch === '[') brackets++;
      if (ch === ']') brackets = Math.max(0, brackets - 1);
      tokens.push({ kind: 'op', text: ch, ...pos });
      i++;
    } else {
      const rest = src.slice(i, i + 64);
      const m = NUMBER.exec(rest) ?? NAME.exec(rest);
      if (!m) throw new ExpressionError(`unexpected character ${JSON.stringify(ch)}`, pos.line, pos.column);
      const kind: TokenKind = /^[\d.]/.test(m[0]) ? 'number' : 'name';
      // A name straight after a number (2a) is not multiplication here: say so rather than guess.
      const next = src[i + m[0].length];
      if (kind === 'number' && next !== undefined && /[A-Za-z_.]/.test(next))
        throw new ExpressionError(
          `unexpected ${JSON.stringify(next)} after the number ${m[0]} (write 2*a for a product)`,
          pos.line,
          pos.column + m[0].length,
        );
      tokens.push({ kind, text: m[0], ...pos });
      i += m[0].length;
    }
  }
  tokens.push({ kind: 'eof', text: '', line, column: i - lineStart + 1 });
  return tokens;
}

const describe = (t: Token): string =>
  t.kind === 'eof' ? 'the end of the text' : t.kind === 'end-of-statement' ? 'the end of the statement' : `'${t.text}'`;

/** Parses `src` into statements; throws ExpressionError (with line and column) for bad input. */
export function parseExpression(src: string): Statement[] {
  if (src.length > MAX_EXPRESSION_CHARS)
    throw new ExpressionError(`the text is ${src.length} characters long; at most ${MAX_EXPRESSION_CHARS}`, 1, 1);
  const tokens = tokenize(src);
  let k = 0;
  const peek = () => tokens[k];
  const isOp = (text: string) => peek().kind === 'op' && peek().text === text;
  const fail = (what: string, t = peek()): never => {
    throw new ExpressionError(`expected ${what}, found ${describe(t)}`, t.line, t.column);
  };
  // Recursion depth grows with nesting only, and the text is at most MAX_EXPRESSION_CHARS long.
  let depth = 0;

  /** A number with an optional minus, inside a literal. */
  function signed(): number {
    const minus = isOp('-');
    if (minus) k++;
    const t = peek();
    if (t.kind !== 'number') fail(minus ? 'a number after -' : 'a number');
    k++;
    return minus ? -Number(t.text) : Number(t.text);
  }

  /** '[' items ']' where each item is read by `item`; `what` names an item in errors. */
  function bracketed<T>(item: () => T, what: string): T[] {
    const open = peek();
    k++; // '['
    const items = [item()];
    while (isOp(',')) {
      k++;
      items.push(item());
    }
    if (!isOp(']')) fail(`',' or ']' to close the '[' at line ${open.line}, column ${open.column} (${what})`);
    k++;
    return items;
  }

  function tensorLiteral(): ExprNode {
    const t = peek();
    const matrix = tokens[k + 1]?.kind === 'op' && tokens[k + 1].text === '[';
    let shape: number[], values: number[];
    if (matrix) {
      const rows = bracketed(() => {
        if (!isOp('[')) fail("'[' to start the next row");
        return bracketed(signed, 'a row of numbers');
      }, 'rows');
      const w = rows[0].length;
      const bad = rows.findIndex((r) => r.length !== w);
      if (bad >= 0)
        throw new ExpressionError(
          `row ${bad + 1} of the matrix has ${rows[bad].length} numbers, row 1 has ${w}`,
          t.line,
          t.column,
        );
      shape = [rows.length, w];
      values = rows.flat();
    } else {
      values = bracketed(signed, 'numbers');
      shape = [values.length];
    }
    if (values.length > MAX_LITERAL_ELEMENTS)
      throw new ExpressionError(
        `a literal of ${values.length} numbers; at most ${MAX_LITERAL_ELEMENTS}`,
        t.line,
        t.column,
      );
    return { kind: 'tensor', shape, values, line: t.line, column: t.column };
  }

  function primary(): ExprNode {
    const t = peek();
    if (isOp('[')) return tensorLiteral();
    if (t.kind === 'number') {
      k++;
      return { kind: 'number', value: Number(t.text), line: t.line, column: t.column };
    }
    if (t.kind === 'name') {
      k++;
      if (!isOp('(')) {
        if ((EXPRESSION_FUNCTIONS as readonly string[]).includes(t.text)) fail(`'(' after the function ${t.text}`);
        return { kind: 'name', name: t.text, line: t.line, column: t.column };
      }
      if (!(EXPRESSION_FUNCTIONS as readonly string[]).includes(t.text))
        throw new ExpressionError(
          `unknown function '${t.text}' (known: ${EXPRESSION_FUNCTIONS.join(', ')})`,
          t.line,
          t.column,
        );
      k++;
      const arg = sum();
      if (!isOp(')')) fail(`')' to close ${t.text}(`);
      k++;
      return { kind: 'call', fn: t.text as ExpressionFunction, arg, line: t.line, column: t.column };
    }
    if (isOp('(')) {
      k++;
      const inner = sum();
      if (!isOp(')')) fail(`')' to close the '(' at column ${t.column}`);
      k++;
      return inner;
    }
    return fail('a number, [, a name or (');
  }

  function unary(): ExprNode {
    const t = peek();
    if (isOp('-')) {
      k++;
      if (++depth > 200) throw new ExpressionError('too deeply nested', t.line, t.column);
      const operand = unary();
      depth--;
      return { kind: 'negate', operand, line: t.line, column: t.column };
    }
    if (isOp('(') || (t.kind === 'name' && tokens[k + 1]?.text === '(')) {
      if (++depth > 200) throw new ExpressionError('too deeply nested', t.line, t.column);
      const p = primary();
      depth--;
      return p;
    }
    return primary();
  }

  function binary(next: () => ExprNode, ops: readonly string[]): ExprNode {
    let left = next();
    while (peek().kind === 'op' && ops.includes(peek().text)) {
      const t = tokens[k++];
      const right = next();
      left = { kind: 'binary', op: t.text as '+' | '-' | '*' | '/' | '@', left, right, line: t.line, column: t.column };
    }
    return left;
  }
  const product = () => binary(unary, ['*', '/', '@']);
  function sum(): ExprNode {
    return binary(product, ['+', '-']);
  }

  const statements: Statement[] = [];
  while (peek().kind !== 'eof') {
    if (peek().kind === 'end-of-statement') {
      k++;
      continue;
    }
    const first = peek();
    let name: string | null = null;
    if (first.kind === 'name' && tokens[k + 1].kind === 'op' && tokens[k + 1].text === '=') {
      name = first.text;
      k += 2;
    }
    const expr = sum();
    if (peek().kind !== 'eof' && peek().kind !== 'end-of-statement')
      fail(isOp('=') ? "a name before '='" : "an operator, ';' or a new line");
    statements.push({ name, expr, line: first.line, column: first.column });
  }
  if (statements.length === 0) throw new ExpressionError('no expression (write for example a = 3; b = a*4)', 1, 1);
  return statements;
}
