import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAPTER_EXAMPLES, prepareExample } from '../../src/extension/walkthroughFiles';
import { validateModel } from '../../src/modelFile/validate';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { REPO, tempDir } from '../helpers/tempDir';

describe('walkthrough examples', () => {
  it('copies each chapter example with its data to a folder where it validates without problems', () => {
    const dir = tempDir();
    for (const name of Object.values(CHAPTER_EXAMPLES)) {
      const p = prepareExample(REPO, name, dir);
      const text = readFileSync(p, 'utf8');
      assert.doesNotMatch(text, /\$schema/);
      const r = validateModel(text, p, { files: nodeFileAccess });
      assert.deepEqual(
        r.problems.filter((x) => x.severity === 'error').map((x) => x.message),
        [],
        name,
      );
      assert.ok(r.summary, `${name}: no layer summary (data not found?)`);
    }
    assert.match(readFileSync(join(dir, 'char-lstm.nn.json'), 'utf8'), /"path": "data\/poems\.txt"/);
  });
  it('keeps a copy the user has edited', () => {
    const dir = tempDir();
    const p = prepareExample(REPO, 'E3.3.nn.json', dir);
    writeFileSync(p, '{ "edited": true }');
    assert.equal(prepareExample(REPO, 'E3.3.nn.json', dir), p);
    assert.equal(readFileSync(p, 'utf8'), '{ "edited": true }');
  });
});
