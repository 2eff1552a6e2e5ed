import { findNodeAtLocation, Node } from 'jsonc-parser';
import type { DataSpec } from '../data/dataSpec';
import type { DType, ProfileName, Quirks } from '../engine';
import { LineIndex, Range } from './problem';
import type { JsonPath } from './schemaCheck';

/** A layer as the file declares it: its kind, optional name, and the kind's options with defaults. */
export interface LayerSpec {
  readonly type: string;
  readonly name?: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export type LossSpec =
  | { readonly type: 'meanSquaredError'; readonly normalize: boolean }
  | { readonly type: 'softmaxCrossEntropy' }
  | { readonly type: 'binaryCrossEntropy' }
  | {
      readonly type: 'sequenceSoftmaxCrossEntropy';
      readonly form?: 'categorical' | 'book';
      readonly reduction?: 'mean' | 'sum';
    };

export interface DecaySpec {
  readonly type: 'linear' | 'exponential';
  readonly finalLr: number;
  /** Default 'epoch' (the book). */
  readonly every?: 'epoch' | 'step';
}

export type OptimizerSpec = OptimizerKindSpec & {
  /** Clip every gradient element to [−clip, clip] before the update (chapter 6). */
  readonly clip?: number;
};

type OptimizerKindSpec =
  | { readonly type: 'sgd'; readonly lr: number; readonly decay?: DecaySpec }
  | { readonly type: 'sgdMomentum'; readonly lr: number; readonly momentum: number; readonly decay?: DecaySpec }
  | { readonly type: 'adaGrad'; readonly lr: number; readonly eps: number; readonly decay?: DecaySpec }
  | {
      readonly type: 'adam';
      readonly lr: number;
      readonly beta1: number;
      readonly beta2: number;
      readonly eps: number;
      readonly decay?: DecaySpec;
    };

export interface TrainingSpec {
  readonly epochs: number;
  readonly batchSize: number;
  readonly evalEvery: number;
  readonly evalEveryBatches?: number;
  readonly earlyStopping: boolean;
  /** Shuffle (fit) seed; defaults to the model's seed. */
  readonly seed: number;
  readonly metrics?: readonly ('mae' | 'mse' | 'rmse' | 'accuracy')[];
  /** Text models (data type 'text'): batches in all; `epochs` is then the number of rounds of `evalEvery` iterations. */
  readonly iterations?: number;
  readonly sampleEvery?: number;
  readonly sampleLength?: number;
  readonly sampleSeedText?: string;
  readonly sampleTemperature?: number;
}

/** After training: one layer's outputs on test rows, projected to 2-D, into the run's latent.json. */
export interface LatentSpec {
  /** Name of the layer whose output is projected (e.g. the autoencoder's 'encoding'). */
  readonly layer: string;
  readonly method: 'pca' | 'tsne';
  /** The first this many test rows are projected. */
  readonly rows: number;
  /** t-SNE's initial-layout seed. */
  readonly seed: number;
}

/** A model file with every default filled in: plain JSON, so it is also the run record's config. */
export interface ModelSpec {
  readonly name: string;
  readonly description?: string;
  readonly profile: ProfileName;
  /** Single behaviours of the profile switched on or off (engine/profile.ts); absent when none are. */
  readonly quirks?: Quirks;
  readonly precision: DType;
  /** Network seed (initialisation). */
  readonly seed: number;
  readonly data: DataSpec;
  readonly layers: readonly LayerSpec[];
  readonly loss: LossSpec;
  readonly optimizer: OptimizerSpec;
  readonly training: TrainingSpec;
  readonly latent?: LatentSpec;
}

/** Source ranges of any value or key in the parsed file, by JSON path (e.g. ['layers', 1, 'units']). */
export class ModelSource {
  constructor(
    readonly root: Node | undefined,
    readonly lines: LineIndex,
  ) {}

  node(path: JsonPath): Node | undefined {
    return this.root ? findNodeAtLocation(this.root, path) : undefined;
  }

  /**
   * Range of the value at `path` for a problem about it (LineIndex.nodeRange: the value on one line,
   * else its key or first character); falls back to the closest existing parent, then the file start.
   */
  rangeOf(path: JsonPath): Range {
    for (let n = path.length; n >= 0; n--) {
      const node = this.node(path.slice(0, n));
      if (node) return this.lines.nodeRange(node);
    }
    return this.lines.range(0, 0);
  }

  /** The first character of the value at `path` (an object's `{`), or as `rangeOf` when it is absent. */
  startOf(path: JsonPath): Range {
    const node = this.node(path);
    return node ? this.lines.range(node.offset, 1) : this.rangeOf(path);
  }

  /** Range of the property name at `path` (the value's range for array items or the root). */
  keyRangeOf(path: JsonPath): Range {
    const key = this.node(path)?.parent?.children?.[0];
    return key && key.type === 'string' && this.node(path)?.parent?.type === 'property'
      ? this.lines.range(key.offset, key.length)
      : this.rangeOf(path);
  }
}

export function defaultModelName(filePath: string): string {
  const base = filePath.split(/[\\/]/).pop() ?? 'model';
  return base.replace(/\.nn\.json$/i, '').replace(/\.jsonc?$/i, '') || 'model';
}
