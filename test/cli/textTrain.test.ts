import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { REPO, tempDir } from '../helpers/tempDir';
import { glassbox, startTrain } from './cliProcess';

/** The quick example and its text, copied to a temporary folder (the run record goes there). */
function quickExample(edit: (text: string) => string = (t) => t): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'examples'));
  mkdirSync(join(dir, 'datasets'));
  copyFileSync(join(REPO, 'datasets', 'poems.txt'), join(dir, 'datasets', 'poems.txt'));
  const file = join(dir, 'examples', 'char-lstm.nn.json');
  writeFileSync(file, edit(readFileSync(join(REPO, 'examples', 'char-lstm.nn.json'), 'utf8')));
  return file;
}

describe('glassbox train: a character model (chapter 6)', () => {
  it('--json: the loss falls over 40 iterations, a sample of the requested length, and the run record keeps it', async () => {
    const file = quickExample((t) =>
      t.replace('"evalEvery": 50', '"evalEvery": 20').replace('"sampleEvery": 200', '"sampleEvery": 20'),
    );
    const run = startTrain([file, '--iterations', '40']);
    const code = await run.exit;
    assert.equal(code, 0, JSON.stringify(run.lines.slice(-3)));
    const of = (event: string) => run.lines.filter((e) => e.event === event);
    const start = of('start')[0] as { text: { iterations: number; vocabulary: number } };
    assert.equal(start.text.iterations, 40);
    assert.equal(start.text.vocabulary, 60);
    const progress = of('progress') as { loss: number }[];
    assert.ok(progress.length >= 2);
    assert.ok(
      progress[progress.length - 1].loss < progress[0].loss - 0.5,
      `loss ${progress[0].loss} → ${progress[progress.length - 1].loss}`,
    );
    const evaluations = of('evaluation') as { iteration: number; loss: number; metrics: Record<string, number> }[];
    assert.deepEqual(
      evaluations.map((e) => e.iteration),
      [20, 40],
    );
    assert.ok(evaluations[1].loss < Math.log(60), 'better than uniform over the vocabulary');
    assert.ok(Math.abs(evaluations[1].metrics.bitsPerChar - evaluations[1].metrics.crossEntropy / Math.LN2) < 1e-9);
    const samples = of('sample') as { iteration: number; text: string; seedText: string }[];
    assert.deepEqual(
      samples.map((s) => s.iteration),
      [20, 40],
    );
    assert.ok(samples.every((s) => [...s.text].length === 200 && s.seedText === 'The '));
    const done = of('done')[0] as { run: string; status: string; iterations: number };
    assert.equal(done.status, 'complete');
    assert.equal(done.iterations, 40);
    const folder = isAbsolute(done.run) ? done.run : join(REPO, done.run);
    const record = JSON.parse(readFileSync(join(folder, 'samples.json'), 'utf8'));
    assert.equal(record.format, 'glassbox-samples/1');
    assert.equal(record.vocabulary.length, 60);
    assert.deepEqual(
      record.samples.map((s: { text: string }) => s.text),
      samples.map((s) => s.text),
    );
    const info = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8'));
    assert.equal(info.epochsRun, 2);
    const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8'));
    assert.equal(metrics.epochs.length, 2);
    // Each round's training time leaves out its sample, its evaluation and the checkpoint: the
    // parts add up to no more than the time since the start (issue 17: round 2 looked twice round 1).
    type Round = { seconds: number; trainSeconds: number; trainCpuSeconds: number; sampleSeconds: number };
    const rounds = metrics.epochs as Round[];
    const evalSeconds = (metrics.evaluations as { seconds: number }[]).map((e) => e.seconds);
    assert.ok(rounds.every((r) => r.trainSeconds > 0 && r.sampleSeconds > 0 && r.trainSeconds < r.seconds));
    assert.ok(rounds.every((r) => r.trainCpuSeconds > 0));
    assert.ok(evalSeconds.every((s) => s > 0));
    assert.ok(
      rounds[0].trainSeconds + rounds[0].sampleSeconds + evalSeconds[0] + rounds[1].trainSeconds <= rounds[1].seconds,
      JSON.stringify(metrics),
    );
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
    assert.equal(config.layers[0].args.outputSize, 60, 'the vocabulary size, filled in');
  });
  it('human output prints the samples, validation losses per iteration, and resume continues', () => {
    const file = quickExample((t) => t.replace('"evalEvery": 50', '"evalEvery": 10'));
    const r = glassbox(['train', file, '--iterations', '10']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(
      lines[0],
      /^training char-lstm: \.\.\/datasets\/poems\.txt: 6,742 characters, vocabulary 60, .* iterations 1–10$/,
    );
    assert.ok(
      lines.some((l) => /^iteration 10: validation loss \d\.\d{4} {2}crossEntropy \d\.\d{4} {2}bitsPerChar/.test(l)),
      r.stdout,
    );
    const i = lines.findIndex((l) => l.startsWith('--- sample after iteration 10 (seed "The ", temperature 0.7) ---'));
    assert.ok(i >= 0, r.stdout);
    assert.match(lines[lines.length - 3], /^done after 10 iterations in/);
    const run = lines[lines.length - 2].replace('run record: ', '');
    const resumed = glassbox(['train', '--resume', run, '--iterations', '20']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /iterations 11–20/);
    assert.match(resumed.stdout, /iteration 20: validation loss/);
  });
  it('--resume continues a book-profile run (carried LSTM state) exactly as the uninterrupted run', () => {
    const book = (t: string) =>
      t
        .replace('"profile": "modern"', '"profile": "book"')
        .replace('"hiddenSize": 128', '"hiddenSize": 24')
        .replace(
          '"evalEvery": 50, "sampleEvery": 200, "sampleLength": 200',
          '"evalEvery": 5, "sampleEvery": 5, "sampleLength": 20',
        );
    const done = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop() as string);
    const whole = glassbox(['train', quickExample(book), '--iterations', '20', '--json']);
    assert.equal(whole.code, 0, whole.stderr);
    const full = done(whole.stdout);
    assert.equal(full.evalLosses.length, 4);
    const first = glassbox(['train', quickExample(book), '--iterations', '10', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const resumed = glassbox(['train', '--resume', done(first.stdout).run, '--iterations', '20', '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    // The resumed run reports the first run's evaluations, then its own.
    assert.deepEqual(done(resumed.stdout).evalLosses, full.evalLosses);
  });
});
