import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpy, decodeNpz, encodeNpy, encodeNpz } from '../../src/export/npzFormat';
import { ExportError, readExportSource } from '../../src/export/exportSource';
import { exportPyTorch } from '../../src/export/pytorchExport';
import { pyComment, pyIdentifier, pyString } from '../../src/export/pythonText';
import { REPO, tempDir, writeFile } from '../helpers/tempDir';
import { glassbox } from '../cli/cliProcess';
import { modelFile, PYTHON, torchMissing } from './pytorchHarness';

describe('npz format', () => {
  it('round-trips float32 and float64 arrays of any rank through encodeNpz/decodeNpz', () => {
    const a = { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 4, 5, 6e-8]) };
    const b = { shape: [4], data: Float64Array.from([Math.PI, -1, 0, 1e300]) };
    const c = { shape: [1, 2, 1, 2], data: Float32Array.from([9, 8, 7, 6]) };
    const m = decodeNpz(
      encodeNpz([
        { name: 'layers.0.W', array: a },
        { name: 'b', array: b },
        { name: 'c', array: c },
      ]),
    );
    assert.deepEqual([...m.keys()], ['layers.0.W', 'b', 'c']);
    assert.deepEqual(m.get('layers.0.W'), a);
    assert.deepEqual(m.get('b'), b);
    assert.deepEqual(m.get('c'), c);
    assert.deepEqual(decodeNpy(encodeNpy(b)), b);
  });

  it('is what NumPy reads, and reads what np.savez writes (zip64 entries)', { skip: torchMissing }, () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'a.npz',
      encodeNpz([{ name: 'layers.1.W', array: { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) } }]),
    );
    const py = `import numpy as np
a = np.load(${JSON.stringify(file)})
assert a['layers.1.W'].dtype == np.float32 and a['layers.1.W'].tolist() == [[1, 2], [3, 4]]
np.savez(${JSON.stringify(join(dir, 'b.npz'))}, **{'layers.0.B': np.arange(6, dtype=np.float64).reshape(1, 6)})`;
    const r = spawnSync(PYTHON, ['-c', py], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const b = decodeNpz(new Uint8Array(readFileSync(join(dir, 'b.npz'))));
    assert.deepEqual(b.get('layers.0.B'), { shape: [1, 6], data: Float64Array.from([0, 1, 2, 3, 4, 5]) });
  });
});

describe('generated Python is safe from model-file text', () => {
  it('sanitises comments, identifiers and string literals', () => {
    assert.equal(pyComment('a\nimport os\r\u2028b'), 'a import os b');
    assert.equal(pyIdentifier('dense 1; os.system("x")'), 'dense_1__os_system__x__');
    assert.equal(pyIdentifier('1abc'), '_1abc');
    assert.equal(pyString("it's \\ \n é"), "'it\\'s \\\\ \\u000a \\u00e9'");
  });

  it('a model file whose name, description and layer names try to inject code exports to Python that only compiles and carries them as text', () => {
    const dir = tempDir();
    const evil = 'x\\x"""\nimport os; os.system("touch PWNED")\n#\\';
    const f = modelFile(dir, 'evil', {
      name: evil,
      description: "'''\nraise SystemExit(3)",
      data: { type: 'mnist-sample', testFraction: 0.2, splitSeed: 1 },
      layers: [
        { type: 'dense', units: 4, name: 'a\nimport os' },
        { type: 'dense', units: 10, name: "');import os;('" },
      ],
      loss: 'softmaxCrossEntropy',
      optimizer: { type: 'sgd', lr: 0.1 },
      training: { epochs: 1 },
    });
    const out = join(dir, 'out');
    exportPyTorch(readExportSource(f), out);
    for (const file of ['model.py', 'train.py', 'verify.py']) {
      const text = readFileSync(join(out, file), 'utf8');
      // Every line holding the injected text is a comment or inside a string literal.
      for (const line of text.split('\n'))
        if (line.includes('os.system') || line.includes('import os;') || line.includes('SystemExit(3)'))
          assert.match(line.trim(), /^(#|"""|MODEL_NAME = '|\w+ = ')/, `${file}: ${line}`);
      const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', join(out, file)], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, `${file}: ${r.stderr}`);
    }
  });
});

describe('settings with no faithful PyTorch form', () => {
  it('refuses the book profile and carried recurrent state, naming the property and its line', () => {
    const dir = tempDir();
    const f = writeFile(
      dir,
      'book.nn.json',
      `{
  "name": "book",
  "profile": "book",
  "data": { "type": "mnist-sample" },
  "layers": [{ "type": "dense", "units": 10 }],
  "loss": "softmaxCrossEntropy",
  "optimizer": { "type": "sgd", "lr": 0.1 },
  "training": { "epochs": 1 }
}`,
    );
    assert.throws(
      () => exportPyTorch(readExportSource(f), join(dir, 'out')),
      (e: Error) => e instanceof ExportError && /book\.nn\.json:3: "profile": "book"/.test(e.message),
    );
    const r = glassbox(['export', f, '--pytorch', join(dir, 'out2')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /book\.nn\.json:3: "profile": "book"/);
  });

  it('exports a setting with no PyTorch counterpart in train.py with the difference, its line, at the top of model.py and in the output', () => {
    const dir = tempDir();
    const f = join(dir, 'mnist-autoencoder.nn.json');
    const text = readFileSync(join(REPO, 'examples', 'mnist-autoencoder.nn.json'), 'utf8').replace(
      '"evalEvery": 1,',
      '"evalEvery": 1, "evalEveryBatches": 50,',
    );
    writeFileSync(f, text);
    const lineOf = (s: string) => text.slice(0, text.indexOf(s)).split('\n').length;
    const r = glassbox(['export', f, '--pytorch', join(dir, 'out')]);
    assert.equal(r.code, 0, r.stderr);
    const latent = `mnist-autoencoder.nn.json:${lineOf('"latent"')}: latent: train.py does not project the 'encoding' layer`;
    const batches = `mnist-autoencoder.nn.json:${lineOf('"evalEveryBatches"')}: training.evalEveryBatches 50`;
    for (const d of [latent, batches]) {
      assert.ok(r.stdout.includes(`difference: ${join(dir, d)}`) || r.stdout.includes(d), r.stdout);
      const model = readFileSync(join(dir, 'out', 'model.py'), 'utf8');
      const header = model.slice(0, model.indexOf('import math'));
      assert.ok(header.includes(d), header);
    }
  });
});
