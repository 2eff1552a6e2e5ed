/**
 * Where the engine reports facts a user should know but that are not errors (a fast path that is
 * unavailable, say). The engine has no console: the host injects a logger (the extension's output
 * channel, the CLI's stderr); until it does, messages are dropped.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

const silent: Logger = { info() {}, warn() {} };
let current: Logger = silent;

/** Installs the logger the engine writes to; null restores the silent default. */
export function setEngineLogger(logger: Logger | null): void {
  current = logger ?? silent;
}

export function engineLogger(): Logger {
  return current;
}
