import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { zip, type Zippable } from 'fflate';
import { t } from '../l10n';

/** A run bundle larger than this (before compression) is refused: it is built in memory. */
export const BUNDLE_MAX_BYTES = 1024 * 1024 * 1024;

/**
 * A run folder as a zip archive: every regular file (run.json, config.json, model.nn.json, the
 * metrics, weights, checkpoint, telemetry…) under a folder named after the run, so unzipping gives
 * a record `glassbox train --resume` and the Runs view read. Temporary files of an interrupted
 * atomic write (`*.tmp-*`) and symbolic links are left out. Compressed off the calling thread (fflate's
 * asynchronous `zip`); weights compress little, JSON a lot.
 */
export async function runBundle(folder: string): Promise<Uint8Array> {
  const root = basename(folder);
  const files: Zippable = {};
  let total = 0;
  const add = (dir: string, prefix: string, depth: number): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.includes('.tmp-')) continue;
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isDirectory() && depth < 4) add(p, `${prefix}${name}/`, depth + 1);
      else if (st.isFile()) {
        total += st.size;
        if (total > BUNDLE_MAX_BYTES)
          throw new Error(t('{0} holds more than {1} MB: too large to bundle', folder, BUNDLE_MAX_BYTES >> 20));
        files[`${prefix}${name}`] = new Uint8Array(readFileSync(p));
      }
    }
  };
  add(folder, `${root}/`, 0);
  return new Promise((resolve, reject) =>
    zip(files, { level: 6, mtime: new Date() }, (err, data) => (err ? reject(err) : resolve(data))),
  );
}
