import { RunStore } from '../../src/extension/runStore';
import { ViewChannel, type ViewRequest } from '../../src/extension/viewChannel';
import type { TelemetryFrameMessage } from '../../src/protocol/telemetry';
import type { ToWebview, Topic } from '../../src/protocol/webviewProtocol';
import { FakeClock } from './fakeClock';

/* Frames, progress and a ViewChannel on a fake clock, for test/extension/viewChannel*.test.ts. */

export const stat = (norm: number) => ({
  mean: 0,
  std: 1,
  min: -1,
  max: 1,
  norm,
  zeroFraction: 0,
  nanCount: 0,
  infCount: 0,
});
export const frame = (step: number): TelemetryFrameMessage => ({
  step,
  epoch: 1,
  loss: 1,
  layers: [
    {
      index: 0,
      name: 'd',
      kind: 'Dense',
      activation: stat(step),
      activationHistogram: { min: 0, max: 1, counts: new Uint32Array(4) },
      weight: stat(2),
      gradient: stat(step),
      updateRatio: 0,
      deadFraction: 0,
      saturatedFraction: 0,
    },
  ],
});
export const progress = (step: number) => ({
  epoch: 1,
  epochs: 1,
  batch: step,
  batchesPerEpoch: 1e6,
  step,
  loss: 1,
  samplesPerSecond: 1,
  elapsedMs: step,
});

/** A view: a store, a channel with a fake clock and a port recording what reaches the webview. */
export function setup(topics: Topic[] | undefined, opts: { intervalMs?: number; ackTimeoutMs?: number } = {}) {
  const clock = new FakeClock();
  const store = new RunStore('/m.nn.json');
  const port = { visible: true, got: [] as { at: number; msg: ToWebview }[] };
  const requests: ViewRequest[] = [];
  const warnings: string[] = [];
  const channel = new ViewChannel(
    {
      get visible() {
        return port.visible;
      },
      postMessage: (msg) => (port.got.push({ at: clock.now(), msg }), Promise.resolve(true)),
    },
    (r) => requests.push(r),
    { name: 'test', clock, intervalMs: 20, ackTimeoutMs: 500, warn: (m) => warnings.push(m), ...opts },
  );
  channel.follow(store);
  if (topics) channel.receive({ type: 'ready', topics });
  const types = () => port.got.map((g) => g.msg.type);
  const take = () => port.got.splice(0).map((g) => g.msg);
  return { clock, store, port, channel, requests, warnings, types, take };
}
