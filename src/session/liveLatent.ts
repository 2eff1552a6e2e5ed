import type { NeuralNetwork, Tensor } from '../engine';
import type { LatentSpec } from '../modelFile/spec';
import { type LatentRecord, projectLatent } from '../runs/latentRecord';

/** The first live projection waits this long (the panel is still opening); later ones at least as long apart. */
const MIN_INTERVAL_MS = 2000;
/** A projection may take at most this share of the training time. */
const MAX_SHARE = 0.1;

/**
 * The Latent tab during training: after a batch, at most every few seconds, the first LIVE_ROWS
 * test rows projected as latent.json will be at the end (projectLatent with `live`; a t-SNE
 * continues the previous live map, so points move rather than jump). The
 * interval adapts so projecting costs at most a tenth of the run: a projection that took t ms
 * waits max(2 s, 9·t) for the next. The final projection of all rows is still the session's finish.
 */
export class LiveLatent {
  private next: number;
  /** The last live map, which the next t-SNE continues. */
  private previous: LatentRecord['points'] | undefined;

  constructor(
    private readonly network: NeuralNetwork,
    private readonly spec: LatentSpec,
    private readonly xTest: Tensor,
    private readonly labels: Int32Array | undefined,
    private readonly onLatent: (latent: LatentRecord) => void,
    /** A projection that fails is reported here once and not tried again: training goes on. */
    private readonly warn: (message: string) => void,
    now = Date.now(),
  ) {
    this.next = now + MIN_INTERVAL_MS;
  }

  /** After a batch (the network is built and between steps): project when it is time. */
  afterBatch(step: number, epoch: number, now = Date.now()): void {
    if (now < this.next || !this.network.isBuilt) return;
    let r: LatentRecord;
    try {
      r = projectLatent(this.network, this.spec, this.xTest, this.labels, { step, epoch, previous: this.previous });
    } catch (e) {
      this.next = Infinity;
      this.warn(`latent: no projections during training (${(e as Error).message}); the final one is still made`);
      return;
    }
    const took = Date.now() - now;
    this.next = Date.now() + Math.max(MIN_INTERVAL_MS, ((1 - MAX_SHARE) / MAX_SHARE) * took);
    this.previous = r.points;
    this.onLatent(r);
  }
}
