import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classificationReport } from '../../src/engine/train/classificationReport';
import { Tensor } from '../../src/engine/tensor/tensor';
import { readEvaluationRecord } from '../../src/runs/evaluationRecord';
import { glassbox } from '../cli/cliProcess';
import { tempDir } from '../helpers/tempDir';

describe('classification report and evaluation.json', () => {
  it('counts true × predicted, precision and recall, and lists the most confident mistakes first', () => {
    // 5 rows, 3 classes: labels 0 0 1 2 2, predictions 0 1 1 2 0 (logits).
    const logits = new Tensor([5, 3], Float64Array.from([5, 0, 0, 0, 2, 0, 0, 3, 0, 0, 0, 4, 9, 0, 0]));
    const y = new Tensor([5, 3], Float64Array.from([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1]));
    const r = classificationReport(logits, y);
    assert.deepEqual(r.matrix, [
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 1],
    ]);
    assert.deepEqual(r.support, [2, 1, 2]);
    assert.deepEqual(r.recall, [0.5, 1, 0.5]);
    assert.deepEqual(r.precision, [0.5, 0.5, 1]);
    assert.deepEqual(
      r.wrong.map((w) => [w.row, w.label, w.predicted]),
      [
        [4, 2, 0],
        [1, 0, 1],
      ],
    );
    assert.ok(r.wrong[0].confidence > 0.99 && r.wrong[1].confidence < r.wrong[0].confidence);
  });

  it('a finished MNIST run: the matrix sums to the test-set size and its trace / total is the accuracy the CLI printed', () => {
    const dir = tempDir();
    const model = join(dir, 'mnist-mlp.nn.json');
    writeFileSync(model, readFileSync(join('examples', 'mnist-mlp.nn.json'), 'utf8'));
    const r = glassbox(['train', model, '--json', '--epochs', '1']);
    assert.equal(r.code, 0, r.stderr);
    const done = JSON.parse(r.stdout.trim().split('\n').pop()!) as { metrics: { accuracy: number } };
    const runs = join(dir, '.glassbox', 'runs');
    const folder = join(runs, readdirSync(runs).sort().pop()!);
    const e = readEvaluationRecord(folder)!;
    const total = e.matrix.flat().reduce((a, b) => a + b, 0);
    const trace = e.matrix.reduce((s, row, i) => s + row[i], 0);
    assert.equal(total, e.rows);
    assert.equal(e.classes, 10);
    assert.equal(trace / total, done.metrics.accuracy);
    assert.equal(e.images?.length, e.wrong.length);
    assert.ok(
      e.images!.every((im) => im.width === 28 && im.pixels.some((p) => p > 200)),
      'the mistakes are drawn',
    );
    // A damaged record is refused by name.
    writeFileSync(join(folder, 'evaluation.json'), JSON.stringify({ ...e, rows: e.rows + 1 }));
    assert.throws(() => readEvaluationRecord(folder), /evaluation\.json: not a consistent/);
  });
});
