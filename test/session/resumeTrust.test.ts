import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWeights, encodeWeights } from '../../src/runs/weightsFormat';
import { glassbox } from '../cli/cliProcess';
import { bostonModel } from '../helpers/modelText';
import { tempDir, writeFile } from '../helpers/tempDir';

// Reproductions of "resume goes wrong silently" (issue 13): each damaged or foreign run folder
// must be refused with a message naming the file and what is wrong — no stack trace, no restart.
describe('resume you can trust', () => {
  const dir = tempDir();
  const model = writeFile(
    dir,
    'tiny.nn.json',
    bostonModel({ optimizer: { type: 'adam', lr: 0.01 }, training: { epochs: 2, batchSize: 32, evalEvery: 1 } }),
  );
  const trained = glassbox(['train', model, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const runs = join(dir, '.glassbox', 'runs');
  const original = join(runs, readdirSync(runs)[0]);
  let copies = 0;
  const copy = (damage: (folder: string) => void): string => {
    const folder = join(dir, `copy${++copies}`);
    cpSync(original, folder, { recursive: true });
    damage(folder);
    return folder;
  };
  const rewriteCheckpoint = (folder: string, edit: (t: { name: string; data: ArrayLike<number> }[]) => void) => {
    const file = join(folder, 'checkpoint.gbw');
    const w = decodeWeights(readFileSync(file), file);
    const tensors = [...w.tensors];
    edit(tensors);
    writeFileSync(file, encodeWeights(tensors as Parameters<typeof encodeWeights>[0], w.meta));
  };
  const refused = (folder: string, message: RegExp) => {
    const r = glassbox(['train', '--resume', folder, '--epochs', '3']);
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  };

  it('the undamaged record resumes', () => {
    const r = glassbox(['train', '--resume', copy(() => {}), '--epochs', '3']);
    assert.equal(r.code, 0, r.stderr);
  });

  it('a deleted checkpoint.gbw is an error (it restarted from epoch 1 keeping the old history)', () => {
    refused(
      copy((f) => rmSync(join(f, 'checkpoint.gbw'))),
      /checkpoint\.gbw is missing, so its 2 trained epochs cannot be continued/,
    );
  });

  it('a checkpoint without optimizer state is an error (it resumed with fresh Adam moments)', () => {
    refused(
      copy((f) =>
        rewriteCheckpoint(f, (t) => t.splice(0, t.length, ...t.filter((x) => !x.name.startsWith('optimizer/')))),
      ),
      /cannot resume: .*checkpoint\.gbw.*Adam state for dense1\.W is missing/,
    );
  });

  it('out-of-range row indices are an error (they were accepted)', () => {
    refused(
      copy((f) =>
        rewriteCheckpoint(f, (t) => {
          const order = t.find((x) => x.name === 'order') as unknown as { data: Int32Array };
          order.data[0] = 1_000_000;
        }),
      ),
      /cannot resume: its row order is not a permutation of the \d+ training rows/,
    );
  });

  it('a damaged checkpoint is a clear message, not an internal error', () => {
    refused(
      copy((f) => {
        const file = join(f, 'checkpoint.gbw');
        const bytes = readFileSync(file);
        writeFileSync(file, bytes.subarray(0, bytes.length - 100));
      }),
      /cannot resume: .*checkpoint\.gbw/,
    );
  });

  it('a damaged config.json or metrics.json is a clear message (they crashed with TypeError)', () => {
    refused(
      copy((f) => writeFileSync(join(f, 'config.json'), '{"layers": 3')),
      /config\.json is not valid JSON .*the run record is damaged/,
    );
    refused(
      copy((f) => writeFileSync(join(f, 'metrics.json'), '{"epochs": {}}')),
      /metrics\.json: expected epochs and evaluations lists: the run record is damaged/,
    );
  });

  it('a config.json edited after the checkpoint is refused with the difference named', () => {
    refused(
      copy((f) => {
        const file = join(f, 'config.json');
        writeFileSync(file, readFileSync(file, 'utf8').replace('"tanh"', '"relu"'));
      }),
      /checkpoint belongs to another model: layer 1 \(dense1\) had the settings .*"tanh".*now .*"relu"/,
    );
  });
});

describe('a run whose loss becomes NaN', () => {
  it('stops there with status diverged and exit code 3 (it trained to NaN and exited 0)', () => {
    const dir = tempDir();
    const model = writeFile(
      dir,
      'wild.nn.json',
      bostonModel({ optimizer: { type: 'sgd', lr: 1e6 }, training: { epochs: 50, batchSize: 32, evalEvery: 1 } }),
    );
    const r = glassbox(['train', model]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /the loss became (NaN|Infinity) at step \d+ \(epoch \d+\): training diverged/);
    const runs = join(dir, '.glassbox', 'runs');
    const info = JSON.parse(readFileSync(join(runs, readdirSync(runs)[0], 'run.json'), 'utf8')) as {
      status: string;
      epochsRun: number;
    };
    assert.equal(info.status, 'diverged');
  });
});
