import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunSummary, TelemetryFrameMessage, TextSampleMessage } from '../protocol/telemetry';
import type { RunState } from '../protocol/webviewProtocol';
import { readFrameRecord } from '../runs/frameRecord';
import { readLatentRecord } from '../runs/latentFile';
import { readEvaluationRecord } from '../runs/evaluationRecord';
import { statusText } from '../runs/runGroups';
import { readRegressionRecord, sendableRegression } from '../runs/regressionRecord';
import { readRunRecord, type SamplesRecord } from '../runs/runRecord';
import { readTelemetryRecord, storedNumber } from '../runs/telemetryRecord';
import type { RunStore } from './runStore';
import { t } from '../l10n';

/** The newest run folder in `runsDir` whose record belongs to `modelPath`, if any. */
export function latestRunFolder(runsDir: string, modelPath: string): string | undefined {
  if (!existsSync(runsDir)) return undefined;
  const folders = readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .reverse();
  for (const name of folders) {
    const run = join(runsDir, name, 'run.json');
    try {
      if (
        existsSync(run) &&
        resolve((JSON.parse(readFileSync(run, 'utf8')) as { modelFile?: string }).modelFile ?? '') ===
          resolve(modelPath)
      )
        return join(runsDir, name);
    } catch {
      continue; // a half-written or foreign folder: not this model's record
    }
  }
  return undefined;
}

/**
 * Fills an empty store from a run record (after a window reload, or for a model trained from the
 * CLI): summary, evaluations, the per-epoch training loss and the layers' gradient history.
 * Throws an Error naming the file when the record is of an unknown format.
 */
export function restoreFromRecord(store: RunStore, folder: string): void {
  const rec = readRunRecord(folder);
  if (rec.info.format !== 'glassbox-run/1')
    throw new Error(t("{0}: unsupported run record format '{1}'", folder, String(rec.info.format)));
  const summaryFile = join(folder, 'summary.json');
  const summary = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary) : null;
  const perEpoch = summary?.batchesPerEpoch ?? 1;
  const telemetry = readTelemetryRecord(folder);
  // The last frame brings back the Network/Probe tabs, feature maps and the doctor's findings; a
  // record without one (telemetry off, older Glassbox) or with a broken one still restores.
  let frame: TelemetryFrameMessage | undefined;
  let frameProblem = '';
  try {
    frame = readFrameRecord(folder);
  } catch (e) {
    frameProblem = ' ' + t('Its last telemetry frame could not be read: {0}.', (e as Error).message);
  }
  // Text models: the samples generated while the run trained (samples.json).
  let samples: TextSampleMessage[] | undefined;
  const samplesFile = join(folder, 'samples.json');
  if (existsSync(samplesFile)) {
    try {
      samples = (JSON.parse(readFileSync(samplesFile, 'utf8')) as SamplesRecord).samples.map((x) => ({
        iteration: x.iteration,
        epoch: x.epoch,
        seedText: x.seedText,
        temperature: x.temperature,
        text: x.text,
      }));
    } catch (e) {
      frameProblem += ' ' + t('Its samples could not be read: {0}.', (e as Error).message);
    }
  }
  let latent;
  try {
    latent = readLatentRecord(folder);
  } catch (e) {
    frameProblem += ' ' + t('Its latent projection could not be read: {0}.', (e as Error).message);
  }
  let evaluation, regression;
  try {
    evaluation = readEvaluationRecord(folder);
    const r = readRegressionRecord(folder);
    regression = r && sendableRegression(r);
  } catch (e) {
    frameProblem += ' ' + t('Its evaluation could not be read: {0}.', (e as Error).message);
  }
  const state: RunState =
    rec.status === 'complete'
      ? rec.info.result?.earlyStop
        ? 'earlyStopped'
        : 'finished'
      : rec.status === 'interrupted'
        ? 'stopped'
        : rec.status === 'running'
          ? 'stopped'
          : 'failed';
  store.restore({
    run: summary,
    runDir: folder,
    state,
    message:
      t(
        rec.info.error ? 'Last run {0}: {1}, {2} epochs ({3}).' : 'Last run {0}: {1}, {2} epochs.',
        rec.info.startedAt.replace('T', ' ').slice(0, 19),
        statusText(rec.status),
        rec.info.epochsRun,
        rec.info.error ?? '',
      ) + frameProblem,
    train: rec.metrics.epochs.map((e) => ({ step: e.epoch * perEpoch, loss: e.meanTrainLoss })),
    evals: rec.metrics.evaluations
      .filter((e) => e.batch === undefined)
      .map((e) => ({ epoch: e.epoch, step: e.epoch * perEpoch, loss: e.loss, metrics: e.metrics })),
    frame,
    latent,
    evaluation,
    regression,
    samples,
    layerHistory: (telemetry?.layers ?? []).map((l) =>
      (l?.samples ?? []).map((s) => ({
        step: s.step,
        gradNorm: storedNumber(s.gradNorm),
        weightNorm: storedNumber(s.weightNorm),
        updateRatio: storedNumber(s.updateRatio),
        nonFinite: s.nonFinite,
      })),
    ),
  });
}
