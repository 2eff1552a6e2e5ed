import { parse } from 'csv-parse/sync';
import { DataError } from './dataError';

/** One data row with where it starts in the file (1-based line) and its raw text. */
export interface CsvRow {
  readonly cells: string[];
  readonly line: number;
  readonly raw: string;
}

export interface CsvTable {
  readonly file: string;
  readonly header: string[];
  readonly rows: CsvRow[];
  readonly delimiter: string;
}

interface Parsed {
  record: string[];
  raw: string;
  info: { lines: number };
}

/**
 * Parses CSV text with csv-parse: the first non-empty line is the header, every later row must
 * have as many fields. Errors name the file, line and column and say what was expected.
 */
export function parseCsvTable(text: string, file: string, delimiter = ','): CsvTable {
  let records: Parsed[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      raw: true,
    }) as unknown as Parsed[];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new DataError(file, { line: err.lines ?? 1 }, `not valid CSV: ${err.message.replace(/ at line \d+/, '')}`);
  }
  if (records.length === 0)
    throw new DataError(file, { line: 1, column: 1 }, 'the file is empty: expected a header row naming the columns');
  const rows = records.map((r) => {
    const raw = r.raw.replace(/^(\r?\n|\r)+/, '');
    const innerBreaks = (raw.replace(/(\r?\n|\r)$/, '').match(/\r?\n|\r/g) ?? []).length;
    return { cells: r.record.map((c) => c.trim()), line: r.info.lines - innerBreaks, raw };
  });
  const [head, ...data] = rows;
  const header = head.cells;
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '')
      throw new DataError(
        file,
        { line: head.line, column: fieldColumn(head.raw, i, delimiter) },
        `header column ${i + 1} has no name`,
      );
    if (seen.has(name))
      throw new DataError(
        file,
        { line: head.line, column: fieldColumn(head.raw, i, delimiter) },
        `duplicate column name '${name}' (also column ${(seen.get(name) as number) + 1})`,
      );
    seen.set(name, i);
  });
  if (data.length === 0) throw new DataError(file, { line: head.line + 1, column: 1 }, 'no data rows after the header');
  for (const r of data) {
    if (r.cells.length !== header.length) {
      const col = fieldColumn(r.raw, Math.min(r.cells.length, header.length), delimiter);
      throw new DataError(
        file,
        { line: r.line, column: col },
        `row has ${r.cells.length} field${r.cells.length === 1 ? '' : 's'}, expected ${header.length} as in the header`,
      );
    }
  }
  return { file, header, rows: data, delimiter };
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

/** Reads one numeric column; an empty or non-numeric cell is an error at its line and column. */
export function numericColumn(table: CsvTable, index: number): Float64Array {
  const out = new Float64Array(table.rows.length);
  const name = table.header[index];
  table.rows.forEach((r, i) => {
    const s = r.cells[index];
    const v = s === '' ? NaN : Number(s);
    if (!Number.isFinite(v)) {
      const got = s === '' ? 'an empty cell' : `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
      throw new DataError(
        table.file,
        { line: r.line, column: fieldColumn(r.raw, index, table.delimiter) },
        `expected a number in column '${name}', got ${got}`,
      );
    }
    if (Math.abs(v) > MAX_MAGNITUDE)
      throw new DataError(
        table.file,
        { line: r.line, column: fieldColumn(r.raw, index, table.delimiter) },
        `the value ${s} in column '${name}' is too large: beyond ±1e30 it overflows float32 and the squares in scaling and losses (training would turn to NaN); rescale the column`,
      );
    out[i] = v;
  });
  return out;
}

/** Largest magnitude a data value may have: squares of it still fit in float64, sums in float32. */
export const MAX_MAGNITUDE = 1e30;
