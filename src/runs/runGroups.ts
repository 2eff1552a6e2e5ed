import { basename } from 'node:path';
import type { ListedRun } from './runList';
import type { RunRecord } from './runRecord';
import { t } from '../l10n';

/** The runs of one model file, newest first (the Runs view's top level). */
export interface RunGroup {
  /** The model file's absolute path as run.json names it; '' for folders whose record cannot be read. */
  readonly modelFile: string;
  readonly runs: ListedRun[];
}

/**
 * Groups listed runs by model file: each group's runs newest first, the groups ordered by their
 * newest run (the model trained last comes first), unreadable records last in a group of their own.
 */
export function groupRuns(listed: readonly ListedRun[]): RunGroup[] {
  const groups = new Map<string, ListedRun[]>();
  for (const r of listed) {
    const key = 'record' in r ? r.record.info.modelFile : '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  const started = (r: ListedRun) => ('record' in r ? r.record.info.startedAt : '');
  const newestFirst = (a: ListedRun, b: ListedRun) =>
    started(b).localeCompare(started(a)) || b.folder.localeCompare(a.folder);
  return [...groups.entries()]
    .map(([modelFile, runs]) => ({ modelFile, runs: runs.sort(newestFirst) }))
    .sort((a, b) =>
      !a.modelFile !== !b.modelFile
        ? a.modelFile
          ? -1
          : 1
        : newestFirst(a.runs[0], b.runs[0]) || a.modelFile.localeCompare(b.modelFile),
    );
}

/** A run's name as shown: its display name (set by Rename), else the model's name and start time. */
export function runLabel(rec: RunRecord): string {
  const name = displayNameOf(rec.info);
  return name ?? `${rec.info.model} · ${startTime(rec.info.startedAt)}`;
}

/** The display name in run.json, if it is a non-empty string (the file is untrusted). */
export function displayNameOf(info: unknown): string | undefined {
  const v = (info as { displayName?: unknown } | null)?.displayName;
  return typeof v === 'string' && v.trim() ? v : undefined;
}

/** `2026-11-27 08:05` (UTC, as recorded) from an ISO time. */
export function startTime(iso: string): string {
  return typeof iso === 'string' ? iso.replace('T', ' ').slice(0, 16) : '';
}

/** Status, epochs and final metrics in a line: `complete · 50/50 epochs · accuracy 0.9712`. */
export function runDescription(rec: RunRecord): string {
  const parts = [statusText(rec.status), t('{0}/{1} epochs', rec.info.epochsRun, rec.info.epochs)];
  const metrics = rec.info.result?.metrics;
  if (metrics && typeof metrics === 'object')
    for (const [k, v] of Object.entries(metrics).slice(0, 3))
      if (typeof v === 'number') parts.push(`${k} ${Number.isFinite(v) ? Number(v.toPrecision(4)) : String(v)}`);
  return parts.join(' · ');
}

/** The group's heading: the model file's name (`E4.7.nn.json`). */
export function groupLabel(g: RunGroup): string {
  return g.modelFile ? basename(g.modelFile) : t('unreadable run records');
}

export function statusText(status: string): string {
  switch (status) {
    case 'complete':
      return t('complete');
    case 'interrupted':
      return t('interrupted');
    case 'running':
      return t('running');
    case 'failed':
      return t('failed');
    case 'diverged':
      return t('diverged');
    case 'incomplete':
      return t('incomplete');
    default:
      return status;
  }
}
