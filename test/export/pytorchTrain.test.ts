import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO, tempDir } from '../helpers/tempDir';
import { glassbox } from '../cli/cliProcess';
import { exportAndVerify, modelFile, POEMS, runPython, torchMissing } from './pytorchHarness';

interface Done {
  event: string;
  metrics: Record<string, number>;
  processes: number;
  epochsRun: number;
}

const doneOf = (output: string): Done =>
  JSON.parse(
    output
      .split('\n')
      .map((l) => l.replace(/^\[default\d\]:/, ''))
      .filter((l) => l.startsWith('{"event": "done"'))
      .pop() as string,
  ) as Done;

describe('train.py of an exported model', { skip: torchMissing }, () => {
  const dir = tempDir();
  const file = join(dir, 'mnist-mlp.nn.json');
  copyFileSync(join(REPO, 'examples', 'mnist-mlp.nn.json'), file);
  const out = join(dir, 'torch');

  it('one epoch on the MNIST sample reaches the accuracy Glassbox reaches on the same file (±1 point)', () => {
    const e = glassbox(['export', file, '--pytorch', out]);
    assert.equal(e.code, 0, e.stderr);
    const g = glassbox(['train', file, '--epochs', '1', '--json', '--threads', '1']);
    assert.equal(g.code, 0, g.stderr);
    const glassboxAcc = (JSON.parse(g.stdout.trim().split('\n').pop() as string) as Done).metrics.accuracy;
    const t = runPython(out, ['train.py', '--epochs', '1', '--threads', '1']);
    assert.equal(t.code, 0, t.output);
    assert.match(t.output, /epoch 1: test loss [0-9.]+ {2}accuracy [0-9.]+%/);
    const torchAcc = doneOf(t.output).metrics.accuracy;
    console.log(
      `one epoch of mnist-mlp: Glassbox ${(100 * glassboxAcc).toFixed(2)}%, PyTorch ${(100 * torchAcc).toFixed(2)}%`,
    );
    assert.ok(Math.abs(glassboxAcc - torchAcc) <= 0.01, `Glassbox ${glassboxAcc}, PyTorch ${torchAcc}`);
    assert.ok(existsSync(join(out, 'trained.npz')) && existsSync(join(out, 'trained.npz.json')));
  });

  it('torchrun --nproc_per_node=2 runs it with DistributedDataParallel and ends with the same kind of metrics', () => {
    // Debian's torchrun (PyTorch 1.13 on Python 3.11) fails in Std.from_str('0'); '--redirects 1 --tee 1' avoids it.
    const t = runPython(out, [
      '-m',
      'torch.distributed.run',
      '--nproc_per_node=2',
      // Not the default 29500: another torchrun on the machine (a parallel job) held it once.
      `--master_port=${20000 + Math.floor(Math.random() * 20000)}`,
      '--redirects',
      '1',
      '--tee',
      '1',
      'train.py',
      '--epochs',
      '1',
      '--threads',
      '1',
      '--out',
      join(out, 'ddp.npz'),
    ]);
    assert.equal(t.code, 0, t.output);
    assert.match(t.output, /2 processes, cpu/);
    const done = doneOf(t.output);
    assert.equal(done.processes, 2);
    assert.equal(done.epochsRun, 1);
    console.log(`torchrun, 2 processes: accuracy ${(100 * done.metrics.accuracy).toFixed(2)}%`);
    assert.ok(done.metrics.accuracy > 0.8, t.output);
  });

  it('round trip: the weights train.py trained come back as a run record whose Glassbox evaluation gives the accuracy PyTorch printed (±0.1 point)', () => {
    const trained = join(out, 'trained.npz');
    const torchDone = (JSON.parse(readFileSync(`${trained}.json`, 'utf8')) as { done: Done }).done;
    const r = glassbox(['import', trained, '--into', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const imp = JSON.parse(r.stdout.trim()) as { runFolder: string; metrics: Record<string, number> };
    console.log(
      `import: Glassbox evaluates the PyTorch-trained weights to ${(100 * imp.metrics.accuracy).toFixed(2)}%, PyTorch printed ${(100 * torchDone.metrics.accuracy).toFixed(2)}%`,
    );
    assert.ok(Math.abs(imp.metrics.accuracy - torchDone.metrics.accuracy) <= 0.001, r.stdout);
    // The CLI shows the folder relative to its working folder (the repository).
    const folder = resolve(REPO, imp.runFolder);
    for (const f of [
      'run.json',
      'config.json',
      'model.nn.json',
      'metrics.json',
      'final.gbw',
      'summary.json',
      'telemetry.json',
      'frame.json',
    ])
      assert.ok(existsSync(join(folder, f)), f);
    const info = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as {
      status: string;
      epochsRun: number;
      result: { metrics: Record<string, number> };
    };
    assert.equal(info.status, 'complete');
    assert.equal(info.epochsRun, 1);
    assert.deepEqual(info.result.metrics, imp.metrics);
    const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8')) as {
      epochs: unknown[];
      evaluations: unknown[];
    };
    assert.equal(metrics.epochs.length, 1);
    assert.equal(metrics.evaluations.length, 1);
    // final.gbw holds exactly PyTorch's weights: exporting the imported run reproduces its outputs.
    const v = exportAndVerify(folder, join(dir, 'reexport'));
    assert.equal(v.code, 0, v.output);
  });
});

describe('train.py of an exported character model', { skip: torchMissing }, () => {
  it("trains a GRU on the text with the book's ordered batches, ends near Glassbox's validation loss, and imports back with the same metrics", () => {
    const dir = tempDir();
    const file = modelFile(dir, 'char-gru', {
      data: { type: 'text', path: POEMS, sequenceLength: 16 },
      layers: [{ type: 'gru', hiddenSize: 32 }],
      loss: 'sequenceSoftmaxCrossEntropy',
      optimizer: { type: 'adam', lr: 0.01, clip: 5, decay: { type: 'linear', finalLr: 0.005 } },
      training: { iterations: 60, batchSize: 8, evalEvery: 30 },
    });
    const out = join(dir, 'torch');
    const e = glassbox(['export', file, '--pytorch', out]);
    assert.equal(e.code, 0, e.stderr);
    const g = glassbox(['train', file, '--json', '--threads', '1']);
    assert.equal(g.code, 0, g.stderr);
    const glassboxLoss = (
      JSON.parse(g.stdout.trim().split('\n').pop() as string) as { evalLosses: number[] }
    ).evalLosses.pop() as number;
    const t = runPython(out, ['train.py', '--threads', '1']);
    assert.equal(t.code, 0, t.output);
    assert.match(t.output, /iteration 60: validation loss [0-9.]+ {2}crossEntropy [0-9.]+ {2}bitsPerChar/);
    const done = doneOf(t.output) as Done & { loss: number };
    console.log(
      `char GRU, 60 iterations: validation loss Glassbox ${glassboxLoss.toFixed(4)}, PyTorch ${done.loss.toFixed(4)}`,
    );
    // From about ln(60) = 4.09 at the start; different initial draws, same schedule.
    assert.ok(Math.abs(done.loss - glassboxLoss) < 0.25, `Glassbox ${glassboxLoss}, PyTorch ${done.loss}`);
    const r = glassbox(['import', join(out, 'trained.npz'), '--into', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const imp = JSON.parse(r.stdout.trim()) as { loss: number; metrics: Record<string, number> };
    assert.ok(Math.abs(imp.loss - done.loss) < 1e-4, `${imp.loss} vs ${done.loss}`);
    assert.ok(Math.abs(imp.metrics.accuracy - done.metrics.accuracy) < 1e-9);
  });
});

/** Compares the test rows train.py prepares with the ones Glassbox saved for verify.py. */
const SAME_DATA = `
import sys, numpy as np, torch
sys.argv = ['train.py']
import train
if train.DATA['type'] == 'text':
    _, validation = train.load_text(train.DATA)
    T, V = train.DATA['sequence_length'], len(train.DATA['vocabulary'])
    x_test = train.one_hot_windows(validation, [r * T for r in range(32)], T, V)
else:
    x_test = train.load_data()[2]
expected = np.load('verify_inputs.npy')
got = x_test[:len(expected)].numpy()
assert got.shape == expected.shape, (got.shape, expected.shape)
print('largest input difference %.3g' % np.abs(got - expected).max())
`;

describe('train.py prepares the data as Glassbox does', { skip: torchMissing }, () => {
  const dir = tempDir();
  const csv = join(dir, 'table.csv');
  writeFileSync(
    csv,
    'x1, x2 ,label,x3\n' +
      Array.from(
        { length: 120 },
        (_, i) => `${Math.sin(i)},${(i * 7) % 13},${i % 3},${Math.cos(i * i)}\n${i % 40 === 0 ? '\n' : ''}`,
      ).join(''),
  );
  const sources: Record<string, unknown> = {
    'mnist-sample flat': { type: 'mnist-sample', testFraction: 0.2, splitSeed: 5 },
    'mnist-sample image, [-1, 1]': {
      type: 'mnist-sample',
      layout: 'image',
      scaling: 'minusOneToOne',
      testFraction: 0.3,
      splitSeed: 2,
    },
    'mnist, book scaling': { type: 'mnist', scaling: 'book' },
    boston: 'boston',
    'csv, classes, scaled after the split': {
      type: 'csv',
      path: csv,
      target: 'label',
      classes: 3,
      testFraction: 0.25,
      splitSeed: 4,
    },
    'csv, regression, scaled before the split': {
      type: 'csv',
      path: csv,
      target: ['x3'],
      features: ['x2', 'x1'],
      scaleBeforeSplit: true,
      testFraction: 0.3,
      splitSeed: 9,
    },
    text: { type: 'text', path: POEMS, sequenceLength: 20 },
  };
  for (const [name, data] of Object.entries(sources))
    it(name, () => {
      const text = name === 'text';
      const image = typeof data === 'object' && (data as { layout?: string }).layout === 'image';
      const outputs = name.startsWith('csv, regression') || name === 'boston' ? 1 : name.startsWith('csv') ? 3 : 10;
      const file = modelFile(dir, name.replace(/\W+/g, '-'), {
        data,
        layers: text
          ? [{ type: 'rnn', hiddenSize: 4 }]
          : [...(image ? [{ type: 'flatten' }] : []), { type: 'dense', units: outputs }],
        loss: text ? 'sequenceSoftmaxCrossEntropy' : outputs === 1 ? 'meanSquaredError' : 'softmaxCrossEntropy',
        optimizer: { type: 'sgd', lr: 0.01 },
        training: text ? { iterations: 2, evalEvery: 1 } : { epochs: 1 },
      });
      const out = join(dir, `out-${name.replace(/\W+/g, '-')}`);
      const e = glassbox(['export', file, '--pytorch', out]);
      assert.equal(e.code, 0, e.stderr);
      const r = runPython(out, ['-c', SAME_DATA]);
      assert.equal(r.code, 0, r.output);
      const diff = Number(/largest input difference (\S+)/.exec(r.output)?.[1]);
      assert.ok(diff <= 1e-6, r.output);
    });
});
