import { basename } from 'node:path';
import { MAX_COMPARED, type CompareMessage, type ComparedRun, type Curve } from '../protocol/compareProtocol';
import { settingDifferences, type ListedRun } from './runList';
import { readRunRecord, type RunRecord } from './runRecord';
import { runLabel } from './runGroups';
import { t } from '../l10n';

/** Points kept per curve (thinned by a stride, the last point kept). */
const MAX_POINTS = 5000;
/** A differing value longer than this is cut (a whole layer list, say). */
const MAX_VALUE_CHARS = 200;

/**
 * The Compare Runs panel's message for run folders: each run's curves by epoch and the settings of
 * config.json (the resolved model) that differ between them. Unreadable folders are left out with a note.
 */
export function compareRuns(folders: readonly string[]): CompareMessage {
  const notes: string[] = [];
  const records: RunRecord[] = [];
  for (const f of folders) {
    if (records.length >= MAX_COMPARED) {
      notes.push(t('Only the first {0} runs are compared.', MAX_COMPARED));
      break;
    }
    try {
      records.push(readRunRecord(f));
    } catch (e) {
      notes.push(t('{0} is left out: {1}', basename(f), (e as Error).message));
    }
  }
  // Oldest first: a chain of experiments (E4.5 → E4.12) reads left to right in the table.
  records.sort((a, b) => a.info.startedAt.localeCompare(b.info.startedAt) || a.folder.localeCompare(b.folder));
  return comparison(records, notes);
}

/** `compareRuns` for records already read (`findRuns`' listing). */
export function comparison(records: readonly RunRecord[], notes: string[] = []): CompareMessage {
  const runs: ComparedRun[] = records.map((r) => {
    const evals = r.metrics.evaluations.filter((e) => e.batch === undefined);
    const metrics: Record<string, { x: number; y: number }[]> = {};
    for (const e of evals)
      for (const [k, v] of Object.entries(e.metrics ?? {}))
        if (typeof v === 'number') (metrics[k] ??= []).push({ x: e.epoch, y: v });
    return {
      label: runLabel(r),
      modelFile: r.info.modelFile,
      folder: r.folder,
      status: r.status,
      train: thin(r.metrics.epochs.map((e) => ({ x: e.epoch, y: e.meanTrainLoss }))),
      test: thin(evals.map((e) => ({ x: e.epoch, y: e.loss }))),
      metrics: Object.fromEntries(Object.entries(metrics).map(([k, c]) => [k, thin(c)])),
    };
  });
  const differences = settingDifferences(records.map((r) => r.spec)).map((d) => ({
    path: d.path,
    values: d.values.map((v) => {
      const s = v === undefined ? '—' : (JSON.stringify(v) ?? String(v));
      return s.length > MAX_VALUE_CHARS ? s.slice(0, MAX_VALUE_CHARS) + '…' : s;
    }),
  }));
  return { type: 'compare', runs, differences, notes };
}

/** The records of `findRuns`' listing that could be read. */
export function readable(listed: readonly ListedRun[]): RunRecord[] {
  return listed.flatMap((r) => ('record' in r ? [r.record] : []));
}

function thin(c: { x: number; y: number }[]): Curve {
  if (c.length <= MAX_POINTS) return c;
  const stride = Math.ceil(c.length / MAX_POINTS);
  const out = c.filter((_, i) => i % stride === 0);
  if (out[out.length - 1] !== c[c.length - 1]) out.push(c[c.length - 1]);
  return out;
}
