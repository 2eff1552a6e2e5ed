import { parse } from 'csv-parse/sync';
import { DataError } from './dataError';
import { t } from '../l10n';

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

/** A Float64Array/Int32Array that grows by doubling. */
class Growing<T extends Float64Array | Int32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
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

/**
 * Parses CSV text with csv-parse: the first non-empty line is the header, every later row must
 * have as many fields. Errors name the file, line and column and say what was expected.
 */
export function parseCsvTable(text: string, file: string, delimiter = ','): CsvTable {
  let header: string[] | undefined;
  let headerLine = 1;
  let columns: Growing<Float64Array>[] = [];
  let bad: Map<number, string>[] = [];
  const badRaw = new Map<number, string>();
  const lines = new Growing(new Int32Array(1024), (n) => new Int32Array(n));
  try {
    parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      raw: true,
      // Each record is consumed here and dropped (returning undefined keeps nothing).
      // (With info and raw, csv-parse passes { record, raw, info }; its types say string[].)
      on_record: ((r: Parsed) => {
        const raw = r.raw.replace(/^(\r?\n|\r)+/, '');
        const innerBreaks = (raw.replace(/(\r?\n|\r)$/, '').match(/\r?\n|\r/g) ?? []).length;
        const line = r.info.lines - innerBreaks;
        const cells = r.record;
        if (!header) {
          header = cells.map((c) => c.trim());
          headerLine = line;
          checkHeader(header, raw, line, file, delimiter);
          columns = header.map(() => new Growing(new Float64Array(1024), (n) => new Float64Array(n)));
          bad = header.map(() => new Map<number, string>());
          return undefined;
        }
        if (cells.length !== header.length) {
          const col = fieldColumn(raw, Math.min(cells.length, header.length), delimiter);
          throw new DataError(
            file,
            { line, column: col },
            t(
              cells.length === 1
                ? 'row has {0} field, expected {1} as in the header'
                : 'row has {0} fields, expected {1} as in the header',
              cells.length,
              header.length,
            ),
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
      }) as unknown as (record: string[]) => undefined,
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    const err = e as { lines?: number; message: string };
    throw new DataError(
      file,
      { line: err.lines ?? 1 },
      t('not valid CSV: {0}', err.message.replace(/ at line \d+/, '')),
    );
  }
  if (!header)
    throw new DataError(file, { line: 1, column: 1 }, t('the file is empty: expected a header row naming the columns'));
  if (lines.length === 0)
    throw new DataError(file, { line: headerLine + 1, column: 1 }, t('no data rows after the header'));
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
      throw new DataError(
        file,
        { line, column: fieldColumn(raw, i, delimiter) },
        t('header column {0} has no name', i + 1),
      );
    if (seen.has(name))
      throw new DataError(
        file,
        { line, column: fieldColumn(raw, i, delimiter) },
        t("duplicate column name '{0}' (also column {1})", name, (seen.get(name) as number) + 1),
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
    const row = Math.min(...bad.keys());
    const s = bad.get(row) as string;
    const where = { line: table.lines[row], column: fieldColumn(table.badRaw.get(row) ?? '', index, table.delimiter) };
    const v = s === '' ? NaN : Number(s);
    if (Number.isFinite(v))
      throw new DataError(
        table.file,
        where,
        t(
          "the value {0} in column '{1}' is too large: beyond ±1e30 it overflows float32 and the squares in scaling and losses (training would turn to NaN); rescale the column",
          s,
          name,
        ),
      );
    const got = s === '' ? t('an empty cell') : `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`;
    throw new DataError(table.file, where, t("expected a number in column '{0}', got {1}", name, got));
  }
  return table.columns[index];
}

/** Largest magnitude a data value may have: squares of it still fit in float64, sums in float32. */
export const MAX_MAGNITUDE = 1e30;
