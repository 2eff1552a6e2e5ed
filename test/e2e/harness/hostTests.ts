// In-extension-host integration tests, the `extensionTestsPath` mechanism of @vscode/test-electron,
// inside code-server's real Node extension host (testing-in-vscode.md §6c). The server runs with
// the smoke-test driver enabled, so the workbench honours the `payload` URL parameter: it loads
// the extension in development mode from its folder, runs the tests module's `run()`, and calls
// window.codeAutomationExit(code) when the host exits. The most version-fragile part of the recipe.
import { join, resolve } from 'node:path';
import { captureArtifacts, slug } from './artifacts';
import { launchBrowser, type Browser } from './browser';
import { debug } from './debug';
import { validateExtensionFolder } from './extension';
import { e2ePaths } from './paths';
import { startCodeServer, type CodeServer } from './server';

export interface HostTestOptions {
  /** Folder copied fresh and opened as the workspace. */
  workspace: string;
  /** Extension folder loaded in development mode (its package.json's `main` must exist). */
  extensionDir: string;
  /** Absolute path of a CommonJS module exporting `run(): Promise<void>`; it may `require('vscode')`. */
  testsModule: string;
  /** Names the artifacts folder on failure: test-results/e2e/<slug(name)>. */
  name?: string;
  /** Where failure artifacts go instead of that folder. */
  artifactsDir?: string;
  timeout?: number;
}

export interface HostTestResult {
  /** 0 when run() resolved, non-zero when it threw or the host crashed. */
  exitCode: number;
  /** Browser console lines, which include what the tests logged in the extension host. */
  console: string[];
  /** Where the failure artifacts went, when exitCode is not 0. */
  artifactsDir?: string;
}

export async function runExtensionHostTests(opts: HostTestOptions): Promise<HostTestResult> {
  const paths = e2ePaths();
  validateExtensionFolder(resolve(opts.extensionDir));
  const server = await startCodeServer({
    workspace: opts.workspace,
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    paths,
  });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser(paths.chromium, server.runDir);
    const exited = new Promise<number>((done) => {
      void browser!.page.exposeFunction('codeAutomationExit', (code: number) => done(code));
    });
    await browser.page.goto(hostTestsUrl(server, resolve(opts.extensionDir), resolve(opts.testsModule)));
    debug(`in-host tests started: ${opts.testsModule}`);
    const timeout = opts.timeout ?? 120_000;
    const exitCode = await Promise.race([
      exited,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error(`in-host tests did not finish in ${timeout} ms`)), timeout).unref(),
      ),
    ]);
    const result: HostTestResult = { exitCode, console: [...browser.console] };
    if (exitCode !== 0)
      result.artifactsDir = await capture(opts, server, browser, new Error(`in-host tests exited ${exitCode}`));
    return result;
  } catch (err) {
    await capture(opts, server, browser, err);
    throw err;
  } finally {
    await browser?.context.close().catch(() => undefined);
    await server.stop();
  }
}

function hostTestsUrl(server: CodeServer, extensionDir: string, testsModule: string): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(testsModule)],
  ];
  return `${server.workspaceUrl()}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function capture(
  opts: HostTestOptions,
  server: CodeServer,
  browser: Browser | undefined,
  error: unknown,
): Promise<string> {
  const dir = opts.artifactsDir ?? join(e2ePaths().resultsDir, slug(opts.name ?? `host-tests-${opts.testsModule}`));
  return captureArtifacts(dir, server, browser, error);
}
