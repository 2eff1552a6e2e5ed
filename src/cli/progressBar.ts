import { rawWrite } from '../util/terminalText';
import { t } from '../l10n';
/** Human-readable durations: 45s, 3m07s, 1h02m. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ProgressState {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly loss: number;
  readonly examplesPerSecond: number;
  readonly etaSeconds: number;
  /** Text models count iterations, not epochs: shown as `iteration 120/600 […]` instead. */
  readonly iteration?: { readonly done: number; readonly total: number };
}

/**
 * One status line: `epoch 3/50 [######----] batch 120/1000  loss 0.3421  1,234 ex/s  ETA 2m13s`,
 * or for a text model `iteration 120/600 [####------]  loss 2.3101  1,234 ex/s  ETA 13s`.
 */
export function renderProgress(p: ProgressState, width = 20): string {
  const it = p.iteration;
  const frac = it ? it.done / Math.max(1, it.total) : p.batchesPerEpoch > 0 ? p.batch / p.batchesPerEpoch : 0;
  const filled = Math.max(0, Math.min(width, Math.round(frac * width)));
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const rate = Math.round(p.examplesPerSecond).toLocaleString('en-US');
  const where = it
    ? t('iteration {0}/{1} [{2}]', it.done, it.total, bar)
    : t('epoch {0}/{1} [{2}] batch {3}/{4}', p.epoch, p.epochs, bar, p.batch, p.batchesPerEpoch);
  return t('{0}  loss {1}  {2} ex/s  ETA {3}', where, p.loss.toFixed(4), rate, formatDuration(p.etaSeconds));
}

/**
 * A progress line redrawn in place on a terminal (at most every `intervalMs`); other lines are
 * printed above it with `log`. Off a terminal it draws nothing.
 */
export class ProgressBar {
  private last = 0;
  private shown = false;
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly intervalMs = 100,
  ) {}

  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  update(p: ProgressState, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    const cols = this.stream.columns || 100;
    // The bar's text goes through the (sanitising) write; only its own \r and erase bypass it.
    rawWrite(this.stream, '\r');
    this.stream.write(renderProgress(p).slice(0, cols - 1));
    rawWrite(this.stream, '\x1b[K');
    this.shown = true;
  }

  clear(): void {
    if (this.shown) rawWrite(this.stream, '\r\x1b[K');
    this.shown = false;
  }

  /** Prints a full line (to `out`) without tearing the bar. */
  log(out: NodeJS.WriteStream, line: string): void {
    this.clear();
    out.write(line + '\n');
  }
}
