import { type Bundle, setLocale } from '../src/l10n/catalog';

/*
 * Sets the webview's catalog from what the host put on <body> (src/extension/webviewHtml.ts):
 * the display language and its message bundle. Imported first by each view's entry script so
 * that every `t` of the view's code sees it.
 */
function readBundle(): Bundle | undefined {
  try {
    const raw = document.body?.dataset.l10n;
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    return parsed && typeof parsed === 'object' ? (parsed as Bundle) : undefined;
  } catch {
    return undefined; // English text rather than no view
  }
}

setLocale(document.body?.dataset.locale ?? 'en', readBundle());
