/**
 * Where a model's data comes from, as a model file declares it (after defaults are applied).
 * Paths are as written in the file; they resolve relative to the model file's folder.
 */
export type Layout = 'flat' | 'image';

/**
 * Pixel scaling of image data: 'unit' pixel/255 in [0, 1]; 'book' the train set's global mean and
 * std (chapters 4–5); 'minusOneToOne' pixel/127.5 − 1 in [−1, 1] (chapter 7's autoencoder).
 */
export type PixelScaling = 'unit' | 'book' | 'minusOneToOne';

/** What the network learns to output: the dataset's labels, or its own input (an autoencoder). */
export type TargetKind = 'labels' | 'input';

export type DataSpec =
  | { readonly type: 'boston' }
  | {
      readonly type: 'mnist-sample';
      readonly testFraction: number;
      readonly splitSeed: number;
      readonly layout: Layout;
      readonly scaling?: 'unit' | 'minusOneToOne';
      readonly target?: TargetKind;
    }
  | { readonly type: 'mnist'; readonly scaling: PixelScaling; readonly layout: Layout; readonly target?: TargetKind }
  | {
      readonly type: 'csv';
      readonly path: string;
      readonly target: string | readonly string[];
      readonly features?: readonly string[];
      readonly classes?: number;
      readonly scale: 'standard' | 'none';
      readonly scaleBeforeSplit: boolean;
      readonly testFraction: number;
      readonly splitSeed: number;
      readonly delimiter: string;
    }
  | {
      readonly type: 'idx';
      readonly trainImages: string;
      readonly trainLabels: string;
      readonly testImages: string;
      readonly testLabels: string;
      readonly scaling: PixelScaling;
      readonly classes: number;
      readonly layout: Layout;
      readonly target?: TargetKind;
    }
  | {
      readonly type: 'imageFolder';
      readonly path: string;
      /** [channels, height, width]: channels 1 (greyscale) or 3 (RGB). */
      readonly imageShape: readonly number[];
      readonly testFraction: number;
      readonly splitSeed: number;
      readonly scaling: 'unit' | 'minusOneToOne';
      readonly layout: Layout;
      readonly target?: TargetKind;
    }
  | {
      readonly type: 'text';
      readonly path: string;
      readonly sequenceLength: number;
      readonly validationFraction: number;
    };

/** What shape inference needs to know about a dataset, found without loading it. */
export interface DataShape {
  /** One example's input shape, without the batch axis. */
  readonly inputShape: number[];
  /** Target columns (one-hot width for classification; the input's size for reconstruction). */
  readonly outputs: number;
  /**
   * 'reconstruction': the target is the input itself, flattened to [rows, features] (`target: 'input'`).
   * 'sequence': a character text (inputs and targets one-hot [T, vocabulary] per window).
   */
  readonly task: 'regression' | 'classification' | 'reconstruction' | 'sequence';
  readonly trainRows?: number;
  readonly testRows?: number;
  /** Short description for summaries, e.g. 'boston: 354 train / 152 test rows'. */
  readonly description: string;
  /** Class names (untrusted text, e.g. an image folder's subfolder names), index = label. */
  readonly classNames?: readonly string[];
  /** Text data: the vocabulary and how the characters split (textData.ts). */
  readonly text?: TextShape;
  /**
   * CSV data: the input columns' names and, when scaled, the scaling (x = (raw − mean)/std) fitted
   * on them — the Probe tab's sliders show raw values.
   */
  readonly columns?: { readonly names: readonly string[]; readonly mean?: number[]; readonly std?: number[] };
}

export interface TextShape {
  /** Sorted distinct characters. */
  readonly vocabulary: readonly string[];
  readonly trainChars: number;
  readonly validationChars: number;
  readonly sequenceLength: number;
}

/** A key path inside the `data` section of a model file, e.g. ['target', 1]. */
export type DataPath = (string | number)[];

/** A problem with the data, located at a value of the `data` section. */
export interface DataIssue {
  readonly path: DataPath;
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: 'dataMissing' | 'dataUnreadable' | 'dataTooLarge' | 'dataFormat' | 'unknownColumn' | 'dataPending';
  readonly message: string;
}
