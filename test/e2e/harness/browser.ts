// Debian's chromium, driven by playwright-core (no Playwright browser download). The flags keep
// it from calling out on this closed network (env/machines/node.md); Playwright adds --headless.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root in CI
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console messages and page errors of the page and its frames (webviews too), oldest first. */
  console: string[];
}

export async function launchBrowser(executablePath: string, runDir: string): Promise<Browser> {
  const home = join(runDir, 'home');
  mkdirSync(home, { recursive: true });
  const context = await chromium.launchPersistentContext(join(runDir, 'chromium'), {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 850 },
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: home }, // chromium writes ~/.config/chromium/Crash Reports
    timeout: 60_000,
  });
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const console: string[] = [];
  page.on('console', (m) => console.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.push(`[pageerror] ${e.stack ?? e.message}`));
  return { context, page, console };
}
