import { Parser } from 'csv-parse';
import { DataError } from './dataError';

/** One data row: where it starts in the file (1-based line) and its fields, trimmed. */
export interface CsvRow {
  readonly cells: string[];
  readonly line: number;
}

/**
 * A parsed CSV file, stored by column: every field is converted to a number while parsing, so a
 * table costs 8 bytes a field plus the line of each row (parsing into arrays of strings with each
 * record's raw text peaked at 50 times the data: 2.1 GB for a 27 MB file). A field that is not a
 * number keeps its text (and its row's first line, for the column) only to be reported if a
 * column that training uses holds it.
 */
export interface CsvTable {
  readonly file: string;
  readonly header: string[];
  readonly delimiter: string;
  /** Number of data rows. */
  readonly rowCount: number;
  /** 1-based line where each data row starts. */
  readonly lines: Int32Array;
  /** Per column, its values; NaN where the field is not a finite number (see `bad`). */
  readonly columns: Float64Array[];
  /** Per column, the fields that are not finite numbers: row → the field's text. */
  readonly bad: Map<number, string>[];
  /** The first line of each row that has a bad field (for the field's column). */
  readonly badRaw: Map<number, string>;
  /** The rows' fields, rebuilt from the columns (tests and small files; not for large ones). */
  readonly rows: CsvRow[];
}

interface Parsed {
  record: string[];
  raw: string;
  info: { lines: number };
}

/**
 * csv-parse's incremental parser, the one its own stream and sync APIs drive (`Parser#api`):
 * fed chunk by chunk here, synchronously, so the file is never one string or buffer.
 */
interface IncrementalParser {
  parse(chunk: Buffer | undefined, end: boolean, push: (record: unknown) => void, close: () => void): Error | undefined;
}

/**
 * Bytes parsed at a time. Small, so that csv-parse's join of a chunk's tail with the next chunk
 * (a new buffer each time) dies young, before the field strings' scavenges promote it.
 */
export const CSV_CHUNK = 1 << 16;

/**
 * A column's values in one array sized before parsing from a count of the file's line breaks (a
 * row has at least one), so nothing is copied: an array that grew by doubling held up to twice
 * the values and three times during each copy, and joining blocks at the end held two copies
 * until the collector ran. It still grows if the file gained lines between the count and the parse.
 */
class Column<T extends Float64Array | Int32Array> {
  length = 0;
  private data: T;
  constructor(
    capacity: number,
    private readonly make: (n: number) => T,
  ) {
    this.data = make(Math.max(1, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/** The line breaks (\n, or \r alone) and bytes of a file: at most that many rows. */
export interface CsvExtent {
  readonly lineBreaks: number;
  readonly bytes: number;
}

/** Counts what CsvExtent holds, from the file's chunks. */
export function csvExtent(chunks: Iterable<Uint8Array>): CsvExtent {
  let lf = 0;
  let cr = 0;
  let bytes = 0;
  for (const c of chunks) {
    bytes += c.length;
    for (let i = 0; i < c.length; i++) {
      if (c[i] === 0x0a) lf++;
      else if (c[i] === 0x0d) cr++;
    }
  }
  return { lineBreaks: Math.max(lf, cr), bytes };
}

/**
 * Parses CSV text with csv-parse: the first non-empty line is the header, every later row must
 * have as many fields. Errors name the file, line and column and say what was expected.
 */
export function parseCsvTable(text: string, file: string, delimiter = ','): CsvTable {
  const bytes = Buffer.from(text);
  return parseCsvChunks([bytes], file, delimiter, csvExtent([bytes]));
}

/**
 * parseCsvTable on a file's bytes in chunks (FileAccess.chunks): a 100 MB CSV is read 64 KiB at
 * a time into its columns, never held whole (the text, its bytes and csv-parse's copy of them were
 * three times the file). A chunk may be reused by the reader once the next one is asked for.
 * `extent` (csvExtent of the same file) sizes the columns: rows ≤ line breaks + 1, and a row of k
 * fields has at least k bytes, so a file of blank lines under a wide header allocates no more
 * values than it has bytes.
 */
export function parseCsvChunks(
  chunks: Iterable<Uint8Array>,
  file: string,
  delimiter = ',',
  extent: CsvExtent = { lineBreaks: 1024, bytes: Infinity },
): CsvTable {
  let header: string[] | undefined;
  let headerLine = 1;
  let columns: Column<Float64Array>[] = [];
  let bad: Map<number, string>[] = [];
  const badRaw = new Map<number, string>();
  const rowsAtMost = (k: number) => Math.min(extent.lineBreaks + 1, Math.ceil(extent.bytes / Math.max(1, k)));
  let lines = new Column(1, (n) => new Int32Array(n));
  const onRecord = (r: Parsed): undefined => {
    const raw = r.raw.replace(/^(\r?\n|\r)+/, '');
    const innerBreaks = (raw.replace(/(\r?\n|\r)$/, '').match(/\r?\n|\r/g) ?? []).length;
    const line = r.info.lines - innerBreaks;
    const cells = r.record;
    if (!header) {
      header = cells.map((c) => c.trim());
      headerLine = line;
      checkHeader(header, raw, line, file, delimiter);
      const capacity = rowsAtMost(header.length);
      columns = header.map(() => new Column(capacity, (n) => new Float64Array(n)));
      lines = new Column(capacity, (n) => new Int32Array(n));
      bad = header.map(() => new Map<number, string>());
      return undefined;
    }
    if (cells.length !== header.length) {
      const col = fieldColumn(raw, Math.min(cells.length, header.length), delimiter);
      throw new DataError(
        file,
        { line, column: col },
        `row has ${cells.length} field${cells.length === 1 ? '' : 's'}, expected ${header.length} as in the header`,
      );
    }
    const row = lines.length;
    lines.push(line);
    for (let c = 0; c < cells.length; c++) {
      const s = cells[c].trim();
      const v = s === '' ? NaN : Number(s);
      if (!Number.isFinite(v) || Math.abs(v) > MAX_MAGNITUDE) {
        bad[c].set(row, s);
        if (!badRaw.has(row)) badRaw.set(row, raw);
      }
      columns[c].push(v);
    }
    return undefined;
  };
  const parser = (
    new Parser({
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      raw: true,
      // Each record is consumed here and dropped (returning undefined keeps nothing).
      // (With info and raw, csv-parse passes { record, raw, info }; its types say string[].)
      on_record: onRecord as unknown as (record: string[]) => undefined,
    }) as unknown as { api: IncrementalParser }
  ).api;
  const keep = () => undefined;
  // csv-parse keeps a view of a chunk's last bytes until the next call joins them to the next
  // chunk, and the reader may reuse its buffer: chunks are copied into two buffers in turn, so
  // the view stays intact without a new buffer per chunk.
  const turns = [Buffer.allocUnsafe(CSV_CHUNK), Buffer.allocUnsafe(CSV_CHUNK)];
  let turn = 0;
  try {
    const fail = (e: Error | undefined) => {
      if (e) throw e;
    };
    for (const chunk of chunks) {
      turn ^= 1;
      const own = chunk.length <= CSV_CHUNK ? turns[turn].subarray(0, chunk.length) : Buffer.alloc(chunk.length);
      own.set(chunk);
      fail(parser.parse(own, false, keep, keep));
    }
    fail(parser.parse(undefined, true, keep, keep));
  } catch (e) {
    if (e instanceof DataError) throw e;
    const err = e as { lines?: number; message: string };
    throw new DataError(file, { line: err.lines ?? 1 }, `not valid CSV: ${err.message.replace(/ at line \d+/, '')}`);
  }
  if (!header)
    throw new DataError(file, { line: 1, column: 1 }, 'the file is empty: expected a header row naming the columns');
  if (lines.length === 0)
    throw new DataError(file, { line: headerLine + 1, column: 1 }, 'no data rows after the header');
  const done = columns.map((c) => c.done());
  const lineArray = lines.done();
  const h = header;
  return {
    file,
    header: h,
    delimiter,
    rowCount: lineArray.length,
    lines: lineArray,
    columns: done,
    bad,
    badRaw,
    get rows(): CsvRow[] {
      return Array.from(lineArray, (line, i) => ({
        line,
        cells: h.map((_, c) => bad[c].get(i) ?? String(done[c][i])),
      }));
    },
  };
}

function checkHeader(header: string[], raw: string, line: number, file: string, delimiter: string): void {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '')
      throw new DataError(file, { line, column: fieldColumn(raw, i, delimiter) }, `header column ${i + 1} has no name`);
    if (seen.has(name))
      throw new DataError(
        file,
        { line, column: fieldColumn(raw, i, delimiter) },
        `duplicate column name '${name}' (also column ${(seen.get(name) as number) + 1})`,
      );
    seen.set(name, i);
  });
}

/**
 * 1-based character column where field `k` (0-based) starts in a record's raw text, counted on
 * the line it starts on; past the last field, the column just after the record's first line.
 */
export function fieldColumn(raw: string, k: number, delimiter: string): number {
  if (k <= 0) return 1;
  let field = 0,
    quoted = false,
    lineStart = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && quoted) lineStart = i + 1;
    else if (!quoted && raw.startsWith(delimiter, i)) {
      field++;
      i += delimiter.length - 1;
      if (field === k) return i + 2 - lineStart;
    }
  }
  return raw.split(/\r?\n|\r/)[0].length + 1;
}

/** Reads one numeric column; an empty, non-numeric or too large cell is an error at its line and column. */
export function numericColumn(table: CsvTable, index: number): Float64Array {
  const name = table.header[index];
  const bad = table.bad[index];
  if (bad.size > 0) {
    // Rows are added in order: the first is the smallest (a spread of 300,000 keys into
    // Math.min overflowed the stack).
    const row = bad.keys().next().value as number;
    const s = bad.get(row) as string;
    const where = { line: table.lines[row], column: fieldColumn(table.badRaw.get(row) ?? '', index, table.delimiter) };
    const v = s === '' ? NaN : Number(s);
    if (Number.isFinite(v))
      throw new DataError(
        table.file,
        where,
        `the value ${s} in column '${name}' is too large: beyond ±1e30 it overflows float32 and the squares in scaling and losses (training would turn to NaN); rescale the column`,
      );
    const got = s === '' ? 'an empty cell' : `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
    throw new DataError(table.file, where, `expected a number in column '${name}', got ${got}`);
  }
  return table.columns[index];
}

/** Largest magnitude a data value may have: squares of it still fit in float64, sums in float32. */
export const MAX_MAGNITUDE = 1e30;
