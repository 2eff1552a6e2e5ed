import type { JsonSchema } from './jsonSchema';
import { seed } from './schemaParts';

/* The `training` section of a model file: epochs or iterations, batches, evaluation, samples. */

export const TRAINING_SCHEMA: JsonSchema = {
  title: 'training settings',
  type: 'object',
  additionalProperties: false,
  description:
    'The training loop: epochs (text models: iterations), batches, evaluation, early stopping and, for text, samples.',
  examples: [{ epochs: 50, batchSize: 60, evalEvery: 10, seed: 20190119 }],
  properties: {
    epochs: {
      type: 'integer',
      minimum: 1,
      description: 'Number of passes over the training set. Required, except for text models, which count iterations.',
      examples: [50],
    },
    batchSize: {
      type: 'integer',
      minimum: 1,
      default: 32,
      description: 'Rows per mini-batch (the last batch of an epoch may be shorter).',
      examples: [60],
    },
    evalEvery: {
      type: 'integer',
      minimum: 1,
      description:
        'Evaluate on the test set every this many epochs (default 10). Text models: every this many iterations (default 100), on the held-out tail; each such round is an "epoch" of the run record and a checkpoint.',
      examples: [10],
    },
    evalEveryBatches: {
      type: 'integer',
      minimum: 1,
      description: "Also evaluate every this many batches inside an epoch (the book's conv_testing).",
      examples: [100],
    },
    earlyStopping: {
      type: 'boolean',
      default: true,
      description:
        'Stop when an evaluation is not better than the best so far (as the book). Not used by text models (the book has no early stopping there).',
      examples: [true],
    },
    seed: seed(
      "Seed of the shuffles (and, in the book profile, of dropout masks). Default: the model's seed.",
      20190501,
    ),
    iterations: {
      type: 'integer',
      minimum: 1,
      description:
        "Text models: batches to train in all (the book's num_iterations), drawn in order from the text with a moving pointer. Required for text data; not used otherwise.",
      examples: [1000],
    },
    sampleEvery: {
      type: 'integer',
      minimum: 0,
      description:
        'Text models: generate a sample every this many iterations and after the last one (0: only after the last). Default 100, as the book.',
      examples: [100],
    },
    sampleLength: {
      type: 'integer',
      minimum: 0,
      maximum: 100000,
      description: 'Text models: characters per sample (0: no samples; at most 100,000). Default 200, as the book.',
      examples: [200],
    },
    sampleSeedText: {
      type: 'string',
      minLength: 1,
      description:
        'Text models: text fed to the model before each sample, which continues it; every character must occur in the training text. Default: the character at the training pointer, as the book.',
      examples: ['The '],
    },
    sampleTemperature: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'Text models: softmax temperature of the samples; lower is likelier and more repetitive. Default 1.',
      examples: [0.8],
    },
    metrics: {
      type: 'array',
      minItems: 1,
      items: { enum: ['mae', 'mse', 'rmse', 'accuracy'], description: 'A metric.', examples: ['accuracy'] },
      description:
        "Metrics to report. Default: accuracy for one-hot targets, MSE and MAE for an autoencoder (data target 'input'), MAE and RMSE otherwise. Accuracy needs class targets.",
      examples: [['mae', 'rmse']],
    },
  },
};
