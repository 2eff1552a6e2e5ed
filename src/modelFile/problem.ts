/**
 * Problems found in a model file, with 0-based positions as the editor (LSP/vscode) uses them;
 * the CLI prints them 1-based as `path:line:column: message`.
 */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/** Stable identifiers for quick fixes and tests. */
export type ProblemCode =
  | 'syntax'
  | 'type'
  | 'enum'
  | 'required'
  | 'unknownProperty'
  | 'range'
  | 'shape'
  | 'targets'
  | 'loss'
  | 'dataMissing'
  | 'dataUnreadable'
  | 'dataTooLarge'
  | 'dataFormat'
  | 'dataPending'
  | 'unknownColumn'
  | 'semantic';

export interface Problem {
  readonly range: Range;
  readonly severity: Severity;
  readonly message: string;
  readonly code: ProblemCode;
  /**
   * A plain JSON syntax error (from the parser): VS Code's JSON language service reports it in
   * the editor itself, so the editor's diagnostics leave it out; the CLI and Train still use it.
   */
  readonly jsonSyntax?: boolean;
}

/** Maps character offsets of a text to line/character positions (lines end at \n, \r\n or \r). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
      if (c === 10 || c === 13) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0,
      hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  range(offset: number, length: number): Range {
    return { start: this.position(offset), end: this.position(offset + Math.max(0, length)) };
  }

  /**
   * The smallest range that names a value, for a problem about it: the value itself when it fits on
   * one line; a value spanning lines (an object, an array) is named by its property's key, or by its
   * first character (an array item, the root), so that one problem never underlines a whole block
   * and hides the others under it.
   */
  nodeRange(node: SpanNode): Range {
    const r = this.range(node.offset, node.length);
    if (r.start.line === r.end.line) return r;
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return key && key !== node ? this.range(key.offset, key.length) : this.range(node.offset, 1);
  }
}

/** A parsed JSON value with its place in the text (jsonc-parser's `Node`; what `nodeRange` needs). */
export interface SpanNode {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly parent?: SpanNode;
  readonly children?: readonly SpanNode[];
}

/** `path:line:column: message` with 1-based line and column; warnings and notes say so. */
export function formatProblem(path: string, p: Problem): string {
  const tag = p.severity === 'error' ? '' : `${p.severity}: `;
  return `${path}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${tag}${p.message}`;
}
