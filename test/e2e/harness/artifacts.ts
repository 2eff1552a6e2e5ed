// What a failed test leaves behind, in test-results/e2e/<test>/: a screenshot, the browser console,
// the error, code-server's output and VS Code's logs (extension host, Output channels, ...).
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from './browser';
import type { CodeServer } from './server';

export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'test'
  );
}

/** Writes the artifacts into `dir` (emptied first) and returns it. Never throws: it runs on failure paths. */
export async function captureArtifacts(
  dir: string,
  server: CodeServer,
  browser: Browser | undefined,
  error?: unknown,
): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const attempt = async (what: string, fn: () => unknown) => {
    try {
      await fn();
    } catch (err) {
      writeFileSync(join(dir, `capture-error-${what}.txt`), String(err));
    }
  };
  if (error !== undefined) {
    await attempt('error', () =>
      writeFileSync(join(dir, 'error.txt'), error instanceof Error ? (error.stack ?? error.message) : String(error)),
    );
  }
  if (browser) {
    await attempt('screenshot', () => browser.page.screenshot({ path: join(dir, 'screenshot.png'), timeout: 10_000 }));
    await attempt('console', () => writeFileSync(join(dir, 'browser-console.log'), browser.console.join('\n') + '\n'));
  }
  await attempt('server-log', () => cpSync(server.logFile, join(dir, 'code-server.log')));
  // VS Code logs: remoteagent.log, exthost*/remoteexthost.log, exthost*/output_logging_*/N-<channel>.log
  await attempt('vscode-logs', () =>
    cpSync(join(server.userDataDir, 'logs'), join(dir, 'vscode-logs'), { recursive: true }),
  );
  const coderLogs = join(server.runDir, 'home', '.local', 'share', 'code-server');
  if (existsSync(coderLogs))
    await attempt('coder-logs', () => cpSync(coderLogs, join(dir, 'code-server-home'), { recursive: true }));
  return dir;
}
