// GLASSBOX_E2E_DEBUG=1 prints what the harness waits for, with timings, on stderr.
const enabled = !!process.env.GLASSBOX_E2E_DEBUG;
const t0 = Date.now();

export function debug(message: string): void {
  if (enabled) console.error(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);
}
