// One E2E session = one fresh code-server + one fresh chromium with the workspace open. Typical use
// in a node:test file:
//
//   let s: E2ESession;
//   before(async () => { s = await startSession({ workspace, extensionDirs: [ext] }); });
//   after(() => s?.close());
//   test('...', (t) => s.run(t.name, async () => { await runCommand(s.page, 'Hello: Say Hi'); ... }));
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { captureArtifacts, slug } from './artifacts';
import { launchBrowser, type Browser } from './browser';
import { e2ePaths, type E2EPaths } from './paths';
import { startCodeServer, type CodeServer, type ServerOptions } from './server';
import { openWorkspace } from './workbench';

export interface SessionOptions extends ServerOptions {
  /** Load the workbench on the workspace (default true). */
  open?: boolean;
}

export interface E2ESession {
  paths: E2EPaths;
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** Saves screenshot and logs into `dir` (default test-results/e2e/<slug(name)>); returns the folder. */
  capture(name: string, error?: unknown, dir?: string): Promise<string>;
  /**
   * Runs a test body; on failure captures artifacts (into `artifactsDir`, default as capture()) and
   * rethrows with their folder in the message.
   */
  run<T>(name: string, body: () => Promise<T>, artifactsDir?: string): Promise<T>;
  /** Closes the browser and kills the server's process group. Safe to call twice. */
  close(): Promise<void>;
}

export async function startSession(opts: SessionOptions): Promise<E2ESession> {
  const paths = opts.paths ?? e2ePaths();
  const server = await startCodeServer({ ...opts, paths });
  let browser: Browser | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser?.context.close().catch(() => undefined);
    await server.stop();
  };
  const capture = (name: string, error?: unknown, dir?: string) =>
    captureArtifacts(dir ?? join(paths.resultsDir, slug(name)), server, browser, error);
  try {
    browser = await launchBrowser(paths.chromium, server.runDir);
    if (opts.open ?? true) await openWorkspace(browser.page, server.workspaceUrl());
  } catch (err) {
    const dir = await capture('session-start', err);
    await close();
    throw annotate(err, dir);
  }
  const b = browser;
  return {
    paths,
    server,
    browser: b,
    page: b.page,
    capture,
    close,
    async run<T>(name: string, body: () => Promise<T>, artifactsDir?: string): Promise<T> {
      try {
        return await body();
      } catch (err) {
        throw annotate(err, await capture(name, err, artifactsDir));
      }
    },
  };
}

function annotate(err: unknown, artifactsDir: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  const note = `\n    E2E artifacts (screenshot, logs): ${artifactsDir}`;
  if (e.stack?.includes(e.message)) e.stack = e.stack.replace(e.message, e.message + note); // what node:test prints
  e.message += note;
  return e;
}
