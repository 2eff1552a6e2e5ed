import { CharVocabulary, DType, textDataset, TextDataset, validationLength } from '../engine';
import { DataError } from './dataError';
import type { DataIssue, DataShape, DataSpec } from './dataSpec';
import { checkDataFile, FileAccess, maxTextBytes } from './fileAccess';

export type TextSpec = Extract<DataSpec, { type: 'text' }>;

/** Byte offset of the first byte that is not valid UTF-8, or -1 (overlong forms and surrogates count as invalid). */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1];
    if (
      (c === 0xe0 && c1 < 0xa0) ||
      (c === 0xed && c1 > 0x9f) ||
      (c === 0xf0 && c1 < 0x90) ||
      (c === 0xf4 && c1 > 0x8f)
    )
      return i;
    i += n + 1;
  }
  return -1;
}

/**
 * The text of a data file: UTF-8 (a leading byte-order mark dropped), line ends normalised to
 * \n so a checkout with CRLF line ends trains on the same characters. Invalid UTF-8 is reported
 * at its line and column.
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const before = new TextDecoder().decode(bytes.subarray(0, bad));
    const lines = before.split('\n');
    throw new DataError(
      file,
      { line: lines.length, column: [...lines[lines.length - 1]].length + 1 },
      `byte ${bad} (0x${bytes[bad].toString(16).padStart(2, '0')}) is not valid UTF-8: expected a UTF-8 text file`,
    );
  }
  return new TextDecoder()
    .decode(bytes)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
}

function readText(file: string, files: FileAccess): string {
  checkDataFile(files, file, maxTextBytes());
  let bytes: Uint8Array;
  try {
    bytes = files.read(file);
  } catch (e) {
    throw new DataError(file, {}, `cannot read the file (${(e as Error).message})`, 'dataUnreadable');
  }
  const text = decodeText(bytes, file);
  if (text.length === 0)
    throw new DataError(file, {}, 'the text is empty: a character model needs a text to learn from');
  return text;
}

/** Problems with the split (at `sequenceLength` or `validationFraction`), or none. */
function splitIssues(spec: TextSpec, characters: number): DataIssue[] {
  const t = spec.sequenceLength;
  const v = validationLength(characters, spec.validationFraction);
  if (characters < 2 * (t + 1)) {
    return [
      {
        path: ['sequenceLength'],
        severity: 'error',
        code: 'dataFormat',
        message: `sequenceLength ${t} is too long for ${spec.path}: its ${characters} characters must hold one window of ${t + 1} (inputs and the next-character targets) for training and one for validation`,
      },
    ];
  }
  if (v < t + 1)
    return [
      {
        path: ['validationFraction'],
        severity: 'error',
        code: 'dataFormat',
        message: `validationFraction ${spec.validationFraction} holds out ${v} of ${characters} characters; evaluation needs at least sequenceLength + 1 = ${t + 1}`,
      },
    ];
  if (characters - v < t + 1)
    return [
      {
        path: ['validationFraction'],
        severity: 'error',
        code: 'dataFormat',
        message: `validationFraction ${spec.validationFraction} leaves ${characters - v} characters for training; at least sequenceLength + 1 = ${t + 1} are needed`,
      },
    ];
  return [];
}

function textShape(spec: TextSpec, vocab: CharVocabulary, characters: number): DataShape {
  const v = validationLength(characters, spec.validationFraction);
  return {
    inputShape: [spec.sequenceLength, vocab.size],
    outputs: vocab.size,
    task: 'sequence',
    trainRows: characters - v,
    testRows: v,
    description: `${spec.path}: ${characters.toLocaleString('en-US')} characters, vocabulary ${vocab.size}, windows of ${spec.sequenceLength}; ${(characters - v).toLocaleString('en-US')} train / ${v.toLocaleString('en-US')} validation characters`,
    text: {
      vocabulary: vocab.chars,
      trainChars: characters - v,
      validationChars: v,
      sequenceLength: spec.sequenceLength,
    },
  };
}

/** Reads the text for validation: its shape and vocabulary, or issues at `path`, `sequenceLength` or `validationFraction`. */
export function probeText(spec: TextSpec, file: string, files: FileAccess): { shape?: DataShape; issues: DataIssue[] } {
  let text: string;
  try {
    text = readText(file, files);
  } catch (e) {
    if (e instanceof DataError)
      return { issues: [{ path: ['path'], severity: 'error', code: e.code, message: e.message }] };
    throw e;
  }
  const characters = [...text].length;
  const issues = splitIssues(spec, characters);
  return issues.length ? { issues } : { shape: textShape(spec, CharVocabulary.fromText(text), characters), issues: [] };
}

/** Loads the text as a TextDataset (engine: textDataset). Throws DataError naming the file. */
export function loadTextData(
  spec: TextSpec,
  file: string,
  files: FileAccess,
  dtype: DType,
): { dataset: TextDataset; shape: DataShape } {
  const text = readText(file, files);
  const characters = [...text].length;
  const issues = splitIssues(spec, characters);
  if (issues.length) throw new DataError(file, {}, issues[0].message);
  const dataset = textDataset(text, {
    sequenceLength: spec.sequenceLength,
    validationFraction: spec.validationFraction,
    dtype,
  });
  return { dataset, shape: textShape(spec, dataset.text.vocab, characters) };
}
