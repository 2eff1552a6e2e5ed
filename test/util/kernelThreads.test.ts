import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { oneHot } from '../../src/engine/data/preprocess';
import { gemm } from '../../src/engine/kernels/gemm';
import { gemmMany } from '../../src/engine/kernels/gemmMany';
import { residentData } from '../../src/engine/kernels/residentTensor';
import { LSTM } from '../../src/engine/layers/lstm';
import { SequenceSoftmaxCrossEntropy } from '../../src/engine/losses/sequenceSoftmaxCrossEntropy';
import { SGD } from '../../src/engine/optim/sgd';
import { kernelArena, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import { matmulNN, matmulNT, matmulTN } from '../../src/engine/kernels/matmul';
import { MATMUL_LAYOUTS } from '../../src/engine/kernels/matmulLayout';
import { kernelThreads, setKernelThreads, stopKernelThreads } from '../../src/engine/kernels/parallel';
import { tanhBackwardKernel, tanhKernel } from '../../src/engine/kernels/tanhKernel';
import { Conv2d } from '../../src/engine/layers/conv2d';
import { Dense } from '../../src/engine/layers/dense';
import { SoftmaxCrossEntropy } from '../../src/engine/losses/softmaxCrossEntropy';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { Conv2dOp } from '../../src/engine/ops/conv2d';
import { StepArena } from '../../src/engine/kernels/stepArena';
import { SGDMomentum } from '../../src/engine/optim/sgdMomentum';
import { MODERN } from '../../src/engine/profile';
import { RandomState } from '../../src/engine/random/randomState';
import { Tensor } from '../../src/engine/tensor/tensor';
import type { Dataset } from '../../src/engine/train/dataset';
import { Trainer } from '../../src/engine/train/trainer';
import { enableKernelThreads } from '../../src/util/kernelThreads';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const REFERENCE = { NN: matmulNN, NT: matmulNT, TN: matmulTN } as const;

function uniform(size: number, rng: RandomState): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.double() * 2 - 1;
  return out;
}

/** Largest |x − ref| / (|ref| + scale) over the arrays: relative, with a floor for near-zero sums. */
function worst(x: ArrayLike<number>, ref: ArrayLike<number>, scale: ArrayLike<number> | number): number {
  let w = 0;
  for (let i = 0; i < ref.length; i++) {
    const s = typeof scale === 'number' ? scale : scale[i];
    w = Math.max(w, Math.abs(x[i] - ref[i]) / (Math.abs(ref[i]) + s + 1e-30));
  }
  return w;
}

const hasWasm = (() => {
  setKernelPreference('auto');
  return kernelArena() !== null;
})();

describe(
  'kernel threads (two threads on one shared memory)',
  { skip: hasWasm ? false : 'this runtime has no WebAssembly backend' },
  () => {
    before(() => {
      assert.equal(enableKernelThreads(2), 2);
    });
    after(() => {
      stopKernelThreads();
      setKernelPreference('auto');
    });

    it('splits big GEMMs by rows: every layout, accumulate on and off, odd sizes and sizes of 1, within 1e-5 of float64 and bit-equal to one thread', () => {
      const rng = new RandomState(3);
      const shapes: [number, number, number][] = [
        [257, 129, 33],
        [1, 4099, 517],
        [61, 1, 20001],
        [1031, 211, 9],
        [17, 3001, 41],
        [8, 8, 8],
        [1, 1, 1],
      ];
      for (const [m, k, n] of shapes) {
        for (const layout of MATMUL_LAYOUTS) {
          for (const accumulate of [false, true]) {
            const a = uniform(m * k, rng),
              b = uniform(k * n, rng),
              c0 = uniform(m * n, rng);
            setKernelThreads(2);
            const c2 = c0.slice();
            gemm(layout, a, b, c2, m, k, n, accumulate);
            setKernelThreads(1);
            const c1 = c0.slice();
            gemm(layout, a, b, c1, m, k, n, accumulate);
            const a64 = Float64Array.from(a),
              b64 = Float64Array.from(b);
            const ref = Float64Array.from(c0),
              mag = new Float64Array(m * n);
            REFERENCE[layout](a64, b64, ref, m, k, n, accumulate);
            REFERENCE[layout](a64.map(Math.abs), b64.map(Math.abs), mag, m, k, n);
            const e = worst(c2, ref, mag);
            assert.ok(e <= 1e-5, `${layout} ${m}×${k}×${n} accumulate=${accumulate}: relative error ${e}`);
            assert.deepEqual(c2, c1, `${layout} ${m}×${k}×${n}: two threads differ from one`);
          }
        }
      }
    });

    it('gemmMany: a batch of independent products shared out among the threads gives the bits of one by one', () => {
      const rng = new RandomState(5);
      // Operands in the arena (the batch path), then the same products with plain arrays (one by one).
      const resident = (x: Float32Array) => {
        const r = residentData(x.length, x);
        r.set(x);
        return r;
      };
      for (const [m, k, n, count] of [
        [32, 318, 256, 4],
        [33, 317, 255, 3],
        [1, 4099, 517, 5],
        [61, 7, 1, 2],
      ]) {
        for (const layout of MATMUL_LAYOUTS) {
          const as = Array.from({ length: count }, () => uniform(m * k, rng)),
            bs = Array.from({ length: count }, () => uniform(k * n, rng)),
            cs = Array.from({ length: count }, () => uniform(m * n, rng));
          const batch = as.map((a, i) => ({
            layout,
            a: resident(a),
            b: resident(bs[i]),
            c: resident(cs[i]),
            m,
            k,
            n,
            accumulate: i % 2 === 1,
          }));
          setKernelThreads(2);
          gemmMany(batch);
          setKernelThreads(1);
          cs.forEach((c, i) => gemm(layout, as[i], bs[i], c, m, k, n, i % 2 === 1));
          batch.forEach((p, i) => assert.deepEqual(p.c, cs[i], `${layout} ${m}×${k}×${n} product ${i}`));
        }
      }
    });

    for (const [batch, hidden] of [
      [32, 192],
      [30, 64],
    ])
      it(`an LSTM character model (batch ${batch}, hidden ${hidden}) trains to the same bits on one and two threads (the step's rows shared out)`, () => {
        const run = (threads: number) => {
          setKernelThreads(threads);
          const net = new NeuralNetwork({
            // Batch 30: the second thread's rows end in a partial 4-row tile.
            layers: [new LSTM({ hiddenSize: hidden, outputSize: 40 })],
            loss: new SequenceSoftmaxCrossEntropy(),
            seed: 9,
          });
          const rng = new RandomState(4);
          const x = new Float32Array(batch * 12 * 40),
            y = new Float32Array(batch * 12 * 40);
          for (let i = 0; i < batch * 12; i++) {
            x[i * 40 + rng.randint(0, 40)] = 1;
            y[i * 40 + rng.randint(0, 40)] = 1;
          }
          const xs = new Tensor([batch, 12, 40], x),
            ys = new Tensor([batch, 12, 40], y);
          const opt = new SGD({ lr: 0.5 });
          const losses: number[] = [];
          for (let s = 0; s < 8; s++) {
            losses.push(net.trainBatch(xs, ys).loss);
            opt.step(net.params());
          }
          return { losses, weights: net.params().map((p) => Array.from(p.value.data)) };
        };
        const one = run(1),
          two = run(2);
        assert.deepEqual(two.losses, one.losses);
        assert.deepEqual(two.weights, one.weights);
        assert.ok(one.losses[7] < one.losses[0], `the model learns: ${one.losses[0]} → ${one.losses[7]}`);
      });

    it('tanh and its backward over long arrays agree with Math.tanh and the float64 formula within 1e-5', () => {
      setKernelThreads(2);
      const rng = new RandomState(5);
      for (const n of [1, 3, 131073, 300001]) {
        const x = new Float32Array(n);
        rng.fillNormal(x, 0, 2);
        const y = new Float32Array(n),
          dy = uniform(n, rng),
          dx = new Float32Array(n);
        tanhKernel(x, y);
        tanhBackwardKernel(dy, y, dx);
        const yRef = Float64Array.from(x, Math.tanh);
        const dxRef = Float64Array.from(dy, (d, i) => d * (1 - y[i] * y[i]));
        assert.ok(worst(y, yRef, 0) <= 1e-5, `tanh n=${n}: ${worst(y, yRef, 0)}`);
        // Relative to |dy|: 1 − y² itself is what float32 y can resolve near ±1.
        assert.ok(
          worst(
            dx,
            dxRef,
            Float64Array.from(dy, (d) => Math.abs(d) * 1e-6),
          ) <= 1e-5,
          `tanh backward n=${n}`,
        );
      }
    });

    it('tanh and its backward on two threads give the bits of one thread, in both kernel variants', () => {
      const rng = new RandomState(6);
      const n = 300001;
      const x = new Float32Array(n),
        dy = uniform(n, rng);
      rng.fillNormal(x, 0, 2);
      for (const preference of ['wasm-simd128', 'wasm-relaxed-simd'] as const) {
        setKernelPreference(preference);
        const run = (threads: number) => {
          setKernelThreads(threads);
          const y = new Float32Array(n),
            dx = new Float32Array(n);
          tanhKernel(x, y);
          tanhBackwardKernel(dy, y, dx);
          return { y, dx };
        };
        const one = run(1),
          two = run(2);
        assert.deepEqual(two.y, one.y, `${preference}: tanh`);
        assert.deepEqual(two.dx, one.dx, `${preference}: tanh backward`);
      }
      setKernelPreference('auto');
    });

    const convCases = [
      { batch: 1, cIn: 1, h: 28, w: 28, cOut: 16, k: 5, stride: 1, padding: 'same' as const, bias: true },
      { batch: 7, cIn: 3, h: 9, w: 11, cOut: 5, k: 3, stride: 2, padding: 'valid' as const, bias: true },
      { batch: 5, cIn: 2, h: 1, w: 7, cOut: 1, k: 1, stride: 1, padding: 'same' as const, bias: false },
      { batch: 60, cIn: 1, h: 13, w: 13, cOut: 4, k: 5, stride: 3, padding: 'same' as const, bias: true },
      // Stride 1 runs conv.wat's direct kernels: rows of 8 + a partial 4 (ow 11, 5, 1), a partial
      // group of filters (Cout 6, 9, 3), several input channels, an even kernel, valid padding.
      { batch: 3, cIn: 3, h: 10, w: 13, cOut: 6, k: 3, stride: 1, padding: 'valid' as const, bias: true },
      { batch: 4, cIn: 2, h: 6, w: 5, cOut: 9, k: 2, stride: 1, padding: 'same' as const, bias: true },
      { batch: 2, cIn: 4, h: 5, w: 1, cOut: 3, k: 1, stride: 1, padding: 'valid' as const, bias: false },
      { batch: 6, cIn: 8, h: 14, w: 14, cOut: 16, k: 5, stride: 1, padding: 'same' as const, bias: true },
    ];
    for (const c of convCases) {
      it(`Conv2d fast path, one and two threads, matches float64: batch ${c.batch}, [${c.cIn}, ${c.h}, ${c.w}] → ${c.cOut} filters ${c.k}×${c.k}, stride ${c.stride}, ${c.padding}${c.bias ? '' : ', no bias'}`, () => {
        const rng = new RandomState(c.batch * 31 + c.k);
        const w64 = Tensor.zeros([c.cOut, c.cIn, c.k, c.k], 'float64'),
          b64 = Tensor.zeros([c.cOut], 'float64');
        rng.fillNormal(w64.data, 0, 0.5);
        rng.fillNormal(b64.data, 0, 0.5);
        const x64 = Tensor.zeros([c.batch, c.cIn, c.h, c.w], 'float64');
        rng.fillNormal(x64.data);
        const f32 = (t: Tensor) => new Tensor(t.shape, Float32Array.from(t.data));
        const f64 = (t: Tensor) => new Tensor(t.shape, Float64Array.from(t.data));
        const attrs = { stride: c.stride, padding: c.padding };
        const mode = { training: true, rng, profile: MODERN };
        const ref = new Conv2dOp(f64(f32(w64)), c.bias ? f64(f32(b64)) : null, attrs);
        const r = ref.forward(f64(f32(x64)), mode);
        const dy64 = Tensor.zeros(r.y.shape, 'float64');
        rng.fillNormal(dy64.data);
        const dy = f32(dy64);
        const dxRef = ref.backward(f64(dy), r.ctx);
        // Error scale as for the GEMM tests: the same sums over absolute values (Σ|w||x| + |b|, …).
        const abs = (t: Tensor) => new Tensor(t.shape, Float64Array.from(t.data, Math.abs));
        const magOp = new Conv2dOp(abs(f64(f32(w64))), c.bias ? abs(f64(f32(b64))) : null, attrs);
        const mf = magOp.forward(abs(f64(f32(x64))), mode);
        const dxMag = magOp.backward(abs(f64(dy)), mf.ctx);
        const results: { y: Float32Array; dx: Float32Array; dw: Float32Array; db?: Float32Array }[] = [];
        // Each thread count with and without a step arena (outputs in place, as in a network's
        // training step, vs the grouped path a forward outside a step takes).
        for (const [threads, inStep] of [
          [1, false],
          [2, false],
          [1, true],
          [2, true],
        ] as const) {
          setKernelThreads(threads);
          const op = new Conv2dOp(f32(w64), c.bias ? f32(b64) : null, attrs);
          assert.ok(kernelArena()?.owns(op.w.value.data), 'parameters live in the arena (fast path)');
          const step = inStep ? new StepArena(kernelArena()!, op) : null;
          step?.begin();
          const f = op.forward(f32(x64), { ...mode, step });
          if (step) assert.ok(kernelArena()!.owns(f.y.data), 'a step forward writes y in the arena');
          const dx = op.backward(dy, f.ctx);
          const check = (what: string, got: Tensor['data'], want: Tensor['data'], mag: Tensor['data']) => {
            const e = worst(got, want, mag);
            assert.ok(e <= 1e-5, `${what}, ${threads} thread(s): relative error ${e}`);
          };
          check('y', f.y.data, r.y.data, mf.y.data);
          check('dx', dx.data, dxRef.data, dxMag.data);
          check('dW', op.w.grad.data, ref.w.grad.data, magOp.w.grad.data);
          if (c.bias) check('dB', op.b!.grad.data, ref.b!.grad.data, magOp.b!.grad.data);
          results.push({
            y: Float32Array.from(f.y.data),
            dx: Float32Array.from(dx.data),
            dw: op.w.grad.data as Float32Array,
            db: op.b?.grad.data as Float32Array | undefined,
          });
        }
        // The forward and the input gradient split by examples: bit-equal whatever the threads and
        // wherever the output goes.
        for (const r of results.slice(1)) {
          assert.deepEqual(r.y, results[0].y);
          assert.deepEqual(r.dx, results[0].dx);
        }
      });
    }

    it('Conv2d fast path: a backward after a later forward rebuilds its patches', () => {
      setKernelThreads(2);
      const rng = new RandomState(9);
      const w = Tensor.zeros([3, 2, 3, 3]);
      rng.fillNormal(w.data);
      const op = new Conv2dOp(w, null, { padding: 'same' });
      const mode = { training: true, rng, profile: MODERN };
      const xa = Tensor.zeros([4, 2, 6, 6]),
        xb = Tensor.zeros([4, 2, 6, 6]);
      rng.fillNormal(xa.data);
      rng.fillNormal(xb.data);
      const dy = Tensor.zeros([4, 3, 6, 6]);
      rng.fillNormal(dy.data);
      const a = op.forward(xa, mode);
      op.backward(dy, a.ctx);
      const once = Float32Array.from(op.w.grad.data);
      op.w.grad.data.fill(0);
      const a2 = op.forward(xa, mode);
      op.forward(xb, mode); // overwrites the kept patches
      op.backward(dy, a2.ctx);
      assert.ok(worst(op.w.grad.data, once, 1e-3) <= 1e-6);
    });

    it("Conv2d fast path in inference goes through a bounded arena block in groups, with the training forward's results", () => {
      setKernelThreads(2);
      const rng = new RandomState(13);
      const w = Tensor.zeros([16, 1, 5, 5]),
        b = Tensor.zeros([16]);
      rng.fillNormal(w.data);
      rng.fillNormal(b.data);
      const op = new Conv2dOp(w, b, { padding: 'same' });
      const x = Tensor.zeros([300, 1, 28, 28]); // 300·16·784 floats of output: 15 MB, two groups
      rng.fillNormal(x.data);
      const arena = kernelArena()!;
      const inference = op.forward(x, { training: false, rng, profile: MODERN }).y;
      const before = arena.reservedBytes;
      op.forward(x, { training: false, rng, profile: MODERN });
      assert.equal(arena.reservedBytes, before, 'a second inference reuses the blocks');
      const training = op.forward(x, { training: true, rng, profile: MODERN }).y;
      assert.deepEqual(inference.data, training.data);
    });

    it('survives thousands of back-to-back hand-offs (claimed and taken-back parts) with every part run once', () => {
      setKernelThreads(2);
      const arena = kernelArena()!;
      const n = 131072; // two parts of the elementwise grain
      const x = arena.float32(n),
        y = arena.float32(n);
      for (let i = 0; i < n; i++) x[i] = (i % 100) / 50 - 1;
      for (let r = 0; r < 5000; r++) {
        y[0] = 5;
        y[n - 1] = 5;
        tanhKernel(x, y);
        assert.ok(y[0] !== 5 && y[n - 1] !== 5, `a part was not run at hand-off ${r}`);
      }
    });

    /** W1-shaped and W2-shaped models on a small learnable task, one loss per batch. */
    function curve(threads: number, conv: boolean): number[] {
      setKernelThreads(threads);
      const rng = new RandomState(11);
      const rows = 600;
      const x = Tensor.zeros(conv ? [rows, 1, 12, 12] : [rows, 144]);
      rng.fillNormal(x.data);
      const labels = new Int32Array(rows);
      for (let r = 0; r < rows; r++)
        labels[r] = x.data[r * 144 + 7] + x.data[r * 144 + 70] > 0 ? (x.data[r * 144] > 0 ? 1 : 2) : 3;
      const data: Dataset = { xTrain: x, yTrain: oneHot(labels, 10), xTest: x, yTest: oneHot(labels, 10) };
      const layers = conv
        ? [
            new Conv2d({
              filters: 16,
              kernelSize: 5,
              padding: 'same',
              activation: 'tanh',
              init: 'glorot',
              flatten: true,
            }),
            new Dense({ units: 10, init: 'glorot' }),
          ]
        : [new Dense({ units: 89, activation: 'tanh', init: 'glorot' }), new Dense({ units: 10, init: 'glorot' })];
      const net = new NeuralNetwork({ layers, loss: new SoftmaxCrossEntropy(), seed: 20190501 });
      const losses: number[] = [];
      new Trainer(net, new SGDMomentum({ lr: 0.01, momentum: 0.9 }), [
        { onBatchEnd: (e) => void losses.push(e.loss) },
      ]).fit(data, { epochs: 2, batchSize: 60, evalEvery: 2, earlyStopping: false, seed: 7 });
      return losses;
    }

    for (const conv of [false, true]) {
      it(`training curves of the ${conv ? 'W2 (CNN)' : 'W1 (MLP)'} model agree between one and two threads`, () => {
        const one = curve(1, conv),
          two = curve(2, conv);
        assert.equal(kernelThreads(), 2);
        assert.equal(one.length, two.length);
        assert.ok(worst(two, one, 0) <= 1e-5, `largest relative loss difference ${worst(two, one, 0)}`);
        assert.ok(one[one.length - 1] < one[0], 'the model learns');
      });
    }
  },
);
