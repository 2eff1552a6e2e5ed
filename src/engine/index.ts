/**
 * Glassbox engine: public API. A pure TypeScript library (no Node, DOM or vscode) usable from the
 * worker, the CLI, tests and benchmarks.
 */
export * from './errors';
export * from './tensor/shape';
export * from './tensor/tensor';
export * from './random/randomState';
export * from './profile';
export * from './kernels/matmul';
export * from './ops/operation';
export * from './ops/activations';
export * from './ops/biasAdd';
export * from './ops/weightMultiply';
export * from './ops/softmax';
export * from './ops/dropout';
export * from './ops/flatten';
export * from './layers/layer';
export * from './layers/activation';
export * from './layers/init';
export * from './layers/dense';
export * from './layers/flattenLayer';
export * from './losses/loss';
export * from './losses/meanSquaredError';
export * from './losses/softmaxCrossEntropy';
export * from './losses/binaryCrossEntropy';
export * from './optim/optimizer';
export * from './optim/sgd';
export * from './optim/sgdMomentum';
export * from './optim/adaGrad';
export * from './optim/adam';
export * from './network/neuralNetwork';
export * from './train/dataset';
export * from './train/metrics';
export * from './train/observer';
export * from './train/trainer';
export * from './gradcheck/gradCheck';
export * from './data/preprocess';
export * as matrix from './teaching/matrix';
export * as chapter1 from './teaching/chapter1';
export * as chapter2 from './teaching/chapter2';
export * from './telemetry/tensorStats';
export * from './telemetry/telemetryFrame';
export * from './telemetry/telemetryCollector';
