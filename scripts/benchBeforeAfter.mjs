// Side-by-side timing of two builds of Glassbox on W1, W2 and W4 (one thread, CPU clock), run in
// turns A B A B … so drift in the machine's speed hits both: the "nothing slower" check of a
// refactor. Usage: node scripts/benchBeforeAfter.mjs <other checkout, built> [pairs=3]
// Each side runs its own out/test/bench/runBench.js; prints each figure's medians and the ratio.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = resolve(import.meta.dirname, '..');
const other = resolve(process.argv[2] ?? '');
const pairs = Number(process.argv[3] ?? 3);
const args = ['--only=w1,w2,w4', '--no-pytorch', '--no-tfjs', '--no-reference', '--runs=1', '--threads=1', '--quick'];

function run(root) {
  const r = spawnSync(process.execPath, [join(root, 'out/test/bench/runBench.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${root}: runBench failed\n${r.stderr}`);
  const j = JSON.parse(readFileSync(join(root, 'bench-results', 'latest.json'), 'utf8'));
  const fast = (list) => list.find((c) => /wasm-relaxed-simd|^glassbox$/.test(c.contender)) ?? list[0];
  return { w1: fast(j.w1).epochCpuSeconds, w2: fast(j.w2).epochCpuSeconds, w4: fast(j.w4).stepCpuSeconds * 1000 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const a = [],
  b = [];
for (let i = 0; i < pairs; i++) {
  b.push(run(other));
  a.push(run(here));
  console.error(`pair ${i + 1}: this ${JSON.stringify(a.at(-1))} other ${JSON.stringify(b.at(-1))}`);
}
console.log('figure            this (median)  other (median)  this/other (median of pairs)');
for (const [k, unit] of [
  ['w1', 's CPU/epoch'],
  ['w2', 's CPU/epoch'],
  ['w4', 'ms CPU/step'],
]) {
  const ratio = median(a.map((x, i) => x[k] / b[i][k]));
  console.log(
    `${k} (${unit})`.padEnd(18) +
      `${median(a.map((x) => x[k])).toFixed(3)}`.padStart(13) +
      `${median(b.map((x) => x[k])).toFixed(3)}`.padStart(16) +
      `${ratio.toFixed(3)}`.padStart(14),
  );
}
