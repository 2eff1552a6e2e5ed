import { closeSync, openSync, readdirSync, readSync, statSync, Stats } from 'node:fs';
import { join } from 'node:path';
import { totalmem } from 'node:os';
import { DataError } from './dataError';
import { t } from '../l10n';

/**
 * How the validator reaches data files: injected so the editor can answer from its own file
 * system view and tests can use an in-memory map.
 */
export interface FileAccess {
  /** Size in bytes of the regular file at `path`, or undefined when there is none. */
  size(path: string): number | undefined;
  /** The first `length` bytes of the file (the whole file when omitted). Throws when unreadable. */
  read(path: string, length?: number): Uint8Array;
  /**
   * The file in chunks of at most `chunkBytes`, so a large file is scanned in bounded memory.
   * Optional: without it, callers read the whole file.
   */
  chunks?(path: string, chunkBytes: number): Iterable<Uint8Array>;
  /** Why this path may not be read here (e.g. outside an untrusted workspace), or undefined. */
  refuse?(path: string): string | undefined;
  /** What the path is when it is not a regular file ('a folder', 'a FIFO', …), or undefined. */
  kind?(path: string): string | undefined;
  /** Changes whenever the file's content may have changed (size and modification time): a cache key. */
  stamp?(path: string): string | undefined;
  /**
   * Has a large text file scanned elsewhere instead of here (the editor: a worker thread, so its
   * extension host never reads a whole large file). Validation calls it when no scan of the file
   * as it is now is cached, and reports the data as still being scanned. Optional: without it,
   * the file is scanned in place (the CLI, the training worker).
   */
  scanElsewhere?(path: string): void;
  /**
   * The entries of the folder at `path` (symbolic links followed), or undefined when it is not a
   * folder. Optional: sources that read a folder (imageFolder) need it.
   */
  list?(path: string): FolderEntry[] | undefined;
  /** Changes whenever entries are added to, removed from or renamed in the folder: a cache key for `list`. */
  folderStamp?(path: string): string | undefined;
}

/** One entry of a listed folder: its name and whether it is a regular file, a folder or something else. */
export interface FolderEntry {
  readonly name: string;
  readonly kind: 'file' | 'folder' | 'other';
}

export const nodeFileAccess: FileAccess = {
  size(path) {
    try {
      const s = statSync(path);
      return s.isFile() ? s.size : undefined;
    } catch {
      return undefined;
    }
  },
  read(path, length) {
    const fd = openSync(path, 'r');
    try {
      const size = statSync(path).size;
      const n = Math.min(size, length ?? size);
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? buf : buf.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  },
  *chunks(path, chunkBytes) {
    const fd = openSync(path, 'r');
    try {
      const buf = new Uint8Array(chunkBytes);
      for (let at = 0; ;) {
        const r = readSync(fd, buf, 0, chunkBytes, at);
        if (r === 0) return;
        at += r;
        yield buf.subarray(0, r);
      }
    } finally {
      closeSync(fd);
    }
  },
  kind: specialFileKind,
  list(path) {
    try {
      if (!statSync(path).isDirectory()) return undefined;
      return readdirSync(path, { withFileTypes: true }).map((d) => {
        let file = d.isFile(),
          folder = d.isDirectory();
        if (d.isSymbolicLink()) {
          try {
            const s = statSync(join(path, d.name));
            file = s.isFile();
            folder = s.isDirectory();
          } catch {
            // A dangling link is neither.
          }
        }
        return { name: d.name, kind: file ? 'file' : folder ? 'folder' : 'other' };
      });
    } catch {
      return undefined;
    }
  },
  folderStamp(path) {
    try {
      const s = statSync(path);
      return s.isDirectory() ? `${s.mtimeMs}:${s.ino}` : undefined;
    } catch {
      return undefined;
    }
  },
  stamp(path) {
    try {
      const s = statSync(path);
      return s.isFile() ? `${s.size}:${s.mtimeMs}:${s.ino}` : undefined;
    } catch {
      return undefined;
    }
  },
};

/**
 * The largest data file (or decompressed stream) the loaders accept: 1 GiB or an eighth of the
 * machine's memory, whichever is smaller (decoded tensors take several times the file's size).
 * GLASSBOX_MAX_DATA_BYTES overrides it (tests use a small value).
 */
export function maxDataBytes(): number {
  const env = Number(process.env.GLASSBOX_MAX_DATA_BYTES);
  if (Number.isFinite(env) && env > 0) return env;
  return Math.min(2 ** 30, Math.floor(totalmem() / 8));
}

/** Text files decode to JS strings and per-cell values: allow a quarter of the binary limit. */
export function maxTextBytes(): number {
  return Math.floor(maxDataBytes() / 4);
}

const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** Throws a DataError unless `file` exists and is at most `limit` bytes; returns its size. */
export function checkDataFile(files: FileAccess, file: string, limit: number): number {
  const refused = files.refuse?.(file);
  if (refused) throw new DataError(file, {}, refused, 'dataUnreadable');
  const size = files.size(file);
  const kind = size === undefined ? files.kind?.(file) : undefined;
  if (kind !== undefined)
    throw new DataError(
      file,
      {},
      kind === 'a folder'
        ? t(
            'is a folder, not a regular file: a data file must be an ordinary file (reading it could block or never end)',
          )
        : t(
            'is {0}, not a regular file: a data file must be an ordinary file (reading a pipe or device could block or never end)',
            kindText(kind),
          ),
      'dataUnreadable',
    );
  if (size === undefined)
    throw new DataError(
      file,
      {},
      t('file not found (expected a readable data file; paths are relative to the model file)'),
      'dataMissing',
    );
  if (size > limit) {
    throw new DataError(
      file,
      {},
      t(
        'file is {0}, more than the {1} this machine can load safely; use a smaller file or a subset (the limit is set by GLASSBOX_MAX_DATA_BYTES)',
        mib(size),
        mib(limit),
      ),
      'dataTooLarge',
    );
  }
  return size;
}

/** Reads a whole data file after the size check; read errors become DataErrors naming the file. */
export function readDataFile(files: FileAccess, file: string, limit: number): Uint8Array {
  checkDataFile(files, file, limit);
  try {
    return files.read(file);
  } catch (e) {
    throw new DataError(file, {}, t('cannot read the file ({0})', (e as Error).message), 'dataUnreadable');
  }
}

/**
 * What `path` is when it exists but is not a regular file, or undefined (a regular file, or
 * nothing there). Reading a FIFO blocks forever and /dev/zero never ends, so callers refuse these
 * by type before opening them; a symlink loop is named too.
 */
export function specialFileKind(path: string): string | undefined {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'a symbolic link loop' : undefined;
  }
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * `files` limited to paths that `allowed` accepts; any other path is refused with `why` before it
 * is looked at (an untrusted workspace reads no data outside its folders).
 */
export function confinedFileAccess(files: FileAccess, allowed: (path: string) => boolean, why: string): FileAccess {
  return { ...files, refuse: (path) => (allowed(path) ? files.refuse?.(path) : why) };
}

/** A non-regular file's kind (`nodeFileKind`'s English words) in the active locale. */
function kindText(kind: string): string {
  switch (kind) {
    case 'a symbolic link loop':
      return t('a symbolic link loop');
    case 'a FIFO (named pipe)':
      return t('a FIFO (named pipe)');
    case 'a device':
      return t('a device');
    case 'a socket':
      return t('a socket');
    default:
      return kind;
  }
}
