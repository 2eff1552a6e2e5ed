/*
 * tanh kernels side by side: the previous elementwise.wat tanh and tanhBackward (commit 52a43ce:
 * Eigen's 13/6 rational, one vector per iteration, assembled here from the copy below with wabt)
 * against today's, in both builds (SIMD128 and relaxed SIMD), all in this process on the same
 * arena. Reports ns/element on 752,640 floats resident in the arena (the tanh of a conv
 * 16×5×5 on a batch of 60 MNIST images, 60·16·28·28) and each kernel's accuracy: the largest
 * relative error against Math.tanh over a sweep of tiny, ±1-ish, large and NaN/±Infinity inputs.
 *
 *   node out/test/bench/tanhBench.js [--reps=100 (calls per timed round)] [--rounds=9]
 */
import { loadavg } from 'node:os';
import wabtInit from 'wabt';
import type { TanhBackwardExport, TanhExport } from '../../src/engine/kernels/wasm/wasmElementwise';
import { WasmElementwise } from '../../src/engine/kernels/wasm/wasmElementwise';
import { WasmArena } from '../../src/engine/kernels/wasm/wasmArena';
import { RandomState } from '../../src/engine/random/randomState';
import { enableRelaxedSimd } from '../../src/util/enableRelaxedSimd';

/** The previous kernels, verbatim from elementwise.wat at commit 52a43ce. */
const PREVIOUS_WAT = `(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "tanh") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $v v128) (local $v2 v128) (local $p v128) (local $q v128)
    (local $s f32) (local $s2 f32) (local $sp f32) (local $sq f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        ;; pmin/pmax (one instruction each on x86) with x first: pmin(x, c) = c < x ? c : x
        ;; keeps a NaN x as it is, where min/max need a longer NaN-propagating sequence.
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load (local.get $x)) (f32x4.splat (f32.const 7.90531110763549805)))
          (f32x4.splat (f32.const -7.90531110763549805))))
        (local.set $v2 (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.splat (f32.const -2.76076847742355e-16)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $v2)) (f32x4.splat (f32.const 2.00018790482477e-13))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $v2)) (f32x4.splat (f32.const -8.60467152213735e-11))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $v2)) (f32x4.splat (f32.const 5.12229709037114e-08))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $v2)) (f32x4.splat (f32.const 1.48572235717979e-05))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $v2)) (f32x4.splat (f32.const 6.37261928875436e-04))))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $v2)) (f32x4.splat (f32.const 4.89352455891786e-03))))
        (local.set $p (f32x4.mul (local.get $p) (local.get $v)))
        (local.set $q (f32x4.splat (f32.const 1.19825839466702e-06)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $v2)) (f32x4.splat (f32.const 1.18534705686654e-04))))
        (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $v2)) (f32x4.splat (f32.const 2.26843463243900e-03))))
        (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $v2)) (f32x4.splat (f32.const 4.89352518554385e-03))))
        (v128.store (local.get $y) (f32x4.div (local.get $p) (local.get $q)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $quad)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f32.max (f32.const -7.90531110763549805) (f32.min (f32.const 7.90531110763549805) (f32.load (local.get $x)))))
        (local.set $s2 (f32.mul (local.get $s) (local.get $s)))
        (local.set $sp (f32.const -2.76076847742355e-16))
        (local.set $sp (f32.add (f32.mul (local.get $sp) (local.get $s2)) (f32.const 2.00018790482477e-13)))
        (local.set $sp (f32.add (f32.mul (local.get $sp) (local.get $s2)) (f32.const -8.60467152213735e-11)))
        (local.set $sp (f32.add (f32.mul (local.get $sp) (local.get $s2)) (f32.const 5.12229709037114e-08)))
        (local.set $sp (f32.add (f32.mul (local.get $sp) (local.get $s2)) (f32.const 1.48572235717979e-05)))
        (local.set $sp (f32.add (f32.mul (local.get $sp) (local.get $s2)) (f32.const 6.37261928875436e-04)))
        (local.set $sp (f32.add (f32.mul (local.get $sp) (local.get $s2)) (f32.const 4.89352455891786e-03)))
        (local.set $sq (f32.const 1.19825839466702e-06))
        (local.set $sq (f32.add (f32.mul (local.get $sq) (local.get $s2)) (f32.const 1.18534705686654e-04)))
        (local.set $sq (f32.add (f32.mul (local.get $sq) (local.get $s2)) (f32.const 2.26843463243900e-03)))
        (local.set $sq (f32.add (f32.mul (local.get $sq) (local.get $s2)) (f32.const 4.89352518554385e-03)))
        (f32.store (local.get $y) (f32.div (f32.mul (local.get $sp) (local.get $s)) (local.get $sq)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $tail))))

  ;; Momentum update in place over n parameters, both of the engine's forms in one:

  (func (export "tanhBackward") (param $dy i32) (param $y i32) (param $dx i32) (param $n i32)
    (local $end i32) (local $v v128) (local $s f32)
    (local.set $end (i32.add (local.get $dy) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $dy) (local.get $end)))
        (local.set $v (v128.load (local.get $y)))
        (v128.store (local.get $dx) (f32x4.mul (v128.load (local.get $dy))
          (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $v))
                    (f32x4.add (f32x4.splat (f32.const 1)) (local.get $v)))))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (br $quad)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $dy) (local.get $end)))
        (local.set $s (f32.load (local.get $y)))
        (f32.store (local.get $dx) (f32.mul (f32.load (local.get $dy)) (f32.mul (f32.sub (f32.const 1) (local.get $s)) (f32.add (f32.const 1) (local.get $s)))))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
        (br $tail))))
)`;

interface Contender {
  readonly name: string;
  readonly tanh: TanhExport;
  readonly tanhBackward: TanhBackwardExport;
}

const N = 60 * 16 * 28 * 28; // 752,640
const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);

async function contenders(arena: WasmArena): Promise<Contender[]> {
  const wabt = await wabtInit();
  const features = { simd: true, threads: true };
  const mod = wabt.parseWat('previous.wat', PREVIOUS_WAT, features);
  let bytes: Uint8Array;
  try {
    mod.resolveNames();
    bytes = mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
  const wasm = arena.api;
  const prev = new wasm.Instance(new wasm.Module(bytes), { env: { memory: arena.memory } }).exports;
  const out: Contender[] = [
    {
      name: 'previous (SIMD128)',
      tanh: prev.tanh as TanhExport,
      tanhBackward: prev.tanhBackward as TanhBackwardExport,
    },
  ];
  for (const variant of ['simd128', 'relaxedSimd'] as const) {
    const e = WasmElementwise.create(arena, variant);
    if (e)
      out.push({
        name: `new (${variant === 'simd128' ? 'SIMD128' : 'relaxed SIMD'})`,
        tanh: e.tanhRun,
        tanhBackward: e.tanhBackwardRun,
      });
    else console.log(`new (${variant}): not available in this runtime`);
  }
  return out;
}

/** ns per element for each contender's `run`, rounds interleaved so load changes hit all alike. */
function time(
  cs: readonly Contender[],
  run: (c: Contender) => void,
  reps: number,
  rounds: number,
): { min: number; median: number }[] {
  const samples = cs.map(() => [] as number[]);
  for (const c of cs) for (let i = 0; i < 3; i++) run(c); // warm-up (tier-up)
  for (let r = 0; r < rounds; r++) {
    cs.forEach((c, i) => {
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < reps; k++) run(c);
      samples[i].push(Number(process.hrtime.bigint() - t0) / reps / N);
    });
  }
  return samples.map((s) => {
    const sorted = [...s].sort((a, b) => a - b);
    return { min: sorted[0], median: sorted[sorted.length >> 1] };
  });
}

/** The accuracy sweep: ± each of tiny (down to subnormal), log-spaced, dense [0, 10], large. */
function sweepInputs(): Float32Array {
  const xs: number[] = [0, 1e-45, 1e-40, 1.1754944e-38, 1e-30, 1e-20, 1e3, 1e10, 1e30, 3.4028235e38];
  for (let e = -40; e <= 4; e += 1 / 256) xs.push(2 ** e);
  for (let x = 0; x <= 10; x += 1 / 8192) xs.push(x);
  // Every 61st float32 between 2⁻³⁰ and 9 (≈ 4.7 million): bit patterns, not just round numbers.
  const bits = new Uint32Array(1),
    f = new Float32Array(bits.buffer);
  f[0] = 2 ** -30;
  const lo = bits[0];
  f[0] = 9;
  for (let b = lo, hi = bits[0]; b <= hi; b += 61) {
    bits[0] = b;
    xs.push(f[0]);
  }
  const out = new Float32Array(2 * xs.length);
  xs.forEach((x, i) => {
    out[2 * i] = x;
    out[2 * i + 1] = -x;
  });
  return out;
}

interface Accuracy {
  /** Over |x| ≥ 2⁻¹⁰⁰ (and 0). */
  maxRel: number;
  at: number;
  /** Over 0 < |x| < 2⁻¹⁰⁰, subnormals included (where the previous kernel's x·P underflowed). */
  tinyMaxRel: number;
  odd: boolean;
  maxAbs: number;
  nan: boolean;
  inf: string;
  backMaxRel: number;
}

function accuracy(c: Contender, arena: WasmArena, xs: Float32Array): Accuracy {
  const n = xs.length;
  const x = arena.float32(n),
    y = arena.float32(n);
  x.set(xs);
  c.tanh(x.byteOffset, y.byteOffset, n);
  let maxRel = 0,
    at = 0,
    tinyMaxRel = 0,
    odd = true,
    maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const want = Math.tanh(x[i]);
    const rel = want === 0 ? Math.abs(y[i]) : Math.abs(y[i] - want) / Math.abs(want);
    if (x[i] !== 0 && Math.abs(x[i]) < 2 ** -100) tinyMaxRel = Math.max(tinyMaxRel, rel);
    else if (rel > maxRel) {
      maxRel = rel;
      at = x[i];
    }
    maxAbs = Math.max(maxAbs, Math.abs(y[i]));
    if (i % 2 === 1 && !Object.is(y[i], -y[i - 1])) odd = false;
  }
  const special = arena.float32(4);
  special.set([NaN, Infinity, -Infinity, 0]);
  c.tanh(special.byteOffset, special.byteOffset, 4);
  // tanh's backward on the kernel's own outputs y, against dy·(1 − y²) in float64.
  const dy = arena.float32(n),
    dx = arena.float32(n);
  new RandomState(7).fillNormal(dy);
  c.tanhBackward(dy.byteOffset, y.byteOffset, dx.byteOffset, n);
  let backMaxRel = 0;
  for (let i = 0; i < n; i++) {
    const want = dy[i] * (1 - y[i] * y[i]);
    if (want !== 0) backMaxRel = Math.max(backMaxRel, Math.abs(dx[i] - want) / Math.abs(want));
  }
  return {
    maxRel,
    at,
    tinyMaxRel,
    odd,
    maxAbs,
    nan: Number.isNaN(special[0]),
    inf: `${special[1]}, ${special[2]}`,
    backMaxRel,
  };
}

async function main(): Promise<void> {
  enableRelaxedSimd();
  const arena = WasmArena.create();
  if (!arena) throw new Error('this runtime has no shared WebAssembly memory');
  const cs = await contenders(arena);
  const reps = arg('reps', 100),
    rounds = arg('rounds', 9);

  const x = arena.float32(N),
    y = arena.float32(N),
    dy = arena.float32(N),
    dx = arena.float32(N);
  const rng = new RandomState(20240601);
  rng.fillNormal(x, 0, 1.5);
  rng.fillNormal(dy);
  for (let i = 0; i < N; i++) y[i] = Math.tanh(x[i]);

  console.log(
    `${N} float32 elements resident in the arena; ${reps} calls per round, ${rounds} rounds; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const fwd = time(cs, (c) => c.tanh(x.byteOffset, dx.byteOffset, N), reps, rounds);
  // dx ≠ dy: the same inputs every call (in place, dy would shrink towards subnormals).
  const bwd = time(cs, (c) => c.tanhBackward(dy.byteOffset, y.byteOffset, dx.byteOffset, N), reps, rounds);
  const xs = sweepInputs();
  console.log(`accuracy sweep: ${xs.length} inputs (± tiny to 3.4e38), plus NaN and ±Infinity`);
  const pad = Math.max(...cs.map((c) => c.name.length));
  cs.forEach((c, i) => {
    const a = accuracy(c, arena, xs);
    const f = fwd[i],
      b = bwd[i];
    console.log(
      `${c.name.padEnd(pad)}  tanh ${f.min.toFixed(3)} ns/el (median ${f.median.toFixed(3)}, ×${(fwd[0].median / f.median).toFixed(2)})` +
        `  tanhBackward ${b.min.toFixed(3)} ns/el (median ${b.median.toFixed(3)}, ×${(bwd[0].median / b.median).toFixed(2)})`,
    );
    console.log(
      `${''.padEnd(pad)}  max rel. error ${a.maxRel.toExponential(2)} (at x = ${a.at}; ${a.tinyMaxRel.toExponential(2)} for 0 < |x| < 2⁻¹⁰⁰),` +
        ` odd ${a.odd}, max |y| ${a.maxAbs}, NaN → ${a.nan ? 'NaN' : 'not NaN'}, ±Infinity → ${a.inf};` +
        ` backward max rel. error ${a.backMaxRel.toExponential(2)}`,
    );
  });
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
