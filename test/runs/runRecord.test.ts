import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadData } from '../../src/data/dataSource';
import { Trainer } from '../../src/engine';
import { buildModel } from '../../src/modelFile/build';
import { validateModel } from '../../src/modelFile/validate';
import { writeFileAtomic } from '../../src/runs/atomicWrite';
import { restoreCheckpoint } from '../../src/runs/checkpoint';
import { readRunRecord, RunWriter } from '../../src/runs/runRecord';
import { decodeWeights } from '../../src/runs/weightsFormat';
import { bostonModel } from '../helpers/modelText';
import { tempDir, writeFile } from '../helpers/tempDir';

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary files behind', () => {
    const dir = tempDir();
    const f = join(dir, 'a.json');
    writeFileAtomic(f, 'old');
    writeFileAtomic(f, new TextEncoder().encode('new content'));
    assert.equal(readFileSync(f, 'utf8'), 'new content');
    assert.deepEqual(readdirSync(dir), ['a.json']);
  });
});

describe('RunWriter and readRunRecord', () => {
  const dir = tempDir();
  const text = bostonModel({
    profile: 'book',
    training: { epochs: 6, evalEvery: 2, seed: 9 },
    layers: [
      { type: 'dense', units: 4, activation: 'tanh', keepProb: 0.9 },
      { type: 'dense', units: 1 },
    ],
  });
  const modelFile = writeFile(dir, 'tiny.nn.json', text);
  const { spec } = validateModel(text, modelFile);
  assert.ok(spec);
  const { dataset } = loadData(spec.data, modelFile, spec.precision);

  function train(writer: RunWriter, stopAfterEpoch?: number) {
    const built = buildModel(spec as NonNullable<typeof spec>);
    const trainer = new Trainer(built.network, built.optimizer);
    trainer.addObserver({
      onEvaluation: (e) => writer.metrics.evaluations.push(e),
      onEpochComplete: (s) => {
        writer.checkpoint(built.network, built.optimizer, s);
        if (s.epoch === stopAfterEpoch) trainer.requestStop();
      },
    });
    const result = trainer.fit(dataset, built.fitOptions);
    writer.finish(built.network, result, trainer.bestWeights, result.interrupted ? 'interrupted' : 'complete');
    return result;
  }

  it('writes config, model copy, metrics, final/best weights and a complete status next to the model file', () => {
    const w = RunWriter.create(modelFile, spec, text, { checkpointEveryMs: 0 });
    assert.ok(w.folder.startsWith(join(dir, '.glassbox', 'runs')));
    assert.match(w.folder, /\d{8}-\d{6}-tiny$/);
    const result = train(w);
    const rec = readRunRecord(w.folder);
    assert.equal(rec.status, 'complete');
    assert.deepEqual(rec.spec, spec);
    assert.equal(rec.sourceText, text);
    assert.deepEqual(rec.info.result?.evalLosses, result.evalLosses);
    assert.equal(rec.info.checkpointEpoch, 6);
    assert.deepEqual(readdirSync(w.folder).sort(), [
      'best.gbw',
      'checkpoint.gbw',
      'config.json',
      'final.gbw',
      'metrics.json',
      'model.nn.json',
      'run.json',
    ]);
    const final = decodeWeights(readFileSync(join(w.folder, 'final.gbw')));
    assert.deepEqual(
      final.tensors.map((t) => [t.name, t.shape]),
      [
        ['dense1.W', [13, 4]],
        ['dense1.B', [1, 4]],
        ['dense2.W', [4, 1]],
        ['dense2.B', [1, 1]],
      ],
    );
  });
  it('two runs in the same second get distinct folders', () => {
    const now = new Date('2026-01-02T03:04:05Z');
    const a = RunWriter.create(modelFile, spec, text, { now });
    const b = RunWriter.create(modelFile, spec, text, { now });
    assert.equal(b.folder, `${a.folder}-2`);
  });
  it('a checkpoint restores weights, optimizer and trainer state: resumed training equals uninterrupted', () => {
    const whole = train(RunWriter.create(modelFile, spec, text, { checkpointEveryMs: 0 }));
    const w = RunWriter.create(modelFile, spec, text, { checkpointEveryMs: 0 });
    const part = train(w, 3);
    assert.equal(part.interrupted, true);
    const rec = readRunRecord(w.folder);
    assert.equal(rec.status, 'interrupted');
    assert.equal(rec.info.checkpointEpoch, 3);

    const built = buildModel(spec);
    built.network.build([13]);
    const state = restoreCheckpoint(
      readFileSync(rec.checkpointFile as string),
      'checkpoint.gbw',
      built.network,
      built.optimizer,
    );
    assert.equal(state.epoch, 3);
    const rest = new Trainer(built.network, built.optimizer).fit(dataset, {
      ...built.fitOptions,
      restart: false,
      resume: state,
    });
    assert.deepEqual([...part.evalLosses, ...rest.evalLosses], whole.evalLosses);
    assert.deepEqual(rest.metrics, whole.metrics);
  });
});
