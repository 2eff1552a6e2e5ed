/**
 * Text from a model file (names, descriptions, paths) on its way into generated Python: nothing
 * in it may end a comment, close a string or become code.
 */

/** A comment's text: one line, no control characters (a newline would end the comment and start code). */
export function pyComment(text: string, max = 160): string {
  const one = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** Text inside a """docstring""": a comment's text without the quotes and backslashes that could end it or start an escape. */
export function pyDocText(text: string, max = 160): string {
  return pyComment(text, max).replace(/\\/g, '/').replace(/"/g, "'");
}

/** An identifier: [A-Za-z0-9_], not starting with a digit. */
export function pyIdentifier(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(s) || s === '' ? `_${s}` : s;
}

/** A Python string literal: printable ASCII kept, everything else escaped (\\uXXXX, \\UXXXXXXXX). */
export function pyString(text: string): string {
  let out = "'";
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\' || ch === "'") out += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c <= 0xffff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + "'";
}

/** A finite number as a Python literal (refuses NaN and infinities, which a model file cannot hold). */
export function pyNumber(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`not a finite number: ${String(v)}`);
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : String(v).replace('e+', 'e');
}

export const pyBool = (v: unknown): string => (v ? 'True' : 'False');
