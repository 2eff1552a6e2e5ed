import { BOOK, QUIRK_NAMES, type QuirkName } from '../../engine';
import { LAYER_KINDS } from '../layerRegistry';
import { DATA_SCHEMA as data } from './dataSchema';
import type { JsonSchema } from './jsonSchema';
import { LOSS_SCHEMA as loss, OPTIMIZER_SCHEMA as optimizer } from './optimizerSchema';
import { seed } from './schemaParts';
import { TRAINING_SCHEMA as training } from './trainingSchema';

export { BUILTIN_DATASETS } from './dataSchema';

/** All of MNIST's test set; t-SNE above 1,000 rows is Barnes–Hut (about a minute for 10,000). */
export const LATENT_MAX_ROWS = 10000;
/** Widest layer output PCA takes (its covariance is width × width). */
export const LATENT_MAX_PCA_WIDTH = 256;
/** What each profile quirk does when true (engine/profile.ts; book-parity.md §3). */
const QUIRK_TEXT: Record<QuirkName, string> = {
  lazyReseedInit: 'Dense layers initialise on the first forward pass, each reseeding with the network seed (§3.1).',
  bookGlorot:
    "'glorot' draws with std 2/(in+out) — the book-era variance used as a std, biases included (§3.2); false gives √(2/(in+out)), as the 2024 re-run of chapter 4 (E4b.7).",
  keepProbDropout: 'Dropout keeps with probability p, no 1/p rescaling in training, ×p at inference (§3.3).',
  bookSoftmaxCrossEntropy: "Softmax cross-entropy in the book's clipped binary-CE-over-classes form (§3.4).",
  bookMeanSquaredError:
    'MSE summed over output columns and divided by the batch; normalize ignores its Jacobian (§3.5).',
  bookMomentum: 'Momentum keeps lr inside the velocity: v = μv + lr·g; w −= v (§3.7).',
  bookEarlyStopping: 'Early stopping restores the model but the metrics use the un-restored one (§3.8).',
  reluIdentityBackward: "ReLU's backward passes the gradient through unchanged: the book's bug, E4.4 (§3.9).",
  bookConvInit: "conv2d draws W in lincoln's [Cin, Cout, kh, kw] order and has no bias unless asked (E5.4).",
  bookConvParamGrad: "conv2d's weight gradient mixes batch rows: the book's bug for batches above 1 (E5.4).",
  carryRecurrentState:
    "Recurrent layers start each call from the batch mean of the previous call's final state, with no gradient across calls (§3.12).",
  bookRecurrentInit:
    "Recurrent layers draw every parameter, biases included, from N(0, weight_scale) with the book's scales (§6.7).",
  standardDefaultInit: "Dense and conv2d layers without 'init' draw W from N(0, 1), the book's default.",
};

const quirks: JsonSchema = {
  type: 'object',
  description:
    'Switch single behaviours of the profile on or off, e.g. { "bookGlorot": false } in the book profile for the 2024 re-run\'s √-Glorot (E4b.7). Each name is a behaviour of the book profile; the modern profile has them all off.',
  examples: [{ bookGlorot: false }],
  additionalProperties: false,
  properties: Object.fromEntries(
    QUIRK_NAMES.map((q) => [
      q,
      {
        type: 'boolean',
        description: `${QUIRK_TEXT[q]} Default: the profile's (book: ${BOOK[q]}; modern: false).`,
        examples: [!BOOK[q]],
      } satisfies JsonSchema,
    ]),
  ),
};

const latentLayer: JsonSchema = {
  type: 'string',
  minLength: 1,
  description: "Name of the layer whose output is projected: its `name` in this file, or the default such as 'dense3'.",
  examples: ['encoding'],
};
const latent: JsonSchema = {
  title: 'latent projection',
  description:
    "After training, run the test rows through the network up to one layer (an autoencoder's encoding, say), project that layer's outputs to 2-D, and write them with the rows' labels (and images, for image data) to latent.json in the run record (E7.6); while training, the Latent tab shows a quick projection of the first 500 rows every few seconds. A layer name (PCA of 2,000 rows), or an object with options.",
  examples: ['encoding', { layer: 'encoding', method: 'tsne', rows: 1000 }],
  oneOf: [
    {
      ...latentLayer,
      title: 'latent layer name',
      description: 'Name of the layer to project, with PCA on the first 2,000 test rows.',
    },
    {
      title: 'latent projection options',
      type: 'object',
      required: ['layer'],
      additionalProperties: false,
      description: 'Which layer, how, and on how many test rows.',
      properties: {
        layer: latentLayer,
        method: {
          enum: ['pca', 'tsne'],
          default: 'pca',
          description:
            "'pca': the top two principal components (fast, linear, with explained variance); 'tsne': t-SNE (perplexity 30, 1,000 steps, seeded), exact up to 1,000 rows (seconds), Barnes–Hut above (theta 0.5; about a minute for 10,000 rows).",
          examples: ['tsne'],
        },
        rows: {
          type: 'integer',
          minimum: 2,
          maximum: LATENT_MAX_ROWS,
          default: 2000,
          description: `How many test rows to project (the first ones; fewer if the test set is smaller), at most ${LATENT_MAX_ROWS}.`,
          examples: [1000],
        },
        seed: {
          ...seed("Seed of t-SNE's initial layout (the book's random_state is 20190405).", 20190405),
          default: 1,
        },
      },
    },
  ],
};

export const MODEL_SCHEMA: JsonSchema & { $schema: string; $id: string } = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:glassbox:model-file:1',
  title: 'model file',
  description:
    'A Glassbox model file (*.nn.json, JSON with comments): data, layers, loss, optimizer and training settings.',
  type: 'object',
  required: ['data', 'layers', 'loss', 'optimizer', 'training'],
  additionalProperties: false,
  properties: {
    $schema: {
      type: 'string',
      description: 'Path or URL of this schema, for editors.',
      examples: ['../schemas/glassbox-model.completion.schema.json'],
    },
    name: {
      type: 'string',
      minLength: 1,
      description: 'Model name used in run folders and panels. Default: the file name without .nn.json.',
      examples: ['E3.3'],
    },
    description: {
      type: 'string',
      description: 'Free text.',
      examples: ['Two sigmoid hidden layers on Boston housing.'],
    },
    profile: {
      enum: ['modern', 'book'],
      default: 'modern',
      description:
        "'modern': true derivatives and today's defaults; 'book': reproduce the book's code and printed numbers (book-parity.md §2–3).",
      examples: ['book'],
    },
    quirks,
    precision: {
      enum: ['float32', 'float64'],
      default: 'float32',
      description: 'Element type of weights and activations; book parity runs use float64.',
      examples: ['float64'],
    },
    seed: {
      ...seed("Network seed: weight initialisation (and the book profile's per-layer reseed).", 20190501),
      default: 1,
    },
    data,
    layers: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      description: 'Layers in order, from input to output (at most 1,000).',
      examples: [
        [
          { type: 'dense', units: 13, activation: 'sigmoid' },
          { type: 'dense', units: 1 },
        ],
      ],
      items: {
        title: 'layer',
        description: 'One layer; `type` selects its kind.',
        oneOf: LAYER_KINDS.map((k) => k.schema),
      },
    },
    loss,
    optimizer,
    training,
    latent,
  },
};

/** The shipped schemas/glassbox-model.schema.json (a test checks the file matches). */
export function renderSchemaJson(): string {
  return JSON.stringify(MODEL_SCHEMA, null, 2) + '\n';
}
