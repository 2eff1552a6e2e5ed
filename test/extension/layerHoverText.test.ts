import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { layerHoverMarkdown, LayerHoverInput } from '../../src/extension/layerHoverText';

let render: (md: string) => string;
before(async () => {
  // VS Code renders hovers with marked (an ES module; this file compiles to CommonJS).
  const { marked } = await import('marked');
  render = (md) => marked.parse(md, { async: false }) as string;
});

const row = {
  index: 0,
  name: 'hidden',
  type: 'dense',
  details: '13 units, sigmoid',
  inputShape: [13],
  outputShape: [13],
  parameters: 182,
};
const base: LayerHoverInput = {
  index: 0,
  name: 'hidden',
  row,
  history: undefined,
  state: 'idle',
  frameLayer: undefined,
  modelUri: 'file:///w/E3.3.nn.json',
};
const links = (html: string) => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => decodeURIComponent(m[1]));
const images = (html: string) => [...html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1]);

describe('the layer hover', () => {
  it('shows a name with a command link or a remote image literally: only its own two links, no images', () => {
    const evil = '[x](command:glassbox.selectLayer?["file:///etc/hostname",0,true]) ![](https://example.invalid/b.png)';
    const html = render(layerHoverMarkdown({ ...base, name: evil, row: { ...row, name: evil } }));
    assert.deepEqual(links(html), [
      'command:glassbox.openPanel?["file:///w/E3.3.nn.json"]',
      'command:glassbox.selectLayer?["file:///w/E3.3.nn.json",0]',
    ]);
    assert.deepEqual(images(html), []);
    assert.ok(html.includes('file:///etc/hostname'), 'the name is shown as text');
  });

  it('does not print "update ratio NaN" for a finished run', () => {
    const history = [{ step: 500, gradNorm: 0.5, weightNorm: 3, updateRatio: NaN, nonFinite: 0 }];
    const md = layerHoverMarkdown({ ...base, history, state: 'finished' });
    assert.match(md, /At step 500: gradient norm/);
    assert.doesNotMatch(md, /NaN/);
    const running = layerHoverMarkdown({ ...base, history: [{ ...history[0], updateRatio: 0.001 }], state: 'running' });
    assert.match(running, /update ratio 0\.001000 \(training\)/);
  });

  it("shows a recurrent layer's gradient over the probe's time steps and its gates' saturation", () => {
    const history = [{ step: 40, gradNorm: 0.5, weightNorm: 3, updateRatio: 0.001, nonFinite: 0 }];
    const steps = 4,
      units = 2;
    // Forget gate: unit 0 pinned near 1 at every step, unit 1 in the middle; output gate: unit 1 near 0.
    const frameLayer = {
      index: 0,
      name: 'lstm1',
      kind: 'LSTM',
      activation: { mean: 0, std: 1, min: -1, max: 1, norm: 1, zeroFraction: 0, nanCount: 0, infCount: 0 },
      activationHistogram: { min: 0, max: 1, counts: new Uint32Array(4) },
      updateRatio: 0.001,
      deadFraction: 0,
      saturatedFraction: 0,
      sequence: {
        kind: 'LSTM',
        steps,
        totalSteps: steps,
        units,
        hiddenSize: units,
        series: [
          { name: 'h', values: new Float32Array(steps * units).fill(0.3) },
          { name: 'forget', values: Float32Array.from([0.999, 0.5, 0.999, 0.5, 0.999, 0.5, 0.999, 0.5]) },
          { name: 'output', values: Float32Array.from([0.5, 0.001, 0.5, 0.001, 0.5, 0.001, 0.5, 0.001]) },
        ],
        gradNorm: Float32Array.from([0.01, 0.1, 1, 2]),
      },
    };
    const md = layerHoverMarkdown({ ...base, history, state: 'running', frameLayer });
    assert.match(md, /Gradient over time ‖∂L\/∂h_t‖ of the probe sequence, t = 1 … 4/);
    assert.match(
      md,
      /Gate saturation \(units pinned near 0 \/ near 1 over the probe\): forget 0% \/ 50% · output 50% \/ 0%/,
    );
    const html = render(md);
    assert.equal(images(html).length, 2, 'the gradient-norm sparkline and the gradient-over-time sparkline');
    assert.ok(images(html).every((src) => src.startsWith('data:image/png;base64,')));
    assert.doesNotMatch(layerHoverMarkdown({ ...base, history }), /over time|Gate saturation/);
  });

  it("shows a conv layer's feature maps right under its title (they were below the hover's fold)", () => {
    const history = [{ step: 40, gradNorm: 0.5, weightNorm: 3, updateRatio: 0.001, nonFinite: 0 }];
    const frameLayer = {
      index: 0,
      probeActivation: new Float32Array(2 * 3 * 3).fill(0.5),
      probeShape: [2, 3, 3],
    } as unknown as LayerHoverInput['frameLayer'];
    const md = layerHoverMarkdown({ ...base, history, state: 'running', frameLayer, theme: 'light' });
    const maps = md.indexOf('![feature maps]');
    assert.ok(maps > 0 && maps < md.indexOf('At step 40'), 'the feature maps come after the gradients');
  });

  it('offers neither training nor feature maps on a file that cannot train', () => {
    const md = layerHoverMarkdown({ ...base, row: undefined });
    assert.match(md, /fix the problems in this file first/);
    assert.doesNotMatch(md, /Train Model|feature maps|command:/i);
  });
});
