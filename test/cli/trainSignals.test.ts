import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadData } from '../../src/data/dataSource';
import { Trainer } from '../../src/engine';
import { buildModel } from '../../src/modelFile/build';
import { validateModel } from '../../src/modelFile/validate';
import { readRunRecord } from '../../src/runs/runRecord';
import { decodeWeights } from '../../src/runs/weightsFormat';
import { bostonModel } from '../helpers/modelText';
import { REPO, tempDir, writeFile } from '../helpers/tempDir';
import { glassbox, startTrain } from './cliProcess';

// Long enough (≈36k batches) that a signal always arrives mid-run; tiny network so it stays cheap.
const text = bostonModel({
  profile: 'book',
  seed: 5,
  layers: [
    { type: 'dense', units: 3, activation: 'tanh', keepProb: 0.9 },
    { type: 'dense', units: 1 },
  ],
  training: { epochs: 1500, batchSize: 16, evalEvery: 100, earlyStopping: false, seed: 6 },
});
const dir = tempDir();
const modelFile = writeFile(dir, 'long.nn.json', text);
const runsDir = join(dir, '.glassbox', 'runs');

/** Every file of every run record, as bytes, to show that earlier records are left untouched. */
function snapshotRuns(except: string[] = []): Map<string, string> {
  const m = new Map<string, string>();
  for (const run of readdirSync(runsDir).filter((r) => !except.some((e) => e.endsWith(r)))) {
    for (const f of readdirSync(join(runsDir, run)))
      m.set(`${run}/${f}`, readFileSync(join(runsDir, run, f)).toString('base64'));
  }
  return m;
}

function uninterrupted(): number[] {
  const { spec } = validateModel(text, modelFile);
  assert.ok(spec);
  const { network, optimizer, fitOptions } = buildModel(spec);
  return new Trainer(network, optimizer).fit(loadData(spec.data, modelFile, spec.precision).dataset, fitOptions)
    .evalLosses;
}

describe('Ctrl-C and kill during glassbox train', () => {
  const expected = uninterrupted();
  const earlier = glassbox(['train', modelFile, '--epochs', '3', '--json']);
  assert.equal(earlier.code, 0, earlier.stderr);

  it('SIGINT stops after the current batch, keeps what was trained, marks the record interrupted (exit 130); --resume finishes it exactly', async () => {
    const before = snapshotRuns();
    const run = startTrain([modelFile]);
    await run.waitFor((e) => e.event === 'epoch' && (e.epoch as number) >= 20);
    run.child.kill('SIGINT');
    assert.equal(await run.exit, 130);
    const done = run.lines[run.lines.length - 1];
    assert.equal(done.event, 'done');
    assert.equal(done.status, 'interrupted');
    const rec = readRunRecord(resolve(REPO, String(done.run)));
    assert.equal(rec.status, 'interrupted');
    assert.ok(rec.info.checkpointEpoch >= 20 && rec.info.checkpointEpoch < 1500);
    assert.equal(decodeWeights(readFileSync(join(rec.folder, 'final.gbw'))).meta.interrupted, true);
    for (const [k, v] of before) assert.equal(snapshotRuns().get(k), v, `${k} changed`);

    const resumed = glassbox(['train', '--resume', rec.folder, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const last = JSON.parse(resumed.stdout.trim().split('\n').pop() as string);
    assert.equal(last.status, 'complete');
    assert.deepEqual(last.evalLosses, expected, 'a resumed run ends exactly like an uninterrupted one');
    assert.equal(readRunRecord(rec.folder).status, 'interrupted', 'resuming writes a new record');
  });

  it('SIGKILL leaves earlier records intact and the killed one readable, marked incomplete, and resumable', async () => {
    const before = snapshotRuns();
    const run = startTrain([modelFile]);
    const start = await run.waitFor((e) => e.event === 'start');
    await run.waitFor((e) => e.event === 'epoch' && (e.epoch as number) >= 30);
    run.child.kill('SIGKILL');
    await run.exit;
    for (const [k, v] of before) assert.equal(snapshotRuns().get(k), v, `${k} changed`);
    const folder = resolve(REPO, String(start.run));
    const rec = readRunRecord(folder);
    assert.equal(rec.info.status, 'running');
    assert.equal(rec.status, 'incomplete');
    for (const f of readdirSync(folder).filter((n) => n.endsWith('.json') && !n.includes('.tmp-')))
      JSON.parse(readFileSync(join(folder, f), 'utf8'));
    assert.ok(rec.info.checkpointEpoch >= 1, 'the first epoch checkpoint is written at once');
    decodeWeights(readFileSync(join(folder, 'checkpoint.gbw')));

    const resumed = glassbox(['train', '--resume', folder, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(JSON.parse(resumed.stdout.trim().split('\n').pop() as string).evalLosses, expected);
  });
});
