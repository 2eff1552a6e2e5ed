import { CharVocabulary, DType, textDataset, TextDataset, validationLength } from '../engine';
import { DataError } from './dataError';
import { decodeText } from './textDecode';
import { cachedTextScan, scanText } from './textScan';
import type { DataIssue, DataShape, DataSpec } from './dataSpec';
import { checkDataFile, FileAccess, maxTextBytes } from './fileAccess';

export type TextSpec = Extract<DataSpec, { type: 'text' }>;

/** A text this small is scanned where it is validated (one chunk: a few milliseconds). */
export const SCAN_IN_PLACE_BYTES = 1 << 20;

const EMPTY = 'the text is empty: a character model needs a text to learn from';

function readText(file: string, files: FileAccess): string {
  checkDataFile(files, file, maxTextBytes());
  let bytes: Uint8Array;
  try {
    bytes = files.read(file);
  } catch (e) {
    throw new DataError(file, {}, `cannot read the file (${(e as Error).message})`, 'dataUnreadable');
  }
  const text = decodeText(bytes, file);
  if (text.length === 0) throw new DataError(file, {}, EMPTY);
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
  let scan;
  try {
    // Streamed and cached: the editor validates on every edit, and the file may be large.
    const size = checkDataFile(files, file, maxTextBytes());
    scan = cachedTextScan(file, files);
    if (!scan && files.scanElsewhere && size > SCAN_IN_PLACE_BYTES) {
      // The editor: the scan runs in a worker and validation runs again when it is done.
      files.scanElsewhere(file);
      return {
        issues: [
          {
            path: ['path'],
            severity: 'info',
            code: 'dataPending',
            message: `reading ${spec.path} (${(size / 2 ** 20).toFixed(1)} MiB) in the background: its characters and vocabulary, and the layer shapes, follow when it is done`,
          },
        ],
      };
    }
    scan ??= scanText(file, files);
  } catch (e) {
    if (e instanceof DataError)
      return { issues: [{ path: ['path'], severity: 'error', code: e.code, message: e.message }] };
    throw new DataError(file, {}, `cannot read the file (${(e as Error).message})`, 'dataUnreadable');
  }
  if (scan.characters === 0) {
    const e = new DataError(file, {}, EMPTY);
    return { issues: [{ path: ['path'], severity: 'error', code: e.code, message: e.message }] };
  }
  const issues = splitIssues(spec, scan.characters);
  return issues.length
    ? { issues }
    : { shape: textShape(spec, new CharVocabulary(scan.vocabulary), scan.characters), issues: [] };
}

/** Loads the text as a TextDataset (engine: textDataset). Throws DataError naming the file. */
export function loadTextData(
  spec: TextSpec,
  file: string,
  files: FileAccess,
  dtype: DType,
): { dataset: TextDataset; shape: DataShape } {
  const text = readText(file, files);
  let characters = 0;
  // Code points, without a 100-million-element array.
  for (let i = 0; i < text.length; i++, characters++)
    if (text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) < 0xdc00) i++;
  const issues = splitIssues(spec, characters);
  if (issues.length) throw new DataError(file, {}, issues[0].message);
  const dataset = textDataset(text, {
    sequenceLength: spec.sequenceLength,
    validationFraction: spec.validationFraction,
    dtype,
  });
  return { dataset, shape: textShape(spec, dataset.text.vocab, characters) };
}
