import {
  AdaGrad,
  Adam,
  BinaryCrossEntropy,
  FitOptions,
  Loss,
  MeanSquaredError,
  NeuralNetwork,
  Optimizer,
  Profile,
  profileWith,
  SequenceSoftmaxCrossEntropy,
  SGD,
  SGDMomentum,
  SoftmaxCrossEntropy,
} from '../engine';
import { targetsInput } from '../data/inputTarget';
import { layerKind } from './layerRegistry';
import type { LossSpec, ModelSpec, OptimizerSpec } from './spec';
import { textFitOptions } from './textModel';

export interface BuiltModel {
  readonly network: NeuralNetwork;
  readonly optimizer: Optimizer;
  readonly fitOptions: FitOptions;
}

/** The loss in the profile's form: the book profile uses the book's MSE reduction and SCE form. */
export function createLoss(spec: LossSpec, profile: Profile): Loss {
  switch (spec.type) {
    case 'meanSquaredError':
      return new MeanSquaredError({
        normalize: spec.normalize,
        reduction: profile.bookMeanSquaredError ? 'book' : 'mean',
      });
    case 'softmaxCrossEntropy':
      return new SoftmaxCrossEntropy({ form: profile.bookSoftmaxCrossEntropy ? 'book' : 'categorical' });
    case 'binaryCrossEntropy':
      return new BinaryCrossEntropy();
    case 'sequenceSoftmaxCrossEntropy':
      return new SequenceSoftmaxCrossEntropy({
        form: spec.form ?? (profile.bookSoftmaxCrossEntropy ? 'book' : 'categorical'),
        reduction: spec.reduction ?? (profile.name === 'book' ? 'sum' : 'mean'),
      });
  }
}

/** The optimizer in the profile's form (book: lr inside the momentum velocity, book AdaGrad). */
export function createOptimizer(spec: OptimizerSpec, profile: Profile): Optimizer {
  const base = {
    lr: spec.lr,
    ...(spec.decay
      ? { decay: spec.decay.type, finalLr: spec.decay.finalLr, decayEvery: spec.decay.every ?? 'epoch' }
      : {}),
    ...(spec.clip !== undefined ? { clip: spec.clip } : {}),
  };
  switch (spec.type) {
    case 'sgd':
      return new SGD(base);
    case 'sgdMomentum':
      return new SGDMomentum({ ...base, momentum: spec.momentum, form: profile.bookMomentum ? 'book' : 'modern' });
    case 'adaGrad':
      return new AdaGrad({ ...base, eps: spec.eps, form: profile.name === 'book' ? 'book' : 'modern' });
    case 'adam':
      return new Adam({ ...base, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps });
  }
}

export function fitOptionsOf(spec: ModelSpec): FitOptions {
  const t = spec.training;
  // An autoencoder's targets are [rows, pixels]: without this the trainer would take the wide
  // targets for one-hot classes and report accuracy.
  const metrics = t.metrics ?? (targetsInput(spec.data) ? (['mse', 'mae'] as const) : undefined);
  return {
    epochs: t.epochs,
    batchSize: t.batchSize,
    evalEvery: t.evalEvery,
    seed: t.seed,
    earlyStopping: t.earlyStopping,
    ...(t.evalEveryBatches ? { evalEveryBatches: t.evalEveryBatches } : {}),
    ...(metrics ? { metrics: [...metrics] } : {}),
    ...(spec.data.type === 'text' ? { text: textFitOptions(spec) } : {}),
  };
}

/** Engine objects for a validated model: network (layers, loss, seed, profile, precision), optimizer, fit options. */
export function buildModel(spec: ModelSpec): BuiltModel {
  const profile = profileWith(spec.profile, spec.quirks);
  const layers = spec.layers.map((l, i) => {
    const kind = layerKind(l.type);
    if (!kind) throw new Error(`layers[${i}]: unknown layer type '${l.type}' (validate the model first)`);
    const layer = kind.create(l.args as Record<string, unknown>);
    layer.name = l.name ?? `${l.type}${i + 1}`;
    return layer;
  });
  const network = new NeuralNetwork({
    layers,
    loss: createLoss(spec.loss, profile),
    seed: spec.seed,
    profile,
    dtype: spec.precision,
  });
  return { network, optimizer: createOptimizer(spec.optimizer, profile), fitOptions: fitOptionsOf(spec) };
}
