/*
 * W5 on its own (`npm run bench:telemetry`); `npm run bench -- --only=w5` runs the same code.
 * See telemetryBench.ts.
 *
 *   node out/test/bench/telemetryOverhead.js [--steps=1000 (at most one epoch, 1000)] [--rounds=3] [--hz=5 (the setting's default)] [--recurrent (W4's LSTM)]
 *   node out/test/bench/telemetryOverhead.js --interleaved[=BLOCK] [--steps=N] [--recurrent]
 *   node out/test/bench/telemetryOverhead.js --accounted[=BLOCK] [--steps=N] [--recurrent]
 *
 * --interleaved measures inside one run, telemetry on and off in alternating blocks of BLOCK steps
 * (default 50 for the LSTM, 40 for the MLP; 24 blocks): steadier on this machine than comparing runs.
 * --accounted times the same run step by step and adds up what the frames cost where it happens
 * (the frames themselves, their garbage, the caches they evict): telemetryAccounting.ts.
 */
import {
  DEFAULT_HZ,
  interleavedReport,
  runTelemetryInterleaved,
  runTelemetryOverhead,
  telemetryReport,
} from './telemetryBench';
import { accountedReport, runTelemetryAccounted } from './telemetryAccounting';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
/** `--name=BLOCK` or `--name`: undefined when absent, else the block (0: the default). */
const mode = (name: string) => {
  const a = process.argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  return a === undefined ? undefined : Number(a.split('=')[1] ?? 0) || 0;
};
const recurrent = process.argv.includes('--recurrent');
const hz = arg('hz', DEFAULT_HZ);
const stepsArg = process.argv.find((a) => a.startsWith('--steps='));
const steps = stepsArg ? { steps: Number(stepsArg.split('=')[1]) } : {};

async function main(): Promise<void> {
  const accounted = mode('accounted'),
    interleaved = mode('interleaved');
  const block = accounted ?? interleaved;
  const opts = { recurrent, hz, ...steps, ...(block ? { blockSteps: block } : {}) };
  if (accounted !== undefined || interleaved !== undefined) {
    const r = accounted !== undefined ? await runTelemetryAccounted(opts) : runTelemetryInterleaved(opts);
    for (const line of 'frameMs' in r ? accountedReport(r) : interleavedReport(r)) console.log(line);
    console.log(JSON.stringify(r));
  } else {
    const r = runTelemetryOverhead({ steps: arg('steps', 1000), rounds: arg('rounds', 3), hz, recurrent });
    for (const line of telemetryReport(r)) console.log(line);
    const { workload, rounds, offMs, onMs, overhead } = r;
    console.log(JSON.stringify({ workload, steps: r.steps, rounds, hz, offMs, onMs, overhead }));
  }
  process.exit(0);
}

void main();
