import { crc32 } from '../runs/weightsFormat';
import { t } from '../l10n';

/**
 * NumPy's `.npy` arrays and `.npz` archives (an uncompressed zip of `.npy` files, as `np.savez`
 * writes), so exported weights load with `np.load` alone, without Glassbox. Little-endian
 * float32/float64, C order. The reader accepts what `np.savez` writes, zip64 records included.
 */
export interface NpyArray {
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function encodeNpy(a: NpyArray): Uint8Array {
  const descr = a.data instanceof Float32Array ? '<f4' : '<f8';
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to 64 bytes, ending in \n.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + a.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const bytes = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  if (!littleEndian) throw new Error('npy: big-endian hosts are not supported');
  out.set(bytes, total);
  return out;
}

export function decodeNpy(bytes: Uint8Array, what = '<npy>'): NpyArray {
  const fail = (m: string): never => {
    throw new Error(`${what}: ${m}`);
  };
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY')
    fail(t('not a .npy array'));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) fail(t('unreadable header {0}', JSON.stringify(header)));
  if (fortran === 'True') fail(t('Fortran-order arrays are not supported (save with np.ascontiguousarray)'));
  const shape = (shapeText as string)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const size = shape.reduce((x, y) => x * y, 1);
  const offset = start + hlen;
  const width =
    descr === '<f4' ? 4 : descr === '<f8' ? 8 : fail(t('dtype {0}: expected float32 or float64', descr ?? ''));
  if (bytes.length - offset < size * width)
    fail(t('holds {0} bytes, shape needs {1}', bytes.length - offset, size * width));
  const copy = bytes.slice(offset, offset + size * width);
  return { shape, data: width === 4 ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer) };
}

/** An uncompressed zip of `<name>.npy` entries, in the given order (what np.savez writes). */
export function encodeNpz(entries: readonly { name: string; array: NpyArray }[]): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(`${e.name}.npy`);
    const body = encodeNpy(e.array);
    const crc = crc32(body);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, body.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, body.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, body);
    centrals.push(central);
    offset += local.length + body.length;
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let p = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/** The arrays of an `.npz` written by np.savez (stored entries; zip64 sizes and offsets read from the central directory). */
export function decodeNpz(bytes: Uint8Array, what = '<npz>'): Map<string, NpyArray> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--)
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error(t('{0}: not a zip (.npz) file', what));
  let count = dv.getUint16(eocd + 10, true);
  let cd = dv.getUint32(eocd + 16, true);
  if (cd === 0xffffffff || count === 0xffff) {
    // Zip64 end-of-central-directory locator, just before the EOCD.
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== 0x07064b50) throw new Error(t('{0}: damaged zip64 directory', what));
    const z = Number(dv.getBigUint64(loc + 8, true));
    count = Number(dv.getBigUint64(z + 32, true));
    cd = Number(dv.getBigUint64(z + 48, true));
  }
  const out = new Map<string, NpyArray>();
  let p = cd;
  for (let k = 0; k < count; k++) {
    if (dv.getUint32(p, true) !== 0x02014b50) throw new Error(t('{0}: damaged central directory at byte {1}', what, p));
    const method = dv.getUint16(p + 10, true);
    let csize = dv.getUint32(p + 20, true);
    let usize = dv.getUint32(p + 24, true);
    const nlen = dv.getUint16(p + 28, true);
    const xlen = dv.getUint16(p + 30, true);
    const clen = dv.getUint16(p + 32, true);
    let local = dv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nlen));
    // Zip64 extra field (id 1): the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
    let x = p + 46 + nlen;
    const xend = x + xlen;
    while (x + 4 <= xend) {
      const id = dv.getUint16(x, true);
      const len = dv.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        if (usize === 0xffffffff) {
          usize = Number(dv.getBigUint64(q, true));
          q += 8;
        }
        if (csize === 0xffffffff) {
          csize = Number(dv.getBigUint64(q, true));
          q += 8;
        }
        if (local === 0xffffffff) local = Number(dv.getBigUint64(q, true));
      }
      x += 4 + len;
    }
    if (method !== 0)
      throw new Error(t('{0}: {1} is compressed; save with np.savez, not np.savez_compressed', what, name));
    const dataStart = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    const key = name.replace(/\.npy$/, '');
    out.set(key, decodeNpy(bytes.subarray(dataStart, dataStart + csize), `${what}: ${key}`));
    p = xend + clen;
  }
  return out;
}
