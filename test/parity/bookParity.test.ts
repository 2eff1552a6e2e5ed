import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareWithBook } from '../../src/parity/expected';
import { EXPERIMENTS, findExperiment } from '../../src/parity/experiments';

/*
 * Chapters 1–3 reproduce every digit the book prints (float64, book profile). Chapter 4 runs on
 * full MNIST take 3–90 minutes each and are run with `npm run parity -- E4.x --check`, not here.
 */
describe('book parity, chapters 1–3 (every printed digit)', () => {
  for (const exp of EXPERIMENTS.filter((e) => e.minutes < 1)) {
    it(`${exp.id}: ${exp.title}`, () => {
      const result = exp.run();
      const checks = compareWithBook(result);
      const bad = checks.filter((c) => !c.ok).map((c) => `${c.what}: book ${c.expected}, glassbox ${c.actual}`);
      assert.deepEqual(bad, []);
      if (exp.id !== 'E1.1') assert.ok(checks.length > 0, 'no printed numbers to compare against');
    });
  }
  it('E1.1: X and dN/dX = Wᵀ to the printed 4 decimals', () => {
    const r = findExperiment('E1.1')!.run();
    const round4 = (m: number[][]) => m.map((row) => row.map((v) => Number(v.toFixed(4))));
    assert.deepEqual(round4(r.details!.X as number[][]), [[0.4723, 0.6151, -1.7262]]);
    assert.deepEqual(round4(r.details!.dNdX as number[][]), [[0.9282, -0.6075, -1.2214]]);
  });
  it('E2.2: the learned weights match the printed ones', () => {
    const r = findExperiment('E2.2')!.run();
    const w = (r.details!.W as number[]).map((v) => Number(v.toFixed(4)));
    assert.deepEqual(
      w,
      [-1.0954, 0.7353, 0.1977, 0.7475, -2.2849, 2.2006, 0.7195, -2.6384, 2.5358, -1.6892, -2.3162, 0.8435, -4.2553],
    );
    assert.equal((r.details!.B as number).toFixed(4), '22.6312');
  });
  it('the comparison fails when a number is off in the printed digits', () => {
    const r = findExperiment('E3.1')!.run();
    r.evalLosses[2] += 0.001;
    assert.equal(compareWithBook(r).filter((c) => !c.ok).length, 1);
  });
});
