import { DataError } from '../data/dataError';
import { t } from '../l10n';

/**
 * Glassbox weights files (.gbw), documented in docs/run-records.md:
 *   bytes 0–7   ASCII "GLASSBOX"
 *   bytes 8–11  uint32 LE format version (1)
 *   bytes 12–15 uint32 LE length H of the header
 *   16 … 16+H   UTF-8 JSON header: { tensors: [{ name, dtype, shape, offset, bytes }], meta, payloadBytes, crc32 }
 *   then zero padding to a multiple of 8, then the payload: each tensor little-endian, starting
 *   at its `offset` from the payload start (a multiple of 8). `crc32` covers the whole payload.
 */
export type WeightDType = 'float32' | 'float64' | 'int32' | 'uint32';
export type WeightData = Float32Array | Float64Array | Int32Array | Uint32Array;

export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: WeightData;
}

export interface WeightsFile {
  readonly tensors: NamedTensor[];
  readonly meta: Record<string, unknown>;
}

const MAGIC = 'GLASSBOX';
const VERSION = 1;
const CTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint32: Uint32Array } as const;
const align8 = (n: number) => Math.ceil(n / 8) * 8;

function dtypeOf(d: WeightData): WeightDType {
  if (d instanceof Float32Array) return 'float32';
  if (d instanceof Float64Array) return 'float64';
  return d instanceof Int32Array ? 'int32' : 'uint32';
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function bytesOf(d: WeightData): Uint8Array {
  const b = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  if (littleEndian) return b;
  const out = new Uint8Array(b.length);
  const w = d.BYTES_PER_ELEMENT;
  for (let i = 0; i < b.length; i += w) for (let j = 0; j < w; j++) out[i + j] = b[i + w - 1 - j];
  return out;
}

export function encodeWeights(tensors: readonly NamedTensor[], meta: Record<string, unknown> = {}): Uint8Array {
  let offset = 0;
  const entries = tensors.map((t) => {
    const e = { name: t.name, dtype: dtypeOf(t.data), shape: [...t.shape], offset, bytes: t.data.byteLength };
    offset = align8(offset + t.data.byteLength);
    return e;
  });
  const payload = new Uint8Array(offset);
  tensors.forEach((t, i) => payload.set(bytesOf(t.data), entries[i].offset));
  const header = new TextEncoder().encode(
    JSON.stringify({ tensors: entries, meta, payloadBytes: payload.length, crc32: crc32(payload) }),
  );
  const start = align8(16 + header.length);
  const out = new Uint8Array(start + payload.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, header.length, true);
  out.set(header, 16);
  out.set(payload, start);
  return out;
}

/** Decodes a .gbw file; any damage is a DataError naming the file and the byte where it was found. */
export function decodeWeights(bytes: Uint8Array, file = '<weights>'): WeightsFile {
  const fail = (byte: number, msg: string): never => {
    throw new DataError(file, { byte }, msg);
  };
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    fail(0, t("not a Glassbox weights file: expected the magic 'GLASSBOX'"));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== VERSION) fail(8, t('unsupported weights format version {0} (expected {1})', version, VERSION));
  const h = view.getUint32(12, true);
  if (16 + h > bytes.length)
    fail(12, t('header of {0} bytes runs past the end of the file ({1} bytes)', h, bytes.length));
  let header: {
    tensors: { name: string; dtype: WeightDType; shape: number[]; offset: number; bytes: number }[];
    meta: Record<string, unknown>;
    payloadBytes: number;
    crc32: number;
  };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + h)));
  } catch (e) {
    return fail(16, t('header is not valid JSON ({0})', (e as Error).message));
  }
  const start = align8(16 + h);
  if (!header || !Array.isArray(header.tensors) || start + header.payloadBytes !== bytes.length)
    fail(
      start,
      t(
        'file is {0} bytes, header describes {1}: truncated or damaged',
        bytes.length,
        start + (header?.payloadBytes ?? 0),
      ),
    );
  const payload = bytes.subarray(start);
  if (crc32(payload) !== header.crc32) fail(start, t('payload checksum mismatch: the file is damaged'));
  const tensors = header.tensors.map((e) => {
    const C = CTORS[e.dtype];
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (!C || count * C.BYTES_PER_ELEMENT !== e.bytes || e.offset + e.bytes > payload.length)
      fail(start + (e.offset ?? 0), t("tensor '{0}' has an inconsistent entry", e.name));
    const copy = new Uint8Array(payload.subarray(e.offset, e.offset + e.bytes)); // own buffer (a Node Buffer may share a pool)
    if (!littleEndian) copy.set(bytesOf(new C(copy.buffer) as WeightData));
    return { name: e.name, shape: e.shape, data: new C(copy.buffer) as WeightData };
  });
  return { tensors, meta: header.meta ?? {} };
}
