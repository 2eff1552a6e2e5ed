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
export * from './kernels/im2col';
export * from './conv/convShape';
export * from './ops/operation';
export * from './ops/activations';
export * from './ops/biasAdd';
export * from './ops/weightMultiply';
export * from './ops/softmax';
export * from './ops/dropout';
export * from './ops/flatten';
export * from './ops/conv2d';
export * from './ops/pool2d';
export * from './ops/maxPool2d';
export * from './ops/avgPool2d';
export * from './layers/layer';
export * from './layers/activation';
export * from './layers/init';
export * from './layers/dense';
export * from './layers/flattenLayer';
export * from './layers/conv2d';
export * from './layers/pool2dLayer';
export * from './layers/maxPool2d';
export * from './layers/avgPool2d';
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
