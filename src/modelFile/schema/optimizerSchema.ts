import type { JsonSchema } from './jsonSchema';
import { typeConst } from './schemaParts';

/* The `loss` and `optimizer` sections of a model file (with learning-rate decay and clipping). */

export const LOSS_SCHEMA: JsonSchema = {
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
export const OPTIMIZER_SCHEMA: JsonSchema = {
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
