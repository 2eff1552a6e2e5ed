import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateModel } from '../../src/modelFile/validate';
import { MAX_DEPTH, MAX_MODEL_CHARS } from '../../src/modelFile/parse';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { glassbox } from '../cli/cliProcess';
import { tempDir } from '../helpers/tempDir';

// Reproductions from the hostile-input campaign (issue 13): each once crashed or slipped through.
const model = (extra: string, layerExtra = '', layers = '') =>
  `{"name":"x","data":"boston",${extra}"layers":[${layers || `{"type":"dense","units":1${layerExtra}}`}],` +
  `"loss":"meanSquaredError","optimizer":{"type":"sgd","lr":0.1},"training":{"epochs":10}}`;
const messages = (text: string) =>
  validateModel(text, '/tmp/hostile.nn.json', { files: nodeFileAccess }).problems.map((p) => p.message);

describe('hostile model files', () => {
  for (const key of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
    it(`a key named '${key}' is an unknown property, at the top and in a layer`, () => {
      const m = messages(model(`"${key}": 1,`, `,"${key}": 2`));
      assert.ok(
        m.some((s) => s.startsWith(`the file: unknown property '${key}'`)),
        m.join('\n'),
      );
      assert.ok(
        m.some((s) => s.startsWith(`layers[0]: unknown property '${key}'`)),
        m.join('\n'),
      );
    });
  }

  it('deep nesting is one clear problem, not a stack overflow', () => {
    const d = 100_000;
    const text = model(`"zz": ${'['.repeat(d)}${']'.repeat(d)},`);
    const problems = validateModel(text, '/tmp/hostile.nn.json', {}).problems;
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, new RegExp(`more than ${MAX_DEPTH} levels deep`));
    assert.equal(problems[0].range.start.character, text.indexOf('[['.repeat(33)) + MAX_DEPTH - 1);
  });

  it('100,000 layers are refused as one problem on the array, quickly', () => {
    const layers = Array(100_000).fill('{"type":"dense","units":1,"q":1}').join(',');
    const started = Date.now();
    const m = messages(model('', '', layers));
    assert.deepEqual(m, ['layers: takes at most 1000 items, got 100000']);
    assert.ok(Date.now() - started < 10_000);
  });

  it('a model file larger than the limit is refused before parsing', () => {
    const text = model('', '') + ' '.repeat(MAX_MODEL_CHARS);
    const m = messages(text);
    assert.equal(m.length, 1);
    assert.match(m[0], /a model file may have at most 4,000,000/);
  });
});

describe('special files', () => {
  const dataModel = (path: string) =>
    JSON.stringify({
      data: { type: 'text', path, sequenceLength: 8 },
      layers: [{ type: 'rnn', hiddenSize: 4 }],
      loss: 'sequenceSoftmaxCrossEntropy',
      optimizer: { type: 'sgd', lr: 0.1 },
      training: { iterations: 2, evalEvery: 1 },
    });

  it('a FIFO, a device or a folder as a data file is refused by type, without reading it', () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.txt')]);
    for (const [path, kind] of [
      [join(dir, 'pipe.txt'), 'a FIFO'],
      ['/dev/zero', 'a device'],
      [dir, 'a folder'],
    ]) {
      const started = Date.now();
      const m = messages(dataModel(path));
      assert.ok(
        m.some((s) => s.includes(`is ${kind}`) && s.includes('not a regular file')),
        m.join('\n'),
      );
      assert.ok(Date.now() - started < 2000);
    }
  });

  it('the CLI refuses a FIFO or a device as the model file at once', () => {
    const dir = tempDir();
    const fifo = join(dir, 'm.nn.json');
    execFileSync('mkfifo', [fifo]);
    for (const [file, kind] of [
      [fifo, 'a FIFO'],
      ['/dev/zero', 'a device'],
    ]) {
      const r = glassbox(['validate', file]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`is ${kind}.*expected a model file`));
    }
  });
});

describe('layer names', () => {
  it('two layers with one name are an error on the second name (resume matched weights by name)', () => {
    const text = `{"name":"x","data":"boston","layers":[
      {"type":"dense","units":13,"name":"h"},
      {"type":"dense","units":13,"name":"h"},
      {"type":"dense","units":1}],
      "loss":"meanSquaredError","optimizer":{"type":"sgd","lr":0.01},"training":{"epochs":10}}`;
    const p = validateModel(text, '/tmp/dup.nn.json', {}).problems.filter((q) => q.severity === 'error');
    assert.equal(p.length, 1);
    assert.equal(
      p[0].message,
      "layer name 'h' is already used by layer 1: names must be unique (weights and checkpoints are matched by name)",
    );
    assert.equal(p[0].range.start.line, 2);
  });

  it("an explicit name equal to another layer's default name is an error too", () => {
    const text = model('', '', '{"type":"dense","units":4,"name":"dense2"},{"type":"dense","units":1}');
    assert.ok(messages(text).some((m) => m.startsWith("layer name 'dense2' is already used by layer 1")));
  });
});
