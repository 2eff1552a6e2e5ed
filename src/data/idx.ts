import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

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
    message: string,
  ) {
    super(`${file}: byte ${offset}: ${message}`);
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
      throw new IdxError(file, 0, `not a valid gzip stream (${(e as Error).message})`);
    }
  }
  if (buf.length < 4) throw new IdxError(file, 0, `file is ${buf.length} bytes; an IDX header needs at least 4`);
  if (buf[0] !== 0 || buf[1] !== 0)
    throw new IdxError(
      file,
      0,
      `wrong magic number 0x${hex(buf, 0, 4)}: expected 0x0000 then a type byte (0x00000801 for labels, 0x00000803 for images)`,
    );
  if (buf[2] !== 0x08)
    throw new IdxError(
      file,
      2,
      `unsupported element type 0x${buf[2].toString(16)}: only unsigned bytes (0x08) are supported`,
    );
  const rank = buf[3];
  if (rank < 1 || rank > 4) throw new IdxError(file, 3, `unsupported number of dimensions ${rank} (expected 1 to 4)`);
  const headerSize = 4 + 4 * rank;
  if (buf.length < headerSize)
    throw new IdxError(
      file,
      buf.length,
      `header truncated: ${rank} dimensions need ${headerSize} bytes, file has ${buf.length}`,
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
      `data truncated: dimensions [${dims.join(', ')}] need ${size} bytes after the header, found ${available}`,
    );
  if (available > size)
    throw new IdxError(file, headerSize + size, `${available - size} unexpected bytes after the data`);
  return { dims, data: buf.subarray(headerSize, headerSize + size) };
}

export function readIdx(file: string): IdxArray {
  return parseIdx(readFileSync(file), file);
}

function hex(b: Uint8Array, start: number, n: number): string {
  return Array.from(b.subarray(start, start + n), (v) => v.toString(16).padStart(2, '0')).join('');
}
