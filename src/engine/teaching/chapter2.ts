import { RandomState } from '../random/randomState';
import { Matrix, map, matmul, mean, randnMatrix, sigmoid, sumRows, transpose, zip } from './matrix';

/*
 * Chapter 2, "Fundamentals": linear regression and a first neural network trained from first
 * principles on Boston housing, written as the book writes them (book-parity.md §6.2): each
 * forward pass keeps its intermediate values in `forwardInfo`, and `lossGradients` applies the
 * chain rule to them by hand.
 *
 * `book: true` reproduces the notebook exactly (E2.2, E2.3), including two quirks:
 *  - the gradients are not divided by the batch size (−2(y−P) for regression, −(y−P) for the NN);
 *  - the NN's B1 gradient is summed over hidden units into one scalar (required for E2.3's numbers).
 * `book: false` uses the true gradient of the mean squared error: 2(P−y)/B and a per-unit B1.
 */

export interface Chapter2Options {
  nIter: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  book: boolean;
}

type Weights = Record<string, Matrix>;

/** Shuffles rows of x and y together with the shared stream, as `permute_data`. */
function permuteData(x: Matrix, y: Matrix, rng: RandomState): [Matrix, Matrix] {
  const perm = rng.permutation(x.length);
  return [Array.from(perm, (i) => x[i]), Array.from(perm, (i) => y[i])];
}

/** Linear regression forward pass: N = XW, P = N + B, loss = mean((y − P)²). */
export function forwardLinearRegression(
  x: Matrix,
  y: Matrix,
  w: Weights,
): { loss: number; info: Record<string, Matrix> } {
  const n = matmul(x, w.W);
  const p = zip(n, w.B, (a, b) => a + b);
  const loss = mean(zip(y, p, (a, b) => (a - b) ** 2));
  return { loss, info: { X: x, N: n, P: p, y } };
}

/** dL/dW = Xᵀ·dL/dP and dL/dB = Σ dL/dP, by the chain rule through P = XW + B. */
export function linearLossGradients(info: Record<string, Matrix>, book: boolean): Weights {
  const scale = book ? -2 : -2 / info.y.length;
  const dLdP = zip(info.y, info.P, (y, p) => scale * (y - p));
  return { W: matmul(transpose(info.X), dLdP), B: sumRows(dLdP) };
}

/** NN forward pass: M1 = XW1, N1 = M1 + B1, O1 = σ(N1), M2 = O1W2, P = M2 + B2. */
export function forwardLossNN(x: Matrix, y: Matrix, w: Weights): { loss: number; info: Record<string, Matrix> } {
  const m1 = matmul(x, w.W1);
  const n1 = zip(m1, w.B1, (a, b) => a + b);
  const o1 = map(n1, sigmoid);
  const m2 = matmul(o1, w.W2);
  const p = zip(m2, w.B2, (a, b) => a + b);
  const loss = mean(zip(y, p, (a, b) => (a - b) ** 2));
  return { loss, info: { X: x, M1: m1, N1: n1, O1: o1, M2: m2, P: p, y } };
}

/** Backward through the NN, one chain-rule step per line, mirroring the forward pass. */
export function nnLossGradients(info: Record<string, Matrix>, w: Weights, book: boolean): Weights {
  const scale = book ? -1 : -2 / info.y.length;
  const dLdP = zip(info.y, info.P, (y, p) => scale * (y - p));
  const dLdW2 = matmul(transpose(info.O1), dLdP);
  const dLdB2 = sumRows(dLdP);
  const dLdO1 = matmul(dLdP, transpose(w.W2));
  const dO1dN1 = map(info.N1, (v) => sigmoid(v) * (1 - sigmoid(v)));
  const dLdN1 = zip(dLdO1, dO1dN1, (a, b) => a * b);
  let dLdB1 = sumRows(dLdN1);
  if (book) {
    // Quirk: `dLdB1.sum(axis=0)` sums the already batch-summed gradient over hidden units, so
    // every bias gets the same scalar (E2.3 depends on it).
    const total = dLdB1[0].reduce((s, v) => s + v, 0);
    dLdB1 = [dLdB1[0].map(() => total)];
  }
  const dLdW1 = matmul(transpose(info.X), dLdN1);
  return { W1: dLdW1, B1: dLdB1, W2: dLdW2, B2: dLdB2 };
}

/**
 * The chapter's training loop: seed, initialise, shuffle once, then take `nIter` batches of
 * `batchSize` rows in order, reshuffling whenever the data runs out; plain SGD on each weight.
 */
function trainLoop(
  x: Matrix,
  y: Matrix,
  weights: Weights,
  o: Chapter2Options,
  rng: RandomState,
  step: (xb: Matrix, yb: Matrix) => { loss: number; grads: Weights },
): number[] {
  const losses: number[] = [];
  [x, y] = permuteData(x, y, rng);
  let start = 0;
  for (let i = 0; i < o.nIter; i++) {
    if (start >= x.length) {
      [x, y] = permuteData(x, y, rng);
      start = 0;
    }
    const xb = x.slice(start, start + o.batchSize);
    const yb = y.slice(start, start + o.batchSize);
    start += o.batchSize;
    const { loss, grads } = step(xb, yb);
    losses.push(loss);
    for (const k of Object.keys(weights)) weights[k] = zip(weights[k], grads[k], (wv, g) => wv - o.learningRate * g);
  }
  return losses;
}

/** E2.2: linear regression 13 → 1. Weights drawn as W = randn(13, 1), then B = randn(1, 1). */
export function trainLinearRegression(
  x: Matrix,
  y: Matrix,
  o: Chapter2Options,
): { weights: Weights; losses: number[] } {
  const rng = new RandomState(o.seed);
  const g = () => rng.gauss();
  const weights: Weights = { W: randnMatrix(x[0].length, 1, g), B: randnMatrix(1, 1, g) };
  const losses = trainLoop(x, y, weights, o, rng, (xb, yb) => {
    const f = forwardLinearRegression(xb, yb, weights);
    return { loss: f.loss, grads: linearLossGradients(f.info, o.book) };
  });
  return { weights, losses };
}

/** E2.3: NN 13 → 13 sigmoid → 1. Draw order W1, B1, W2, B2. */
export function trainNN(
  x: Matrix,
  y: Matrix,
  o: Chapter2Options,
  hiddenSize = 13,
): { weights: Weights; losses: number[] } {
  const rng = new RandomState(o.seed);
  const g = () => rng.gauss();
  const weights: Weights = {
    W1: randnMatrix(x[0].length, hiddenSize, g),
    B1: randnMatrix(1, hiddenSize, g),
    W2: randnMatrix(hiddenSize, 1, g),
    B2: randnMatrix(1, 1, g),
  };
  const losses = trainLoop(x, y, weights, o, rng, (xb, yb) => {
    const f = forwardLossNN(xb, yb, weights);
    return { loss: f.loss, grads: nnLossGradients(f.info, weights, o.book) };
  });
  return { weights, losses };
}

export function predictLinear(x: Matrix, w: Weights): Matrix {
  return zip(matmul(x, w.W), w.B, (a, b) => a + b);
}

export function predictNN(x: Matrix, w: Weights): Matrix {
  return zip(
    matmul(
      map(
        zip(matmul(x, w.W1), w.B1, (a, b) => a + b),
        sigmoid,
      ),
      w.W2,
    ),
    w.B2,
    (a, b) => a + b,
  );
}
