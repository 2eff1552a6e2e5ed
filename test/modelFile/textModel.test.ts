import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GRU, LSTM, RNN, NeuralNetwork, SequenceSoftmaxCrossEntropy, CharVocabulary } from '../../src/engine';
import { memoryFiles } from '../helpers/memoryFiles';
import { Problem } from '../../src/modelFile/problem';
import { hasErrors, validateModel } from '../../src/modelFile/validate';
import { buildModel } from '../../src/modelFile/build';
import { bostonModel } from '../helpers/modelText';
import { TEXT, textModel } from '../helpers/textModel';

const DIR = '/m';
const validate = (text: string, files: Record<string, string | Uint8Array> = { [join(DIR, 'text.txt')]: TEXT }) =>
  validateModel(text, join(DIR, 'model.nn.json'), { files: memoryFiles(files) });

/** 0-based position of the first occurrence of `needle`. */
function at(text: string, needle: string): { line: number; character: number } {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not in text`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function only(problems: Problem[], code: string, severity = 'error'): Problem {
  const ps = problems.filter((p) => p.code === code && p.severity === severity);
  assert.equal(
    ps.length,
    1,
    `expected one '${code}' ${severity}, got:\n${problems.map((p) => `${p.severity} ${p.code}: ${p.message}`).join('\n')}`,
  );
  return ps[0];
}

describe('model files: text models (chapter 6)', () => {
  it('a good text model: no problems; the last layer outputs the vocabulary; iterations give rounds', () => {
    const r = validate(textModel());
    assert.deepEqual(r.problems, []);
    const v = new CharVocabulary(TEXT).size;
    assert.equal(r.spec?.layers[0].args.outputSize, v, 'outputSize defaults to the vocabulary size');
    assert.deepEqual(
      r.summary?.layers.map((l) => [l.type, l.inputShape, l.outputShape]),
      [['lstm', [8, v], [8, v]]],
    );
    assert.equal(r.spec?.training.epochs, 2, '40 iterations in rounds of 20');
    assert.equal(r.spec?.training.evalEvery, 20);
    assert.equal(r.spec?.training.sampleTemperature, 1);
    const built = buildModel(r.spec!);
    assert.equal(built.optimizer.clip, 5);
    assert.ok(built.network.loss instanceof SequenceSoftmaxCrossEntropy);
    assert.deepEqual(built.fitOptions.text, {
      iterations: 40,
      rowStride: 8,
      sampleEvery: 20,
      sampleLength: 30,
      sampleSeedText: 'The',
      sampleTemperature: 1,
    });
  });
  it('text defaults: evalEvery 100 iterations; the book profile uses the book loss, sum reduction and overlapping rows', () => {
    const r = validate(
      textModel({ profile: 'book', precision: 'float64', training: { iterations: 250, batchSize: 3 } }),
    );
    assert.deepEqual(r.problems, []);
    assert.equal(r.spec?.training.evalEvery, 100);
    assert.equal(r.spec?.training.epochs, 3);
    const built = buildModel(r.spec!);
    const loss = built.network.loss as SequenceSoftmaxCrossEntropy;
    assert.deepEqual([loss.form, loss.reduction], ['book', 'sum']);
    assert.equal(built.fitOptions.text?.rowStride, 1);
    // Non-text models keep their defaults.
    assert.equal(validate(bostonModel({ training: { epochs: 5 } })).spec?.training.evalEvery, 10);
  });
  it('stacked layers: parameter counts agree with the engine for rnn, lstm and gru', () => {
    const layers = [
      { type: 'rnn', hiddenSize: 6, outputSize: 5 },
      { type: 'gru', hiddenSize: 7, outputSize: 4 },
      { type: 'lstm', hiddenSize: 9 },
    ];
    const r = validate(textModel({ layers }));
    assert.deepEqual(r.problems, []);
    const v = new CharVocabulary(TEXT).size;
    const net = new NeuralNetwork({
      layers: [
        new RNN({ hiddenSize: 6, outputSize: 5 }),
        new GRU({ hiddenSize: 7, outputSize: 4 }),
        new LSTM({ hiddenSize: 9, outputSize: v }),
      ],
      loss: new SequenceSoftmaxCrossEntropy(),
    });
    net.build([8, v]);
    assert.deepEqual(
      r.summary?.layers.map((l) => l.parameters),
      net.layers.map((l) => l.parameterCount()),
    );
  });
  it('a dense layer after a recurrent one: an error at its type', () => {
    const text = textModel({
      layers: [
        { type: 'lstm', hiddenSize: 16, outputSize: 10 },
        { type: 'dense', units: 30 },
      ],
    });
    const p = only(validate(text).problems, 'shape');
    assert.deepEqual(p.range.start, at(text, '"dense"'));
    assert.match(p.message, /layers\[1\]: a dense layer in a text model: character models stack recurrent layers/);
  });
  it('an earlier recurrent layer without outputSize: missing at the layer', () => {
    const text = textModel({
      layers: [
        { type: 'rnn', hiddenSize: 16 },
        { type: 'lstm', hiddenSize: 16 },
      ],
    });
    const p = only(validate(text).problems, 'required');
    assert.deepEqual(p.range.start, at(text, '{\n      "type": "rnn"'));
    assert.match(p.message, /layers\[0\]: missing required property 'outputSize'/);
  });
  it("the last layer's outputSize must be the vocabulary size: at the value", () => {
    const text = textModel({ layers: [{ type: 'gru', hiddenSize: 16, outputSize: 7 }] });
    const p = only(validate(text).problems, 'targets');
    assert.deepEqual(p.range.start, at(text, '7'));
    assert.match(p.message, /outputs 7 values per character but the text has \d+ distinct characters/);
  });
  it('wrong loss for text, and the sequence loss without text: at the loss', () => {
    const text = textModel({ loss: 'softmaxCrossEntropy' });
    const p = only(validate(text).problems, 'loss');
    assert.deepEqual(p.range.start, at(text, '"softmaxCrossEntropy"'));
    assert.match(p.message, /text data needs the loss 'sequenceSoftmaxCrossEntropy'/);
    const boston = bostonModel({ loss: 'sequenceSoftmaxCrossEntropy' });
    assert.match(only(validate(boston).problems, 'loss').message, /needs text data/);
  });
  it('missing iterations for text and missing epochs otherwise: at the training object', () => {
    const text = textModel({ training: { batchSize: 4 } });
    const p = only(validate(text).problems, 'required');
    assert.deepEqual(p.range.start, at(text, '{\n    "batchSize"'));
    assert.match(p.message, /training: missing required property 'iterations'/);
    const boston = bostonModel({ training: { batchSize: 4 } });
    assert.match(
      only(validate(boston).problems, 'required').message,
      /^training: missing required property 'epochs': Number of passes over the training set\.$/,
    );
  });
  it('text-only settings on a tabular model and epochs on a text model are warnings', () => {
    const r = validate(bostonModel({ training: { epochs: 2, evalEvery: 1, sampleEvery: 5 } }));
    assert.ok(!hasErrors(r.problems));
    assert.match(only(r.problems, 'semantic', 'warning').message, /sampleEvery is only used by text models/);
    const t = validate(textModel({ training: { iterations: 10, epochs: 3 } }));
    assert.match(only(t.problems, 'semantic', 'warning').message, /epochs is not used by text models/);
  });
  it('a batch that needs more characters than the training text: at batchSize', () => {
    const text = textModel({ training: { iterations: 10, batchSize: 80 } });
    const p = only(validate(text).problems, 'semantic');
    assert.deepEqual(p.range.start, at(text, '80'));
    assert.match(
      p.message,
      /a batch of 80 windows of 8 characters needs 649 characters, but the training text has \d+/,
    );
  });
  it('a sample seed with a character the text lacks: at sampleSeedText', () => {
    const text = textModel({ training: { iterations: 10, sampleSeedText: 'Zebra' } });
    const p = only(validate(text).problems, 'semantic');
    assert.deepEqual(p.range.start, at(text, '"Zebra"'));
    assert.match(p.message, /the character "Z" does not occur in the text/);
  });
});

describe('text data problems name the file and sit on the data section', () => {
  it('missing file: at data.path', () => {
    const text = textModel();
    const p = only(validate(text, {}).problems, 'dataMissing');
    assert.deepEqual(p.range.start, at(text, '"text.txt"'));
    assert.match(p.message, /\/m\/text\.txt: file not found/);
  });
  it('empty text: at data.path', () => {
    const p = only(validate(textModel(), { '/m/text.txt': '' }).problems, 'dataFormat');
    assert.match(p.message, /\/m\/text\.txt: the text is empty/);
  });
  it('a sequence longer than the text: at sequenceLength', () => {
    const text = textModel({ data: { type: 'text', path: 'text.txt', sequenceLength: 400 } });
    const p = only(validate(text).problems, 'dataFormat');
    assert.deepEqual(p.range.start, at(text, '400'));
    assert.match(
      p.message,
      /sequenceLength 400 is too long for text\.txt: its \d+ characters must hold one window of 401/,
    );
  });
  it('invalid UTF-8: the line and column of the bad byte', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('ab\ncd'), 0xff, 0x41]);
    const p = only(validate(textModel(), { '/m/text.txt': bytes }).problems, 'dataFormat');
    assert.match(p.message, /^\/m\/text\.txt:2:3: byte 5 \(0xff\) is not valid UTF-8/);
  });
  it('a text over the size limit: dataTooLarge naming the file', () => {
    const before = process.env.GLASSBOX_MAX_DATA_BYTES;
    process.env.GLASSBOX_MAX_DATA_BYTES = '400';
    try {
      const p = only(validate(textModel()).problems, 'dataTooLarge');
      assert.match(p.message, /\/m\/text\.txt: file is/);
    } finally {
      if (before === undefined) delete process.env.GLASSBOX_MAX_DATA_BYTES;
      else process.env.GLASSBOX_MAX_DATA_BYTES = before;
    }
  });
  it('CRLF line ends are read as LF', () => {
    const crlf = validate(textModel(), { '/m/text.txt': TEXT.replace(/\n/g, '\r\n') });
    assert.deepEqual(crlf.summary?.data.text?.vocabulary, validate(textModel()).summary?.data.text?.vocabulary);
  });
});
