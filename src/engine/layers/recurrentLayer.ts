import { assertShape, assertValue, GlassboxError, engineText } from '../errors';
import { BiasAdd } from '../ops/biasAdd';
import type { Operation } from '../ops/operation';
import { WeightMultiply } from '../ops/weightMultiply';
import type { DrawParam, RecurrentCell } from '../recurrent/recurrentCell';
import { RecurrentOperation, RecurrentStateMode } from '../recurrent/recurrentOperation';
import { formatShape, Shape } from '../tensor/shape';
import { Tensor, TensorData } from '../tensor/tensor';
import { normalTensor } from './init';
import { Layer, SetupContext, StateTensor } from './layer';
import { JsonSchema, LayerDescriptor, summary } from './layerDescriptor';

export interface RecurrentArgs {
  /** Size of the hidden state H (and C). */
  hiddenSize: number;
  /** Size of each step's output H_t·W_v + B_v (the vocabulary size for a last layer). */
  outputSize: number;
  /**
   * Std of the N(0, std) draws. Default: book profile, the book's per-layer default (RNN
   * 2/(in + out), LSTM and GRU 0.01), biases drawn too; modern profile, Glorot
   * √(2/(fanIn + fanOut)) per weight matrix, biases zero.
   */
  weightScale?: number;
  /** Where each call's state starts (RecurrentOperation). Default: 'carry' in the book profile, else 'zero'. */
  state?: RecurrentStateMode;
}

/**
 * A recurrent layer: one RecurrentOperation, its cell unrolled over the sequence.
 * Shape: Input [batch, T, features] → Output [batch, T, outputSize].
 * Initialisation draws the cell's parameters in the book's order, then W_v [hidden, out] and
 * B_v [1, out], at the first forward (as the book's `_init_params`; no reseeding).
 */
export abstract class RecurrentLayer extends Layer {
  readonly args: RecurrentArgs;
  private operation: RecurrentOperation | null = null;

  constructor(args: RecurrentArgs) {
    super();
    const positive = (v: number) => Number.isInteger(v) && v > 0;
    assertValue(positive(args.hiddenSize) && positive(args.outputSize), () =>
      engineText(
        '{0}: hiddenSize and outputSize must be positive integers, got {1} and {2}',
        new.target.name,
        String(args.hiddenSize),
        String(args.outputSize),
      ),
    );
    assertValue(args.weightScale === undefined || (Number.isFinite(args.weightScale) && args.weightScale > 0), () =>
      engineText('{0}: weightScale must be a positive number, got {1}', new.target.name, String(args.weightScale)),
    );
    this.args = { ...args };
  }

  /** The cell, drawing its parameters through `draw` in the book's order. */
  protected abstract createCell(inputSize: number, draw: DrawParam): RecurrentCell;
  /** The book's default weight_scale for this layer (§6.7). */
  protected abstract bookWeightScale(inputSize: number): number;
  /** Book profile std of W_v and B_v when it is not the weight scale (the book's GRU: 1). */
  protected bookOutputStd(): number | undefined {
    return undefined;
  }

  outputShape(inputShape: Shape): Shape {
    assertShape(inputShape.length === 2, () =>
      engineText(
        '{0}: input must be a sequence per example [T, features], got {1}',
        this.kind,
        formatShape(inputShape),
      ),
    );
    return [inputShape[0], this.args.outputSize];
  }

  protected createOperations(inputShape: Shape, setup: SetupContext): Operation[] {
    this.outputShape(inputShape);
    const features = inputShape[1];
    const book = setup.profile.bookRecurrentInit;
    const scale = this.args.weightScale;
    const draw: DrawParam = (_name, shape, role, bookStd) => {
      if (book) return normalTensor(shape, bookStd ?? scale ?? this.bookWeightScale(features), setup.rng, setup.dtype);
      if (role === 'bias') return Tensor.zeros(shape, setup.dtype);
      return normalTensor(shape, scale ?? Math.sqrt(2 / (shape[0] + shape[1])), setup.rng, setup.dtype);
    };
    const cell = this.createCell(features, draw);
    const { hiddenSize, outputSize } = this.args;
    const out = this.bookOutputStd();
    const wv = new WeightMultiply(draw('W_v', [hiddenSize, outputSize], 'weight', out), 'W_v');
    const bv = new BiasAdd(draw('B_v', [1, outputSize], 'bias', out), 'B_v');
    this.operation = new RecurrentOperation(
      cell,
      wv,
      bv,
      this.args.state ?? (setup.profile.carryRecurrentState ? 'carry' : 'zero'),
    );
    return [this.operation];
  }

  private requireOperation(): RecurrentOperation {
    if (!this.operation || !this.isBuilt)
      throw new GlassboxError(`${this.kind}: the layer has no state before its first forward`);
    return this.operation;
  }

  get stateMode(): RecurrentStateMode {
    return this.requireOperation().stateMode;
  }

  set stateMode(mode: RecurrentStateMode) {
    this.requireOperation().stateMode = mode;
  }

  /** In 'carry' mode, the [1, hidden] state(s) the next call starts from ([H] or [H, C]); null means zeros. */
  get carriedState(): Tensor[] | null {
    return this.requireOperation().carriedState;
  }

  set carriedState(state: Tensor[] | null) {
    this.requireOperation().carriedState = state;
  }

  /** The carried state's names: H, and C for an LSTM. */
  private stateNames(): string[] {
    return ['H', 'C'].slice(0, this.requireOperation().cell.stateCount);
  }

  /**
   * In 'carry' mode, the state the next call starts from: H (and C), each [1, hidden], zeros
   * when nothing is carried yet (the same start). In 'zero' mode, and before the first build, none.
   */
  override state(): StateTensor[] {
    if (!this.isBuilt || this.stateMode !== 'carry') return [];
    const op = this.requireOperation();
    const dtype = op.params[0].value.dtype;
    const carried = op.carriedState;
    return this.stateNames().map((name, i) => ({
      name,
      value: carried ? carried[i].clone() : Tensor.zeros([1, op.cell.hiddenSize], dtype),
    }));
  }

  override loadState(values: readonly TensorData[]): void {
    const names = this.isBuilt && this.stateMode === 'carry' ? this.stateNames() : [];
    if (names.length === 0) return super.loadState(values);
    assertValue(
      values.length === names.length,
      () => `${this.kind} ${this.name}: carried state is ${names.join(', ')}, got ${values.length} tensor(s)`,
    );
    const op = this.requireOperation();
    const like = { shape: [1, op.cell.hiddenSize], dtype: op.params[0].value.dtype };
    op.carriedState = values.map((v, i) => this.stateFrom(v, like, names[i]));
  }
}

/** What the book calls a recurrent kind and its default weight scale (the schema's wording). */
export interface RecurrentKindInfo {
  /** The book's class, e.g. 'RNNLayer'. */
  readonly bookName: string;
  /** The book's default weight scale, e.g. '0.01'. */
  readonly bookScale: string;
  /** What the cell computes. */
  readonly what: string;
  /** Values of the cell's parameters for `inputs` features and `hidden` units, without the output projection. */
  cellParameters(inputs: number, hidden: number): number;
}

/** The descriptor of a recurrent kind ('rnn', 'lstm', 'gru'): the arguments RecurrentArgs documents. */
export function recurrentDescriptor(
  type: string,
  info: RecurrentKindInfo,
  create: (a: RecurrentArgs) => Layer,
): LayerDescriptor {
  return {
    type,
    sequence: true,
    description: `${info.what}, then out_t = H_t·W_v + B_v at every step (the book's ${info.bookName}). Input [T, features] per example → output [T, outputSize]. For text the last layer outputs one logit per character of the vocabulary.`,
    required: ['hiddenSize'],
    args: {
      hiddenSize: {
        type: 'integer',
        minimum: 1,
        description: 'Size of the hidden state H (and, for lstm, the cell state C).',
        examples: [256],
      },
      outputSize: {
        type: 'integer',
        minimum: 1,
        description:
          "Values per time step after the output projection W_v. Default for the last layer of a text model: the vocabulary size; required for earlier layers (the next layer's features).",
        examples: [62],
      },
      weightScale: {
        type: 'number',
        exclusiveMinimum: 0,
        description: `Std of the N(0, std) initial weights. Default: modern profile, Glorot √(2/(fanIn + fanOut)) per matrix and zero biases; book profile, ${info.bookScale} for every parameter, biases included (the book's default).`,
        examples: [0.01],
      },
      state: {
        enum: ['zero', 'carry'],
        description:
          "Where each batch's hidden state starts: 'zero', or 'carry' the batch mean of the previous batch's final state with no gradient across batches (the book). Default: 'carry' in the book profile, else 'zero'.",
        examples: ['zero'],
      },
    } satisfies Record<string, JsonSchema>,
    create: (a) => create(a as unknown as RecurrentArgs),
    // The cell's weights, then W_v [hidden, out] and B_v [1, out].
    parameterCount: (input, a) => {
      const h = a.hiddenSize as number,
        out = a.outputSize as number;
      return info.cellParameters(input[input.length - 1], h) + h * out + out;
    },
    describe: (a) =>
      summary(
        `hidden ${a.hiddenSize}`,
        a.outputSize !== undefined && `out ${a.outputSize}`,
        !!a.state && `state ${a.state}`,
        a.weightScale !== undefined && `scale ${a.weightScale}`,
      ),
  };
}
