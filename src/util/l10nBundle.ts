import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../data/packageRoot';
import { type Bundle, localeFromEnv, setLocale, supportedLocale } from '../l10n';

/**
 * The runtime bundle of a locale, read from the package's l10n/ folder (the files VS Code's
 * `vscode.l10n` also reads): none for English, whose messages are their own keys.
 */
export function loadBundle(locale: string): Bundle | undefined {
  const supported = supportedLocale(locale);
  if (supported === 'en') return undefined;
  try {
    return JSON.parse(readFileSync(join(packageRoot(), 'l10n', `bundle.l10n.${supported}.json`), 'utf8')) as Bundle;
  } catch {
    return undefined; // a damaged or missing bundle leaves the English text
  }
}

/** Sets the catalog's locale from LC_ALL / LC_MESSAGES / LANG (the CLI; the worker is told by its host). */
export function useEnvironmentLocale(env: NodeJS.ProcessEnv = process.env): void {
  const locale = localeFromEnv(env);
  setLocale(locale, loadBundle(locale));
}
