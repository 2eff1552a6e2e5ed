;; Float32 elementwise kernels (and im2col) for WebAssembly SIMD128, on the engine's shared memory (the same
;; memory as gemm.wat; the host passes byte offsets). Each loop does four lanes (or several vectors)
;; at a time and finishes with a scalar tail, so any length and any 4-byte alignment works.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; y[i] = tanh(x[i]) for i < n (y may equal x): x·P(x²)/Q(x²) with P of degree 4 and Q monic of
  ;; degree 3 (a [9/6] rational, fitted for relative error on [0, 8] with tanh(8) pinned to 1), on
  ;; x clamped to ±7.718662, where the float32 evaluation (fused or not) gives exactly 1 and below
  ;; which it never exceeds 1. Largest relative error ≈ 5.5e-7 (5.1e-7 fused) against
  ;; Math.tanh (test/bench/tanhBench.ts sweeps it); odd by construction, so tanh(−x) = −tanh(x)
  ;; exactly, ±Infinity gives ±1 and NaN stays NaN (pmin/pmax keep a NaN x).
  ;;
  ;; Speed (V8): a splat constant is re-broadcast wherever it is used, once per loop iteration
  ;; whether or not it sits in a local, so the main loop does eight vectors per iteration, which
  ;; then share one broadcast of each constant. The multiply-adds have the form scripts/buildWasm.mjs
  ;; fuses in the relaxed-SIMD build (elementwiseRelaxedSimd).
  (func (export "tanh") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $v v128) (local $w v128) (local $p v128) (local $q v128)
    (local $hi v128) (local $lo v128) (local $a4 v128) (local $a3 v128) (local $a2 v128) (local $a1 v128) (local $a0 v128)
    (local $b2 v128) (local $b1 v128) (local $b0 v128)
    (local $s f32) (local $s2 f32) (local $sp f32) (local $sq f32)
    (local.set $hi (f32x4.splat (f32.const 7.718662)))
    (local.set $lo (f32x4.splat (f32.const -7.718662)))
    ;; P(w) = a4·w⁴ + a3·w³ + a2·w² + a1·w + a0;  Q(w) = w³ + b2·w² + b1·w + b0
    (local.set $a4 (f32x4.splat (f32.const -0.000030317615)))
    (local.set $a3 (f32x4.splat (f32.const 0.03613011)))
    (local.set $a2 (f32x4.splat (f32.const 13.7800455)))
    (local.set $a1 (f32x4.splat (f32.const 653.4054)))
    (local.set $a0 (f32x4.splat (f32.const 5147.7744)))
    (local.set $b2 (f32x4.splat (f32.const 117.19807)))
    (local.set $b1 (f32x4.splat (f32.const 2369.319)))
    (local.set $b0 (f32x4.splat (f32.const 5147.776)))
    ;; Eight vectors (32 floats) at a time. pmin/pmax (one instruction each on x86) with x first:
    ;; pmin(x, c) = c < x ? c : x keeps a NaN x as it is.
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -32)) (i32.const 2))))
    (block $done8
      (loop $eight
        (br_if $done8 (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load (local.get $x)) (local.get $hi)) (local.get $lo)))
        (local.set $w (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.add (local.get $a3) (f32x4.mul (local.get $a4) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b2) (local.get $w)))
        (local.set $q (f32x4.add (local.get $b1) (f32x4.mul (local.get $q) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b0) (f32x4.mul (local.get $q) (local.get $w))))
        (v128.store (local.get $y) (f32x4.div (f32x4.mul (local.get $v) (local.get $p)) (local.get $q)))
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load offset=16 (local.get $x)) (local.get $hi)) (local.get $lo)))
        (local.set $w (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.add (local.get $a3) (f32x4.mul (local.get $a4) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b2) (local.get $w)))
        (local.set $q (f32x4.add (local.get $b1) (f32x4.mul (local.get $q) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b0) (f32x4.mul (local.get $q) (local.get $w))))
        (v128.store offset=16 (local.get $y) (f32x4.div (f32x4.mul (local.get $v) (local.get $p)) (local.get $q)))
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load offset=32 (local.get $x)) (local.get $hi)) (local.get $lo)))
        (local.set $w (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.add (local.get $a3) (f32x4.mul (local.get $a4) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b2) (local.get $w)))
        (local.set $q (f32x4.add (local.get $b1) (f32x4.mul (local.get $q) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b0) (f32x4.mul (local.get $q) (local.get $w))))
        (v128.store offset=32 (local.get $y) (f32x4.div (f32x4.mul (local.get $v) (local.get $p)) (local.get $q)))
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load offset=48 (local.get $x)) (local.get $hi)) (local.get $lo)))
        (local.set $w (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.add (local.get $a3) (f32x4.mul (local.get $a4) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b2) (local.get $w)))
        (local.set $q (f32x4.add (local.get $b1) (f32x4.mul (local.get $q) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b0) (f32x4.mul (local.get $q) (local.get $w))))
        (v128.store offset=48 (local.get $y) (f32x4.div (f32x4.mul (local.get $v) (local.get $p)) (local.get $q)))
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load offset=64 (local.get $x)) (local.get $hi)) (local.get $lo)))
        (local.set $w (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.add (local.get $a3) (f32x4.mul (local.get $a4) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b2) (local.get $w)))
        (local.set $q (f32x4.add (local.get $b1) (f32x4.mul (local.get $q) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b0) (f32x4.mul (local.get $q) (local.get $w))))
        (v128.store offset=64 (local.get $y) (f32x4.div (f32x4.mul (local.get $v) (local.get $p)) (local.get $q)))
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load offset=80 (local.get $x)) (local.get $hi)) (local.get $lo)))
        (local.set $w (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.add (local.get $a3) (f32x4.mul (local.get $a4) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b2) (local.get $w)))
        (local.set $q (f32x4.add (local.get $b1) (f32x4.mul (local.get $q) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b0) (f32x4.mul (local.get $q) (local.get $w))))
        (v128.store offset=80 (local.get $y) (f32x4.div (f32x4.mul (local.get $v) (local.get $p)) (local.get $q)))
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load offset=96 (local.get $x)) (local.get $hi)) (local.get $lo)))
        (local.set $w (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.add (local.get $a3) (f32x4.mul (local.get $a4) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b2) (local.get $w)))
        (local.set $q (f32x4.add (local.get $b1) (f32x4.mul (local.get $q) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b0) (f32x4.mul (local.get $q) (local.get $w))))
        (v128.store offset=96 (local.get $y) (f32x4.div (f32x4.mul (local.get $v) (local.get $p)) (local.get $q)))
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load offset=112 (local.get $x)) (local.get $hi)) (local.get $lo)))
        (local.set $w (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.add (local.get $a3) (f32x4.mul (local.get $a4) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b2) (local.get $w)))
        (local.set $q (f32x4.add (local.get $b1) (f32x4.mul (local.get $q) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b0) (f32x4.mul (local.get $q) (local.get $w))))
        (v128.store offset=112 (local.get $y) (f32x4.div (f32x4.mul (local.get $v) (local.get $p)) (local.get $q)))
        (local.set $x (i32.add (local.get $x) (i32.const 128)))
        (local.set $y (i32.add (local.get $y) (i32.const 128)))
        (br $eight)))
    ;; The remaining whole vectors, one at a time.
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 28)) (i32.const 2))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (f32x4.pmax (f32x4.pmin (v128.load (local.get $x)) (local.get $hi)) (local.get $lo)))
        (local.set $w (f32x4.mul (local.get $v) (local.get $v)))
        (local.set $p (f32x4.add (local.get $a3) (f32x4.mul (local.get $a4) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $p (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b2) (local.get $w)))
        (local.set $q (f32x4.add (local.get $b1) (f32x4.mul (local.get $q) (local.get $w))))
        (local.set $q (f32x4.add (local.get $b0) (f32x4.mul (local.get $q) (local.get $w))))
        (v128.store (local.get $y) (f32x4.div (f32x4.mul (local.get $v) (local.get $p)) (local.get $q)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $quad)))
    ;; The last n mod 4 elements, the same formula in scalars (never fused).
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f32.max (f32.const -7.718662) (f32.min (f32.const 7.718662) (f32.load (local.get $x)))))
        (local.set $s2 (f32.mul (local.get $s) (local.get $s)))
        (local.set $sp (f32.add (f32.const 0.03613011) (f32.mul (f32.const -0.000030317615) (local.get $s2))))
        (local.set $sp (f32.add (f32.const 13.7800455) (f32.mul (local.get $sp) (local.get $s2))))
        (local.set $sp (f32.add (f32.const 653.4054) (f32.mul (local.get $sp) (local.get $s2))))
        (local.set $sp (f32.add (f32.const 5147.7744) (f32.mul (local.get $sp) (local.get $s2))))
        (local.set $sq (f32.add (f32.const 117.19807) (local.get $s2)))
        (local.set $sq (f32.add (f32.const 2369.319) (f32.mul (local.get $sq) (local.get $s2))))
        (local.set $sq (f32.add (f32.const 5147.776) (f32.mul (local.get $sq) (local.get $s2))))
        (f32.store (local.get $y) (f32.div (f32.mul (local.get $s) (local.get $sp)) (local.get $sq)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $tail))))

  ;; Momentum update in place over n parameters, both of the engine's forms in one:
  ;;   v ← μ·v + gScale·g;   w ← w − wScale·v
  ;; PyTorch's form is gScale = 1, wScale = lr; the book's (lr inside the velocity) is
  ;; gScale = lr, wScale = 1 (optim/sgdMomentum.ts).
  (func (export "momentum") (param $w i32) (param $g i32) (param $v i32) (param $n i32)
                            (param $mu f32) (param $gScale f32) (param $wScale f32)
    (local $end i32) (local $vel v128) (local $mu4 v128) (local $gs4 v128) (local $ws4 v128) (local $s f32)
    (local.set $mu4 (f32x4.splat (local.get $mu)))
    (local.set $gs4 (f32x4.splat (local.get $gScale)))
    (local.set $ws4 (f32x4.splat (local.get $wScale)))
    (local.set $end (i32.add (local.get $w) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $vel (f32x4.add (f32x4.mul (local.get $mu4) (v128.load (local.get $v)))
                                   (f32x4.mul (local.get $gs4) (v128.load (local.get $g)))))
        (v128.store (local.get $v) (local.get $vel))
        (v128.store (local.get $w) (f32x4.sub (v128.load (local.get $w)) (f32x4.mul (local.get $ws4) (local.get $vel))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $quad)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $s (f32.add (f32.mul (local.get $mu) (f32.load (local.get $v)))
                               (f32.mul (local.get $gScale) (f32.load (local.get $g)))))
        (f32.store (local.get $v) (local.get $s))
        (f32.store (local.get $w) (f32.sub (f32.load (local.get $w)) (f32.mul (local.get $wScale) (local.get $s))))
        (local.set $w (i32.add (local.get $w) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (br $tail))))

  ;; Plain SGD in place over n float32 parameters: w ← w − lr·g, computed in float64 and rounded
  ;; once to float32, as JavaScript's `w[i] -= lr * g[i]` on a Float32Array does: bit for bit the
  ;; optimizer's loop (optim/sgd.ts), four parameters at a time as two float64 pairs.
  (func (export "sgd") (param $w i32) (param $g i32) (param $n i32) (param $lr f64)
    (local $end i32) (local $lr2 v128) (local $wv v128) (local $gv v128) (local $lo v128) (local $hi v128)
    (local.set $lr2 (f64x2.splat (local.get $lr)))
    (local.set $end (i32.add (local.get $w) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $wv (v128.load (local.get $w)))
        (local.set $gv (v128.load (local.get $g)))
        ;; lanes 0, 1
        (local.set $lo (f32x4.demote_f64x2_zero
          (f64x2.sub (f64x2.promote_low_f32x4 (local.get $wv))
                     (f64x2.mul (local.get $lr2) (f64x2.promote_low_f32x4 (local.get $gv))))))
        ;; lanes 2, 3, moved down first
        (local.set $wv (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $wv) (local.get $wv)))
        (local.set $gv (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $gv) (local.get $gv)))
        (local.set $hi (f32x4.demote_f64x2_zero
          (f64x2.sub (f64x2.promote_low_f32x4 (local.get $wv))
                     (f64x2.mul (local.get $lr2) (f64x2.promote_low_f32x4 (local.get $gv))))))
        (v128.store (local.get $w)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (local.get $hi)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br $quad)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $w) (local.get $end)))
        (f32.store (local.get $w)
          (f32.demote_f64 (f64.sub (f64.promote_f32 (f32.load (local.get $w)))
                                   (f64.mul (local.get $lr) (f64.promote_f32 (f32.load (local.get $g)))))))
        (local.set $w (i32.add (local.get $w) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (br $tail))))

;; Adam in place over n float32 parameters with optim/adam.ts's arithmetic: float64, m and v
  ;; rounded to float32 when stored and read back so, as its JavaScript loop does (bit for bit):
  ;;   m ← β1·m + (1−β1)·g;   v ← β2·v + ((1−β2)·g)·g;   w ← w − (lr·(m/c1)) / (√(v/c2) + ε)
  ;; (c1, c2: the bias corrections 1 − βᵗ). Two parameters at a time, as one float64 pair.
  (func (export "adam") (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
        (param $b1 f64) (param $ob1 f64) (param $b2 f64) (param $ob2 f64) (param $c1 f64) (param $c2 f64)
        (param $lr f64) (param $eps f64)
    (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $B1 v128) (local $OB1 v128) (local $B2 v128) (local $OB2 v128) (local $C1 v128) (local $C2 v128)
    (local $LR v128) (local $EPS v128) (local $gs f64) (local $ms f32) (local $vs f32)
    (local.set $B1 (f64x2.splat (local.get $b1)))
    (local.set $OB1 (f64x2.splat (local.get $ob1)))
    (local.set $B2 (f64x2.splat (local.get $b2)))
    (local.set $OB2 (f64x2.splat (local.get $ob2)))
    (local.set $C1 (f64x2.splat (local.get $c1)))
    (local.set $C2 (f64x2.splat (local.get $c2)))
    (local.set $LR (f64x2.splat (local.get $lr)))
    (local.set $EPS (f64x2.splat (local.get $eps)))
    (local.set $end (i32.add (local.get $w) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $gv (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $g))))
        (local.set $mv (f32x4.demote_f64x2_zero
          (f64x2.add (f64x2.mul (local.get $B1) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $m))))
                     (f64x2.mul (local.get $OB1) (local.get $gv)))))
        (v128.store64_lane 0 (local.get $m) (local.get $mv))
        (local.set $vv (f32x4.demote_f64x2_zero
          (f64x2.add (f64x2.mul (local.get $B2) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $v))))
                     (f64x2.mul (f64x2.mul (local.get $OB2) (local.get $gv)) (local.get $gv)))))
        (v128.store64_lane 0 (local.get $v) (local.get $vv))
        (v128.store64_lane 0 (local.get $w) (f32x4.demote_f64x2_zero
          (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $w)))
            (f64x2.div (f64x2.mul (local.get $LR) (f64x2.div (f64x2.promote_low_f32x4 (local.get $mv)) (local.get $C1)))
                       (f64x2.add (f64x2.sqrt (f64x2.div (f64x2.promote_low_f32x4 (local.get $vv)) (local.get $C2)))
                                  (local.get $EPS))))))
        (local.set $w (i32.add (local.get $w) (i32.const 8)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (local.set $m (i32.add (local.get $m) (i32.const 8)))
        (local.set $v (i32.add (local.get $v) (i32.const 8)))
        (br $pair)))
    ;; An odd n: the last parameter alone, the same arithmetic on scalars.
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $gs (f64.promote_f32 (f32.load (local.get $g))))
        (local.set $ms (f32.demote_f64 (f64.add (f64.mul (local.get $b1) (f64.promote_f32 (f32.load (local.get $m))))
                                                (f64.mul (local.get $ob1) (local.get $gs)))))
        (f32.store (local.get $m) (local.get $ms))
        (local.set $vs (f32.demote_f64 (f64.add (f64.mul (local.get $b2) (f64.promote_f32 (f32.load (local.get $v))))
                                                (f64.mul (f64.mul (local.get $ob2) (local.get $gs)) (local.get $gs)))))
        (f32.store (local.get $v) (local.get $vs))
        (f32.store (local.get $w) (f32.demote_f64
          (f64.sub (f64.promote_f32 (f32.load (local.get $w)))
            (f64.div (f64.mul (local.get $lr) (f64.div (f64.promote_f32 (local.get $ms)) (local.get $c1)))
                     (f64.add (f64.sqrt (f64.div (f64.promote_f32 (local.get $vs)) (local.get $c2))) (local.get $eps)))))))))

  ;; dx[i] = dy[i] · (1 − y[i]²) for i < n: tanh's backward from its output y (dx may be dy).
  ;; Computed as (1 − y)(1 + y): 1 − y is exact for |y| ≥ ½, so the result stays within a few
  ;; ulps where y is near ±1 (1 − y² in float32 would lose most of its digits there).
  ;; Four vectors per iteration of the main loop: the loop's own overhead (V8 checks for interrupts
  ;; at every back edge) is then shared.
;; NumPy's legacy RandomState (MT19937) drawing binomial(1, p) into float32 out[0..n): the stream
  ;; and values of random/randomState.ts's fillBernoulli, bit for bit (kernels/bernoulliKernel.ts).
  ;; mt: the generator's 624 words, followed by room for 624 more (their tempered copies); pos: the
  ;; next word (624: twist first). Twist and tempering run four words at a time. Each draw is
  ;; NumPy's rk_double (two tempered words → a 53-bit double) and its binomial inversion for n = 1:
  ;; x = 0 while u ≤ qn, else x = 1 unless u − qn > pxAfterOne (then a fresh draw: NumPy's bound
  ;; of 1 exceeded, which only a u within an ulp of 1 can do). A kept element (x ≠ flip) is `one`.
  ;; Returns the new pos.
;; One MT19937 step for four consecutive words at p (mt[i..i+3]), given the words four ahead's
  ;; neighbours (mt[i+1..i+4], loaded unaligned) and the recurrence's other operand `far`.
  (func $twist4 (param $p i32) (param $far v128)
    (local $y v128)
    (local.set $y (v128.or (v128.and (v128.load (local.get $p)) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
                           (v128.and (v128.load offset=4 (local.get $p)) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))))
    (v128.store (local.get $p) (v128.xor (v128.xor (local.get $far) (i32x4.shr_u (local.get $y) (i32.const 1)))
      (v128.and (i32x4.neg (v128.and (local.get $y) (v128.const i32x4 1 1 1 1)))
                (v128.const i32x4 0x9908b0df 0x9908b0df 0x9908b0df 0x9908b0df)))))

  ;; One word of the step, scalar: mt[i] from mt[i], mt[i+1] (at next) and `far`.
  (func $twist1 (param $p i32) (param $next i32) (param $far i32)
    (local $y i32)
    (local.set $y (i32.or (i32.and (i32.load (local.get $p)) (i32.const 0x80000000)) (i32.and (i32.load (local.get $next)) (i32.const 0x7fffffff))))
    (i32.store (local.get $p) (i32.xor (i32.xor (local.get $far) (i32.shr_u (local.get $y) (i32.const 1)))
      (i32.and (i32.sub (i32.const 0) (i32.and (local.get $y) (i32.const 1))) (i32.const 0x9908b0df)))))

  ;; Regenerates the 624 words at mt (MT19937's twist), four at a time where the recurrence
  ;; allows: words 0–223 read mt[i+397..] (not yet rewritten), 227–622 read mt[i−227..] (already
  ;; rewritten, as the recurrence wants); 224–226 and 623 one by one.
  (func $twist (param $mt i32)
    (local $p i32) (local $end i32)
    (local.set $p (local.get $mt))
    (local.set $end (i32.add (local.get $mt) (i32.const 896)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $p) (local.get $end)))
      (call $twist4 (local.get $p) (v128.load offset=1588 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l1)))
    (local.set $end (i32.add (local.get $mt) (i32.const 908)))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $p) (local.get $end)))
      (call $twist1 (local.get $p) (i32.add (local.get $p) (i32.const 4)) (i32.load offset=1588 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $l2)))
    (local.set $end (i32.add (local.get $mt) (i32.const 2492)))
    (block $d3 (loop $l3
      (br_if $d3 (i32.ge_u (local.get $p) (local.get $end)))
      (call $twist4 (local.get $p) (v128.load (i32.sub (local.get $p) (i32.const 908))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l3)))
    (call $twist1 (local.get $p) (local.get $mt) (i32.load offset=1584 (local.get $mt))))

  ;; tempered[i] = MT19937's tempering of mt[i], for the 624 words, four at a time.
  (func $temperAll (param $mt i32) (param $tempered i32)
    (local $y v128) (local $i i32)
    (block $done (loop $words
      (br_if $done (i32.ge_u (local.get $i) (i32.const 2496)))
      (local.set $y (v128.load (i32.add (local.get $mt) (local.get $i))))
      (local.set $y (v128.xor (local.get $y) (i32x4.shr_u (local.get $y) (i32.const 11))))
      (local.set $y (v128.xor (local.get $y) (v128.and (i32x4.shl (local.get $y) (i32.const 7)) (v128.const i32x4 0x9d2c5680 0x9d2c5680 0x9d2c5680 0x9d2c5680))))
      (local.set $y (v128.xor (local.get $y) (v128.and (i32x4.shl (local.get $y) (i32.const 15)) (v128.const i32x4 0xefc60000 0xefc60000 0xefc60000 0xefc60000))))
      (v128.store (i32.add (local.get $tempered) (local.get $i)) (v128.xor (local.get $y) (i32x4.shr_u (local.get $y) (i32.const 18))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $words))))

  (func (export "bernoulli") (param $mt i32) (param $pos i32) (param $out i32) (param $n i32)
        (param $qn f64) (param $pxAfterOne f64) (param $flip i32) (param $one f32) (result i32)
    (local $end i32) (local $x i32) (local $px f64) (local $u f64) (local $a i32) (local $b i32) (local $tempered i32)
    ;; The tempered words of the current block follow the 624 state words in the scratch block.
    (local.set $tempered (i32.add (local.get $mt) (i32.const 2496)))
    (call $temperAll (local.get $mt) (local.get $tempered))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $elements
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (local.set $x (i32.const 0))
      (local.set $px (local.get $qn))
      (block $drawn (loop $draw
        ;; u = rk_double: two words, each tempered, twisting the block when it runs out.
        (if (i32.ge_u (local.get $pos) (i32.const 624))
          (then (call $twist (local.get $mt)) (call $temperAll (local.get $mt) (local.get $tempered)) (local.set $pos (i32.const 0))))
        (local.set $a (i32.load (i32.add (local.get $tempered) (i32.shl (local.get $pos) (i32.const 2)))))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (if (i32.ge_u (local.get $pos) (i32.const 624))
          (then (call $twist (local.get $mt)) (call $temperAll (local.get $mt) (local.get $tempered)) (local.set $pos (i32.const 0))))
        (local.set $b (i32.load (i32.add (local.get $tempered) (i32.shl (local.get $pos) (i32.const 2)))))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        ;; × 2^−53 rather than ÷ 2^53: exact either way (a power of two), and no division latency.
        (local.set $u (f64.mul (f64.add (f64.mul (f64.convert_i32_u (i32.shr_u (local.get $a) (i32.const 5))) (f64.const 67108864))
                                        (f64.convert_i32_u (i32.shr_u (local.get $b) (i32.const 6))))
                               (f64.const 0x1p-53)))
        ;; while (u > px): x += 1; if (x > 1) { x = 0; px = qn; draw again } else { u −= px; px = pxAfterOne }
        (block $settled (loop $inversion
          (br_if $settled (i32.eqz (f64.gt (local.get $u) (local.get $px))))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (if (i32.gt_u (local.get $x) (i32.const 1))
            (then
              (local.set $x (i32.const 0))
              (local.set $px (local.get $qn))
              (br $draw)))
          (local.set $u (f64.sub (local.get $u) (local.get $px)))
          (local.set $px (local.get $pxAfterOne))
          (br $inversion)))
        (br $drawn)))
      (f32.store (local.get $out) (select (local.get $one) (f32.const 0) (i32.ne (local.get $x) (local.get $flip))))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $elements)))
    (local.get $pos))

  ;; out[i] = a[i] · b[i] for i < n (out may be a or b): dropout's mask and a recurrent cell's gates.
  (func (export "mul") (param $a i32) (param $b i32) (param $out i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $out) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $quad)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $a) (local.get $end)))
        (f32.store (local.get $out) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $tail))))

  ;; out[i] = a[i] + b[i] for i < n (out may be a or b): gradients summed where a value has several uses
  ;; (recurrent/recurrentCell.ts sumGrads).
  (func (export "add") (param $a i32) (param $b i32) (param $out i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $out) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $quad)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $a) (local.get $end)))
        (f32.store (local.get $out) (f32.add (f32.load (local.get $a)) (f32.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $tail))))

    (func (export "tanhBackward") (param $dy i32) (param $y i32) (param $dx i32) (param $n i32)
    (local $end i32) (local $v v128) (local $s f32)
    (local.set $end (i32.add (local.get $dy) (i32.shl (i32.and (local.get $n) (i32.const -16)) (i32.const 2))))
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_u (local.get $dy) (local.get $end)))
        (local.set $v (v128.load (local.get $y)))
        (v128.store (local.get $dx) (f32x4.mul (v128.load (local.get $dy))
          (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $v)) (f32x4.add (f32x4.splat (f32.const 1)) (local.get $v)))))
        (local.set $v (v128.load offset=16 (local.get $y)))
        (v128.store offset=16 (local.get $dx) (f32x4.mul (v128.load offset=16 (local.get $dy))
          (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $v)) (f32x4.add (f32x4.splat (f32.const 1)) (local.get $v)))))
        (local.set $v (v128.load offset=32 (local.get $y)))
        (v128.store offset=32 (local.get $dx) (f32x4.mul (v128.load offset=32 (local.get $dy))
          (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $v)) (f32x4.add (f32x4.splat (f32.const 1)) (local.get $v)))))
        (local.set $v (v128.load offset=48 (local.get $y)))
        (v128.store offset=48 (local.get $dx) (f32x4.mul (v128.load offset=48 (local.get $dy))
          (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $v)) (f32x4.add (f32x4.splat (f32.const 1)) (local.get $v)))))
        (local.set $dy (i32.add (local.get $dy) (i32.const 64)))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 64)))
        (br $four)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 12)) (i32.const 2))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $dy) (local.get $end)))
        (local.set $v (v128.load (local.get $y)))
        (v128.store (local.get $dx) (f32x4.mul (v128.load (local.get $dy))
          (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $v)) (f32x4.add (f32x4.splat (f32.const 1)) (local.get $v)))))
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

  ;; im2col for one example (kernels/im2col.ts has the reference and the layout):
  ;;   cols[(c·kh + p)·kw + q, i·ow + j] = xpad[c, i·sh + p, j·sw + q]
  ;; x and cols are byte offsets; every entry of cols is written (padding taps with 0). Per
  ;; (c, p, q) the valid output columns [j0, j1) are found once; stride-1 rows are copied four
  ;; floats at a time.
  (func (export "im2col") (param $x i32) (param $cols i32)
        (param $cIn i32) (param $h i32) (param $w i32) (param $kh i32) (param $kw i32)
        (param $oh i32) (param $ow i32) (param $sh i32) (param $sw i32) (param $padTop i32) (param $padLeft i32)
    (local $c i32) (local $p i32) (local $q i32) (local $i i32) (local $j i32)
    (local $j0 i32) (local $j1 i32) (local $ih i32) (local $out i32) (local $src i32) (local $xChan i32)
    (local $shift i32) (local $end i32)
    (local.set $out (local.get $cols))
    (local.set $c (i32.const 0))
    (loop $chans
      (local.set $xChan (i32.add (local.get $x) (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $h) (local.get $w))) (i32.const 2))))
      (local.set $p (i32.const 0))
      (loop $rowsP
        (local.set $q (i32.const 0))
        (loop $colsQ
          (local.set $shift (i32.sub (local.get $q) (local.get $padLeft)))
          ;; j0: first j with j·sw + shift ≥ 0; j1: one past the last with j·sw + shift < w.
          (local.set $j0 (i32.const 0))
          (block $f0 (loop $l0
            (br_if $f0 (i32.ge_s (local.get $j0) (local.get $ow)))
            (br_if $f0 (i32.ge_s (i32.add (i32.mul (local.get $j0) (local.get $sw)) (local.get $shift)) (i32.const 0)))
            (local.set $j0 (i32.add (local.get $j0) (i32.const 1)))
            (br $l0)))
          (local.set $j1 (local.get $ow))
          (block $f1 (loop $l1
            (br_if $f1 (i32.le_s (local.get $j1) (local.get $j0)))
            (br_if $f1 (i32.lt_s (i32.add (i32.mul (i32.sub (local.get $j1) (i32.const 1)) (local.get $sw)) (local.get $shift)) (local.get $w)))
            (local.set $j1 (i32.sub (local.get $j1) (i32.const 1)))
            (br $l1)))
          (local.set $i (i32.const 0))
          (loop $outRows
            (local.set $ih (i32.sub (i32.add (i32.mul (local.get $i) (local.get $sh)) (local.get $p)) (local.get $padTop)))
            (if (i32.or (i32.lt_s (local.get $ih) (i32.const 0)) (i32.ge_s (local.get $ih) (local.get $h)))
              (then
                (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $ow) (i32.const 2))))
              (else
                ;; zeros before j0
                (local.set $j (i32.const 0))
                (block $z0 (loop $lz0
                  (br_if $z0 (i32.ge_s (local.get $j) (local.get $j0)))
                  (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32.const 0))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $lz0)))
                ;; src = &x[c, ih, j0·sw + shift]
                (local.set $src (i32.add (local.get $xChan)
                  (i32.shl (i32.add (i32.mul (local.get $ih) (local.get $w))
                                    (i32.add (i32.mul (local.get $j0) (local.get $sw)) (local.get $shift))) (i32.const 2))))
                (if (i32.eq (local.get $sw) (i32.const 1))
                  (then
                    (local.set $end (i32.sub (local.get $j1) (i32.const 3)))
                    (block $v (loop $lv
                      (br_if $v (i32.ge_s (local.get $j) (local.get $end)))
                      (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (v128.load (local.get $src)))
                      (local.set $src (i32.add (local.get $src) (i32.const 16)))
                      (local.set $j (i32.add (local.get $j) (i32.const 4)))
                      (br $lv)))))
                (block $s (loop $ls
                  (br_if $s (i32.ge_s (local.get $j) (local.get $j1)))
                  (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32.load (local.get $src)))
                  (local.set $src (i32.add (local.get $src) (i32.shl (local.get $sw) (i32.const 2))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $ls)))
                (block $z1 (loop $lz1
                  (br_if $z1 (i32.ge_s (local.get $j) (local.get $ow)))
                  (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32.const 0))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $lz1)))))
            (local.set $out (i32.add (local.get $out) (i32.shl (local.get $ow) (i32.const 2))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $outRows (i32.lt_s (local.get $i) (local.get $oh))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br_if $colsQ (i32.lt_s (local.get $q) (local.get $kw))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $rowsP (i32.lt_s (local.get $p) (local.get $kh))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $chans (i32.lt_s (local.get $c) (local.get $cIn)))))

  ;; One LSTM step's elementwise forward (recurrent/lstmCell.ts), on byte offsets: the gate products
  ;; sF, sI, sC, sO [rows, hidden] with rows sStride bytes apart (one [rows, 4·hidden] product:
  ;; sI = sF + 4·hidden, ...), the biases [hidden], and cPrev, f, i, g, o, c, tc, h [rows, hidden]
  ;; row-major; hidden a multiple of 4:
  ;;   f = σ(sF + bF), i = σ(sI + bI), g = tanh(sC + bC), o = σ(sO + bO)
  ;;   c = f·cPrev + i·g,  tc = tanh(c),  h = o·tc
  (func (export "lstmForward")
    (param $sF i32) (param $sI i32) (param $sC i32) (param $sO i32) (param $sStride i32)
    (param $bF i32) (param $bI i32) (param $bC i32) (param $bO i32)
    (param $cPrev i32) (param $f i32) (param $i i32) (param $g i32) (param $o i32)
    (param $c i32) (param $tc i32) (param $h i32) (param $rows i32) (param $hidden i32)
    (local $at i32) (local $s i32) (local $j i32) (local $rowBytes i32) (local $r i32)
    (local $vf v128) (local $vi v128) (local $vg v128) (local $vo v128) (local $vc v128) (local $vt v128)
    (local $tv v128) (local $tw v128) (local $tp v128) (local $tq v128)
    (local.set $rowBytes (i32.shl (local.get $hidden) (i32.const 2)))
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $hidden))) (then (return)))
    (loop $rowLoop
      (local.set $j (i32.const 0))
      (loop $columns
        ;; Written out rather than called per vector: tanh is the
        ;; "tanh" export's formula (clamp, x·P(x²)/Q(x²)); σ(x) = ½ + ½·tanh(x/2), within ~3e-7 of
        ;; 1/(1 + e^−x) and exactly 0 or 1 beyond |x| ≈ 15.4.
        (local.set $tv (f32x4.pmax (f32x4.pmin (f32x4.mul (f32x4.splat (f32.const 0.5)) (f32x4.add (v128.load (i32.add (local.get $sF) (i32.add (local.get $s) (local.get $j)))) (v128.load (i32.add (local.get $bF) (local.get $j))))) (f32x4.splat (f32.const 7.718662))) (f32x4.splat (f32.const -7.718662))))
        (local.set $tw (f32x4.mul (local.get $tv) (local.get $tv)))
        (local.set $tp (f32x4.splat (f32.const -0.000030317615)))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 0.03613011)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 13.7800455)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 653.4054)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 5147.7744)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 117.19807)) (local.get $tw)))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 2369.319)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 5147.776)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $vf (f32x4.div (f32x4.mul (local.get $tv) (local.get $tp)) (local.get $tq)))
        (local.set $vf (f32x4.add (f32x4.splat (f32.const 0.5)) (f32x4.mul (f32x4.splat (f32.const 0.5)) (local.get $vf))))
        (local.set $tv (f32x4.pmax (f32x4.pmin (f32x4.mul (f32x4.splat (f32.const 0.5)) (f32x4.add (v128.load (i32.add (local.get $sI) (i32.add (local.get $s) (local.get $j)))) (v128.load (i32.add (local.get $bI) (local.get $j))))) (f32x4.splat (f32.const 7.718662))) (f32x4.splat (f32.const -7.718662))))
        (local.set $tw (f32x4.mul (local.get $tv) (local.get $tv)))
        (local.set $tp (f32x4.splat (f32.const -0.000030317615)))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 0.03613011)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 13.7800455)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 653.4054)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 5147.7744)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 117.19807)) (local.get $tw)))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 2369.319)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 5147.776)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $vi (f32x4.div (f32x4.mul (local.get $tv) (local.get $tp)) (local.get $tq)))
        (local.set $vi (f32x4.add (f32x4.splat (f32.const 0.5)) (f32x4.mul (f32x4.splat (f32.const 0.5)) (local.get $vi))))
        (local.set $tv (f32x4.pmax (f32x4.pmin (f32x4.add (v128.load (i32.add (local.get $sC) (i32.add (local.get $s) (local.get $j)))) (v128.load (i32.add (local.get $bC) (local.get $j)))) (f32x4.splat (f32.const 7.718662))) (f32x4.splat (f32.const -7.718662))))
        (local.set $tw (f32x4.mul (local.get $tv) (local.get $tv)))
        (local.set $tp (f32x4.splat (f32.const -0.000030317615)))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 0.03613011)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 13.7800455)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 653.4054)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 5147.7744)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 117.19807)) (local.get $tw)))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 2369.319)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 5147.776)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $vg (f32x4.div (f32x4.mul (local.get $tv) (local.get $tp)) (local.get $tq)))
        (local.set $tv (f32x4.pmax (f32x4.pmin (f32x4.mul (f32x4.splat (f32.const 0.5)) (f32x4.add (v128.load (i32.add (local.get $sO) (i32.add (local.get $s) (local.get $j)))) (v128.load (i32.add (local.get $bO) (local.get $j))))) (f32x4.splat (f32.const 7.718662))) (f32x4.splat (f32.const -7.718662))))
        (local.set $tw (f32x4.mul (local.get $tv) (local.get $tv)))
        (local.set $tp (f32x4.splat (f32.const -0.000030317615)))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 0.03613011)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 13.7800455)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 653.4054)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 5147.7744)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 117.19807)) (local.get $tw)))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 2369.319)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 5147.776)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $vo (f32x4.div (f32x4.mul (local.get $tv) (local.get $tp)) (local.get $tq)))
        (local.set $vo (f32x4.add (f32x4.splat (f32.const 0.5)) (f32x4.mul (f32x4.splat (f32.const 0.5)) (local.get $vo))))
        (local.set $vc (f32x4.add (f32x4.mul (local.get $vf) (v128.load (i32.add (local.get $cPrev) (i32.add (local.get $at) (local.get $j)))))
                                  (f32x4.mul (local.get $vi) (local.get $vg))))
        (local.set $tv (f32x4.pmax (f32x4.pmin (local.get $vc) (f32x4.splat (f32.const 7.718662))) (f32x4.splat (f32.const -7.718662))))
        (local.set $tw (f32x4.mul (local.get $tv) (local.get $tv)))
        (local.set $tp (f32x4.splat (f32.const -0.000030317615)))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 0.03613011)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 13.7800455)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 653.4054)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tp (f32x4.add (f32x4.splat (f32.const 5147.7744)) (f32x4.mul (local.get $tp) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 117.19807)) (local.get $tw)))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 2369.319)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $tq (f32x4.add (f32x4.splat (f32.const 5147.776)) (f32x4.mul (local.get $tq) (local.get $tw))))
        (local.set $vt (f32x4.div (f32x4.mul (local.get $tv) (local.get $tp)) (local.get $tq)))
        (v128.store (i32.add (local.get $f) (i32.add (local.get $at) (local.get $j))) (local.get $vf))
        (v128.store (i32.add (local.get $i) (i32.add (local.get $at) (local.get $j))) (local.get $vi))
        (v128.store (i32.add (local.get $g) (i32.add (local.get $at) (local.get $j))) (local.get $vg))
        (v128.store (i32.add (local.get $o) (i32.add (local.get $at) (local.get $j))) (local.get $vo))
        (v128.store (i32.add (local.get $c) (i32.add (local.get $at) (local.get $j))) (local.get $vc))
        (v128.store (i32.add (local.get $tc) (i32.add (local.get $at) (local.get $j))) (local.get $vt))
        (v128.store (i32.add (local.get $h) (i32.add (local.get $at) (local.get $j))) (f32x4.mul (local.get $vo) (local.get $vt)))
        (br_if $columns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $rowBytes))))
      (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
      (local.set $s (i32.add (local.get $s) (local.get $sStride)))
      (br_if $rowLoop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows)))))

  ;; The same step's elementwise backward, from dH and dCNext (∂L/∂C_t from step t+1) and the
  ;; saved f, i, g, o, cPrev, tc ([rows, hidden] row-major):
  ;;   dO = dH·tc,  dC = dCNext + (dH·o)·(1 − tc)(1 + tc)
  ;;   dsF = (dC·cPrev)·f·(1 − f),  dsI = (dC·g)·i·(1 − i),  dsC = (dC·i)·(1 − g)(1 + g),
  ;;   dsO = dO·o·(1 − o),  dCPrev = dC·f
  ;; The gate products' gradients ds* have rows dsStride bytes apart (one [rows, 4·hidden] matrix,
  ;; as the forward's s*); with `bias` ≠ 0 also dB*[j] += ds*[r, j], row after row.
  (func (export "lstmBackward")
    (param $dH i32) (param $dCNext i32) (param $f i32) (param $i i32) (param $g i32) (param $o i32)
    (param $cPrev i32) (param $tc i32)
    (param $dsF i32) (param $dsI i32) (param $dsC i32) (param $dsO i32) (param $dsStride i32) (param $dCPrev i32)
    (param $dbF i32) (param $dbI i32) (param $dbC i32) (param $dbO i32)
    (param $rows i32) (param $hidden i32) (param $bias i32)
    (local $at i32) (local $s i32) (local $j i32) (local $e i32) (local $d i32) (local $rowBytes i32) (local $r i32)
    (local $dh v128) (local $vf v128) (local $vi v128) (local $vg v128) (local $vo v128) (local $vt v128)
    (local $dc v128) (local $one v128) (local $xF v128) (local $xI v128) (local $xC v128) (local $xO v128)
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $rowBytes (i32.shl (local.get $hidden) (i32.const 2)))
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $hidden))) (then (return)))
    (loop $rowLoop
      (local.set $j (i32.const 0))
      (loop $columns
        (local.set $e (i32.add (local.get $at) (local.get $j)))
        (local.set $d (i32.add (local.get $s) (local.get $j)))
        (local.set $dh (v128.load (i32.add (local.get $dH) (local.get $e))))
        (local.set $vf (v128.load (i32.add (local.get $f) (local.get $e))))
        (local.set $vi (v128.load (i32.add (local.get $i) (local.get $e))))
        (local.set $vg (v128.load (i32.add (local.get $g) (local.get $e))))
        (local.set $vo (v128.load (i32.add (local.get $o) (local.get $e))))
        (local.set $vt (v128.load (i32.add (local.get $tc) (local.get $e))))
        (local.set $dc (f32x4.add (v128.load (i32.add (local.get $dCNext) (local.get $e)))
          (f32x4.mul (f32x4.mul (local.get $dh) (local.get $vo))
                     (f32x4.mul (f32x4.sub (local.get $one) (local.get $vt)) (f32x4.add (local.get $one) (local.get $vt))))))
        (local.set $xF (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (v128.load (i32.add (local.get $cPrev) (local.get $e))))
                                             (local.get $vf))
                                  (f32x4.sub (local.get $one) (local.get $vf))))
        (local.set $xI (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (local.get $vg)) (local.get $vi))
                                  (f32x4.sub (local.get $one) (local.get $vi))))
        (local.set $xC (f32x4.mul (f32x4.mul (local.get $dc) (local.get $vi))
                                  (f32x4.mul (f32x4.sub (local.get $one) (local.get $vg)) (f32x4.add (local.get $one) (local.get $vg)))))
        (local.set $xO (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh) (local.get $vt)) (local.get $vo))
                                  (f32x4.sub (local.get $one) (local.get $vo))))
        (v128.store (i32.add (local.get $dCPrev) (local.get $e)) (f32x4.mul (local.get $dc) (local.get $vf)))
        (v128.store (i32.add (local.get $dsF) (local.get $d)) (local.get $xF))
        (v128.store (i32.add (local.get $dsI) (local.get $d)) (local.get $xI))
        (v128.store (i32.add (local.get $dsC) (local.get $d)) (local.get $xC))
        (v128.store (i32.add (local.get $dsO) (local.get $d)) (local.get $xO))
        (if (local.get $bias)
          (then
            (v128.store (i32.add (local.get $dbF) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $dbF) (local.get $j))) (local.get $xF)))
            (v128.store (i32.add (local.get $dbI) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $dbI) (local.get $j))) (local.get $xI)))
            (v128.store (i32.add (local.get $dbC) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $dbC) (local.get $j))) (local.get $xC)))
            (v128.store (i32.add (local.get $dbO) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $dbO) (local.get $j))) (local.get $xO)))))
        (br_if $columns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $rowBytes))))
      (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
      (local.set $s (i32.add (local.get $s) (local.get $dsStride)))
      (br_if $rowLoop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows)))))

  ;; dst[j] += src[r, j] for rows r = 0, 1, … in order (rows srcStride bytes apart), j < n, n a
  ;; multiple of 4: a bias gradient from its gate's dS, with lstmBackward's sums (its `bias` flag).
  (func (export "colSum") (param $src i32) (param $srcStride i32) (param $rows i32) (param $n i32) (param $dst i32)
    (local $j i32) (local $r i32) (local $s i32) (local $acc v128) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $n))) (then (return)))
    (loop $columns
      (local.set $acc (v128.load (i32.add (local.get $dst) (local.get $j))))
      (local.set $s (i32.add (local.get $src) (local.get $j)))
      (local.set $r (local.get $rows))
      (loop $rowLoop
        (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $s))))
        (local.set $s (i32.add (local.get $s) (local.get $srcStride)))
        (br_if $rowLoop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      (v128.store (i32.add (local.get $dst) (local.get $j)) (local.get $acc))
      (br_if $columns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $bytes)))))
)
