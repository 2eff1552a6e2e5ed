import { resolve } from 'node:path';
import { findRuns, settingDifferences } from '../runs/runList';
import { readRunRecord, RunRecordError, type RunRecord } from '../runs/runRecord';
import { CliError } from './loadModel';
import { table } from './summaryTable';
import { t } from '../l10n';

function metricText(k: string, v: number): string {
  return k === 'accuracy'
    ? t('accuracy {0}%', (100 * v).toFixed(2))
    : `${k} ${Number.isFinite(v) ? v.toPrecision(4) : v}`;
}

/** Final metrics and loss of a record, in words. */
function results(r: RunRecord): string {
  const res = r.info.result;
  if (!res) return '';
  const loss = res.evalLosses.at(-1);
  return [
    ...(loss !== undefined ? [t('test loss {0}', loss.toPrecision(4))] : []),
    ...Object.entries(res.metrics).map(([k, v]) => metricText(k, v)),
  ].join(', ');
}

/** `glassbox runs [DIR]`: every run record under DIR (default: the current folder), newest first, grouped by model file. */
export function runsCommand(dir: string | undefined, out: NodeJS.WritableStream): number {
  const root = resolve(dir ?? '.');
  const runs = findRuns(root);
  if (runs.length === 0) {
    out.write(t('no run records under {0}', root) + '\n');
    return 0;
  }
  const groups = new Map<string, string[][]>();
  for (const r of runs) {
    const key = 'record' in r ? r.record.info.modelFile : t('(unreadable)');
    const rows = groups.get(key) ?? [];
    rows.push(
      'record' in r
        ? [
            r.record.info.startedAt.replace('T', ' ').slice(0, 19),
            r.record.status,
            `${r.record.info.epochsRun}/${r.record.info.epochs}`,
            results(r.record),
            r.folder,
          ]
        : ['', t('unreadable'), '', r.error, r.folder],
    );
    groups.set(key, rows);
  }
  for (const [model, rows] of groups) {
    out.write(`${model}\n`);
    for (const line of table(
      [
        [`  ${t('started')}`, t('status'), t('epochs'), t('final'), t('folder')],
        ...rows.map((r) => [`  ${r[0]}`, ...r.slice(1)]),
      ],
      false,
    ))
      out.write(`${line}\n`);
    out.write('\n');
  }
  out.write(t(runs.length === 1 ? '{0} run' : '{0} runs', runs.length) + '\n');
  return 0;
}

/** `glassbox compare RUN RUN...`: the settings that differ and the final metrics, side by side. */
export function compareCommand(folders: readonly string[], out: NodeJS.WritableStream): number {
  if (folders.length < 2) throw new CliError(t('compare: give two or more run folders'), 2);
  const records = folders.map((f) => {
    try {
      return readRunRecord(resolve(f));
    } catch (e) {
      if (e instanceof RunRecordError) throw new CliError(e.message, 1);
      throw e;
    }
  });
  const names = records.map((r, i) => `#${i + 1} ${r.info.model}`);
  const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  records.forEach((r, i) =>
    out.write(t('{0}: {1} ({2}, started {3})', names[i], r.folder, r.status, r.info.startedAt) + '\n'),
  );
  out.write('\n');
  const diffs = settingDifferences(records.map((r) => r.spec));
  if (diffs.length === 0) out.write(t('same settings') + '\n');
  else
    for (const line of table([[t('setting'), ...names], ...diffs.map((d) => [d.path, ...d.values.map(show)])], false))
      out.write(`${line}\n`);
  out.write('\n');
  const metricNames = [...new Set(records.flatMap((r) => Object.keys(r.info.result?.metrics ?? {})))];
  const rows = [
    [t('result'), ...names],
    [t('epochs run'), ...records.map((r) => `${r.info.epochsRun}/${r.info.epochs}`)],
    [t('test loss'), ...records.map((r) => show(r.info.result?.evalLosses.at(-1)?.toPrecision(4)))],
    ...metricNames.map((k) => [
      k,
      ...records.map((r) => {
        const v = r.info.result?.metrics[k];
        return v === undefined ? '—' : k === 'accuracy' ? `${(100 * v).toFixed(2)}%` : v.toPrecision(4);
      }),
    ]),
  ];
  for (const line of table(rows, false)) out.write(`${line}\n`);
  return 0;
}
