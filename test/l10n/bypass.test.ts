import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBypasses, isLanguage } from './l10nSource';

/**
 * No user-visible string literal bypasses the catalog: a scan (TypeScript compiler API) of the
 * calls and assignments that show text (notifications, diagnostics, hovers, status bar, quick
 * picks, webview elements, problems, user-facing errors, CLI output) finds no literal words that
 * are not passed through `t` / `vscode.l10n.t`.
 */
test('no user-visible string literal bypasses localisation', () => {
  const found = findBypasses();
  assert.deepEqual(
    found.map((b) => `${b.where}: ${b.text}`),
    [],
    'wrap these in t(...) (src/l10n/catalog.ts) and add their Chinese to l10n/bundle.l10n.zh-cn.json',
  );
});

test('the scan sees each kind of bypass and accepts text passed through the catalog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-l10n-'));
  const file = join(dir, 'sample.ts');
  writeFileSync(
    file,
    [
      "vscode.window.showErrorMessage('Training failed');",
      'vscode.window.showWarningMessage(`Run ${name} stopped`);',
      "new vscode.Diagnostic(range, 'dead ReLU units', 0);",
      "item.text = '$(play) Train';",
      "node.textContent = 'No run yet';",
      "const p = { message: 'unknown layer' };",
      "el('p', {}, 'Nothing to show');",
      "process.stdout.write('wrote the project\\n');",
      "throw new Error('the run record is damaged');",
      "vscode.window.showErrorMessage(t('Training failed'));",
      "vscode.window.showInformationMessage(vscode.l10n.t('Run {0} stopped', name));",
      "item.text = '$(play)';",
      'node.textContent = `${n} / ${total}`;',
    ].join('\n'),
  );
  const found = findBypasses([file]).map((b) => Number(b.where.split(':').pop()));
  assert.deepEqual(found, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('numbers, symbols, codicons and untranslated names are not language', () => {
  for (const s of ['$(play)', '{0}/{1}', '→', '12 px', 'NaN', 'PyTorch', '—', 'ReLU'])
    assert.equal(isLanguage(s), false, s);
  for (const s of ['Train', 'dead ReLU units', 'epoch']) assert.equal(isLanguage(s), true, s);
});
