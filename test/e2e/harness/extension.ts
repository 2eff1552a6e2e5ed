// Loads an extension under test from its folder: a symlink named <publisher>.<name>-<version> in
// --extensions-dir (testing-in-vscode.md §6b). No vsce, no extensions.json, 0 s per run. The folder
// must hold its runtime files: for Glassbox, the repo root after `npm run build` produced dist/.
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ExtensionManifest {
  publisher: string;
  name: string;
  version: string;
  main?: string;
}

export function readManifest(extensionDir: string): ExtensionManifest {
  const file = join(extensionDir, 'package.json');
  if (!existsSync(file)) throw new Error(`${extensionDir} is not an extension: no package.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as ExtensionManifest;
}

/** `publisher.name`, the id that vscode.extensions.getExtension() takes. */
export function extensionId(extensionDir: string): string {
  const m = readManifest(extensionDir);
  return `${m.publisher}.${m.name}`;
}

/** Checks that `extensionDir` is loadable (manifest fields, built `main`); returns its manifest. */
export function validateExtensionFolder(extensionDir: string): ExtensionManifest {
  const m = readManifest(extensionDir);
  for (const key of ['publisher', 'name', 'version'] as const) {
    if (!m[key]) throw new Error(`${extensionDir}/package.json has no "${key}"`);
  }
  if (m.main) {
    const main = join(extensionDir, m.main);
    if (![main, `${main}.js`].some(existsSync)) {
      throw new Error(`${extensionDir}: "main" ${m.main} does not exist (run \`npm run build\` first?)`);
    }
  }
  return m;
}

export function installExtensionFromFolder(extensionDir: string, extensionsDir: string): string {
  const dir = resolve(extensionDir);
  const m = validateExtensionFolder(dir);
  const link = join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`);
  symlinkSync(dir, link, 'dir');
  return link;
}
