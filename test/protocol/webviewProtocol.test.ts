import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONTROL_ACTIONS,
  parseFromWebview,
  topicOf,
  TOPICS,
  type FromWebview,
  type RunState,
  type ToWebview,
} from '../../src/protocol/webviewProtocol';
import { CommandId } from '../../src/extension/commandIds';

/** One message of every webview → host type (a type missing here fails the exhaustiveness check below). */
const EXAMPLES: { [K in FromWebview['type']]: Extract<FromWebview, { type: K }>[] } = {
  ready: [
    { type: 'ready', topics: [] },
    { type: 'ready', topics: [...TOPICS] },
    { type: 'ready', topics: ['progress', 'evals'] },
  ],
  ack: [{ type: 'ack' }],
  control: CONTROL_ACTIONS.map((a) => ({ type: 'control', action: a.action })),
  selectLayer: [
    { type: 'selectLayer', index: 0 },
    { type: 'selectLayer', index: 7 },
  ],
  revealLayer: [{ type: 'revealLayer', index: 3 }],
  probeText: [
    { type: 'probeText', text: 'to be or not' },
    { type: 'probeText', text: '"quoted" 文' },
  ],
  exportChart: [
    { type: 'exportChart', format: 'csv', name: 'compare-loss', content: '"series",x,y\r\n' },
    { type: 'exportChart', format: 'svg', name: '<run>', content: '<svg/>' },
    { type: 'exportChart', format: 'png', name: 'loss', content: 'data:image/png;base64,iVBORw0KGgo=' },
  ],
  probe: [
    { type: 'probe', request: { kind: 'row', row: 12, id: 1 } },
    { type: 'probe', request: { kind: 'random', id: 2 } },
    { type: 'probe', request: { kind: 'random', label: 7, id: 3, target: 7 } },
    { type: 'probe', request: { kind: 'image', pixels: Array.from({ length: 784 }, (_, i) => (i % 29) / 28), id: 4 } },
    { type: 'probe', request: { kind: 'features', values: [-1.5, 0, 2.25], id: 5, target: 0 } },
  ],
};

describe('webview protocol (host ← webview)', () => {
  it('every message type round-trips through parseFromWebview', () => {
    for (const [type, list] of Object.entries(EXAMPLES)) {
      assert.ok(list.length > 0, `no example of '${type}'`);
      for (const msg of list) assert.deepEqual(parseFromWebview(JSON.parse(JSON.stringify(msg))), msg);
    }
  });

  it('refuses unknown types and non-objects', () => {
    for (const raw of [
      undefined,
      null,
      42,
      'ready',
      [],
      {},
      { type: 'snapshot' },
      { type: 'READY', topics: [] },
      { type: 'eval', code: 'x' },
      { type: 'toString' },
      { type: '__proto__' },
      { type: 'exportChart', format: 'exe', name: 'x', content: '' },
      { type: 'exportChart', format: 'png', name: 'x', content: 'javascript:alert(1)' },
      { type: 'exportChart', format: 'csv', name: 3, content: '' },
    ])
      assert.equal(parseFromWebview(raw), undefined, JSON.stringify(raw));
  });

  it('refuses malformed fields', () => {
    for (const raw of [
      { type: 'ready' },
      { type: 'ready', topics: 'frame' },
      { type: 'probeText' },
      { type: 'probeText', text: '' },
      { type: 'probeText', text: 42 },
      { type: 'probeText', text: 'x'.repeat(401) },
      { type: 'probe' },
      { type: 'probe', request: null },
      { type: 'probe', request: { kind: 'row', row: 1 } }, // no id
      { type: 'probe', request: { kind: 'row', row: -1, id: 1 } },
      { type: 'probe', request: { kind: 'row', row: 2.5, id: 1 } },
      { type: 'probe', request: { kind: 'row', row: '3', id: 1 } },
      { type: 'probe', request: { kind: 'row', row: 3, id: 1, target: -1 } },
      { type: 'probe', request: { kind: 'random', label: 1.5, id: 1 } },
      { type: 'probe', request: { kind: 'image', pixels: [], id: 1 } },
      { type: 'probe', request: { kind: 'image', pixels: [0.5, 1.5], id: 1 } },
      { type: 'probe', request: { kind: 'image', pixels: [0.5, -0.1], id: 1 } },
      { type: 'probe', request: { kind: 'image', pixels: '0.5', id: 1 } },
      { type: 'probe', request: { kind: 'image', pixels: new Array(4097).fill(0), id: 1 } },
      { type: 'probe', request: { kind: 'features', values: [1, NaN], id: 1 } },
      { type: 'probe', request: { kind: 'features', values: [1, null], id: 1 } },
      { type: 'probe', request: { kind: 'features', values: [1e7], id: 1 } },
      { type: 'probe', request: { kind: 'file', path: '/etc/passwd', id: 1 } },
      { type: 'probe', request: { kind: '__proto__', id: 1 } },
      { type: 'ready', topics: ['frame', 'secrets'] },
      { type: 'ready', topics: [1] },
      { type: 'control' },
      { type: 'control', action: 'format-disk' },
      { type: 'control', action: ['stop'] },
      { type: 'control', action: 'constructor' },
      { type: 'selectLayer' },
      { type: 'selectLayer', index: -1 },
      { type: 'selectLayer', index: 1.5 },
      { type: 'selectLayer', index: '2' },
      { type: 'selectLayer', index: NaN },
      { type: 'revealLayer', index: Infinity },
    ])
      assert.equal(parseFromWebview(raw), undefined, JSON.stringify(raw));
  });

  it('keeps only the fields of the type (extra fields from the webview do not reach the host)', () => {
    assert.deepEqual(parseFromWebview({ type: 'selectLayer', index: 2, command: 'x' }), {
      type: 'selectLayer',
      index: 2,
    });
    assert.deepEqual(parseFromWebview({ type: 'ack', x: 1 }), { type: 'ack' });
    assert.deepEqual(parseFromWebview({ type: 'ready', topics: ['frame', 'frame'] }), {
      type: 'ready',
      topics: ['frame'],
    });
    assert.deepEqual(
      parseFromWebview({ type: 'probe', request: { kind: 'row', row: 4, id: 9, label: 3, pixels: [1] }, extra: 1 }),
      { type: 'probe', request: { kind: 'row', row: 4, id: 9 } },
    );
  });
});

describe('webview protocol (host → webview)', () => {
  it('every message type has its topic (or goes to every view)', () => {
    const frame = { step: 1, epoch: 1, loss: 1, layers: [] };
    const progress = {
      epoch: 1,
      epochs: 1,
      batch: 0,
      batchesPerEpoch: 1,
      step: 1,
      loss: 1,
      samplesPerSecond: 1,
      elapsedMs: 1,
    };
    const all: { [K in ToWebview['type']]: [Extract<ToWebview, { type: K }>, string | undefined] } = {
      snapshot: [{ type: 'snapshot', modelPath: '/m', run: null, state: 'idle' }, undefined],
      state: [{ type: 'state', state: 'running' }, undefined],
      trainPoints: [{ type: 'trainPoints', points: [], progress }, 'progress'],
      evalPoint: [{ type: 'evalPoint', point: { epoch: 1, step: 1, loss: 1, metrics: {} } }, 'evals'],
      frame: [{ type: 'frame', frame }, 'frame'],
      probe: [
        {
          type: 'probe',
          answer: {
            step: 1,
            epoch: 1,
            probeSource: { kind: 'drawn', id: 1 },
            probeInput: new Float32Array(1),
            probeInputShape: [1],
            probeOutput: new Float32Array(1),
            probeLoss: 0,
            layers: [],
          },
        },
        'frame',
      ],
      sample: [
        { type: 'sample', sample: { iteration: 1, epoch: 1, seedText: '', temperature: 1, text: '' } },
        'samples',
      ],
      latent: [{ type: 'latent', latent: null }, 'latent'],
      evaluation: [{ type: 'evaluation', evaluation: null }, 'evaluation'],
      regression: [{ type: 'regression', regression: null }, 'evaluation'],
      selectLayer: [{ type: 'selectLayer', index: 1 }, 'selection'],
      opCursor: [{ type: 'opCursor', cursor: null }, 'opCursor'],
      probeMessage: [{ type: 'probeMessage', message: 'Probe text: …' }, 'sequence'],
    };
    for (const [msg, topic] of Object.values(all)) assert.equal(topicOf(msg), topic, msg.type);
  });
});

describe('control actions', () => {
  const states: RunState[] = [
    'idle',
    'starting',
    'running',
    'paused',
    'stopping',
    'finished',
    'earlyStopped',
    'stopped',
    'failed',
  ];

  it('each runs a command Glassbox registers and contributes', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[] };
    };
    const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
    const ids = new Set<string>(Object.values(CommandId));
    for (const a of CONTROL_ACTIONS) {
      assert.ok(ids.has(a.command), `${a.action}: ${a.command} is not a CommandId`);
      assert.ok(contributed.has(a.command), `${a.action}: ${a.command} is not in package.json`);
    }
    assert.equal(new Set(CONTROL_ACTIONS.map((a) => a.action)).size, CONTROL_ACTIONS.length, 'an action twice');
  });

  it('show the buttons the panel showed before they were defined once', () => {
    const shown = (s: RunState) =>
      CONTROL_ACTIONS.filter((a) => (a.shownIn as readonly RunState[]).includes(s)).map((a) => a.action);
    // Export to PyTorch: whenever no run is going (with the shown run's weights when it has them).
    assert.deepEqual(shown('idle'), ['train', 'exportPyTorch']);
    assert.deepEqual(shown('running'), ['pause', 'stop']);
    assert.deepEqual(shown('starting'), ['pause', 'stop']);
    assert.deepEqual(shown('paused'), ['resume', 'step', 'stepOp', 'stop']);
    for (const s of ['finished', 'earlyStopped'] as const) assert.deepEqual(shown(s), ['train', 'exportPyTorch']);
    // A stopped or failed run may also continue from its checkpoint (Resume Training).
    for (const s of ['stopped', 'failed'] as const) assert.deepEqual(shown(s), ['train', 'resumeRun', 'exportPyTorch']);
    for (const s of states) assert.ok(shown(s).length > 0, `no control in state ${s}`);
  });
});
