import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelText } from '../../src/modelFile/parse';
import { validateModel } from '../../src/modelFile/validate';

/*
 * Issue 12, item 4: one Problems entry per problem, each on the smallest range that names it. A
 * problem about a value spanning lines is pinned to its property's key (or an array item's first
 * character), never to the whole block, and plain JSON syntax errors are marked as such (VS Code's
 * JSON language service reports those in the editor; diagnostics.ts leaves them out).
 */
const FILE = `{
  "data": "boston",
  "layers": [
    { "type": "dense", "units": 0 },
    {
      "type": "dense",
      "units": 1,
      "activation": "sigmoidd"
    }
  ],
  "loss": "meanSquaredError",
  "optimizer": { "type": "sgd", "lr": 0.1, "momentum": 0.9 },
  "training": [
    1,
    2
  ]
}
`;
const lineOf = (needle: string) => FILE.split('\n').findIndex((l) => l.includes(needle));

describe('problem ranges', () => {
  const problems = validateModel(FILE, '/tmp/ranges.nn.json').problems;
  const find = (re: RegExp) => {
    const p = problems.find((q) => re.test(q.message));
    assert.ok(p, `no problem ${re} among ${JSON.stringify(problems.map((q) => q.message))}`);
    return p;
  };

  it('reports each problem once, none of them spanning lines', () => {
    const keys = problems.map((p) => p.message);
    assert.equal(new Set(keys).size, keys.length, `a problem reported twice: ${keys.join(' | ')}`);
    for (const p of problems) assert.equal(p.range.start.line, p.range.end.line, `${p.message} spans lines`);
    assert.ok(problems.length >= 4, keys.join(' | '));
  });

  it('pins a value on one line to the value, and a block to its key', () => {
    const units = find(/layers\[0\]\.units: must be >= 1/);
    assert.equal(units.range.start.line, lineOf('"units": 0'));
    const act = find(/unknown activation 'sigmoidd'/);
    assert.equal(act.range.start.line, lineOf('"sigmoidd"'));
    const lr = find(/unknown property 'momentum'/);
    assert.equal(lr.range.start.line, lineOf('"momentum"'));
    const training = find(/^training: expected an object/);
    assert.equal(training.range.start.line, lineOf('"training": ['));
    assert.equal(
      FILE.split('\n')[training.range.start.line].slice(training.range.start.character, training.range.end.character),
      '"training"',
    );
  });

  it('marks parser errors as plain JSON syntax errors, and only those', () => {
    const broken = parseModelText('{\n  "data": "boston"\n  "loss": "meanSquaredError"\n}');
    assert.ok(broken.problems.length > 0);
    for (const p of broken.problems) assert.equal(p.jsonSyntax, true);
    const empty = parseModelText('   ');
    assert.equal(empty.problems.length, 1);
    assert.equal(empty.problems[0].jsonSyntax, undefined, 'VS Code does not report an empty file');
    const semantic = validateModel(FILE, '/tmp/ranges.nn.json').problems;
    assert.ok(semantic.every((p) => !p.jsonSyntax));
  });
});
