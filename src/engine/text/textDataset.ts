import { assertValue } from '../errors';
import type { DType, Tensor } from '../tensor/tensor';
import type { Dataset } from '../train/dataset';
import { oneHotSequences } from './charBatches';
import { CharVocabulary } from './charVocabulary';

/** A character text split for training a character model: encoded training text and held-out tail. */
export interface TextCorpus {
  readonly vocab: CharVocabulary;
  /** T, the characters per training and evaluation sequence. */
  readonly sequenceLength: number;
  /** The training text (everything before the tail), as vocabulary indices. */
  readonly train: Int32Array;
  /** The held-out tail, as vocabulary indices. */
  readonly validation: Int32Array;
}

/**
 * A text as a Dataset. The Trainer draws training batches from `text` (see textSchedule.ts);
 * `xTest`/`yTest` are the evaluation windows of the held-out tail, one-hot [rows, T, V], and
 * `xTrain`/`yTrain` only the first training window [1, T, V] (for shape inference and
 * telemetry probes: the full set of windows would not fit in memory for a large text).
 */
export interface TextDataset extends Dataset {
  readonly text: TextCorpus;
}

export function isTextDataset(d: Dataset): d is TextDataset {
  return (d as Partial<TextDataset>).text !== undefined;
}

export interface TextSplitArgs {
  sequenceLength: number;
  /** Share of the characters held out at the end of the text. Default 0.1. */
  validationFraction?: number;
  /** Evaluate on at most this many characters of the tail (its start). Default 16,384. */
  maxEvaluationChars?: number;
  dtype?: DType;
}

/** Characters held out at the end: ⌈fraction·n⌉. */
export function validationLength(characters: number, fraction: number): number {
  return Math.ceil(fraction * characters);
}

/**
 * Splits a text into a training head and a held-out tail (the last ⌈fraction·n⌉ characters),
 * with the vocabulary of the whole text (sorted, CharVocabulary). Each part must hold at least
 * one window of T + 1 characters (inputs and the next-character targets).
 */
export function textDataset(text: string, args: TextSplitArgs): TextDataset {
  const t = args.sequenceLength;
  const vocab = CharVocabulary.fromText(text);
  const encoded = vocab.encode(text);
  const n = encoded.length;
  const v = validationLength(n, args.validationFraction ?? 0.1);
  assertValue(Number.isInteger(t) && t > 0, () => `textDataset: sequenceLength must be a positive integer, got ${t}`);
  assertValue(
    v >= t + 1 && n - v >= t + 1,
    () =>
      `textDataset: the text has ${n} characters; ${v} held out and ${n - v} for training, each needs at least sequenceLength + 1 = ${t + 1}`,
  );
  const train = encoded.subarray(0, n - v);
  const validation = encoded.subarray(n - v);
  const dtype = args.dtype ?? 'float32';
  const evalChars = Math.min(validation.length, args.maxEvaluationChars ?? 16384);
  const rows = Math.max(1, Math.floor((evalChars - 1) / t));
  const starts = Array.from({ length: rows }, (_, r) => r * t);
  const oneHotWindows = (codes: Int32Array, s: number[]): Tensor => oneHotSequences(codes, s, t, vocab.size, dtype);
  return {
    text: { vocab, sequenceLength: t, train, validation },
    xTrain: oneHotWindows(train, [0]),
    yTrain: oneHotWindows(train, [1]),
    xTest: oneHotWindows(validation, starts),
    yTest: oneHotWindows(
      validation,
      starts.map((s) => s + 1),
    ),
  };
}
