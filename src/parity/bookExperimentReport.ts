import { chapter5 } from '../engine/teaching/chapter5';
import { compareWithBook, EXPECTED } from './expected';
import { findExperiment, type ParityResult } from './experiments';
import { msg, t } from '../l10n';

/**
 * The book's small, code-only experiments (chapters 1, 2 and 5, and chapter 6's Autograd_Simple),
 * which have no model file: what "Glassbox: Run Book Experiment…" offers. Each runs in well under
 * a minute and prints its numbers next to the ones the book prints (parity/expected.ts).
 */
export interface BookExperiment {
  readonly id: string;
  readonly chapter: number;
  readonly title: string;
}

export const BOOK_EXPERIMENTS: readonly BookExperiment[] = [
  { id: 'E1.1', chapter: 1, title: msg('The derivative of a matrix product: dN/dX = Wᵀ') },
  { id: 'E1.2', chapter: 1, title: msg('dσ(XW)/dX, checked by a finite difference') },
  { id: 'E1.3', chapter: 1, title: msg('L = Σσ(XW) and its gradient dL/dX') },
  { id: 'E2.2', chapter: 2, title: msg('Linear regression from first principles (Boston housing)') },
  { id: 'E2.3', chapter: 2, title: msg('A first neural network from first principles (Boston housing)') },
  { id: 'E5.1', chapter: 5, title: msg('1-D convolution: padding, sums, finite differences, gradients') },
  { id: 'E5.2', chapter: 5, title: msg('1-D convolution of a batch of two') },
  { id: 'E5.3', chapter: 5, title: msg('2-D and multi-channel convolution gradients, checked by finite differences') },
  { id: 'E6.6', chapter: 6, title: msg("Autograd_Simple: the book's NumberWithGrad") },
];

/** Runs one of BOOK_EXPERIMENTS and returns its result: Glassbox's numbers beside the book's. */
export function runBookExperiment(id: string): ParityResult {
  if (id.startsWith('E5.')) return chapter5Result(id);
  const exp = findExperiment(id);
  if (!exp || !BOOK_EXPERIMENTS.some((e) => e.id === id)) throw new Error(t("unknown book experiment '{0}'", id));
  return exp.run();
}

function chapter5Result(id: string): ParityResult {
  const r = chapter5();
  if (id === 'E5.1') {
    const c = r.conv1d;
    return {
      id,
      evalLosses: [],
      metrics: { sum: c.sum, 'input difference': c.inputSumDifference, 'param difference': c.paramSumDifference },
      details: { padded: c.padded, probes: c.probes, inputGrad: c.inputGrad, paramGrad: c.paramGrad },
    };
  }
  if (id === 'E5.2') {
    const b = r.conv1dBatch;
    return {
      id,
      evalLosses: [],
      metrics: { sum: b.sum, 'input difference': b.inputSumDifference, 'param difference': b.paramSumDifference },
      details: { output: b.output, inputGrad: b.inputGrad, paramGrad: b.paramGrad },
    };
  }
  if (id === 'E5.3') {
    const c = r.conv2d;
    const m = r.multiChannel;
    return {
      id,
      evalLosses: [],
      metrics: {
        '2-D input difference': c.inputFiniteDifference,
        '2-D input gradient': c.inputAnalytic,
        '2-D param difference': c.paramFiniteDifference,
        '2-D param gradient': c.paramAnalytic,
        'batch input difference': m.inputFiniteDifference,
        'batch input gradient': m.inputAnalytic,
        'batch param difference': m.paramFiniteDifference,
        'batch param gradient': m.paramAnalytic,
      },
      details: { inputProbe: c.inputProbe, paramProbe: c.paramProbe, batchInputProbe: m.inputProbe },
    };
  }
  throw new Error(t("unknown book experiment '{0}'", id));
}

const short = (v: unknown): unknown =>
  typeof v === 'number' ? Number(v.toPrecision(6)) : Array.isArray(v) ? v.map(short) : v;

/** The report shown in the editor: a table of the book's printed numbers and Glassbox's, then details. */
export function bookExperimentReport(id: string, result: ParityResult, seconds: number): string {
  const exp = BOOK_EXPERIMENTS.find((e) => e.id === id);
  const out = [
    t('{0} (chapter {1}): {2}', id, exp?.chapter ?? '?', exp ? t(exp.title) : ''),
    t('ran in {0} s', seconds.toFixed(2)),
    '',
  ];
  const checks = compareWithBook(result);
  if (checks.length) {
    const w = Math.max(...checks.map((c) => c.what.length), 6);
    const v = Math.max(...checks.flatMap((c) => [c.expected.length, c.actual.length]), 8);
    out.push(`  ${t('value').padEnd(w)}  ${t('book').padStart(v)}  ${'Glassbox'.padStart(v)}`);
    for (const c of checks)
      out.push(
        `  ${c.what.padEnd(w)}  ${c.expected.padStart(v)}  ${c.actual.padStart(v)}  ${c.ok ? t('same') : t('DIFFERS')}`,
      );
    const same = checks.filter((c) => c.ok).length;
    out.push('', t('{0} of {1} printed numbers reproduced to the digits the book prints.', same, checks.length));
  } else if (!EXPECTED[id]) {
    out.push(t('The book prints arrays here; Glassbox computes:'));
  }
  for (const [k, val] of Object.entries(result.metrics))
    if (!checks.some((c) => c.what === k)) out.push(`  ${k}: ${JSON.stringify(short(val))}`);
  if (result.details) {
    out.push('', t('details:'));
    for (const [k, val] of Object.entries(result.details)) out.push(`  ${k}: ${JSON.stringify(short(val))}`);
  }
  return out.join('\n') + '\n';
}
