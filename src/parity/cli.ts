import { kernelBackend64Name } from '../engine/kernels/kernelBackend';
import { enableKernelThreads } from '../util/kernelThreads';
import { compareWithBook } from './expected';
import { EXPERIMENTS, findExperiment, ParityResult } from './experiments';

/*
 * `npm run parity -- <ID...> [--check] [--list] [--threads=N]`: runs book experiments and prints, as the last
 * line for each, one JSON object {"id","evalLosses","metrics"}. Progress goes to stderr.
 * `--check` also prints a comparison with the book's printed numbers and exits 1 on a mismatch.
 * `fast` runs every experiment that takes under a minute (chapters 1–3 and E6.6). `--threads=N`
 * (default 1) splits the float64 products across N kernel threads: the same bits, maybe faster.
 */
function main(argv: string[]): number {
  const check = argv.includes('--check');
  const ids = argv.filter((a) => !a.startsWith('--'));
  if (argv.includes('--list') || ids.length === 0) {
    for (const e of EXPERIMENTS)
      process.stderr.write(`${e.id.padEnd(6)} ~${String(e.minutes).padStart(3)} min  ${e.title}\n`);
    if (ids.length === 0) process.stderr.write('usage: npm run parity -- <ID...|fast> [--check]\n');
    return ids.length === 0 && !argv.includes('--list') ? 2 : 0;
  }
  const threadsArg = argv.find((a) => a.startsWith('--threads='));
  const threads = threadsArg ? Number(threadsArg.slice('--threads='.length)) : 1;
  if (!(Number.isInteger(threads) && threads >= 1)) {
    process.stderr.write(`--threads needs a positive integer, got '${threadsArg}'\n`);
    return 2;
  }
  const used = enableKernelThreads(threads);
  process.stderr.write(`float64 products: ${kernelBackend64Name()}, ${used} thread${used > 1 ? 's' : ''}\n`);
  const selected = ids.flatMap((id) =>
    id === 'fast' ? EXPERIMENTS.filter((e) => e.minutes < 1) : [findExperiment(id)],
  );
  let failed = false;
  for (let i = 0; i < selected.length; i++) {
    const exp = selected[i];
    if (!exp) {
      process.stderr.write(`unknown experiment '${ids[i]}'; run with --list to see them\n`);
      return 2;
    }
    const started = Date.now();
    const result: ParityResult = exp.run({
      onEvaluation: (e) =>
        process.stderr.write(
          `[${exp.id}] epoch ${e.epoch}: validation loss ${e.loss.toFixed(3)}${e.metrics.accuracy !== undefined ? `, accuracy ${(100 * e.metrics.accuracy).toFixed(2)}%` : ''}\n`,
        ),
      onEarlyStop: (s) =>
        process.stderr.write(`[${exp.id}] loss increased after epoch ${s.epoch}, best ${s.bestLoss.toFixed(3)}\n`),
    });
    process.stderr.write(`[${exp.id}] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    if (check) {
      for (const c of compareWithBook(result)) {
        process.stderr.write(
          `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what.padEnd(18)} book ${c.expected.padStart(9)}  glassbox ${c.actual}\n`,
        );
        failed ||= !c.ok;
      }
    }
    process.stdout.write(
      JSON.stringify({
        id: result.id,
        evalLosses: result.evalLosses,
        metrics: result.metrics,
        ...(result.details ? { details: result.details } : {}),
      }) + '\n',
    );
  }
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
