import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TrainingSession } from '../../src/session/trainingSession';
import { planResume, SessionError } from '../../src/session/sessionPlan';
import { glassbox } from '../cli/cliProcess';
import { bostonModel } from '../helpers/modelText';
import { tempDir, writeFile } from '../helpers/tempDir';

// Property: whatever a run folder holds — a flipped byte or a cut in checkpoint.gbw, any JSON in
// run.json, config.json or metrics.json — resuming it either works or is refused with a
// SessionError (a message naming the file): never a TypeError, RangeError or a hang (issue 13).
// Fixed seed for CI; explore with GLASSBOX_FUZZ_SEED / GLASSBOX_FUZZ_SCALE as fuzz.test.ts.
const scale = Number(process.env.GLASSBOX_FUZZ_SCALE ?? 1);
const seed = Number(process.env.GLASSBOX_FUZZ_SEED ?? 20261207);
const runs = (n: number) => ({ numRuns: Math.round(n * scale), seed });

describe('property: damaged run folders', () => {
  const dir = tempDir();
  const model = writeFile(
    dir,
    'tiny.nn.json',
    bostonModel({ optimizer: { type: 'adam', lr: 0.01 }, training: { epochs: 2, batchSize: 64, evalEvery: 1 } }),
  );
  const r = glassbox(['train', model, '--epochs', '1']);
  assert.equal(r.code, 0, r.stderr);
  const base = join(dir, '.glassbox', 'runs');
  const original = join(base, readdirSync(base)[0]);
  const scratch = join(dir, 'scratch');
  const out = join(dir, 'resumed');

  /** Resumes the damaged copy in-process: true when it opened, false when refused with a message. */
  function resume(damage: (folder: string) => void): boolean {
    rmSync(scratch, { recursive: true, force: true });
    cpSync(original, scratch, { recursive: true });
    damage(scratch);
    const t0 = Date.now();
    try {
      const plan = planResume(scratch, { epochs: 2 });
      const s = TrainingSession.open(
        { ...plan, resume: { ...plan.resume!, runsDir: out } },
        { telemetryHz: 0, warn: () => {} },
      );
      s.close();
      return true;
    } catch (e) {
      assert.ok(e instanceof SessionError, `not a clear message: ${(e as Error).stack}`);
      assert.ok(e.message.length > 10 && !/\n\s+at /.test(e.message));
      return false;
    } finally {
      assert.ok(Date.now() - t0 < 5000, 'resume took over 5 s');
    }
  }

  it('the undamaged folder resumes', () =>
    assert.equal(
      resume(() => {}),
      true,
    ));

  it('a byte changed or the file cut anywhere in checkpoint.gbw', () => {
    const gbw = readFileSync(join(original, 'checkpoint.gbw'));
    fc.assert(
      fc.property(fc.nat(gbw.length - 1), fc.integer({ min: 0, max: 255 }), fc.boolean(), (at, value, cut) => {
        resume((f) => {
          const bytes = Buffer.from(gbw);
          bytes[at] = value;
          writeFileSync(join(f, 'checkpoint.gbw'), cut ? bytes.subarray(0, at) : bytes);
        });
      }),
      runs(300),
    );
  });

  it('any JSON value in place of a field of run.json, config.json or metrics.json', () => {
    const files = ['run.json', 'config.json', 'metrics.json'] as const;
    const parsed = Object.fromEntries(files.map((f) => [f, JSON.parse(readFileSync(join(original, f), 'utf8'))]));
    const keyOf = (f: (typeof files)[number]) => fc.constantFrom(...Object.keys(parsed[f]), 'toString', '__proto__');
    fc.assert(
      fc.property(
        fc.constantFrom(...files).chain((f) => fc.tuple(fc.constant(f), keyOf(f))),
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)),
        ([file, key], value) => {
          resume((f) => {
            const v = JSON.parse(JSON.stringify(parsed[file]));
            if (value === undefined) delete v[key];
            else v[key] = value;
            writeFileSync(join(f, file), JSON.stringify(v));
          });
        },
      ),
      runs(300),
    );
  });

  it('stays within a memory bound', () => {
    // Every case above ran in this process: a leak or a runaway allocation shows here.
    assert.ok(process.memoryUsage().rss < 1024 * 2 ** 20, `rss ${process.memoryUsage().rss}`);
  });

  it('any text in place of a whole file', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('run.json', 'config.json', 'metrics.json', 'model.nn.json', 'checkpoint.gbw'),
        fc.string({ maxLength: 60 }),
        (file, text) => {
          resume((f) => writeFileSync(join(f, file), text));
        },
      ),
      runs(150),
    );
  });
});
