import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageBytes } from './latentImages';
import type { LatentRecord } from './latentRecord';
import { t } from '../l10n';

/**
 * latent.json of a run folder, or undefined when the run wrote none. Throws an Error naming the
 * file when it exists but is not a glassbox-latent/1 record with one 2-D point per row.
 */
export function readLatentRecord(folder: string): LatentRecord | undefined {
  const file = join(folder, 'latent.json');
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, 'utf8')) as LatentRecord;
  const ok =
    r.format === 'glassbox-latent/1' &&
    Array.isArray(r.points) &&
    r.points.length === r.rows &&
    r.points.every((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite)) &&
    (r.labels === undefined || (Array.isArray(r.labels) && r.labels.length === r.rows)) &&
    (r.images === undefined || imagesFit(r.images, r.rows));
  if (!ok)
    throw new Error(t('{0}: not a glassbox-latent/1 record with one 2-D point (and label, image) per row', file));
  return r;
}

/** The images field holds one packed image per row (its base64 decodes to rows × bytes per image). */
function imagesFit(images: LatentRecord['images'], rows: number): boolean {
  if (typeof images !== 'object' || images === null) return false;
  const { height, width, levels, data } = images;
  const size = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 64;
  if (!size(height) || !size(width) || levels !== 16 || typeof data !== 'string') return false;
  return Buffer.from(data, 'base64').length === rows * imageBytes(height, width);
}
