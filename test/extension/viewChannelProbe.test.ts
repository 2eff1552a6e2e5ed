import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROBING_HOLD_MS } from '../../src/extension/viewChannel';
import type { ProbeAnswerMessage } from '../../src/protocol/probeAnswer';
import type { TelemetryFrameMessage } from '../../src/protocol/telemetry';
import { frame, setup } from '../helpers/viewChannelSetup';

describe('ViewChannel: probe answers (the Probe tab while the user draws)', () => {
  it('sends the frame answering a new probe request without waiting for the interval, overtaking at most one ack', () => {
    const v = setup(['frame'], { intervalMs: 33 });
    v.clock.advance(100);
    v.take();
    const answer = (step: number, id: number): TelemetryFrameMessage => ({
      ...frame(step),
      probeSource: { kind: 'drawn', id },
    });
    v.store.setFrame(frame(1));
    v.clock.advance(0);
    assert.equal(v.take().length, 1);
    v.channel.receive({ type: 'ack' });
    // 1 ms after the last flush: an ordinary frame waits for the interval, an answer does not.
    v.clock.advance(1);
    v.store.setFrame(answer(2, 7));
    v.clock.advance(0);
    assert.deepEqual(
      v.take().map((m) => m.type === 'frame' && m.frame.step),
      [2],
    );
    v.channel.receive({ type: 'ack' });
    v.clock.advance(1);
    v.store.setFrame(answer(3, 7)); // a later frame of the same probe: an ordinary frame
    v.clock.advance(0);
    assert.equal(v.take().length, 0);
    v.clock.advance(33);
    assert.equal(v.take().length, 1);
    // A new answer overtakes the ack of the frame in flight, once: a second one waits for an ack.
    v.store.setFrame(answer(4, 8));
    v.clock.advance(0);
    assert.deepEqual(
      v.take().map((m) => m.type === 'frame' && m.frame.step),
      [4],
    );
    v.store.setFrame(answer(5, 9));
    v.clock.advance(100);
    assert.equal(v.take().length, 0, 'two frames unacknowledged at most');
    v.channel.receive({ type: 'ack' });
    v.clock.advance(0);
    assert.deepEqual(
      v.take().map((m) => m.type === 'frame' && m.frame.step),
      [5],
    );
  });

  it('sends a Probe tab answer at once, unacknowledged frames or not; the frame built before it shows the answer’s input', () => {
    const v = setup(['frame'], { intervalMs: 33 });
    v.clock.advance(100);
    v.take();
    const probed = (step: number, id: number): TelemetryFrameMessage => ({
      ...frame(step),
      probeInput: new Float32Array([id]),
      probeInputShape: [1],
      probeOps: [{ layer: 0, name: 'dense', shape: [1], value: new Float32Array([id]) }],
      probeSource: { kind: 'drawn', id },
    });
    const answer = (step: number, id: number): ProbeAnswerMessage => ({
      step,
      epoch: 1,
      probeSource: { kind: 'drawn', id },
      probeInput: new Float32Array([id]),
      probeInputShape: [1],
      probeOutput: new Float32Array([1]),
      probeLoss: 0,
      layers: [
        { index: 0, probeShape: [1], probeActivation: new Float32Array([id]), probeGradient: new Float32Array(1) },
      ],
    });
    v.store.setFrame(probed(1, 6));
    v.clock.advance(0);
    assert.equal(v.take().length, 1, 'a frame in flight, not acknowledged');
    v.clock.advance(1);
    v.store.setFrame(probed(2, 6)); // pending: waits for the ack
    v.store.setProbeAnswer(answer(2, 7));
    v.clock.advance(0);
    const sent = v.take();
    assert.deepEqual(
      sent.map((m) => m.type),
      ['probe'],
      'the answer goes within the interval and ahead of the ack',
    );
    v.clock.advance(1);
    v.store.setProbeAnswer(answer(2, 8));
    v.clock.advance(0);
    assert.deepEqual(
      v.take().map((m) => m.type === 'probe' && m.answer.probeSource.id),
      [8],
      'answers need no ack',
    );
    // The pending frame (and the store's, for snapshots) probed input 6: it now shows input 8, without 6's op graph.
    v.channel.receive({ type: 'ack' });
    v.clock.advance(33);
    const [late] = v.take();
    assert.ok(late.type === 'frame');
    assert.equal(late.frame.step, 2);
    assert.equal(late.frame.probeSource?.id, 8);
    assert.deepEqual(Array.from(late.frame.layers[0].probeActivation!), [8]);
    assert.equal(late.frame.probeOps, undefined);
    assert.equal(v.store.frame?.probeSource?.id, 8);
    // A frame built before the answer that reaches the store after it is merged there too; one
    // built after it (the worker probes request 8 from then on) keeps its op graph.
    const stored = () => v.store.frame;
    v.store.setFrame(probed(3, 6));
    assert.equal(stored()?.probeSource?.id, 8);
    assert.equal(stored()?.probeOps, undefined);
    v.store.setFrame(probed(4, 8));
    assert.equal(stored()?.probeOps?.length, 1);
    // A new run forgets the answer.
    v.store.begin();
    v.store.setFrame(probed(1, 6));
    assert.equal(v.store.frame?.probeSource?.id, 6);
  });

  it('holds regular frames while the view asks for probes (the user draws), and sends the newest when it stops', () => {
    const v = setup(['frame', 'layerStats'], { intervalMs: 33 });
    v.clock.advance(100);
    v.take();
    const ask = (id: number) => v.channel.receive({ type: 'probe', request: { kind: 'row', row: 1, id } });
    ask(1);
    assert.equal(v.requests.length, 1, 'the request goes on to the worker');
    v.store.setFrame(frame(1));
    v.clock.advance(PROBING_HOLD_MS - 50);
    assert.equal(v.take().length, 0, 'no frame while the user draws');
    ask(2);
    v.store.setFrame(frame(2));
    v.store.setProbeAnswer({
      step: 2,
      epoch: 1,
      probeSource: { kind: 'test', row: 1, id: 2 },
      probeInput: new Float32Array(1),
      probeInputShape: [1],
      probeOutput: new Float32Array(1),
      probeLoss: 0,
      layers: [],
    });
    v.clock.advance(0);
    assert.deepEqual(v.types(), ['probe'], 'the answer goes');
    v.take();
    v.clock.advance(PROBING_HOLD_MS - 1);
    assert.equal(v.take().length, 0);
    v.clock.advance(1);
    const [late] = v.take();
    assert.ok(late?.type === 'frame', 'the newest frame once the requests stopped');
    assert.equal(late.frame.step, 2);
    assert.equal(late.earlier?.[0]?.length, 1, 'the held frame’s statistics are kept for the Layers tab');
  });
});
