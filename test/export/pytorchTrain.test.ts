import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempDir } from '../helpers/tempDir';
import { glassbox } from '../cli/cliProcess';
import { runPython, torchMissing } from './pytorchHarness';

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
});
