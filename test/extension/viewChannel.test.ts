import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunStore } from '../../src/extension/runStore';
import type { TelemetryFrameMessage } from '../../src/protocol/telemetry';
import { frame, progress, setup } from '../helpers/viewChannelSetup';

describe('ViewChannel', () => {
  it('answers ready with a snapshot restricted to the view’s topics', () => {
    const v = setup(['progress', 'evals']);
    v.store.addEval({ epoch: 1, step: 1, loss: 1, metrics: {} });
    v.clock.advance(100);
    const [snap, ...rest] = v.take();
    assert.equal(snap.type, 'snapshot');
    if (snap.type !== 'snapshot') return;
    assert.deepEqual(
      Object.keys(snap).sort(),
      ['evals', 'message', 'modelPath', 'progress', 'run', 'runDir', 'state', 'train', 'type'].sort(),
    );
    assert.deepEqual(
      rest.map((m) => m.type),
      ['evalPoint'],
    );
    const fm = setup(['frame', 'selection']);
    fm.clock.advance(100);
    const s2 = fm.take()[0];
    assert.ok(
      s2.type === 'snapshot' && 'frame' in s2 && 'selectedLayer' in s2 && !('train' in s2) && !('statsHistory' in s2),
    );
  });

  it('sends a view only its topics (and run states to every view)', () => {
    const loss = setup(['progress', 'evals']);
    const maps = setup(['frame', 'selection']);
    for (const v of [loss, maps]) {
      v.clock.advance(100);
      v.take();
      v.store.addProgress({ step: 1, loss: 1 }, progress(1));
      v.store.setFrame(frame(1));
      v.store.selectLayer(2);
      v.store.addSample({ iteration: 1, epoch: 1, seedText: 'a', temperature: 1, text: 'b' });
      v.store.setOpCursor(null);
      v.store.setState('running');
      v.clock.advance(100);
    }
    assert.deepEqual(loss.types(), ['trainPoints', 'state']);
    assert.deepEqual(maps.types(), ['selectLayer', 'state', 'frame']);
  });

  it('sends recurrent sequences and the probe text only to views with the sequence topic (live and in snapshots)', () => {
    const withSequence = (step: number): TelemetryFrameMessage => {
      const f = frame(step);
      const sequence = {
        kind: 'LSTM',
        steps: 2,
        totalSteps: 2,
        units: 1,
        hiddenSize: 1,
        series: [{ name: 'h', values: Float32Array.from([0.1, 0.2]) }],
        gradNorm: Float32Array.from([1, 2]),
      };
      return { ...f, layers: [{ ...f.layers[0], sequence }], probeText: ['a', 'b'], probeVocabulary: ['a', 'b'] };
    };
    const panel = setup(['frame', 'sequence']);
    const maps = setup(['frame', 'selection']);
    for (const v of [panel, maps]) {
      v.clock.advance(100);
      v.take();
      v.store.setFrame(withSequence(1));
      v.clock.advance(100);
    }
    const live = (v: typeof panel) => {
      const m = v.take().find((x) => x.type === 'frame');
      assert.ok(m?.type === 'frame');
      return m.frame;
    };
    const p = live(panel),
      m = live(maps);
    assert.deepEqual(p.probeText, ['a', 'b']);
    assert.equal(p.layers[0].sequence?.kind, 'LSTM');
    assert.ok(m.probeText === undefined && m.probeVocabulary === undefined && m.layers[0].sequence === undefined);
    assert.deepEqual(p.probeVocabulary, ['a', 'b']);
    assert.equal(m.layers[0].activation.norm, 1);
    for (const [v, has] of [
      [panel, true],
      [maps, false],
    ] as const) {
      // A reloaded view says ready again: a snapshot of its topics.
      v.channel.receive({ type: 'ready', topics: has ? ['frame', 'sequence'] : ['frame', 'selection'] });
      v.clock.advance(100);
      const snap = v.take().find((x) => x.type === 'snapshot');
      assert.ok(snap?.type === 'snapshot' && snap.frame);
      assert.equal(!!snap.frame.layers[0].sequence, has);
      assert.equal(!!snap.frame.probeText, has);
    }
  });

  it('sends nothing before ready, and nothing while hidden; a view shown again gets one snapshot', () => {
    const v = setup(undefined);
    v.store.addProgress({ step: 1, loss: 1 }, progress(1));
    v.clock.advance(100);
    assert.deepEqual(v.types(), []);
    v.channel.receive({ type: 'ready', topics: ['progress'] });
    v.clock.advance(100);
    assert.deepEqual(v.types(), ['snapshot']);
    v.take();
    v.port.visible = false;
    v.channel.visibilityChanged();
    for (let i = 2; i < 50; i++) v.store.addProgress({ step: i, loss: 1 }, progress(i));
    v.store.setFrame(frame(1));
    v.clock.advance(1000);
    assert.deepEqual(v.types(), [], 'a hidden view got messages');
    assert.equal(v.clock.pending, 0, 'a timer runs for a hidden view');
    v.port.visible = true;
    v.channel.visibilityChanged();
    v.channel.visibilityChanged(); // focus changes while visible send nothing more
    v.clock.advance(100);
    const got = v.take();
    assert.deepEqual(
      got.map((m) => m.type),
      ['snapshot'],
    );
    assert.equal(got[0].type === 'snapshot' && got[0].train?.length, 49);
  });

  it('batches messages to one send per interval, merging loss points (fake clock)', () => {
    const v = setup(['progress', 'evals'], { intervalMs: 20 });
    v.clock.advance(100);
    v.take();
    // 1000 points a second for one second, an evaluation every 100 ms.
    for (let ms = 1; ms <= 1000; ms++) {
      v.store.addProgress({ step: ms, loss: 1 / ms }, progress(ms));
      if (ms % 100 === 0) v.store.addEval({ epoch: ms / 100, step: ms, loss: 1, metrics: {} });
      v.clock.advance(1);
    }
    v.clock.advance(100);
    const sends = v.port.got;
    const times = [...new Set(sends.map((s) => s.at))];
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i] - times[i - 1] >= 20, `sends at ${times[i - 1]} and ${times[i]}`);
    assert.ok(times.length <= 51, `${times.length} sends`);
    const points = sends.flatMap((s) => (s.msg.type === 'trainPoints' ? s.msg.points : []));
    assert.deepEqual(
      points.map((p) => p.step),
      Array.from({ length: 1000 }, (_, i) => i + 1),
      'every point, in order',
    );
    assert.equal(sends.filter((s) => s.msg.type === 'evalPoint').length, 10);
    // Order across types is kept: each evaluation comes after the points up to its step.
    let lastStep = 0;
    for (const { msg } of sends) {
      if (msg.type === 'trainPoints') lastStep = msg.points[msg.points.length - 1].step;
      if (msg.type === 'evalPoint') assert.equal(msg.point.step, lastStep);
    }
  });

  it('keeps only the newest pending frame and sends the next only after the view’s ack', () => {
    const v = setup(['frame']);
    v.clock.advance(100);
    v.take();
    v.store.setFrame(frame(1));
    v.clock.advance(20);
    assert.deepEqual(
      v.take().map((m) => m.type === 'frame' && m.frame.step),
      [1],
    );
    // The view is still drawing frame 1: frames 2..9 arrive; only the newest is kept.
    for (let s = 2; s < 10; s++) {
      v.store.setFrame(frame(s));
      v.clock.advance(25);
    }
    assert.deepEqual(v.types(), [], 'a frame was sent before the ack');
    v.channel.receive({ type: 'ack' });
    v.clock.advance(20);
    const got = v.take();
    assert.deepEqual(
      got.map((m) => m.type === 'frame' && m.frame.step),
      [9],
    );
    // Other messages are not held back by a frame awaiting its ack.
    v.store.setFrame(frame(10));
    v.store.setState('paused');
    v.clock.advance(20);
    assert.deepEqual(v.types(), ['state']);
    assert.equal(v.channel.stats.framesCoalesced, 7);
  });

  it('sends the pending frame anyway when an ack is overdue (a lost ack does not stall the view)', () => {
    const v = setup(['frame'], { ackTimeoutMs: 500 });
    v.clock.advance(100);
    v.take();
    v.store.setFrame(frame(1));
    v.clock.advance(20);
    v.store.setFrame(frame(2));
    v.clock.advance(400);
    assert.deepEqual(
      v.take().map((m) => m.type === 'frame' && m.frame.step),
      [1],
    );
    v.clock.advance(200);
    assert.deepEqual(
      v.take().map((m) => m.type === 'frame' && m.frame.step),
      [2],
    );
  });

  it('at most one frame per interval even when the view acks at once', () => {
    const v = setup(['frame'], { intervalMs: 16 });
    v.clock.advance(100);
    v.take();
    for (let ms = 1; ms <= 1000; ms++) {
      v.store.setFrame(frame(ms));
      v.clock.advance(1);
      if (v.port.got.length) v.channel.receive({ type: 'ack' });
    }
    const frames = v.port.got.filter((g) => g.msg.type === 'frame');
    assert.ok(frames.length <= 1000 / 16 + 1, `${frames.length} frames in one second`);
    assert.ok(frames.length >= 1000 / 16 - 2, `${frames.length} frames in one second`);
  });

  it('gives views with layerStats the summaries of coalesced frames, so their history misses none', () => {
    const v = setup(['frame', 'layerStats']);
    v.clock.advance(100);
    v.take();
    v.store.setFrame(frame(1));
    v.clock.advance(20);
    for (let s = 2; s <= 6; s++) v.store.setFrame(frame(s));
    v.channel.receive({ type: 'ack' });
    v.clock.advance(20);
    const got = v.take();
    const last = got[got.length - 1];
    assert.ok(last.type === 'frame');
    assert.equal(last.frame.step, 6);
    assert.deepEqual(
      last.earlier?.[0].map((x) => x.step),
      [2, 3, 4, 5],
    );
    assert.equal(last.earlier?.[0][0].activation.norm, 2);
    // A view without the topic gets no summaries.
    const w = setup(['frame']);
    w.clock.advance(100);
    w.store.setFrame(frame(1));
    w.store.setFrame(frame(2));
    w.clock.advance(100);
    assert.ok(w.take().every((m) => m.type !== 'frame' || m.earlier === undefined));
  });

  it('a new run (a store snapshot) replaces everything pending with one snapshot of the view’s topics', () => {
    const v = setup(['progress', 'frame']);
    v.clock.advance(100);
    v.take();
    v.store.addProgress({ step: 1, loss: 1 }, progress(1));
    v.store.setFrame(frame(1));
    v.store.begin();
    v.clock.advance(100);
    const got = v.take();
    assert.deepEqual(
      got.map((m) => m.type),
      ['snapshot'],
    );
    assert.ok(
      got[0].type === 'snapshot' && got[0].train?.length === 0 && got[0].frame === null && !('evals' in got[0]),
    );
  });

  it('passes valid requests on, logs and drops anything else', () => {
    const v = setup(['progress']);
    v.channel.receive({ type: 'control', action: 'stop' });
    v.channel.receive({ type: 'selectLayer', index: 1 });
    v.channel.receive({ type: 'control', action: 'rm -rf' });
    v.channel.receive({ type: 'nope' });
    v.channel.receive('ready');
    assert.deepEqual(v.requests, [
      { type: 'control', action: 'stop' },
      { type: 'selectLayer', index: 1 },
    ]);
    assert.equal(v.warnings.length, 3);
  });

  it('follows another store (side views follow the active model file), and sends nothing after dispose', () => {
    const v = setup(['progress']);
    v.clock.advance(100);
    v.take();
    const other = new RunStore('/other.nn.json');
    v.channel.follow(other);
    v.store.addProgress({ step: 1, loss: 1 }, progress(1));
    v.clock.advance(100);
    const got = v.take();
    assert.deepEqual(
      got.map((m) => m.type),
      ['snapshot'],
    );
    assert.equal(got[0].type === 'snapshot' && got[0].modelPath, '/other.nn.json');
    other.addProgress({ step: 1, loss: 1 }, progress(1));
    v.channel.dispose();
    v.clock.advance(100);
    other.addProgress({ step: 2, loss: 1 }, progress(2));
    v.clock.advance(100);
    assert.deepEqual(v.types(), []);
  });
});
