import { RandomState } from '../random/randomState';
import {
  conv1d,
  conv1dBatch,
  conv1dBatchSum,
  conv1dSum,
  inputGrad1d,
  inputGrad1dBatch,
  pad1d,
  pad1dBatch,
  paramGrad1d,
  paramGrad1dBatch,
} from './conv1d';
import {
  computeGrads2d,
  computeOutput2d,
  inputGrad,
  Mat,
  output,
  pad2d,
  paramGrad,
  paramGrad2d,
  Vol,
} from './conv2dLoops';
import { numpySum } from './numpySum';

/**
 * Chapter 5's gradient checks, cell by cell as the notebook runs them (05_convolutions/Code.ipynb,
 * book-parity §5.5 E5.1–E5.3). One RandomState seeded 190220 is shared by the three parts in
 * order, as the notebook's global NumPy stream is: the probe positions (`randint`) and the random
 * images and kernels (`randn`) come out exactly as printed.
 *
 * The finite differences add 1 to one input (or weight) and subtract the two sums. A
 * convolution is linear in each, so the difference *is* the gradient, up to rounding: that is
 * why the printed pairs agree to ~14 digits rather than ~6.
 */

/** E5.1: the 1-D convolution of [1, 2, 3, 4, 5] with [1, 1, 1]. */
export function chapter5Conv1d(rng: RandomState) {
  const input1d = [1, 2, 3, 4, 5];
  const param1d = [1, 1, 1];
  const probes = [rng.randint(0, input1d.length), rng.randint(0, param1d.length)]; // printed 4, 0
  const input1d2 = [1, 2, 3, 4, 6];
  return {
    padded: pad1d(input1d, 1), // [0 1 2 3 4 5 0]
    sum: conv1dSum(input1d, param1d), // 39.0
    probes,
    // The notebook subtracts conv1dSum(input1d2) from itself (it meant input1d), so it prints 0.0.
    inputSumDifference: conv1dSum(input1d2, param1d) - conv1dSum(input1d2, param1d),
    paramSumDifference: conv1dSum(input1d, [2, 1, 1]) - conv1dSum(input1d, param1d), // 10.0
    inputGrad: inputGrad1d(input1d, param1d), // [2 3 3 3 2]
    paramGrad: paramGrad1d(input1d, param1d), // [10 15 14]
    output: conv1d(input1d, param1d),
  };
}

/** E5.2: a batch of two 1-D inputs. */
export function chapter5Conv1dBatch(rng: RandomState) {
  const batch = [
    [0, 1, 2, 3, 4, 5, 6],
    [1, 2, 3, 4, 5, 6, 7],
  ];
  const param1d = [1, 1, 1];
  const inputProbe = [rng.randint(0, batch.length), rng.randint(0, batch[0].length)]; // printed 0, 2
  const bumped = batch.map((row) => [...row]);
  bumped[inputProbe[0]][inputProbe[1]] += 1;
  const inputSumDifference = conv1dBatchSum(bumped, param1d) - conv1dBatchSum(batch, param1d); // 3.0
  const inputGrad = inputGrad1dBatch(batch, param1d); // [[2 3 3 3 3 3 2], ×2]
  const paramProbe = rng.randint(0, param1d.length); // printed 2
  const param2 = [...param1d];
  param2[paramProbe] += 1;
  return {
    padded: pad1dBatch(batch, 1),
    output: conv1dBatch(batch, param1d), // [[1 3 6 9 12 15 11], [3 6 9 12 15 18 13]]
    sum: conv1dBatchSum(batch, param1d), // 133.0
    inputProbe,
    inputSumDifference,
    inputGrad,
    paramProbe,
    paramSumDifference: conv1dBatchSum(batch, param2) - conv1dBatchSum(batch, param1d), // 48.0
    paramGrad: paramGrad1dBatch(batch, param1d), // [36 49 48]
  };
}

/** `np.random.randn(*shape)` as nested arrays: C order, one Gaussian per element. */
export function randnNested(rng: RandomState, shape: readonly number[]): unknown {
  if (shape.length === 0) return rng.gauss();
  return Array.from({ length: shape[0] }, () => randnNested(rng, shape.slice(1)));
}

const ones = (shape: readonly number[]): unknown =>
  shape.length === 0 ? 1 : Array.from({ length: shape[0] }, () => ones(shape.slice(1)));
const sumAll = (nested: unknown): number => numpySum((nested as unknown[]).flat(Infinity) as number[]);

/** E5.3, first half: 2-D, one channel. imgs [3, 28, 28], param [3, 3]. */
export function chapter5Conv2d(rng: RandomState) {
  const imgs = randnNested(rng, [3, 28, 28]) as Vol;
  const param = randnNested(rng, [3, 3]) as Mat;
  const imgGrads = computeGrads2d(imgs, ones([3, 28, 28]) as Vol, param);
  const pGrad = paramGrad2d(imgs, ones([3, 28, 28]) as Vol, param);
  const [b, i, j] = [rng.randint(0, 3), rng.randint(0, 28), rng.randint(0, 28)]; // printed 0, 6, 18
  const imgs2 = imgs.map((img) => img.map((row) => [...row]));
  imgs2[b][i][j] += 1;
  const outputSum = (x: Vol, p: Mat) => sumAll(computeOutput2d(x, p));
  const [pi, pj] = [rng.randint(0, 3), rng.randint(0, 3)]; // printed 0, 2
  const param2 = param.map((row) => [...row]);
  param2[pi][pj] += 1;
  return {
    paddedShape: [3, pad2d(imgs, 1)[0].length, pad2d(imgs, 1)[0][0].length], // (3, 30, 30)
    inputProbe: [b, i, j],
    inputFiniteDifference: outputSum(imgs2, param) - outputSum(imgs, param), // −3.1843477398599163
    inputAnalytic: imgGrads[b][i][j], // −3.184347739859924
    paramProbe: [pi, pj],
    paramFiniteDifference: outputSum(imgs, param2) - outputSum(imgs, param), // 5.53349015923007
    paramAnalytic: pGrad[pi][pj], // 5.533490159230001
  };
}

/** E5.3, second half: a batch of 10 three-channel 32×32 images, 16 filters of 5×5 ([3, 16, 5, 5]). */
export function chapter5MultiChannel(rng: RandomState) {
  const imgs = randnNested(rng, [10, 3, 32, 32]) as Vol[];
  const param = randnNested(rng, [3, 16, 5, 5]) as Vol[];
  const x = [0, 1, 2, 3].map((axis) => rng.randint(0, [10, 3, 32, 32][axis])); // printed 3, 1, 2, 19
  const p = [0, 1, 2, 3].map((axis) => rng.randint(0, [3, 16, 5, 5][axis])); // printed 0, 8, 0, 2
  const outputSum = (inp: Vol[], w: Vol[]) => sumAll(output(inp, w));
  const base = outputSum(imgs, param);
  const imgs2 = deepCopy(imgs);
  imgs2[x[0]][x[1]][x[2]][x[3]] += 1;
  const param2 = deepCopy(param);
  param2[p[0]][p[1]][p[2]][p[3]] += 1;
  const outGrad = ones([10, 16, 32, 32]) as Vol[];
  return {
    inputProbe: x,
    inputFiniteDifference: outputSum(imgs2, param) - base, // 2.345298758707486
    inputAnalytic: inputGrad(imgs, outGrad, param)[x[0]][x[1]][x[2]][x[3]], // 2.3452987587074423
    paramProbe: p,
    paramFiniteDifference: outputSum(imgs, param2) - base, // −47.09123124155292
    paramAnalytic: paramGrad(imgs, outGrad, param)[p[0]][p[1]][p[2]][p[3]], // −47.0912312415532
  };
}

function deepCopy<T>(nested: T): T {
  return (Array.isArray(nested) ? nested.map((v) => deepCopy(v as unknown)) : nested) as T;
}

/** The whole chapter in notebook order from `np.random.seed(190220)`. */
export function chapter5() {
  const rng = new RandomState(190220);
  const conv1dResults = chapter5Conv1d(rng);
  const batchResults = chapter5Conv1dBatch(rng);
  const conv2dResults = chapter5Conv2d(rng);
  return {
    conv1d: conv1dResults,
    conv1dBatch: batchResults,
    conv2d: conv2dResults,
    multiChannel: chapter5MultiChannel(rng),
  };
}
