import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The folder of Glassbox's package.json, found by walking up from this module. Compiled code
 * (out/src/data) and bundles (dist/) sit at different depths, so shipped resources such as
 * datasets/ are located from the package root, never from a fixed number of `..`.
 */
export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'glassbox')
      return (cached = dir);
    if (dirname(dir) === dir) throw new Error(`cannot find Glassbox's package.json above ${__dirname}`);
  }
}
