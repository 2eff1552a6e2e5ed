import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareWithBook } from '../../src/parity/expected';
import { EXPERIMENTS, findExperiment } from '../../src/parity/experiments';

describe('book parity, E6.6 (Autograd_Simple)', () => {
  it("prints the notebook's output exactly (4, 1, 35) and is part of `parity fast`", () => {
    const exp = findExperiment('E6.6');
    assert.ok(exp);
    assert.ok(EXPERIMENTS.filter((e) => e.minutes < 1).includes(exp));
    const r = exp.run();
    assert.deepEqual(r.details?.printed, ['4', '1', '35']);
    assert.deepEqual(r.metrics, { 'a.grad': 4, 'b.grad': 1, 'a.grad after e': 35 });
    assert.equal(r.details?.tensorAutodiffAGrad, 35);
    const checks = compareWithBook(r);
    assert.equal(checks.length, 3);
    assert.ok(checks.every((c) => c.ok));
  });
  it('the comparison fails when a gradient is off', () => {
    const r = findExperiment('E6.6')!.run();
    r.metrics['a.grad after e'] = 39;
    assert.deepEqual(
      compareWithBook(r)
        .filter((c) => !c.ok)
        .map((c) => c.what),
      ['a.grad after e'],
    );
  });
});
