import { GRU, Layer, LSTM, RecurrentArgs, RNN, Shape } from '../engine';
import type { LayerKind } from './layerRegistry';
import type { JsonSchema } from './schema/jsonSchema';

/** The recurrent layer kinds of chapter 6: rnn, lstm, gru (engine: RecurrentLayer). */
export const RECURRENT_TYPES = ['rnn', 'lstm', 'gru'] as const;

export function isRecurrentType(type: string): boolean {
  return (RECURRENT_TYPES as readonly string[]).includes(type);
}

/** Weights of each cell for `inputs` features and `hidden` units, without the output projection. */
const CELL_PARAMETERS: Record<(typeof RECURRENT_TYPES)[number], (inputs: number, hidden: number) => number> = {
  // W_f [in + H, H], B_f [1, H]
  rnn: (i, h) => (i + h) * h + h,
  // four gates (f, i, c, o), each [in + H, H] and [1, H]
  lstm: (i, h) => 4 * ((i + h) * h + h),
  // three gates (r, u, h), each W_x [in, H], W_h [H, H], B [1, H]
  gru: (i, h) => 3 * (i * h + h * h + h),
};

const book: Record<(typeof RECURRENT_TYPES)[number], { name: string; scale: string; what: string }> = {
  rnn: {
    name: 'RNNLayer',
    scale: '2/(features + outputSize)',
    what: 'Elman RNN: H_t = tanh([x_t, H_{t−1}]·W_f + B_f)',
  },
  lstm: {
    name: 'LSTMLayer',
    scale: '0.01',
    what: 'LSTM: forget, input, candidate and output gates over [x_t, H_{t−1}], cell state C',
  },
  gru: {
    name: 'GRULayer',
    scale: '0.01',
    what: "GRU: reset and update gates (the book profile reproduces the book's GRU, whose gates never train: book-parity.md §6.7)",
  },
};

function recurrentKind(type: (typeof RECURRENT_TYPES)[number], create: (a: RecurrentArgs) => Layer): LayerKind {
  const b = book[type];
  return {
    type,
    schema: {
      title: `${type} layer`,
      description: `${b.what}, then out_t = H_t·W_v + B_v at every step (the book's ${b.name}). Input [T, features] per example → output [T, outputSize]. For text the last layer outputs one logit per character of the vocabulary.`,
      type: 'object',
      required: ['type', 'hiddenSize'],
      additionalProperties: false,
      properties: {
        type: { const: type, description: 'Layer kind.', examples: [type] },
        name: {
          type: 'string',
          minLength: 1,
          description:
            'Display name shown in summaries, hovers and panels. Default: the kind and position, e.g. lstm1.',
          examples: [`${type}1`],
        },
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
          description: `Std of the N(0, std) initial weights. Default: modern profile, Glorot √(2/(fanIn + fanOut)) per matrix and zero biases; book profile, ${b.scale} for every parameter, biases included (the book's default).`,
          examples: [0.01],
        },
        state: {
          enum: ['zero', 'carry'],
          description:
            "Where each batch's hidden state starts: 'zero', or 'carry' the batch mean of the previous batch's final state with no gradient across batches (the book). Default: 'carry' in the book profile, else 'zero'.",
          examples: ['zero'],
        },
      } satisfies Record<string, JsonSchema>,
    },
    create: (a) => create(a as unknown as RecurrentArgs),
    parameterCount: (input: Shape, output: Shape, a) => {
      const h = a.hiddenSize as number,
        out = output[output.length - 1];
      return CELL_PARAMETERS[type](input[input.length - 1], h) + h * out + out;
    },
    describe: (a) =>
      [
        `hidden ${a.hiddenSize}`,
        a.outputSize !== undefined ? `out ${a.outputSize}` : '',
        a.state ? `state ${a.state}` : '',
        a.weightScale !== undefined ? `scale ${a.weightScale}` : '',
      ]
        .filter(Boolean)
        .join(', '),
  };
}

export const RECURRENT_KINDS: readonly LayerKind[] = [
  recurrentKind('rnn', (a) => new RNN(a)),
  recurrentKind('lstm', (a) => new LSTM(a)),
  recurrentKind('gru', (a) => new GRU(a)),
];
