import { basename } from 'node:path';
import { readRunRecord } from '../runs/runRecord';
import { planResume } from '../session/sessionPlan';
import { latestRunFolder } from './runRestore';
import { t } from '../l10n';

/** The run Resume Training continues, or why there is none (a sentence for the user). */
export type ResumeTarget = { readonly folder: string } | { readonly nothing: string };

/**
 * Resume Training continues the model file's **last** run when `glassbox train --resume` would
 * accept it (stopped, killed, failed with a checkpoint to go on from). An older stopped run behind
 * a newer one is not looked for: the newest record is what the panel shows, and resuming anything
 * else would surprise.
 */
export function resumeTarget(runsDir: string, modelPath: string): ResumeTarget {
  const name = basename(modelPath);
  const folder = latestRunFolder(runsDir, modelPath);
  if (!folder) return { nothing: t('nothing to resume: {0} has no run record yet; Train Model starts one.', name) };
  try {
    if (readRunRecord(folder).status === 'complete')
      return {
        nothing: t(
          'nothing to resume: the last run of {0} ({1}) is complete; Train Model starts a new one.',
          name,
          basename(folder),
        ),
      };
    planResume(folder, {}, basename);
    return { folder };
  } catch (e) {
    // SessionError: still running in another process; anything else: an unreadable record.
    return { nothing: t('cannot resume {0}: {1}', name, (e as Error).message) };
  }
}

/**
 * The Runs view's Resume: continues this run folder (not only a model file's newest) under the CLI's
 * rules. A run that trained no epoch has no checkpoint: that is said, not papered over by a restart.
 */
export function resumeFolderTarget(folder: string): ResumeTarget {
  try {
    const rec = readRunRecord(folder);
    if (rec.status === 'complete')
      return { nothing: t('nothing to resume: {0} is complete; Train Model starts a new run.', basename(folder)) };
    if (rec.info.checkpointEpoch === 0 || !rec.checkpointFile)
      return {
        nothing: t(
          'nothing to resume: {0} has no checkpoint (no completed epoch was saved); Train Model starts a new run.',
          basename(folder),
        ),
      };
    planResume(folder, {}, basename);
    return { folder };
  } catch (e) {
    return { nothing: t('cannot resume {0}: {1}', basename(folder), (e as Error).message) };
  }
}
