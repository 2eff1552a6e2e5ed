import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { regressionReport } from '../../src/engine/train/regressionReport';
import { Tensor } from '../../src/engine/tensor/tensor';
import { readRegressionRecord } from '../../src/runs/regressionRecord';
import { glassbox } from '../cli/cliProcess';
import { tempDir } from '../helpers/tempDir';

describe('regression report and regression.json', () => {
  it('MAE, RMSE, R², mean residual and the worst row, per target column', () => {
    // actual 1 2 3 4, predicted 1 2 3 6: residuals 0 0 0 2.
    const r = regressionReport(
      new Tensor([4, 1], Float64Array.from([1, 2, 3, 6])),
      new Tensor([4, 1], Float64Array.from([1, 2, 3, 4])),
    )!;
    const c = r.columns[0];
    assert.equal(r.rows, 4);
    assert.equal(c.mae, 0.5);
    assert.equal(c.rmse, 1);
    assert.equal(c.meanResidual, 0.5);
    assert.equal(c.r2, 1 - 4 / 5); // SS_res 4, SS_tot 5
    assert.equal(c.worstRow, 3);
    assert.deepEqual(
      [c.rows, c.actual, c.predicted],
      [
        [0, 1, 2, 3],
        [1, 2, 3, 4],
        [1, 2, 3, 6],
      ],
    );
  });

  it('draws at most maxPoints evenly spaced rows but computes the metrics over all; wide targets get none', () => {
    const n = 10_000;
    const y = Float64Array.from({ length: n }, (_, i) => i);
    const r = regressionReport(
      new Tensor(
        [n, 1],
        y.map((v) => v + 1),
      ),
      new Tensor([n, 1], y),
      100,
    )!;
    assert.equal(r.columns[0].rows.length, 100);
    assert.deepEqual(r.columns[0].rows.slice(0, 3), [0, 100, 200]);
    assert.equal(r.columns[0].mae, 1);
    assert.equal(regressionReport(Tensor.zeros([5, 784], 'float64'), Tensor.zeros([5, 784], 'float64')), undefined);
  });

  it('a finished Boston run writes regression.json whose MAE is the one the CLI printed; a damaged record is refused', () => {
    const dir = tempDir();
    const model = join(dir, 'E3.2.nn.json');
    writeFileSync(model, readFileSync(join('examples', 'E3.2.nn.json'), 'utf8'));
    const r = glassbox(['train', model, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const done = JSON.parse(r.stdout.trim().split('\n').pop()!) as { metrics: { mae: number; rmse: number } };
    const runs = join(dir, '.glassbox', 'runs');
    const folder = join(runs, readdirSync(runs).sort().pop()!);
    assert.ok(!existsSync(join(folder, 'evaluation.json')), 'no classifier report for a regression');
    const rec = readRegressionRecord(folder)!;
    assert.equal(rec.columns.length, 1);
    assert.equal(rec.rows, rec.columns[0].rows.length, 'Boston: every test row drawn');
    assert.equal(rec.columns[0].mae, done.metrics.mae);
    assert.equal(rec.columns[0].rmse, done.metrics.rmse);
    assert.ok(rec.columns[0].r2 > 0.5 && rec.columns[0].r2 < 1, `R² ${rec.columns[0].r2}`);
    writeFileSync(join(folder, 'regression.json'), JSON.stringify({ ...rec, rows: 1 }));
    assert.throws(() => readRegressionRecord(folder), /regression\.json: not a consistent/);
    writeFileSync(
      join(folder, 'regression.json'),
      '{"format":"glassbox-regression/1","rows":3,"columns":[{"rows":"x"}]}',
    );
    assert.throws(() => readRegressionRecord(folder), /regression\.json: not a consistent/);
  });
});
