import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readExportSource } from '../../src/export/exportSource';
import { exportPyTorch, type ExportResult } from '../../src/export/pytorchExport';
import { REPO, writeFile } from '../helpers/tempDir';

/** Debian's python3-torch lives in the system Python, not in a pyenv `python3` on PATH. */
export const PYTHON = process.env.GLASSBOX_TORCH_PYTHON ?? '/usr/bin/python3';

/** Why the PyTorch tests cannot run here, or false when they can. */
export const torchMissing: string | false = (() => {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0
    ? false
    : `PyTorch is not importable by ${PYTHON} (install Debian's python3-torch and python3-numpy: apt-get install -y python3-torch python3-numpy): ${(r.stderr || String(r.error)).trim().split('\n').pop()}`;
})();

export const POEMS = join(REPO, 'datasets', 'poems.txt');

/** A model file in `dir` from a spec object (its data paths absolute). */
export function modelFile(dir: string, name: string, spec: Record<string, unknown>): string {
  return writeFile(
    dir,
    `${name}.nn.json`,
    JSON.stringify({ name, profile: 'modern', precision: 'float32', seed: 3, ...spec }),
  );
}

export interface Verified {
  readonly result: ExportResult;
  readonly code: number | null;
  readonly output: string;
  /** The largest difference verify.py printed. */
  readonly diff: number;
}

/** Exports `source` (a model file or run folder) to `out` and runs verify.py there. */
export function exportAndVerify(source: string, out: string): Verified {
  const result = exportPyTorch(readExportSource(source), out);
  const r = spawnSync(PYTHON, ['verify.py'], {
    cwd: out,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  const output = (r.stdout ?? '') + (r.stderr ?? '');
  const m = /largest difference ([0-9.e+-]+)/.exec(output);
  return { result, code: r.status, output, diff: m ? Number(m[1]) : NaN };
}

/** Runs a Python script of an exported project; stdout and stderr together. */
export function runPython(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; output: string } {
  const r = spawnSync(PYTHON, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', ...env },
    timeout: 170_000,
  });
  return { code: r.status, output: (r.stdout ?? '') + (r.stderr ?? '') };
}
