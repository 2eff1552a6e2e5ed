import { GlassboxError } from '../engine/errors';
import { t } from '../l10n';

/**
 * An error's message in the active locale: an engine error written as an `EngineText` is
 * translated from its template; any other error keeps its message (already localised where it
 * was made, or English from a library).
 */
export function errorText(e: unknown): string {
  if (e instanceof GlassboxError && e.template !== undefined) return t(e.template, ...(e.args ?? []));
  return e instanceof Error ? e.message : String(e);
}
