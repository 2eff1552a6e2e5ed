// Starts one code-server with fresh state (user data, extensions, HOME, TMPDIR, a copy of the
// workspace) on a free loopback port, in its own process group so stop() ends the extension host
// and file watchers too. Recipe: shared/docs/testing-in-vscode.md §4.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { installExtensionFromFolder } from './extension';
import { assertInstalled, e2ePaths, type E2EPaths } from './paths';

export interface ServerOptions {
  /** Folder copied fresh into the run directory and opened as the workspace. */
  workspace: string;
  /** Extension folders (each with a package.json) linked into --extensions-dir. */
  extensionDirs?: string[];
  /** `.vsix` files installed with code-server's `--install-extension` before the server starts. */
  vsixFiles?: string[];
  /** Merged over the default user settings. */
  settings?: Record<string, unknown>;
  /** Extra code-server arguments, e.g. ['--vscode-option', 'enable-smoke-test-driver']. */
  extraArgs?: string[];
  /**
   * Workspace trust on, and the workspace opened untrusted (restricted mode, without the startup
   * prompt). By default trust is off: every workspace is trusted.
   */
  untrusted?: boolean;
  paths?: E2EPaths;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT (loopback: webviews need a secure context). */
  url: string;
  /** Per-run folder holding everything below; removed by stop() unless GLASSBOX_E2E_KEEP=1. */
  runDir: string;
  workspaceDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's stdout and stderr. */
  logFile: string;
  /** The workbench URL that opens the workspace. */
  workspaceUrl(): string;
  stop(): Promise<void>;
}

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'editor.hover.delay': 100,
  'git.enabled': false,
  // The remote extension host otherwise scans for ports to forward every few seconds: `exec` of
  // `ls -l /proc/*/fd/*` plus a stat of every /proc entry, on the host's main thread's loop.
  'remote.autoForwardPorts': false,
};

/** Trust on; a folder that was never trusted opens in restricted mode, with no modal prompt or banner. */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

export async function startCodeServer(opts: ServerOptions): Promise<CodeServer> {
  const paths = opts.paths ?? e2ePaths();
  assertInstalled(paths);
  const runDir = mkdtempSync(join(tmpdir(), 'glassbox-e2e-'));
  const dir = (name: string) => {
    const d = join(runDir, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const userDataDir = dir('data');
  const extensionsDir = dir('exts');
  const workspaceDir = join(runDir, 'ws', basename(opts.workspace));
  cpSync(opts.workspace, workspaceDir, { recursive: true });
  writeFileSync(
    join(dir('data/User'), 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...(opts.untrusted ? UNTRUSTED_SETTINGS : {}), ...opts.settings }, null, 2),
  );
  for (const ext of opts.extensionDirs ?? []) installExtensionFromFolder(ext, extensionsDir);
  for (const vsix of opts.vsixFiles ?? []) installVsix(paths, runDir, vsix);

  const logFile = join(runDir, 'server.log');
  let child: ChildProcess | undefined;
  let port = 0;
  // The free port is picked before code-server binds it; retry if another process wins the race.
  for (let attempt = 1; ; attempt++) {
    port = await freeLoopbackPort();
    writeFileSync(join(runDir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    child = spawnServer(paths, runDir, opts.extraArgs ?? [], logFile, !opts.untrusted);
    try {
      await waitHealthy(child, port, logFile, 30_000);
      break;
    } catch (err) {
      killGroup(child, 'SIGKILL');
      if (attempt >= 3 || !/EADDRINUSE/.test(readLog(logFile))) throw err;
    }
  }
  const server = child;
  const url = `http://127.0.0.1:${port}`;
  // Never leave a server behind: not when the test process exits early, nor when it is killed by
  // SIGINT/SIGTERM (e.g. a `timeout`), which would skip 'exit' handlers.
  const onExit = () => killGroup(server, 'SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  return {
    port,
    url,
    runDir,
    workspaceDir,
    userDataDir,
    extensionsDir,
    logFile,
    workspaceUrl: () => `${url}/?folder=${encodeURIComponent(workspaceDir)}`,
    async stop() {
      process.removeListener('exit', onExit);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await stopGroup(server);
      if (process.env.GLASSBOX_E2E_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/**
 * `code-server --install-extension file.vsix` into the run's --extensions-dir (about a second; it
 * exits without serving). Throws with code-server's output if the install fails.
 */
function installVsix(paths: E2EPaths, runDir: string, vsix: string): void {
  const args = [
    paths.codeServerEntry,
    '--user-data-dir',
    join(runDir, 'data'),
    '--extensions-dir',
    join(runDir, 'exts'),
    '--install-extension',
    resolve(vsix),
  ];
  const r = spawnSync(paths.node24, args, { env: serverEnv(paths, runDir), encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  writeFileSync(join(runDir, 'install-extension.log'), out);
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(
      `code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}${r.error ? `, ${r.error.message}` : ''}):\n${tail(out)}`,
    );
  }
}

/** The caller's environment without VS Code's variables, with the run's own HOME and TMPDIR, Node 24 first on PATH. */
function serverEnv(paths: E2EPaths, runDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Drop the caller's VS Code variables (a terminal inside VS Code sets VSCODE_IPC_HOOK_CLI etc.).
  for (const [k, v] of Object.entries(process.env)) if (!/^(VSCODE_|ELECTRON_)/.test(k)) env[k] = v;
  Object.assign(env, {
    HOME: join(runDir, 'home'), // code-server and chromium write under ~ otherwise
    TMPDIR: join(runDir, 'tmp'), // vscode-ipc-*.sock and vscode-git-*.sock land here
    PATH: `${join(paths.node24, '..')}:${process.env.PATH ?? ''}`,
  });
  mkdirSync(env.HOME!, { recursive: true });
  mkdirSync(env.TMPDIR!, { recursive: true });
  return env;
}

function spawnServer(
  paths: E2EPaths,
  runDir: string,
  extraArgs: string[],
  logFile: string,
  disableTrust: boolean,
): ChildProcess {
  const env = serverEnv(paths, runDir);
  const args = [
    paths.codeServerEntry,
    '--config',
    join(runDir, 'config.yaml'),
    '--user-data-dir',
    join(runDir, 'data'),
    '--extensions-dir',
    join(runDir, 'exts'),
    '--disable-telemetry',
    '--disable-update-check',
    ...(disableTrust ? ['--disable-workspace-trust'] : []),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...extraArgs,
  ];
  const out = openSync(logFile, 'a');
  // detached: its own process group, so stop() can signal the extension host and watchers too.
  return spawn(paths.node24, args, { detached: true, stdio: ['ignore', out, out], env });
}

async function waitHealthy(child: ChildProcess, port: number, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `code-server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(readLog(logFile))}`,
      );
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server not healthy on port ${port} after ${timeoutMs} ms:\n${tail(readLog(logFile))}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // group already gone
  }
}

/** SIGTERM the group, then SIGKILL whatever is left after 5 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  killGroup(child, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && groupAlive(child)) await new Promise((r) => setTimeout(r, 100));
  killGroup(child, 'SIGKILL');
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}
