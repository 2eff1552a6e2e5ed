/*
 * Text from a model file, a data file or a run record (layer and model names, file paths, text
 * samples, quoted values in messages) is untrusted: printed raw, an escape sequence in it could
 * recolour, move the cursor, retitle the terminal or forge lines of output. `terminalSafe` shows
 * every control character as a visible escape instead, keeping only newline and tab.
 */

/** C0 controls but \t and \n, DEL, C1 controls, and the bidirectional overrides/isolates. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    if (code === 0x1b) return '\\e';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The key under which a `safeWriteStream` keeps the raw write (the progress bar's own escapes). */
export const RAW_WRITE = Symbol('rawWrite');

type RawWritable = NodeJS.WriteStream & { [RAW_WRITE]?: (text: string) => boolean };

/**
 * The stream with `write` passed through `terminalSafe`; everything else (isTTY, columns, events)
 * is the stream's own. The CLI's own control sequences go through `rawWrite`.
 */
export function safeWriteStream(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  const raw = (text: string): boolean => stream.write(text);
  return new Proxy(stream, {
    get(target, key) {
      if (key === RAW_WRITE) return raw;
      if (key === 'write')
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => boolean)(
            typeof chunk === 'string' ? terminalSafe(chunk) : chunk,
            ...rest,
          );
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Writes the CLI's own escape sequences unfiltered (a plain stream's write otherwise). */
export function rawWrite(stream: NodeJS.WriteStream, text: string): void {
  const raw = (stream as RawWritable)[RAW_WRITE];
  if (raw) raw(text);
  else stream.write(text);
}
