/**
 * Which catalog a locale uses. Glassbox ships English and Simplified Chinese: `zh-cn` (VS Code's
 * tag), `zh_CN.UTF-8` (POSIX), `zh-Hans…`, `zh-SG` all mean Simplified Chinese; everything else is
 * English.
 */
export type SupportedLocale = 'en' | 'zh-cn';

export function supportedLocale(tag: string | undefined): SupportedLocale {
  const t = (tag ?? '').toLowerCase().replace(/_/g, '-');
  return /^zh-(cn|sg|hans)([-.@]|$)/.test(t) || t === 'zh' ? 'zh-cn' : 'en';
}

/**
 * The CLI's locale from the environment, in POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG
 * (the first one set and non-empty decides; `C`/`POSIX` mean English).
 */
export function localeFromEnv(env: Readonly<Record<string, string | undefined>>): SupportedLocale {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const v = env[name];
    if (v) return supportedLocale(v);
  }
  return 'en';
}
