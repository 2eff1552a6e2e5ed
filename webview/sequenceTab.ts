import type { RunSummary, SequenceMessage, TelemetryFrameMessage } from '../src/protocol/telemetry';
import { el, formatNumber } from './dom';
import { maxAbs } from './heatmap';
import { cssVar, divergingColour, gateColour, readPalette, type Palette, type Rgb } from './palette';

/** Layer kinds (model-file types) that have a Sequence view. */
const RECURRENT = new Set(['rnn', 'lstm', 'gru']);

/** Screen pixels per time step (one character of the probe text) and per hidden unit. */
const STEP_PX = 11;
const UNIT_PX = 4;

/** What each traced series is, for its heading. */
const TITLES: Record<string, string> = {
  h: 'hidden state h_t',
  c: 'cell state c_t',
  input: 'input gate i_t',
  forget: 'forget gate f_t',
  output: 'output gate o_t',
  candidate: 'candidate (tanh)',
  reset: 'reset gate r_t',
  update: 'update gate u_t',
};
/** Series with values in (0, 1) (sigmoid gates): a sequential scale; the others diverge around 0. */
const GATES = new Set(['input', 'forget', 'output', 'reset', 'update']);

/** Whether a run has recurrent layers (the Sequence tab is shown only then). */
export function hasRecurrentLayers(run: RunSummary | null): boolean {
  return !!run?.layers.some((l) => RECURRENT.has(l.kind.toLowerCase()));
}

/** The colour of value v: gates from the background (0) to the gate colour (1); others diverging, |v| / scale. */
function colourOf(p: Palette, v: number, gate: boolean, scale: number): Rgb {
  return gate ? gateColour(p, v) : divergingColour(p, v / scale);
}

/**
 * The Sequence tab of the training panel (recurrent models): for the probe sequence, the text along
 * the top, time × unit heatmaps of h_t, c_t and each gate of the chosen recurrent layer, and the
 * gradient norm ‖∂L/∂h_t‖ per time step on a log scale. A unit picker (or a click on a heatmap row)
 * colours the text by that unit's h_t, to find units that track something (Karpathy's quote cell).
 */
export class SequenceTab {
  private layer = -1;
  private unit = 0;
  private palette: Palette | null = null;
  private frame: TelemetryFrameMessage | null = null;
  private readonly layerPicker = el('select', { id: 'seq-layer', 'aria-label': 'recurrent layer' });
  private readonly unitPicker = el('select', { id: 'seq-unit', 'aria-label': 'unit that colours the text' });
  private readonly info = el('p', { id: 'seq-info', class: 'muted' });
  private readonly text = el('div', { id: 'seq-text', class: 'seq-text' });
  private readonly maps = el('div', { id: 'seq-maps', class: 'seq-maps' });
  private readonly gradCanvas = el('canvas', {
    id: 'seq-grad',
    'aria-label': 'gradient norm of the hidden state per time step, log scale',
  });

  private readonly probeInput = el('input', {
    id: 'seq-probe-input',
    type: 'text',
    maxlength: '200',
    placeholder: 'Type text for the model to read…',
    'aria-label': 'probe text',
  });
  private readonly probeButton = el('button', { id: 'seq-probe-run', type: 'submit' }, 'Probe');
  private readonly probeMessage = el('span', { id: 'seq-probe-message', class: 'message error', role: 'status' });

  constructor(
    root: HTMLElement,
    private readonly tabButton: HTMLButtonElement,
    /** Asks the host to run a typed text through the model (its frame comes back as telemetry). */
    onProbe: (text: string) => void = () => {},
  ) {
    const form = el(
      'form',
      { class: 'seq-probe', id: 'seq-probe' },
      el('label', {}, 'probe text ', this.probeInput),
      ' ',
      this.probeButton,
      this.probeMessage,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = this.probeInput.value;
      this.probeMessage.textContent = text.length >= 2 ? '' : 'Type at least two characters.';
      if (text.length >= 2) onProbe(text);
    });
    root.append(
      form,
      el(
        'div',
        { class: 'seq-controls' },
        el('label', {}, 'layer ', this.layerPicker),
        el('label', {}, ' colour the text by unit ', this.unitPicker),
      ),
      this.info,
      el('div', { class: 'seq-scroll' }, this.text, this.maps),
      el('h3', {}, '‖∂L/∂h_t‖ over time (log scale)'),
      el('div', { class: 'seq-grad-box' }, this.gradCanvas),
    );
    this.layerPicker.addEventListener('change', () => {
      this.layer = Number(this.layerPicker.value);
      this.render(this.frame);
    });
    this.unitPicker.addEventListener('change', () => {
      this.unit = Number(this.unitPicker.value);
      this.render(this.frame);
    });
  }

  /** Shows the tab's button only for runs with rnn/lstm/gru layers. */
  /** Why the host did not run the typed text (a character the model does not know …). */
  showProbeMessage(message: string): void {
    this.probeMessage.textContent = message;
  }

  setRun(run: RunSummary | null): void {
    this.tabButton.hidden = !hasRecurrentLayers(run);
  }

  applyTheme(): void {
    this.palette = null;
    this.render(this.frame);
  }

  render(frame: TelemetryFrameMessage | null): void {
    this.frame = frame;
    const layers = frame?.layers.filter((l) => l.sequence) ?? [];
    if (!frame || layers.length === 0) {
      this.info.textContent =
        'Train a recurrent model (rnn, lstm, gru) to see its states and gates over the probe text.';
      this.text.replaceChildren();
      this.maps.replaceChildren();
      this.gradCanvas.dataset.points = '0';
      return;
    }
    this.palette ??= readPalette();
    if (!layers.some((l) => l.index === this.layer)) this.layer = layers[0].index;
    this.syncPicker(
      this.layerPicker,
      layers.map((l) => [String(l.index), `${l.name} (${l.sequence!.kind})`]),
      String(this.layer),
    );
    const s = layers.find((l) => l.index === this.layer)!.sequence!;
    if (this.unit >= s.units) this.unit = 0;
    this.syncPicker(
      this.unitPicker,
      Array.from({ length: s.units }, (_, u) => [String(u), String(u)]),
      String(this.unit),
    );
    const capped =
      s.steps < s.totalSteps || s.units < s.hiddenSize
        ? ` (first ${s.steps} of ${s.totalSteps} steps, ${s.units} of ${s.hiddenSize} units)`
        : '';
    this.info.textContent = `${s.kind}, ${s.steps} time steps × ${s.units} units${capped} · step ${frame.step}. Columns are time steps (the characters above), rows are units.`;
    this.drawText(s, frame);
    this.drawMaps(s);
    this.drawGradient(s);
  }

  private syncPicker(select: HTMLSelectElement, options: [string, string][], value: string): void {
    const same =
      select.options.length === options.length &&
      options.every(([v, l], i) => select.options[i].value === v && select.options[i].text === l);
    if (!same) select.replaceChildren(...options.map(([v, l]) => el('option', { value: v }, l)));
    select.value = value;
    select.disabled = options.length < 2;
  }

  /**
   * The probe text, one fixed-width cell per time step, coloured by the picked unit's h_t; its
   * hover gives the model's top next-character probabilities at that step.
   */
  private drawText(s: SequenceMessage, frame: TelemetryFrameMessage): void {
    const p = this.palette!;
    const chars = frame.probeText;
    const next = nextCharacters(frame, s.totalSteps);
    const h = s.series[0].values;
    const scale = maxAbs(h);
    const cells: HTMLElement[] = [];
    for (let t = 0; t < s.steps; t++) {
      const ch = chars?.[t] ?? '·';
      const v = h[t * s.units + this.unit];
      const [r, g, b] = colourOf(p, v, false, scale);
      const shown = visible(ch);
      const cell = el(
        'span',
        { class: 'seq-char', title: `t = ${t} '${shown}': h[${this.unit}] = ${formatNumber(v)}${next(t)}` },
        shown,
      );
      cell.style.width = `${STEP_PX}px`;
      cell.style.background = `rgb(${r},${g},${b})`;
      cells.push(cell);
    }
    this.text.replaceChildren(...cells);
    this.text.dataset.steps = String(s.steps);
    this.text.dataset.unit = String(this.unit);
  }

  /** One time × unit heatmap per series (time along x, as the text). */
  private drawMaps(s: SequenceMessage): void {
    const p = this.palette!;
    const tiles = s.series.map((series) => {
      const gate = GATES.has(series.name);
      const scale = gate ? 1 : maxAbs(series.values);
      const canvas = el('canvas', {
        class: 'seq-map',
        width: String(s.steps),
        height: String(s.units),
        'data-series': series.name,
        'data-steps': String(s.steps),
        'data-units': String(s.units),
      });
      canvas.style.width = `${s.steps * STEP_PX}px`;
      canvas.style.height = `${s.units * UNIT_PX}px`;
      const ctx = canvas.getContext('2d');
      let min = Infinity,
        max = -Infinity;
      if (ctx) {
        const img = ctx.createImageData(s.steps, s.units);
        for (let t = 0; t < s.steps; t++)
          for (let u = 0; u < s.units; u++) {
            const v = series.values[t * s.units + u];
            if (v < min) min = v;
            if (v > max) max = v;
            img.data.set([...colourOf(p, v, gate, scale), 255], (u * s.steps + t) * 4);
          }
        ctx.putImageData(img, 0, 0);
      }
      canvas.dataset.min = String(min);
      canvas.dataset.max = String(max);
      const label = TITLES[series.name] ?? series.name;
      canvas.addEventListener('mousemove', (e) => {
        const t = Math.floor(e.offsetX / STEP_PX),
          u = Math.floor(e.offsetY / UNIT_PX);
        if (t < s.steps && u < s.units)
          canvas.title = `${label}, t = ${t}, unit ${u}: ${formatNumber(series.values[t * s.units + u])}`;
      });
      canvas.addEventListener('click', (e) => {
        this.unit = Math.min(s.units - 1, Math.floor(e.offsetY / UNIT_PX));
        this.render(this.frame);
      });
      const range = gate ? '0 … 1' : `±${formatNumber(scale, 3)}`;
      return el('div', { class: 'seq-tile' }, el('span', { class: 'muted' }, `${label} · ${range}`), canvas);
    });
    this.maps.replaceChildren(...tiles);
  }

  /** ‖∂L/∂h_t‖ per step on a log scale: one point per time step, aligned with the text. */
  private drawGradient(s: SequenceMessage): void {
    const p = this.palette!;
    const c = this.gradCanvas;
    const pad = 44;
    const w = pad + Math.max(s.steps * STEP_PX, 200),
      hgt = 140;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(w * dpr);
    c.height = Math.round(hgt * dpr);
    c.style.width = `${w}px`;
    c.style.height = `${hgt}px`;
    const ctx = c.getContext('2d');
    const g = s.gradNorm;
    const logs: number[] = [];
    for (const v of g) logs.push(v > 0 && Number.isFinite(v) ? Math.log10(v) : NaN);
    const finite = logs.filter((v) => Number.isFinite(v));
    c.dataset.points = String(finite.length);
    c.dataset.steps = String(g.length);
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    if (finite.length === 0) return;
    const lo = Math.floor(Math.min(...finite));
    let hi = Math.ceil(Math.max(...finite));
    if (hi === lo) hi = lo + 1;
    const top = 8,
      bottom = hgt - 16;
    const y = (v: number) => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
    const x = (t: number) => pad + (t + 0.5) * STEP_PX;
    ctx.font = `10px ${cssVar('--vscode-font-family') || 'sans-serif'}`;
    ctx.fillStyle = p.font;
    ctx.strokeStyle = p.grid;
    ctx.lineWidth = 1;
    for (let d = lo; d <= hi; d++) {
      ctx.beginPath();
      ctx.moveTo(pad, y(d));
      ctx.lineTo(w, y(d));
      ctx.stroke();
      ctx.fillText(`1e${d}`, 2, y(d) + 3);
    }
    ctx.fillText('t →', pad, hgt - 3);
    ctx.strokeStyle = p.line;
    ctx.fillStyle = p.line;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    logs.forEach((v, t) => {
      if (!Number.isFinite(v)) return;
      if (started) ctx.lineTo(x(t), y(v));
      else ctx.moveTo(x(t), y(v));
      started = true;
    });
    ctx.stroke();
    logs.forEach((v, t) => {
      if (!Number.isFinite(v)) return;
      ctx.beginPath();
      ctx.arc(x(t), y(v), 2, 0, 2 * Math.PI);
      ctx.fill();
    });
  }
}

/** A character as the tab shows it: newline ↵, space ␣. */
const visible = (ch: string): string => (ch === '\n' ? '↵' : ch === ' ' ? '␣' : ch);

/**
 * For step t, "· next: 'a' 41%, 'n' 12%, ' ' 8%": the three most probable next characters from the
 * probe's output logits [T, vocab] (softmax); '' when the frame has no vocabulary or output.
 */
function nextCharacters(frame: TelemetryFrameMessage, steps: number): (t: number) => string {
  const vocab = frame.probeVocabulary;
  const out = frame.probeOutput;
  const v = vocab?.length ?? 0;
  if (!vocab || !out || v === 0 || out.length !== steps * v) return () => '';
  return (t) => {
    const row = out.subarray(t * v, (t + 1) * v);
    let max = -Infinity;
    for (const x of row) max = Math.max(max, x);
    let sum = 0;
    for (const x of row) sum += Math.exp(x - max);
    const top = Array.from(row, (x, k) => ({ k, p: Math.exp(x - max) / sum }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 3);
    return ` · next: ${top.map(({ k, p }) => `'${visible(vocab[k])}' ${(100 * p).toFixed(0)}%`).join(', ')}`;
  };
}
