/**
 * The message catalog shared by every front end (CLI, worker, extension host, webviews) and by
 * the code they share (validator, doctor, data loaders). The English text is the key, as with
 * `vscode.l10n.t`: English needs no bundle, and `l10n/bundle.l10n.zh-cn.json` maps each English
 * message to its Chinese one. Each front end sets the locale once (the extension from
 * `vscode.env.language`, the CLI from LC_ALL/LC_MESSAGES/LANG, a webview from the bundle its host
 * sends); shared code just calls `t`.
 */

/** English message → translated message; `{0}`, `{1}` … are the arguments' places. */
export type Bundle = Readonly<Record<string, string>>;

export type MessageArg = string | number | boolean;

let activeLocale = 'en';
let activeBundle: Bundle = {};

/** Sets the locale (a BCP 47 tag such as `zh-cn`) and its bundle (none or `{}` for English). */
export function setLocale(locale: string, bundle: Bundle | undefined): void {
  activeLocale = locale.toLowerCase();
  activeBundle = bundle ?? {};
}

/** The active locale, lower case (`en`, `zh-cn`). */
export function currentLocale(): string {
  return activeLocale;
}

/** The active bundle (sent to webviews by the host). */
export function currentBundle(): Bundle {
  return activeBundle;
}

/** `message` (English) in the active locale, with `{n}` replaced by `args[n]`. */
export function t(message: string, ...args: MessageArg[]): string {
  const translated = activeBundle[message];
  return formatMessage(typeof translated === 'string' && translated !== '' ? translated : message, args);
}

/**
 * Marks a message for the catalog without translating it now (gettext's `N_`): for tables of
 * English text declared at load time and translated where they are shown, with `t(entry)`.
 */
export function msg<S extends string>(message: S): S {
  return message;
}

/** Replaces `{0}`, `{1}` … with the arguments; a place with no argument is left as written. */
export function formatMessage(template: string, args: readonly MessageArg[]): string {
  if (args.length === 0) return template;
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => {
    const i = Number(n);
    return i < args.length ? String(args[i]) : whole;
  });
}

/** The `{n}` places of a message, sorted and without repeats (the bundle test compares them). */
export function placeholders(message: string): number[] {
  const found = new Set<number>();
  for (const m of message.matchAll(/\{(\d+)\}/g)) found.add(Number(m[1]));
  return [...found].sort((a, b) => a - b);
}
