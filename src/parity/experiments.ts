import {
  ActivationName,
  autodiff,
  BOOK,
  chapter1,
  chapter2,
  Dataset,
  Dense,
  InitName,
  Loss,
  MeanSquaredError,
  NeuralNetwork,
  Optimizer,
  Profile,
  profileWith,
  SGD,
  SGDMomentum,
  SoftmaxCrossEntropy,
  Tensor,
  Trainer,
  TrainingObserver,
} from '../engine';
import { loadBostonBook } from '../data/boston';
import { loadMnist } from '../data/mnist';

/** What a parity run prints as its last line. */
export interface ParityResult {
  id: string;
  evalLosses: number[];
  metrics: Record<string, number>;
  /** Experiment-specific values (weights, stop epoch...). */
  details?: Record<string, unknown>;
}

export interface Experiment {
  id: string;
  title: string;
  /** Minutes it takes on the 2-core reference machine (long ones stay out of CI). */
  minutes: number;
  run(observer?: TrainingObserver): ParityResult;
}

type M = number[][];
const toMatrix = (t: Tensor): M => {
  const [r, c] = t.shape;
  return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(i * c, (i + 1) * c)));
};
function regressionMetrics(pred: M, y: M): Record<string, number> {
  let a = 0,
    s = 0;
  pred.forEach((p, i) => {
    a += Math.abs(p[0] - y[i][0]);
    s += (p[0] - y[i][0]) ** 2;
  });
  return { mae: a / pred.length, rmse: Math.sqrt(s / pred.length), mse: s / pred.length };
}

interface BookNetSpec {
  layers: { units: number; activation: ActivationName; init?: InitName; keepProb?: number }[];
  loss: () => Loss;
  optimizer: () => Optimizer;
  epochs: number;
  evalEvery: number;
  batchSize: number;
  seed: number;
  data: () => Dataset;
  /** The book profile unless given (the 2024 re-run switches `bookGlorot` off: E4b.7). */
  profile?: Profile;
}

/** Runs a chapter 3–4 experiment with the lincoln classes in the book profile, float64. */
function runBookNet(id: string, spec: BookNetSpec, observer?: TrainingObserver): ParityResult {
  const layers = spec.layers.map(
    (l) =>
      new Dense({ units: l.units, activation: l.activation, init: l.init ?? 'standard', keepProb: l.keepProb ?? 1 }),
  );
  const net = new NeuralNetwork({
    layers,
    loss: spec.loss(),
    seed: spec.seed,
    profile: spec.profile ?? BOOK,
    dtype: 'float64',
  });
  const trainer = new Trainer(net, spec.optimizer(), observer ? [observer] : []);
  const r = trainer.fit(spec.data(), {
    epochs: spec.epochs,
    evalEvery: spec.evalEvery,
    batchSize: spec.batchSize,
    seed: spec.seed,
  });
  return {
    id,
    evalLosses: r.evalLosses,
    metrics: r.metrics,
    details: { epochsRun: r.epochsRun, earlyStop: r.earlyStop },
  };
}

let bostonCache: Dataset | undefined;
const boston = (): Dataset => (bostonCache ??= loadBostonBook());
let mnistCache: Dataset | undefined;
const mnist = (): Dataset => (mnistCache ??= loadMnist({ scaling: 'book', layout: 'flat', dtype: 'float64' }));

const bostonNet = (hidden: number[]): Omit<BookNetSpec, 'layers'> & { layers: BookNetSpec['layers'] } => ({
  layers: [...hidden.map((u) => ({ units: u, activation: 'sigmoid' as const })), { units: 1, activation: 'linear' }],
  loss: () => new MeanSquaredError({ reduction: 'book' }),
  optimizer: () => new SGD({ lr: 0.01 }),
  epochs: 50,
  evalEvery: 10,
  batchSize: 32,
  seed: 20190501,
  data: boston,
});

const sce = () => new SoftmaxCrossEntropy({ form: 'book' });
const momentum = (lr: number, finalLr?: number, decay?: 'linear' | 'exponential') => () =>
  new SGDMomentum({ lr, momentum: 0.9, finalLr, decay, form: 'book' });
const mnistNet = (
  hidden: ActivationName,
  out: ActivationName,
  loss: () => Loss,
  optimizer: () => Optimizer,
  epochs: number,
  evalEvery: number,
  extra: { init?: InitName; keepProb?: number } = {},
): BookNetSpec => ({
  layers: [
    { units: 89, activation: hidden, init: extra.init, keepProb: extra.keepProb },
    { units: 10, activation: out, init: extra.init },
  ],
  loss,
  optimizer,
  epochs,
  evalEvery,
  batchSize: 60,
  seed: 20190119,
  data: mnist,
});
const deepMnist = (keepProb: number): BookNetSpec => ({
  layers: [
    { units: 178, activation: 'tanh', init: 'glorot', keepProb },
    { units: 46, activation: 'tanh', init: 'glorot', keepProb },
    { units: 10, activation: 'linear', init: 'glorot' },
  ],
  loss: sce,
  optimizer: momentum(0.2, 0.05, 'exponential'),
  epochs: 100,
  evalEvery: 10,
  batchSize: 60,
  seed: 20190119,
  data: mnist,
});

/**
 * The 2024 re-run of the chapter 4 notebook (book-parity.md §5.4): sigmoid hidden layer, seed
 * 190119, evaluation every 5 epochs; its lincoln's Dense draws Glorot with std √(2/(in+out)), the
 * book profile with the `bookGlorot` quirk off. No dropout, so the removed inference flag changes nothing.
 */
const mnist2024 = (
  out: ActivationName,
  loss: () => Loss,
  optimizer: () => Optimizer,
  epochs: number,
  init?: InitName,
): BookNetSpec => ({
  ...mnistNet('sigmoid', out, loss, optimizer, epochs, 5, { init }),
  seed: 190119,
  profile: profileWith('book', { bookGlorot: false }),
});

const book = (id: string, title: string, minutes: number, spec: () => BookNetSpec): Experiment => ({
  id,
  title,
  minutes,
  run: (o) => runBookNet(id, spec(), o),
});

export const EXPERIMENTS: Experiment[] = [
  {
    id: 'E1.1',
    title: 'matmul_backward_first: dN/dX = Wᵀ',
    minutes: 0,
    run: () => {
      const r = chapter1.experimentE1_1();
      return { id: 'E1.1', evalLosses: [], metrics: {}, details: { X: r.x, dNdX: r.dNdX } };
    },
  },
  {
    id: 'E1.2',
    title: 'dσ(XW)/dX with a finite-difference check',
    minutes: 0,
    run: () => {
      const r = chapter1.experimentE1_2();
      return {
        id: 'E1.2',
        evalLosses: [],
        metrics: { numeric: r.numeric, analytic: r.analytic },
        details: { dSdX: r.dSdX },
      };
    },
  },
  {
    id: 'E1.3',
    title: 'L = Σσ(XW) and dL/dX',
    minutes: 0,
    run: () => {
      const r = chapter1.experimentE1_3();
      return {
        id: 'E1.3',
        evalLosses: [],
        metrics: { loss: r.loss, numeric: r.numeric },
        details: { X: r.x, dLdX: r.dLdX },
      };
    },
  },
  {
    id: 'E2.2',
    title: 'linear regression from first principles (Boston)',
    minutes: 0,
    run: () => {
      const d = boston();
      const r = chapter2.trainLinearRegression(toMatrix(d.xTrain), toMatrix(d.yTrain), {
        nIter: 1000,
        learningRate: 0.001,
        batchSize: 23,
        seed: 180708,
        book: true,
      });
      const m = regressionMetrics(chapter2.predictLinear(toMatrix(d.xTest), r.weights), toMatrix(d.yTest));
      return {
        id: 'E2.2',
        evalLosses: [],
        metrics: m,
        details: { W: r.weights.W.map((v) => v[0]), B: r.weights.B[0][0] },
      };
    },
  },
  {
    id: 'E2.3',
    title: 'a first neural network from first principles (Boston)',
    minutes: 0.1,
    run: () => {
      const d = boston();
      const r = chapter2.trainNN(toMatrix(d.xTrain), toMatrix(d.yTrain), {
        nIter: 10000,
        learningRate: 0.001,
        batchSize: 23,
        seed: 180807,
        book: true,
      });
      const m = regressionMetrics(chapter2.predictNN(toMatrix(d.xTest), r.weights), toMatrix(d.yTest));
      return {
        id: 'E2.3',
        evalLosses: [],
        metrics: m,
        details: { W2: r.weights.W2.map((v) => v[0]), W1row7: r.weights.W1[7], W1row9: r.weights.W1[9] },
      };
    },
  },
  book('E3.1', 'linear regression with the lincoln classes', 0, () => bostonNet([])),
  book('E3.2', 'one hidden sigmoid layer', 0, () => bostonNet([13])),
  book('E3.3', 'two hidden sigmoid layers', 0, () => bostonNet([13, 13])),
  book('E4.1', 'MNIST tanh/sigmoid, MSE', 25, () =>
    mnistNet(
      'tanh',
      'sigmoid',
      () => new MeanSquaredError({ reduction: 'book' }),
      () => new SGD({ lr: 0.1 }),
      50,
      10,
    ),
  ),
  book('E4.2', 'MNIST tanh/sigmoid, MSE normalize', 12, () =>
    mnistNet(
      'tanh',
      'sigmoid',
      () => new MeanSquaredError({ reduction: 'book', normalize: true }),
      () => new SGD({ lr: 0.1 }),
      50,
      10,
    ),
  ),
  book('E4.3', 'MNIST sigmoid, softmax CE', 15, () =>
    mnistNet('sigmoid', 'linear', sce, () => new SGD({ lr: 0.1 }), 130, 1),
  ),
  book('E4.4', 'MNIST ReLU (book backward), softmax CE', 12, () =>
    mnistNet('relu', 'linear', sce, () => new SGD({ lr: 0.1 }), 50, 10),
  ),
  book('E4.5', 'MNIST tanh, softmax CE', 25, () => mnistNet('tanh', 'linear', sce, () => new SGD({ lr: 0.1 }), 50, 10)),
  book('E4.6', 'MNIST sigmoid, momentum', 3, () => mnistNet('sigmoid', 'linear', sce, momentum(0.1), 50, 1)),
  book('E4.7', 'MNIST tanh, momentum', 20, () => mnistNet('tanh', 'linear', sce, momentum(0.1), 50, 10)),
  book('E4.8', 'MNIST tanh, momentum, linear decay', 20, () =>
    mnistNet('tanh', 'linear', sce, momentum(0.15, 0.05, 'linear'), 50, 10),
  ),
  book('E4.9', 'MNIST tanh, momentum, exponential decay', 20, () =>
    mnistNet('tanh', 'linear', sce, momentum(0.2, 0.05, 'exponential'), 50, 10),
  ),
  book('E4.10', 'MNIST tanh, glorot, linear decay', 15, () =>
    mnistNet('tanh', 'linear', sce, momentum(0.15, 0.05, 'linear'), 50, 10, { init: 'glorot' }),
  ),
  book('E4.11', 'MNIST tanh, glorot, exponential decay', 20, () =>
    mnistNet('tanh', 'linear', sce, momentum(0.2, 0.05, 'exponential'), 50, 10, { init: 'glorot' }),
  ),
  book('E4.12', 'MNIST tanh, glorot, dropout 0.8', 25, () =>
    mnistNet('tanh', 'linear', sce, momentum(0.2, 0.05, 'exponential'), 50, 10, { init: 'glorot', keepProb: 0.8 }),
  ),
  book('E4.13', 'MNIST 178-46 tanh, dropout 0.8', 90, () => deepMnist(0.8)),
  book('E4.14', 'MNIST 178-46 tanh, no dropout', 70, () => deepMnist(1)),
  book('E4b.1', '2024 re-run: MNIST sigmoid/sigmoid, MSE', 20, () =>
    mnist2024(
      'sigmoid',
      () => new MeanSquaredError({ reduction: 'book' }),
      () => new SGD({ lr: 0.1 }),
      50,
    ),
  ),
  book('E4b.2', '2024 re-run: MNIST sigmoid/sigmoid, MSE normalize', 5, () =>
    mnist2024(
      'sigmoid',
      () => new MeanSquaredError({ reduction: 'book', normalize: true }),
      () => new SGD({ lr: 0.1 }),
      50,
    ),
  ),
  book('E4b.3', '2024 re-run: MNIST sigmoid, softmax CE', 20, () =>
    mnist2024('linear', sce, () => new SGD({ lr: 0.1 }), 50),
  ),
  book('E4b.4', '2024 re-run: MNIST sigmoid, momentum', 8, () => mnist2024('linear', sce, momentum(0.1), 50)),
  book('E4b.5', '2024 re-run: MNIST sigmoid, momentum, linear decay', 8, () =>
    mnist2024('linear', sce, momentum(0.15, 0.05, 'linear'), 25),
  ),
  book('E4b.6', '2024 re-run: MNIST sigmoid, momentum, exponential decay', 8, () =>
    mnist2024('linear', sce, momentum(0.2, 0.05, 'exponential'), 25),
  ),
  book('E4b.7', '2024 re-run: MNIST sigmoid, √-Glorot, exponential decay', 8, () =>
    mnist2024('linear', sce, momentum(0.2, 0.05, 'exponential'), 25, 'glorot'),
  ),
  {
    id: 'E6.6',
    title: "Autograd_Simple: the book's NumberWithGrad (a.grad 4, b.grad 1, then 35)",
    minutes: 0,
    run: () => {
      const r = autodiff.experimentE6_6();
      // The same expression on the tensor autodiff, for comparison (not a book number).
      const g = autodiff.e6_6Graph();
      g.e.backward();
      return {
        id: 'E6.6',
        evalLosses: [],
        metrics: { 'a.grad': r.first.aGrad, 'b.grad': r.first.bGrad, 'a.grad after e': r.second.aGrad },
        details: { printed: r.printed, e: r.second.eNum, tensorAutodiffAGrad: g.a.grad?.data[0] },
      };
    },
  },
];

export function findExperiment(id: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id.toLowerCase() === id.toLowerCase());
}
