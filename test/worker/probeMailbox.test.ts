import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProbeMailbox } from '../../src/worker/probeMailbox';
import { parseProbeRequest, type ProbeRequest } from '../../src/protocol/probeRequest';

describe('ProbeMailbox: Probe tab requests through shared memory', () => {
  it('carries each kind of request from the host to the worker, the newest only, once', () => {
    const host = new ProbeMailbox();
    const worker = new ProbeMailbox(host.buffer);
    assert.equal(worker.take(), undefined);
    const requests: ProbeRequest[] = [
      { kind: 'row', row: 1234, id: 1 },
      { kind: 'random', id: 2 },
      { kind: 'random', label: 7, id: 3, target: 4 },
      { kind: 'image', pixels: Array.from({ length: 784 }, (_, i) => (i % 5) / 4), id: 4 },
      { kind: 'features', values: [-1.5, 0.25, 3], id: 5, target: 0 },
    ];
    for (const r of requests) {
      host.postRequest(r);
      assert.deepEqual(worker.take(), r);
      assert.equal(worker.take(), undefined, 'taken once');
    }
    host.post('some text');
    host.postRequest({ kind: 'row', row: 3, id: 6 });
    assert.deepEqual(worker.take(), { kind: 'row', row: 3, id: 6 }, 'the newest wins');
    host.post('héllo ☃');
    assert.deepEqual(worker.take(), { kind: 'text', text: 'héllo ☃' });
  });

  it('never hands over a request the host is still writing (seqlock)', () => {
    const host = new ProbeMailbox();
    const worker = new ProbeMailbox(host.buffer);
    Atomics.add(host.words, 0, 1); // as postRequest does before it writes
    assert.equal(worker.take(), undefined);
    Atomics.add(host.words, 0, 1);
    host.postRequest({ kind: 'row', row: 5, id: 7 });
    assert.deepEqual(worker.take(), { kind: 'row', row: 5, id: 7 });
  });

  it('what the webview sends is validated before it reaches the mailbox', () => {
    assert.equal(parseProbeRequest({ kind: 'image', pixels: [2], id: 1 }), undefined);
    assert.equal(parseProbeRequest({ kind: 'features', values: [Infinity], id: 1 }), undefined);
    assert.equal(parseProbeRequest({ kind: 'row', row: 2 ** 31, id: 1 }), undefined);
    assert.deepEqual(parseProbeRequest({ kind: 'row', row: 2, id: 1, target: 3 }), {
      kind: 'row',
      row: 2,
      id: 1,
      target: 3,
    });
  });
});
