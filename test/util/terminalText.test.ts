import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { terminalSafe } from '../../src/util/terminalText';
import { glassbox } from '../cli/cliProcess';
import { tempDir, writeFile } from '../helpers/tempDir';

// Control characters a hostile model file could use to forge or hijack terminal output.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal output of untrusted text', () => {
  it('shows escape sequences, carriage returns and bidi overrides as visible escapes', () => {
    assert.equal(terminalSafe('a\u001b[31mred\u001b[0m'), 'a\\e[31mred\\e[0m');
    assert.equal(terminalSafe('x\rforged'), 'x\\rforged');
    assert.equal(terminalSafe('\u009b2J\u202eabc'), '\\x9b2J\\u202eabc');
    assert.equal(terminalSafe('line 1\n\tline 2 — ü 梯度'), 'line 1\n\tline 2 — ü 梯度');
  });

  it('the CLI prints a model and layer named with escape sequences literally (summary and train)', () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'evil.nn.json',
      JSON.stringify({
        name: 'evil\u001b]0;pwned\u0007',
        data: 'boston',
        layers: [{ type: 'dense', units: 1, name: 'l\u001b[2J\rforged' }],
        loss: 'meanSquaredError',
        optimizer: { type: 'sgd', lr: 0.001 },
        training: { epochs: 1 },
      }),
    );
    const summary = glassbox(['summary', file]);
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /l\\e\[2J\\rforged/);
    assert.doesNotMatch(summary.stdout + summary.stderr, CONTROL);
    const train = glassbox(['train', file]);
    assert.equal(train.code, 0, train.stderr);
    assert.match(train.stdout + train.stderr, /evil\\e\]0;pwned\\x07/);
    assert.doesNotMatch(train.stdout + train.stderr, CONTROL);
  });
});
