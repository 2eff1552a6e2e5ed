import * as vscode from 'vscode';
import { setLocale, supportedLocale } from '../l10n';
import { loadBundle } from '../util/l10nBundle';

/**
 * Sets the shared catalog (src/l10n) to VS Code's display language, with the bundle VS Code
 * loaded from l10n/ for it (`"l10n": "./l10n"` in package.json), so that `t` in shared code means
 * what `vscode.l10n.t` means here. Reads the file itself when VS Code offers no bundle.
 */
export function useDisplayLanguage(): void {
  const locale = supportedLocale(vscode.env.language);
  setLocale(locale, locale === 'en' ? undefined : (vscode.l10n.bundle ?? loadBundle(locale)));
}
