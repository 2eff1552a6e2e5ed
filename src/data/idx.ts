import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { t } from '../l10n';

/** A decoded IDX array (LeCun's MNIST format): unsigned bytes with their dimensions. */
export interface IdxArray {
  readonly dims: number[];
  readonly data: Uint8Array;
}

/** A problem in an IDX file, with the byte offset where it was found. */
export class IdxError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${file}: ${t('byte {0}', offset)}: ${detail}`);
    this.name = 'IdxError';
  }
}

/**
 * Parses an IDX file (raw or gzip-compressed, detected by its magic bytes 1f 8b).
 * Layout: 0x00 0x00, a type byte (0x08 = unsigned byte, the only one MNIST uses), the number of
 * dimensions, then each dimension as a big-endian uint32, then the data in C order.
 */
export function parseIdx(bytes: Uint8Array, file = '<idx>'): IdxArray {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new IdxError(file, 0, t('not a valid gzip stream ({0})', (e as Error).message));
    }
  }
  if (buf.length < 4) throw new IdxError(file, 0, t('file is {0} bytes; an IDX header needs at least 4', buf.length));
  if (buf[0] !== 0 || buf[1] !== 0)
    throw new IdxError(
      file,
      0,
      t(
        'wrong magic number 0x{0}: expected 0x0000 then a type byte (0x00000801 for labels, 0x00000803 for images)',
        hex(buf, 0, 4),
      ),
    );
  if (buf[2] !== 0x08)
    throw new IdxError(
      file,
      2,
      t('unsupported element type 0x{0}: only unsigned bytes (0x08) are supported', buf[2].toString(16)),
    );
  const rank = buf[3];
  if (rank < 1 || rank > 4)
    throw new IdxError(file, 3, t('unsupported number of dimensions {0} (expected 1 to 4)', rank));
  const headerSize = 4 + 4 * rank;
  if (buf.length < headerSize)
    throw new IdxError(
      file,
      buf.length,
      t('header truncated: {0} dimensions need {1} bytes, file has {2}', rank, headerSize, buf.length),
    );
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    size *= d;
  }
  const available = buf.length - headerSize;
  if (available < size)
    throw new IdxError(
      file,
      buf.length,
      t(
        'data truncated: dimensions [{0}] need {1} bytes after the header, found {2}',
        dims.join(', '),
        size,
        available,
      ),
    );
  if (available > size)
    throw new IdxError(file, headerSize + size, t('{0} unexpected bytes after the data', available - size));
  return { dims, data: buf.subarray(headerSize, headerSize + size) };
}

export function readIdx(file: string): IdxArray {
  return parseIdx(readFileSync(file), file);
}

function hex(b: Uint8Array, start: number, n: number): string {
  return Array.from(b.subarray(start, start + n), (v) => v.toString(16).padStart(2, '0')).join('');
}
