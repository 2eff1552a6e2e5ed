import { Conv2d } from '../../src/engine/layers/conv2d';
import { Dense } from '../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { SGDMomentum } from '../../src/engine/optim/sgdMomentum';
import type { Dataset } from '../../src/engine/train/dataset';
import { accuracy } from '../../src/engine/train/metrics';
import { Trainer } from '../../src/engine/train/trainer';

export const W2 = { filters: 16, kernel: 5, classes: 10, batch: 60, lr: 0.01, momentum: 0.9, seed: 20190501 } as const;

export function w2Run(data: Dataset, batches: number, withAccuracy: boolean): { wall: number; cpu: number; losses: number[]; testAccuracy?: number } {
  const net = new NeuralNetwork({
    layers: [new Conv2d({ filters: W2.filters, kernelSize: W2.kernel, padding: 'same', activation: 'tanh', init: 'glorot', flatten: true }), new Dense({ units: W2.classes, init: 'glorot' })],
    loss: new SoftmaxCrossEntropy(),
    seed: W2.seed,
  });
  const trainer = new Trainer(net, new SGDMomentum({ lr: W2.lr, momentum: W2.momentum }));
  const steps = trainer.steps(data, { epochs: 1, batchSize: W2.batch, evalEvery: 2, earlyStopping: false, seed: W2.seed });
  const losses: number[] = [];
  const c0 = process.cpuUsage(), t0 = performance.now();
  for (let i = 0; i < batches; i++) {
    const r = steps.next();
    if (r.done) break;
    losses.push(r.value.loss);
  }
  const wall = (performance.now() - t0) / 1000, c = process.cpuUsage(c0);
  const testAccuracy = withAccuracy ? accuracy(net.predict(data.xTest), data.yTest) : undefined;
  return { wall, cpu: (c.user + c.system) / 1e6, losses, testAccuracy };
}
