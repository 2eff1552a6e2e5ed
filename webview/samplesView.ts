import type { TextSampleMessage } from '../src/protocol/telemetry';
import { el } from './dom';
import { t } from '../src/l10n/catalog';

/** Samples shown at once (the newest first); the host keeps more. */
const SHOWN = 8;

/**
 * Text models: the samples the model generates while it trains, newest first, each as the seed
 * text (muted) followed by what the model wrote. The section stays hidden for other models.
 */
export class SamplesView {
  private samples: TextSampleMessage[] = [];

  constructor(
    private readonly section: HTMLElement,
    private readonly list: HTMLElement,
  ) {}

  reset(samples: readonly TextSampleMessage[]): void {
    this.samples = samples.slice(-SHOWN);
    this.render();
  }

  add(sample: TextSampleMessage): void {
    this.samples.push(sample);
    if (this.samples.length > SHOWN) this.samples.shift();
    this.render();
  }

  private render(): void {
    this.section.toggleAttribute('hidden', this.samples.length === 0);
    this.list.replaceChildren(
      ...[...this.samples]
        .reverse()
        .map((s) =>
          el(
            'figure',
            { class: 'sample' },
            el(
              'figcaption',
              { class: 'muted' },
              s.temperature !== 1
                ? t('iteration {0} · temperature {1}', s.iteration.toLocaleString('en-US'), s.temperature)
                : t('iteration {0}', s.iteration.toLocaleString('en-US')),
            ),
            el('pre', {}, el('span', { class: 'muted' }, s.seedText), s.text),
          ),
        ),
    );
  }
}
