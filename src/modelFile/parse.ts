import { Node, ParseError, ParseErrorCode, parseTree } from 'jsonc-parser';
import { LineIndex, Problem } from './problem';

const MESSAGES: Record<number, string> = {
  [ParseErrorCode.InvalidSymbol]: 'invalid symbol',
  [ParseErrorCode.InvalidNumberFormat]: 'invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'expected a property name in double quotes',
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.ColonExpected]: "expected ':' after the property name",
  [ParseErrorCode.CommaExpected]: "expected ',' between values",
  [ParseErrorCode.CloseBraceExpected]: "expected '}' to close the object",
  [ParseErrorCode.CloseBracketExpected]: "expected ']' to close the array",
  [ParseErrorCode.EndOfFileExpected]: 'expected the end of the file after the top-level value',
  [ParseErrorCode.InvalidCommentToken]: 'invalid comment',
  [ParseErrorCode.UnexpectedEndOfComment]: "unterminated block comment: expected '*/'",
  [ParseErrorCode.UnexpectedEndOfString]: 'unterminated string: expected a closing double quote',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'invalid unicode escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape character in string',
  [ParseErrorCode.InvalidCharacter]: 'invalid character in string (control characters must be escaped)',
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
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const problems: Problem[] = errors.map((e) => ({
    range: lines.range(e.offset, e.length),
    severity: 'error',
    message: `syntax error: ${MESSAGES[e.error] ?? 'unexpected input'}`,
    code: 'syntax',
  }));
  if (!root && errors.length === 0) {
    problems.push({
      range: lines.range(0, 0),
      severity: 'error',
      message: 'the file is empty: expected a JSON object describing the model',
      code: 'syntax',
    });
  }
  return { root, lines, problems, errorOffsets: errors.map((e) => e.offset) };
}
