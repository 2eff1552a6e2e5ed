import type { FileAccess } from '../../src/data/fileAccess';

/** A FileAccess over an in-memory map (path → bytes or text). */
export function memoryFiles(files: Record<string, Uint8Array | string>): FileAccess {
  const bytes = (p: string) => {
    const v = files[p];
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  };
  return {
    size: (p) => (p in files ? bytes(p).length : undefined),
    read: (p, length) => {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`);
      const b = bytes(p);
      return length === undefined ? b : b.subarray(0, length);
    },
  };
}
