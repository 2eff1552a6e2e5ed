import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { kernelArena } from '../../../src/engine/kernels/kernelBackend';
import { StepArena } from '../../../src/engine/kernels/stepArena';
import { Conv2d } from '../../../src/engine/layers/conv2d';
import { Dense } from '../../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const hasArena = kernelArena() !== null;

describe('StepArena', { skip: hasArena ? false : 'this runtime has no WebAssembly backend' }, () => {
  it('hands out disjoint, 16-byte aligned tensors within a step, and the same offsets every step once it fits', () => {
    const arena = kernelArena()!;
    const step = new StepArena(arena, {});
    const offsets = () => {
      step.begin();
      const ts = [step.tensor([3, 5]), step.tensor([1]), step.zeros([2, 7]), step.tensor([4])];
      for (const t of ts) assert.equal(t.data.byteOffset % 16, 0);
      for (let i = 1; i < ts.length; i++)
        assert.ok(ts[i].data.byteOffset >= ts[i - 1].data.byteOffset + ts[i - 1].size * 4, 'tensors do not overlap');
      assert.ok(
        ts[2].data.every((v) => v === 0),
        'zeros() is zero-filled',
      );
      return ts.map((t) => t.data.byteOffset);
    };
    offsets(); // first step: every tensor overflows into blocks of its own
    const second = offsets(); // one block now holds the whole step
    const reserved = arena.reservedBytes;
    for (let i = 0; i < 5; i++) assert.deepEqual(offsets(), second);
    assert.equal(arena.reservedBytes, reserved, 'steady steps reserve no memory');
  });

  it('grows when a step needs more than the last one, and keeps the steady state after', () => {
    const step = new StepArena(kernelArena()!, {});
    step.begin();
    step.tensor([8]);
    step.begin();
    const a = step.tensor([8]);
    const big = step.tensor([1000]); // more than the block: an overflow block this step
    big.data.fill(3);
    a.data.fill(1);
    assert.ok(
      big.data.every((v) => v === 3),
      'an overflow tensor does not overlap the block',
    );
    step.begin();
    const a2 = step.tensor([8]),
      big2 = step.tensor([1000]);
    step.begin();
    assert.deepEqual(
      [step.tensor([8]).data.byteOffset, step.tensor([1000]).data.byteOffset],
      [a2.data.byteOffset, big2.data.byteOffset],
    );
    assert.ok(step.reservedBytes >= (8 + 1000) * 4);
  });
});

describe(
  "a network's training step on the step arena",
  { skip: hasArena ? false : 'this runtime has no WebAssembly backend' },
  () => {
    function cnn(): NeuralNetwork {
      return new NeuralNetwork({
        layers: [
          new Conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh', flatten: true }),
          new Dense({ units: 3 }),
        ],
        loss: new SoftmaxCrossEntropy(),
        seed: 3,
      });
    }
    function batch(seed: number): { x: Tensor; y: Tensor } {
      const rng = new RandomState(seed);
      const x = Tensor.zeros([5, 1, 6, 6]);
      rng.fillNormal(x.data);
      const y = Tensor.zeros([5, 3]);
      for (let r = 0; r < 5; r++) y.data[r * 3 + (r % 3)] = 1;
      return { x, y };
    }

    it('puts training activations in the arena, reuses them next step, and keeps inference outputs as plain arrays', () => {
      const arena = kernelArena()!;
      const net = cnn();
      const { x, y } = batch(1);
      net.trainBatch(x, y);
      const first = net.trainBatch(x, y);
      const activations = first.tape.layers.flatMap((l) => l.ops.map((c) => c.y));
      assert.ok(
        activations.every((t) => arena.owns(t.data)),
        'every op output of a training step lives in the arena',
      );
      const offsets = activations.map((t) => t.data.byteOffset);
      const reserved = arena.reservedBytes;
      const second = net.trainBatch(x, y);
      assert.deepEqual(
        second.tape.layers.flatMap((l) => l.ops.map((c) => c.y.data.byteOffset)),
        offsets,
        'the next step reuses the same memory',
      );
      assert.equal(arena.reservedBytes, reserved);
      const predicted = net.predict(x);
      assert.ok(!arena.owns(predicted.data), 'inference returns a plain array the caller may keep');
    });

    it('computes the same losses and gradients as the same network run outside a training step', () => {
      // The step arena changes where tensors live, not what is computed: a network whose forward runs
      // outside training steps (inference forward + manual backward) sees the same numbers.
      const a = cnn(),
        b = cnn();
      const { x, y } = batch(2);
      for (let i = 0; i < 3; i++) {
        const la = a.trainBatch(x, y).loss;
        const fb = b.forward(x, false);
        const lb = b.loss.forward(fb.y, y);
        assert.ok(Math.abs(la - lb.loss) <= 1e-6 * Math.abs(lb.loss), `step ${i}: ${la} vs ${lb.loss}`);
        b.zeroGrads();
        b.backwardParams(b.loss.backward(lb.ctx), fb.tape);
        for (const [pa, pb] of a.params().map((p, k) => [p, b.params()[k]] as const)) {
          for (let j = 0; j < pa.grad.size; j++)
            assert.ok(Math.abs(pa.grad.data[j] - pb.grad.data[j]) <= 1e-5 * (1 + Math.abs(pb.grad.data[j])));
          for (let j = 0; j < pa.value.size; j++) {
            pa.value.data[j] -= 0.1 * pa.grad.data[j];
            pb.value.data[j] -= 0.1 * pb.grad.data[j];
          }
        }
      }
    });
  },
);
