import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from '../helpers/tempDir';

export const BIN = join(REPO, 'bin', 'glassbox.js');

export function glassbox(
  args: string[],
  cwd = REPO,
  env: NodeJS.ProcessEnv = process.env,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Running {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  /** Resolves with the first JSON line that passes `test`. */
  waitFor(test: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
}

/** `glassbox train … --json` in a child process, its JSON Lines parsed as they arrive. */
export function startTrain(args: string[], cwd = REPO): Running {
  const child = spawn(process.execPath, [BIN, 'train', ...args, '--json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: { test: (e: Record<string, unknown>) => boolean; resolve: (e: Record<string, unknown>) => void }[] =
    [];
  let buf = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const e = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
      buf = buf.slice(i + 1);
      lines.push(e);
      for (const w of waiters.splice(0)) {
        if (w.test(e)) w.resolve(e);
        else waiters.push(w);
      }
    }
  });
  const exit = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  return {
    child,
    lines,
    exit,
    waitFor: (test) => {
      const hit = lines.find(test);
      return hit
        ? Promise.resolve(hit)
        : new Promise((resolve, reject) => {
            waiters.push({ test, resolve });
            exit.then(() =>
              reject(
                new Error(`process ended before the awaited event; last: ${JSON.stringify(lines[lines.length - 1])}`),
              ),
            );
          });
    },
  };
}
