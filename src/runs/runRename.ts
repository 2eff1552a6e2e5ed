import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomicWrite';
import { runStatus, type RunInfo } from './runRecord';
import { t } from '../l10n';

/** The longest display name kept (longer names are cut). */
export const DISPLAY_NAME_MAX = 120;

/**
 * Stores a display name for a run in its run.json (`displayName`; an empty name removes it),
 * atomically. Control characters are dropped and the name is cut to `DISPLAY_NAME_MAX`. A run still
 * training is refused: its writer rewrites run.json from memory at each checkpoint.
 * Returns the name stored (undefined when removed).
 */
export function renameRun(folder: string, name: string): string | undefined {
  const file = join(folder, 'run.json');
  const info = JSON.parse(readFileSync(file, 'utf8')) as RunInfo & { displayName?: string };
  if (info.format !== 'glassbox-run/1') throw new Error(t('{0}: not a run record', file));
  if (runStatus(info) === 'running') throw new Error(t('{0} is still training; rename it when it has stopped', folder));
  const clean = name
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .trim()
    .slice(0, DISPLAY_NAME_MAX);
  if (clean) info.displayName = clean;
  else delete info.displayName;
  writeFileAtomic(file, JSON.stringify(info, null, 2) + '\n');
  return clean || undefined;
}
