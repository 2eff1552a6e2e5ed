// Retry-until-deadline for UI steps that can race the extension host (palette built before the
// extension registered its commands, hover provider not registered yet, ...).
import { debug } from './debug';

export interface RetryOptions {
  /** Overall budget, ms. */
  timeout?: number;
  /** Pause between tries, ms. */
  interval?: number;
}

/**
 * Calls `attempt` until it returns a value other than undefined, or throws `what` with the last
 * error once `timeout` has passed. Each attempt should bound its own waits (a few seconds).
 */
export async function retry<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  opts: RetryOptions = {},
): Promise<T> {
  const start = Date.now();
  const deadline = start + (opts.timeout ?? 30_000);
  let last: unknown;
  for (let i = 1; ; i++) {
    try {
      const v = await attempt();
      if (v !== undefined) {
        if (i > 1) debug(`took ${i} tries, ${Date.now() - start} ms, to avoid: ${what}`);
        return v;
      }
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? `: ${last.message.split('\n')[0]}` : '';
      throw new Error(`${what} (gave up after ${i} tries)${why}`);
    }
    await new Promise((r) => setTimeout(r, opts.interval ?? 250));
  }
}

/** Resolves true if `p` settles successfully, false if it rejects (e.g. a waitFor timeout). */
export function succeeds(p: Promise<unknown>): Promise<boolean> {
  return p.then(
    () => true,
    () => false,
  );
}
