import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelText } from '../../src/modelFile/parse';
import { formatProblem, LineIndex } from '../../src/modelFile/problem';

describe('LineIndex', () => {
  it('maps offsets to 0-based lines and characters across \\n, \\r\\n and \\r', () => {
    const idx = new LineIndex('ab\ncd\r\nef\rgh');
    assert.deepEqual(idx.position(0), { line: 0, character: 0 });
    assert.deepEqual(idx.position(4), { line: 1, character: 1 });
    assert.deepEqual(idx.position(7), { line: 2, character: 0 });
    assert.deepEqual(idx.position(10), { line: 3, character: 0 });
    assert.deepEqual(idx.position(99), { line: 3, character: 2 });
  });
});

describe('parseModelText', () => {
  it('accepts comments and trailing commas (JSONC)', () => {
    const r = parseModelText('// header\n{ "a": 1, /* note */ "b": [1, 2,], }\n');
    assert.deepEqual(r.problems, []);
    assert.equal(r.root?.type, 'object');
  });
  it('reports a missing comma at its exact position', () => {
    const r = parseModelText('{\n  "a": 1\n  "b": 2\n}');
    assert.equal(r.problems.length, 1);
    assert.equal(formatProblem('m.nn.json', r.problems[0]), "m.nn.json:3:3: syntax error: expected ',' between values");
  });
  it('reports an unterminated string and the unclosed object', () => {
    const r = parseModelText('{ "name": "abc\n');
    const messages = r.problems.map((p) => `${p.range.start.line}:${p.range.start.character} ${p.message}`);
    assert.ok(
      messages.includes('0:10 syntax error: unterminated string: expected a closing double quote'),
      messages.join('\n'),
    );
    assert.ok(r.problems.every((p) => p.code === 'syntax' && p.severity === 'error'));
  });
  it('reports an empty file', () => {
    const r = parseModelText('  // nothing\n');
    assert.equal(r.problems[0].message, 'the file is empty: expected a JSON object describing the model');
  });
});
