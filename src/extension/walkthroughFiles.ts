import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The Getting Started walkthrough's examples, one per book chapter (chapter 1 has no model file:
 * its step runs the chapter's code with "Run Book Experiment"). Each uses data the extension
 * ships (Boston, the MNIST sample, datasets/poems.txt), so every step trains from an installed VSIX.
 */
export const CHAPTER_EXAMPLES: Readonly<Record<number, string>> = {
  2: 'E2.1.nn.json',
  3: 'E3.3.nn.json',
  4: 'mnist-mlp.nn.json',
  5: 'mnist-cnn.nn.json',
  6: 'char-lstm.nn.json',
  7: 'mnist-autoencoder.nn.json',
};

/**
 * Copies the example `name` from `<extensionRoot>/examples` into `destDir` (a `glassbox-book`
 * folder in the workspace, or in the extension's global storage), so that its runs can be
 * written beside it, and returns the copy's path. A copy already there is kept (the user may
 * have edited it). Data files named by a relative `path` are copied to `destDir/data/` and the
 * path rewritten; the `$schema` line is dropped (its relative path would not resolve there, and
 * `jsonValidation` gives every *.nn.json the editor schema anyway).
 */
export function prepareExample(extensionRoot: string, name: string, destDir: string): string {
  const dest = join(destDir, name);
  if (existsSync(dest)) return dest;
  const examples = join(extensionRoot, 'examples');
  let text = readFileSync(join(examples, name), 'utf8');
  text = text.replace(/^\s*"\$schema"\s*:\s*"[^"]*",?\r?\n/m, '');
  text = text.replace(/("path"\s*:\s*)"([^"]+)"/g, (whole, key: string, rel: string) => {
    const from = resolve(examples, rel);
    if (!existsSync(from)) return whole;
    mkdirSync(join(destDir, 'data'), { recursive: true });
    copyFileSync(from, join(destDir, 'data', basename(from)));
    return `${key}${JSON.stringify(`data/${basename(from)}`)}`;
  });
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(dest, text);
  return dest;
}
