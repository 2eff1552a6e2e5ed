/*
 * W5 on its own (`npm run bench:telemetry`); `npm run bench -- --only=w5` runs the same code.
 * See telemetryBench.ts.
 *
 *   node out/test/bench/telemetryOverhead.js [--steps=1000 (at most one epoch, 1000)] [--rounds=3] [--hz=5 (the setting's default)] [--recurrent (W4's LSTM)]
 *   node out/test/bench/telemetryOverhead.js --interleaved[=BLOCK] [--steps=N] [--recurrent]
 *
 * --interleaved measures inside one run, telemetry on and off in alternating blocks of BLOCK steps
 * (default 50 for the LSTM, 40 for the MLP; 24 blocks): steadier on this machine than comparing runs.
 */
import {
  DEFAULT_HZ,
  interleavedReport,
  runTelemetryInterleaved,
  runTelemetryOverhead,
  telemetryReport,
} from './telemetryBench';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const interleaved = process.argv.find((a) => a.startsWith('--interleaved'));
if (interleaved) {
  const block = Number(interleaved.split('=')[1]);
  const steps = process.argv.find((a) => a.startsWith('--steps='));
  const r = runTelemetryInterleaved({
    recurrent: process.argv.includes('--recurrent'),
    hz: arg('hz', DEFAULT_HZ),
    ...(block > 0 ? { blockSteps: block } : {}),
    ...(steps ? { steps: Number(steps.split('=')[1]) } : {}),
  });
  for (const line of interleavedReport(r)) console.log(line);
  console.log(JSON.stringify(r));
  process.exit(0);
}
const r = runTelemetryOverhead({
  steps: arg('steps', 1000),
  rounds: arg('rounds', 3),
  hz: arg('hz', DEFAULT_HZ),
  recurrent: process.argv.includes('--recurrent'),
});
for (const line of telemetryReport(r)) console.log(line);
console.log(
  JSON.stringify({
    workload: r.workload,
    steps: r.steps,
    rounds: r.rounds,
    hz: r.hz,
    offMs: r.offMs,
    onMs: r.onMs,
    overhead: r.overhead,
  }),
);
