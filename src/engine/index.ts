/**
 * Glassbox engine: public API. A pure TypeScript library (no Node, DOM or vscode) usable from the
 * worker, the CLI, tests and benchmarks.
 */
export * from './errors';
export * from './tensor/shape';
export * from './tensor/tensor';
export * from './random/randomState';
export * from './profile';
export * from './logger';
export * from './kernels/matmul';
export * from './kernels/matmulLayout';
export * from './kernels/gemm';
export * from './kernels/kernelBackend';
export * from './kernels/tanhKernel';
export * from './kernels/momentumUpdate';
export * from './kernels/residentTensor';
export * from './kernels/wasm/wasmArena';
export * from './kernels/wasm/wasmGemm';
export * from './kernels/wasm/wasmElementwise';
export * from './kernels/im2col';
export * from './conv/convShape';
export * from './ops/operation';
export * from './ops/activations';
export * from './ops/biasAdd';
export * from './ops/weightMultiply';
export * from './ops/softmax';
export * from './ops/dropout';
export * from './ops/flatten';
export * from './ops/reshape';
export * from './ops/conv2d';
export * from './ops/pool2d';
export * from './ops/maxPool2d';
export * from './ops/avgPool2d';
export * from './ops/binaryOperation';
export * from './ops/concat';
export * from './ops/elementwise';
export type { DrawParam, RecurrentCell } from './recurrent/recurrentCell';
export * from './recurrent/gate';
export * from './recurrent/rnnCell';
export * from './recurrent/lstmCell';
export * from './recurrent/gruCell';
export * from './recurrent/recurrentOperation';
export * from './layers/layer';
export * from './layers/layerDescriptor';
export * from './layers/activation';
export * from './layers/init';
export * from './layers/dense';
export * from './layers/flattenLayer';
export * from './layers/reshapeLayer';
export * from './layers/conv2d';
export * from './layers/pool2dLayer';
export * from './layers/maxPool2d';
export * from './layers/avgPool2d';
export * from './layers/recurrentLayer';
export * from './layers/rnn';
export * from './layers/lstm';
export * from './layers/gru';
export * from './layers/batchNorm';
export * from './losses/loss';
export * from './losses/meanSquaredError';
export * from './losses/softmaxCrossEntropy';
export * from './losses/binaryCrossEntropy';
export * from './losses/sequenceSoftmaxCrossEntropy';
export * from './optim/optimizer';
export * from './optim/sgd';
export * from './optim/sgdMomentum';
export * from './optim/adaGrad';
export * from './optim/adam';
export * from './network/neuralNetwork';
export * from './network/layerActivations';
export * from './train/dataset';
export * from './train/metrics';
export * from './train/classificationReport';
export * from './train/regressionReport';
export * from './train/observer';
export * from './train/trainer';
export * from './train/fitOptions';
export * from './train/trainingSchedule';
export * from './train/epochSchedule';
export * from './projection/symmetricEigen';
export * from './projection/pca';
export * from './projection/tsne';
export * from './projection/barnesHutTsne';
export * from './train/textSchedule';
export * from './train/characterMetrics';
export {
  chapter5,
  chapter5Conv1d,
  chapter5Conv1dBatch,
  chapter5Conv2d,
  chapter5MultiChannel,
  randnNested,
} from './teaching/chapter5';
export * as conv1dLoops from './teaching/conv1d';
export * as conv2dLoops from './teaching/conv2dLoops';
export { numpySum } from './teaching/numpySum';
export * from './gradcheck/gradCheck';
export * from './data/preprocess';
export * from './text/charVocabulary';
export * from './text/charBatches';
export * from './text/sampleText';
export * from './text/textDataset';
export * as matrix from './teaching/matrix';
export * as chapter1 from './teaching/chapter1';
export * as chapter2 from './teaching/chapter2';
export * from './telemetry/tensorStats';
export * from './telemetry/telemetryFrame';
export * from './telemetry/telemetryCollector';
export * from './telemetry/saliency';
export * from './telemetry/frameRate';
export * as autodiff from './autodiff/index';
export { Var } from './autodiff/var';
export { NumberWithGrad } from './autodiff/numberWithGrad';
export { describeGraph } from './autodiff/describeGraph';
export { traceBackward } from './autodiff/traceBackward';
export type {
  BackwardStepDescription,
  GraphDescription,
  GraphEdgeDescription,
  GraphNodeDescription,
} from './autodiff/graphDescription';
