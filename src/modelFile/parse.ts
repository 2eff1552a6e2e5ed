import { createScanner, Node, ParseError, ParseErrorCode, parseTree, SyntaxKind } from 'jsonc-parser';
import { LineIndex, Problem } from './problem';
import { msg, t } from '../l10n';

const MESSAGES: Record<number, string> = {
  [ParseErrorCode.InvalidSymbol]: msg('invalid symbol'),
  [ParseErrorCode.InvalidNumberFormat]: msg('invalid number'),
  [ParseErrorCode.PropertyNameExpected]: msg('expected a property name in double quotes'),
  [ParseErrorCode.ValueExpected]: msg('expected a value'),
  [ParseErrorCode.ColonExpected]: msg("expected ':' after the property name"),
  [ParseErrorCode.CommaExpected]: msg("expected ',' between values"),
  [ParseErrorCode.CloseBraceExpected]: msg("expected '}' to close the object"),
  [ParseErrorCode.CloseBracketExpected]: msg("expected ']' to close the array"),
  [ParseErrorCode.EndOfFileExpected]: msg('expected the end of the file after the top-level value'),
  [ParseErrorCode.InvalidCommentToken]: msg('invalid comment'),
  [ParseErrorCode.UnexpectedEndOfComment]: msg("unterminated block comment: expected '*/'"),
  [ParseErrorCode.UnexpectedEndOfString]: msg('unterminated string: expected a closing double quote'),
  [ParseErrorCode.UnexpectedEndOfNumber]: msg('unterminated number'),
  [ParseErrorCode.InvalidUnicode]: msg('invalid unicode escape'),
  [ParseErrorCode.InvalidEscapeCharacter]: msg('invalid escape character in string'),
  [ParseErrorCode.InvalidCharacter]: msg('invalid character in string (control characters must be escaped)'),
};

export interface ParsedText {
  readonly root: Node | undefined;
  readonly lines: LineIndex;
  readonly problems: Problem[];
  /** Offsets of the syntax errors (the recovered tree around them may be incomplete). */
  readonly errorOffsets: number[];
}

/**
 * Parses JSON with comments (and trailing commas) into a tree whose every node keeps its offset
 * and length, so later checks can point at exact ranges. Syntax errors become problems; the
 * parser recovers, so a tree usually exists even then.
 */
export function parseModelText(text: string): ParsedText {
  const lines = new LineIndex(text);
  // jsonc-parser builds its tree recursively: thousands of nested brackets would overflow the
  // stack. A model file needs a handful of levels, so deeper nesting is refused before parsing.
  if (text.length > MAX_MODEL_CHARS) {
    const message = t(
      'the file has {0} characters: a model file may have at most {1} (data belongs in a data file)',
      text.length.toLocaleString('en-US'),
      MAX_MODEL_CHARS.toLocaleString('en-US'),
    );
    return {
      root: undefined,
      lines,
      problems: [{ range: lines.range(0, 0), severity: 'error', message, code: 'syntax' }],
      errorOffsets: [0],
    };
  }
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const message = t(
      'the file nests objects and arrays more than {0} levels deep: a model file needs only a few',
      MAX_DEPTH,
    );
    return {
      root: undefined,
      lines,
      problems: [{ range: lines.range(deep, 1), severity: 'error', message, code: 'syntax' }],
      errorOffsets: [deep],
    };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const problems: Problem[] = errors.map((e) => ({
    range: lines.range(e.offset, e.length),
    severity: 'error',
    message: t('syntax error: {0}', t(MESSAGES[e.error] ?? 'unexpected input')),
    code: 'syntax',
    jsonSyntax: true,
  }));
  if (!root && errors.length === 0) {
    problems.push({
      range: lines.range(0, 0),
      severity: 'error',
      message: t('the file is empty: expected a JSON object describing the model'),
      code: 'syntax',
    });
  }
  return { root, lines, problems, errorOffsets: errors.map((e) => e.offset) };
}

/** Largest model file read (its own structure is a few kilobytes; comments may be long). */
export const MAX_MODEL_CHARS = 4_000_000;

/** Deepest nesting a model file may have (its own structure is at most four levels deep). */
export const MAX_DEPTH = 64;

/** The offset of the first bracket nested deeper than MAX_DEPTH, found by the iterative scanner. */
function tooDeep(text: string): number | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_DEPTH) return scanner.getTokenOffset();
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) depth--;
  }
  return undefined;
}
