/*
 * W5 on its own (`npm run bench:telemetry`); `npm run bench -- --only=w5` runs the same code.
 * See telemetryBench.ts.
 *
 *   node out/test/bench/telemetryOverhead.js [--steps=1000 (at most one epoch, 1000)] [--rounds=3] [--hz=5 (the setting's default)] [--recurrent (W4's LSTM)]
 */
import { DEFAULT_HZ, runTelemetryOverhead, telemetryReport } from './telemetryBench';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
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
