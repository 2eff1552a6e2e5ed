import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRunRecord, type RunRecord } from './runRecord';

/** At most this many folders are visited and this many runs listed: a workspace is untrusted. */
const MAX_FOLDERS = 20_000;
const MAX_RUNS = 5_000;
/** Folders never searched (dependencies, VCS data). */
const SKIP = new Set(['node_modules', '.git', '.hg', '.svn']);

/** A run folder found by `findRuns`: its record, or why it cannot be read. */
export type ListedRun =
  { readonly folder: string; readonly record: RunRecord } | { readonly folder: string; readonly error: string };

/**
 * Every run record under `root` (a folder holding run.json), newest first: `root` itself, its
 * `.glassbox/runs/*`, and those of its sub-folders down to `maxDepth`. Symbolic links are not
 * followed; bounded in folders visited and runs returned.
 */
export function findRuns(root: string, maxDepth = 6): ListedRun[] {
  const out: ListedRun[] = [];
  let visited = 0;
  const visit = (dir: string, depth: number): void => {
    if (visited++ > MAX_FOLDERS || out.length >= MAX_RUNS) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    if (names.includes('run.json')) {
      try {
        out.push({ folder: dir, record: readRunRecord(dir) });
      } catch (e) {
        out.push({ folder: dir, error: (e as Error).message });
      }
      return;
    }
    if (depth >= maxDepth) return;
    for (const name of names.sort()) {
      if (SKIP.has(name)) continue;
      const p = join(dir, name);
      try {
        if (!lstatSync(p).isDirectory()) continue;
      } catch {
        continue;
      }
      visit(p, depth + 1);
    }
  };
  visit(root, 0);
  const started = (r: ListedRun) => ('record' in r ? r.record.info.startedAt : '');
  return out.sort((a, b) => started(b).localeCompare(started(a)) || a.folder.localeCompare(b.folder));
}

/**
 * The settings in which model configurations differ: one row per path (`optimizer.lr`,
 * `layers[1].keepProb`) whose value is not the same in every configuration, with each one's
 * value (undefined where it is absent).
 */
export function settingDifferences(configs: readonly unknown[]): { path: string; values: unknown[] }[] {
  const flat = configs.map((c) => flatten(c));
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))];
  return paths
    .filter((p) => new Set(flat.map((f) => JSON.stringify(f.get(p)))).size > 1)
    .map((path) => ({ path, values: flat.map((f) => f.get(path)) }));
}

function flatten(v: unknown, prefix = '', out = new Map<string, unknown>(), depth = 0): Map<string, unknown> {
  if (depth > 32) return out;
  if (Array.isArray(v)) v.forEach((x, i) => flatten(x, `${prefix}[${i}]`, out, depth + 1));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  else out.set(prefix, v);
  return out;
}
