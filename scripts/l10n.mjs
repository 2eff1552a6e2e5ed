// Writes l10n/bundle.l10n.json, the English runtime bundle: every message the code passes to the
// catalog (`t`, `msg`, `vscode.l10n.t`, the engine's `engineText`) as a literal, mapped to itself.
// l10n/bundle.l10n.zh-cn.json maps the same keys to Chinese; test/l10n checks both. Run after
// `tsc -b`: npm run l10n.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { catalogMessages } = require(join(root, 'out', 'test', 'l10n', 'l10nSource.js'));
const keys = [...new Set(catalogMessages().map((m) => m.text))].sort();
mkdirSync(join(root, 'l10n'), { recursive: true });
writeFileSync(
  join(root, 'l10n', 'bundle.l10n.json'),
  JSON.stringify(Object.fromEntries(keys.map((k) => [k, k])), null, 2) + '\n',
);
console.log(`wrote l10n/bundle.l10n.json (${keys.length} messages)`);
