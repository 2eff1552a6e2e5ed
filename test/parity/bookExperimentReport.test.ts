import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BOOK_EXPERIMENTS, bookExperimentReport, runBookExperiment } from '../../src/parity/bookExperimentReport';
import { compareWithBook, EXPECTED } from '../../src/parity/expected';

/*
 * "Glassbox: Run Book Experiment…" (issue 12): the code-only experiments of chapters 1, 2, 5 and
 * E6.6, each reported beside the numbers the book prints, and each reproducing them.
 */
describe('book experiments in the editor', () => {
  it('offers chapters 1, 2 and 5 and E6.6', () => {
    assert.deepEqual(
      BOOK_EXPERIMENTS.map((e) => e.id),
      ['E1.1', 'E1.2', 'E1.3', 'E2.2', 'E2.3', 'E5.1', 'E5.2', 'E5.3', 'E6.6'],
    );
  });
  for (const { id } of BOOK_EXPERIMENTS) {
    it(`${id}: reproduces every number the book prints, and says so`, () => {
      const r = runBookExperiment(id);
      const checks = compareWithBook(r);
      if (EXPECTED[id]) assert.ok(checks.length > 0 && checks.every((c) => c.ok), JSON.stringify(checks));
      const text = bookExperimentReport(id, r, 0.5);
      assert.match(text, new RegExp(`^${id.replace('.', '\\.')} \\(chapter \\d\\): `));
      if (checks.length) {
        assert.match(text, new RegExp(`${checks.length} of ${checks.length} printed numbers reproduced`));
        for (const c of checks)
          assert.match(text, new RegExp(`${c.what}\\s+${c.expected.replace(/[.-]/g, '\\$&')}\\s`));
      } else assert.match(text, /details:/);
    });
  }
  it('refuses an experiment that is not a code-only one', () => {
    assert.throws(() => runBookExperiment('E4.1'), /unknown book experiment 'E4.1'/);
  });
});
