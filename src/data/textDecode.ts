import { DataError } from './dataError';
import { t } from '../l10n';

/** Byte offset of the first byte that is not valid UTF-8, or -1 (overlong forms and surrogates count as invalid). */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1];
    if (
      (c === 0xe0 && c1 < 0xa0) ||
      (c === 0xed && c1 > 0x9f) ||
      (c === 0xf0 && c1 < 0x90) ||
      (c === 0xf4 && c1 > 0x8f)
    )
      return i;
    i += n + 1;
  }
  return -1;
}

/**
 * The text of a data file: UTF-8 (a leading byte-order mark dropped), line ends normalised to
 * \n so a checkout with CRLF line ends trains on the same characters. Invalid UTF-8 is reported
 * at its line and column.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const before = new TextDecoder().decode(bytes.subarray(0, bad));
    const lines = before.split('\n');
    throw new DataError(
      file,
      { line: lines.length, column: [...lines[lines.length - 1]].length + 1 },
      t(
        'byte {0} (0x{1}) is not valid UTF-8: expected a UTF-8 text file',
        bad,
        bytes[bad].toString(16).padStart(2, '0'),
      ),
    );
  }
  // ignoreBOM: the decoder keeps a BOM, and the replace below drops exactly one (the decoder's
  // own stripping plus the replace used to drop two).
  return new TextDecoder('utf-8', { ignoreBOM: true })
    .decode(bytes)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
}
