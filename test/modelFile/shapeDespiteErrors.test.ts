import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateModel } from '../../src/modelFile/validate';
import { nodeFileAccess } from '../../src/data/fileAccess';

const file = (layers: string) => `{
  "name": "shape",
  "data": "boston",
  "loss": "meanSquaredError",
  "optimizer": { "type": "adam", "lr": -1 },
  "training": { "epochs": 2, "evalEvery": 1 },
  "layers": [
${layers}
  ]
}`;
const problems = (text: string) =>
  validateModel(text, '/tmp/shape.nn.json', { files: nodeFileAccess }).problems.map(
    (p) => `${p.range.start.line + 1}: ${p.message}`,
  );

describe('a shape error is reported while other errors exist', () => {
  it('a conv2d after a dense layer (line 10) shows with the errors on lines 5, 8 and 9', () => {
    const p = problems(
      file(`    { "type": "dense", "units": 32, "activaton": "relu" },
    { "type": "dense", "units": 16, "activation": "reluu" },
    { "type": "conv2d", "filters": 4, "kernelSize": 3 },
    { "type": "dense", "units": 1 }`),
    );
    assert.deepEqual(
      p.map((s) => s.split(':')[0]),
      ['5', '8', '9', '10'],
    );
    assert.match(p[3], /^10: layers\[2\] \(conv2d\) cannot take input \[16\]/);
  });

  it('a layer whose own error breaks its shape adds no second problem', () => {
    const p = problems(
      file(`    { "type": "dense", "units": 0 },
    { "type": "conv2d", "filters": 4, "kernelSize": 3 }`),
    );
    assert.deepEqual(
      p.map((s) => s.split(':')[0]),
      ['5', '8'],
    );
  });
});
