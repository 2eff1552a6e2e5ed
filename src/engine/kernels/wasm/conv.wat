;; Direct 2-D convolution (stride 1) for WebAssembly SIMD128, on the engine's shared memory.
;;
;; Why not im2col + GEMM here: for the small convolutions of this engine's models (MNIST, 5×5,
;; 1–16 input channels) the patch matrix is 25× the input, and building it, then packing it for the
;; GEMM, cost as much as the products themselves. These kernels read a zero-padded copy of the input
;; (a few KB per example, L1-resident) directly.
;;
;; Layouts (floats; G = ⌈Cout/4⌉ groups of four filters):
;;   xp  [Cin, hp, wp]          one example's input, zero-padded: xp[c, r + padTop, s + padLeft] = x[c, r, s]
;;   w4  [G, Cin, kh, kw, 4]    the weights, the four filters of a group side by side (zeros past Cout)
;;   b4  [G·4]                  the bias (zeros past Cout)
;;   y   [Cout, oh, ow]         the output of one example
;;   dy  [Cout, oh, dyRow]      its gradient, rows zero-padded to dyRow ≥ ow4 = ⌈ow/4⌉·4
;; with hp ≥ oh + kh − 1 and wp ≥ ⌈ow/8⌉·8 + kw (so every vector read stays inside the row).
;;
;; Forward: y[o, i, j] = b[o] + Σ_{c,p,q} W[o, c, p, q] · xp[c, i + p, j + q], computed for a tile
;; of four filters × eight outputs of a row in eight f32x4 accumulators: per tap two loads of xp,
;; four splats of w4, eight multiply-adds (the same ratio as gemm.wat's micro-kernel).
;; Weight gradient: dW[o, c, p, q] += Σ_{i,j} dy[o, i, j] · xp[c, i + p, j + q], for four filters ×
;; two taps at a time, vectorised over j, reduced across lanes at the end.
;;
;; scripts/buildWasm.mjs assembles this file as written and with every multiply-add
;; (f32x4.add (local.get $acc) (f32x4.mul (local.get $a) (local.get $b))) fused (relaxed SIMD).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; xp ← the example x [cIn, h, w] placed at (padTop, padLeft) in a zeroed [cIn, hp, wp] block.
  (func (export "padInput") (param $x i32) (param $dst i32) (param $cIn i32) (param $h i32) (param $w i32)
        (param $hp i32) (param $wp i32) (param $padTop i32) (param $padLeft i32)
    (local $c i32) (local $r i32) (local $to i32)
    (memory.fill (local.get $dst) (i32.const 0) (i32.shl (i32.mul (local.get $cIn) (i32.mul (local.get $hp) (local.get $wp))) (i32.const 2)))
    (local.set $c (i32.const 0))
    (block $chansDone (loop $chans
      (br_if $chansDone (i32.ge_u (local.get $c) (local.get $cIn)))
      (local.set $to (i32.add (local.get $dst)
        (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $c) (local.get $hp)) (local.get $padTop)) (local.get $wp)) (local.get $padLeft)) (i32.const 2))))
      (local.set $r (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $h)))
        (memory.copy (local.get $to) (local.get $x) (i32.shl (local.get $w) (i32.const 2)))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $w) (i32.const 2))))
        (local.set $to (i32.add (local.get $to) (i32.shl (local.get $wp) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $chans))))

  ;; dst [rows, wDst] ← src [rows, w] with each row's tail (wDst − w floats) zeroed.
  (func (export "padRows") (param $src i32) (param $dst i32) (param $rows i32) (param $w i32) (param $wDst i32)
    (block $done (loop $row
      (br_if $done (i32.eqz (local.get $rows)))
      (memory.copy (local.get $dst) (local.get $src) (i32.shl (local.get $w) (i32.const 2)))
      (memory.fill (i32.add (local.get $dst) (i32.shl (local.get $w) (i32.const 2))) (i32.const 0)
        (i32.shl (i32.sub (local.get $wDst) (local.get $w)) (i32.const 2)))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $w) (i32.const 2))))
      (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $wDst) (i32.const 2))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))

  ;; Stores the first `lanes` (1–4) lanes of v at y.
  (func $storeLanes (param $y i32) (param $v v128) (param $lanes i32)
    (if (i32.ge_u (local.get $lanes) (i32.const 4))
      (then (v128.store (local.get $y) (local.get $v)) (return)))
    (f32.store (local.get $y) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.ge_u (local.get $lanes) (i32.const 2)) (then (f32.store offset=4 (local.get $y) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.ge_u (local.get $lanes) (i32.const 3)) (then (f32.store offset=8 (local.get $y) (f32x4.extract_lane 2 (local.get $v))))))

  ;; One forward tile: four filters (nf of them real) × eight outputs of one row.
  ;; xp: &xp[0, i, j]; wg: the group's weights; plane, row: xp's strides in bytes;
  ;; bias: &b4[4g]; y: &y[4g, i, j]; yPlane: y's filter stride in bytes.
  (func $forward8 (param $xp i32) (param $wg i32) (param $cIn i32) (param $kh i32) (param $kw i32)
        (param $plane i32) (param $row i32) (param $bias i32) (param $y i32) (param $yPlane i32) (param $nf i32)
    (local $a v128) (local $x0 v128) (local $x1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $c i32) (local $p i32) (local $q i32) (local $xr i32) (local $xq i32)
    (local.set $c00 (v128.load32_splat (local.get $bias)))
    (local.set $c01 (local.get $c00))
    (local.set $c10 (v128.load32_splat offset=4 (local.get $bias)))
    (local.set $c11 (local.get $c10))
    (local.set $c20 (v128.load32_splat offset=8 (local.get $bias)))
    (local.set $c21 (local.get $c20))
    (local.set $c30 (v128.load32_splat offset=12 (local.get $bias)))
    (local.set $c31 (local.get $c30))
    (local.set $c (local.get $cIn))
    (loop $chans
      (local.set $xr (local.get $xp))
      (local.set $p (local.get $kh))
      (loop $rows
        (local.set $xq (local.get $xr))
        (local.set $q (local.get $kw))
        (loop $taps
          (local.set $x0 (v128.load (local.get $xq)))
          (local.set $x1 (v128.load offset=16 (local.get $xq)))
          (local.set $a (v128.load32_splat (local.get $wg)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $x0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $x1))))
          (local.set $a (v128.load32_splat offset=4 (local.get $wg)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $x0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $x1))))
          (local.set $a (v128.load32_splat offset=8 (local.get $wg)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $x0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $x1))))
          (local.set $a (v128.load32_splat offset=12 (local.get $wg)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $x0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $x1))))
          (local.set $wg (i32.add (local.get $wg) (i32.const 16)))
          (local.set $xq (i32.add (local.get $xq) (i32.const 4)))
          (br_if $taps (local.tee $q (i32.sub (local.get $q) (i32.const 1)))))
        (local.set $xr (i32.add (local.get $xr) (local.get $row)))
        (br_if $rows (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (local.set $xp (i32.add (local.get $xp) (local.get $plane)))
      (br_if $chans (local.tee $c (i32.sub (local.get $c) (i32.const 1)))))
    (v128.store (local.get $y) (local.get $c00))
    (v128.store offset=16 (local.get $y) (local.get $c01))
    (if (i32.lt_u (local.get $nf) (i32.const 2)) (then (return)))
    (local.set $y (i32.add (local.get $y) (local.get $yPlane)))
    (v128.store (local.get $y) (local.get $c10))
    (v128.store offset=16 (local.get $y) (local.get $c11))
    (if (i32.lt_u (local.get $nf) (i32.const 3)) (then (return)))
    (local.set $y (i32.add (local.get $y) (local.get $yPlane)))
    (v128.store (local.get $y) (local.get $c20))
    (v128.store offset=16 (local.get $y) (local.get $c21))
    (if (i32.lt_u (local.get $nf) (i32.const 4)) (then (return)))
    (local.set $y (i32.add (local.get $y) (local.get $yPlane)))
    (v128.store (local.get $y) (local.get $c30))
    (v128.store offset=16 (local.get $y) (local.get $c31)))

  ;; The same for four filters × `lanes` (1–4) outputs: a row's last outputs.
  (func $forward4 (param $xp i32) (param $wg i32) (param $cIn i32) (param $kh i32) (param $kw i32)
        (param $plane i32) (param $row i32) (param $bias i32) (param $y i32) (param $yPlane i32) (param $nf i32) (param $lanes i32)
    (local $a v128) (local $x0 v128)
    (local $c00 v128) (local $c10 v128) (local $c20 v128) (local $c30 v128)
    (local $c i32) (local $p i32) (local $q i32) (local $xr i32) (local $xq i32)
    (local.set $c00 (v128.load32_splat (local.get $bias)))
    (local.set $c10 (v128.load32_splat offset=4 (local.get $bias)))
    (local.set $c20 (v128.load32_splat offset=8 (local.get $bias)))
    (local.set $c30 (v128.load32_splat offset=12 (local.get $bias)))
    (local.set $c (local.get $cIn))
    (loop $chans
      (local.set $xr (local.get $xp))
      (local.set $p (local.get $kh))
      (loop $rows
        (local.set $xq (local.get $xr))
        (local.set $q (local.get $kw))
        (loop $taps
          (local.set $x0 (v128.load (local.get $xq)))
          (local.set $a (v128.load32_splat (local.get $wg)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $x0))))
          (local.set $a (v128.load32_splat offset=4 (local.get $wg)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $x0))))
          (local.set $a (v128.load32_splat offset=8 (local.get $wg)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $x0))))
          (local.set $a (v128.load32_splat offset=12 (local.get $wg)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $x0))))
          (local.set $wg (i32.add (local.get $wg) (i32.const 16)))
          (local.set $xq (i32.add (local.get $xq) (i32.const 4)))
          (br_if $taps (local.tee $q (i32.sub (local.get $q) (i32.const 1)))))
        (local.set $xr (i32.add (local.get $xr) (local.get $row)))
        (br_if $rows (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (local.set $xp (i32.add (local.get $xp) (local.get $plane)))
      (br_if $chans (local.tee $c (i32.sub (local.get $c) (i32.const 1)))))
    ;; One call that takes all four sums (a vector live across a call is spilled inside the loop).
    (call $store4 (local.get $y) (local.get $yPlane) (local.get $nf) (local.get $lanes)
      (local.get $c00) (local.get $c10) (local.get $c20) (local.get $c30)))

  (func $store4 (param $y i32) (param $yPlane i32) (param $nf i32) (param $lanes i32)
        (param $c00 v128) (param $c10 v128) (param $c20 v128) (param $c30 v128)
    (call $storeLanes (local.get $y) (local.get $c00) (local.get $lanes))
    (if (i32.lt_u (local.get $nf) (i32.const 2)) (then (return)))
    (local.set $y (i32.add (local.get $y) (local.get $yPlane)))
    (call $storeLanes (local.get $y) (local.get $c10) (local.get $lanes))
    (if (i32.lt_u (local.get $nf) (i32.const 3)) (then (return)))
    (local.set $y (i32.add (local.get $y) (local.get $yPlane)))
    (call $storeLanes (local.get $y) (local.get $c20) (local.get $lanes))
    (if (i32.lt_u (local.get $nf) (i32.const 4)) (then (return)))
    (local.set $y (i32.add (local.get $y) (local.get $yPlane)))
    (call $storeLanes (local.get $y) (local.get $c30) (local.get $lanes)))

  ;; y = conv(xp, W) + b for one example (layouts above).
  (func (export "convForward") (param $xp i32) (param $hp i32) (param $wp i32) (param $cIn i32)
        (param $w4 i32) (param $b4 i32) (param $y i32) (param $cOut i32) (param $oh i32) (param $ow i32)
        (param $kh i32) (param $kw i32)
    (local $g i32) (local $nf i32) (local $wg i32) (local $yg i32) (local $i i32) (local $j i32)
    (local $plane i32) (local $row i32) (local $yPlane i32) (local $groupBytes i32) (local $xRow i32) (local $yRow i32)
    (local.set $row (i32.shl (local.get $wp) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $hp) (local.get $row)))
    (local.set $yPlane (i32.shl (i32.mul (local.get $oh) (local.get $ow)) (i32.const 2)))
    (local.set $groupBytes (i32.shl (i32.mul (local.get $cIn) (i32.mul (local.get $kh) (local.get $kw))) (i32.const 4)))
    (local.set $g (i32.const 0))
    (local.set $wg (local.get $w4))
    (local.set $yg (local.get $y))
    (block $groupsDone (loop $groups
      (br_if $groupsDone (i32.ge_s (i32.shl (local.get $g) (i32.const 2)) (local.get $cOut)))
      (local.set $nf (i32.sub (local.get $cOut) (i32.shl (local.get $g) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $oh)))
        (local.set $xRow (i32.add (local.get $xp) (i32.mul (local.get $i) (local.get $row))))
        (local.set $yRow (i32.add (local.get $yg) (i32.shl (i32.mul (local.get $i) (local.get $ow)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $wideDone (loop $wide
          (br_if $wideDone (i32.gt_s (i32.add (local.get $j) (i32.const 8)) (local.get $ow)))
          (call $forward8 (i32.add (local.get $xRow) (i32.shl (local.get $j) (i32.const 2))) (local.get $wg)
            (local.get $cIn) (local.get $kh) (local.get $kw) (local.get $plane) (local.get $row)
            (i32.add (local.get $b4) (i32.shl (local.get $g) (i32.const 4)))
            (i32.add (local.get $yRow) (i32.shl (local.get $j) (i32.const 2))) (local.get $yPlane) (local.get $nf))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $wide)))
        (block $narrowDone (loop $narrow
          (br_if $narrowDone (i32.ge_s (local.get $j) (local.get $ow)))
          (call $forward4 (i32.add (local.get $xRow) (i32.shl (local.get $j) (i32.const 2))) (local.get $wg)
            (local.get $cIn) (local.get $kh) (local.get $kw) (local.get $plane) (local.get $row)
            (i32.add (local.get $b4) (i32.shl (local.get $g) (i32.const 4)))
            (i32.add (local.get $yRow) (i32.shl (local.get $j) (i32.const 2))) (local.get $yPlane) (local.get $nf)
            (i32.sub (local.get $ow) (local.get $j)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $narrow)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
      (local.set $wg (i32.add (local.get $wg) (local.get $groupBytes)))
      (local.set $yg (i32.add (local.get $yg) (i32.shl (local.get $yPlane) (i32.const 2))))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $groups))))

  ;; [Σa0, Σa1, Σa2, Σa3]: the lane sums of four vectors, in one vector.
  (func $sum4 (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128) (result v128)
    (local $s01 v128) (local $s23 v128)
    ;; interleave: [a0.0, a1.0, a0.1, a1.1] + [a0.2, a1.2, a0.3, a1.3]
    (local.set $s01 (f32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1))))
    (local.set $s23 (f32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3))))
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s01) (local.get $s23))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s01) (local.get $s23))))

  ;; Adds v into the four floats at p.
  (func $addTo (param $p i32) (param $v v128)
    (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $v))))

  ;; dw4 += Σ_{i,j} dy[o, i, j] · xp[c, i + p, j + q] for the taps q and q + 1 (the second only
  ;; when q + 1 < kw) of one (group, c, p). d0..d3: the group's four dy planes; xp: &xp[c, p, q].
  (func $gradTaps (param $xp i32) (param $d0 i32) (param $d1 i32) (param $d2 i32) (param $d3 i32)
        (param $oh i32) (param $ow4 i32) (param $row i32) (param $dyRow i32) (param $dw i32) (param $two i32)
    (local $a v128) (local $x0 v128) (local $x1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $i i32) (local $j i32) (local $end i32)
    (local.set $end (i32.shl (local.get $ow4) (i32.const 2)))
    (local.set $i (local.get $oh))
    (loop $rows
      (local.set $j (i32.const 0))
      (loop $cols
        (local.set $x0 (v128.load (i32.add (local.get $xp) (local.get $j))))
        (local.set $x1 (v128.load offset=4 (i32.add (local.get $xp) (local.get $j))))
        (local.set $a (v128.load (i32.add (local.get $d0) (local.get $j))))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $x0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $x1))))
        (local.set $a (v128.load (i32.add (local.get $d1) (local.get $j))))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $x0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $x1))))
        (local.set $a (v128.load (i32.add (local.get $d2) (local.get $j))))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $x0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $x1))))
        (local.set $a (v128.load (i32.add (local.get $d3) (local.get $j))))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $x0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $x1))))
        (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $end))))
      (local.set $xp (i32.add (local.get $xp) (local.get $row)))
      (local.set $d0 (i32.add (local.get $d0) (local.get $dyRow)))
      (local.set $d1 (i32.add (local.get $d1) (local.get $dyRow)))
      (local.set $d2 (i32.add (local.get $d2) (local.get $dyRow)))
      (local.set $d3 (i32.add (local.get $d3) (local.get $dyRow)))
      (br_if $rows (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
    ;; One call that takes all eight sums (a vector live across a call is spilled inside the loop).
    (call $addTaps (local.get $dw) (local.get $two) (local.get $c00) (local.get $c10) (local.get $c20) (local.get $c30)
      (local.get $c01) (local.get $c11) (local.get $c21) (local.get $c31)))

  (func $addTaps (param $dw i32) (param $two i32) (param $c00 v128) (param $c10 v128) (param $c20 v128) (param $c30 v128)
        (param $c01 v128) (param $c11 v128) (param $c21 v128) (param $c31 v128)
    (call $addTo (local.get $dw) (call $sum4 (local.get $c00) (local.get $c10) (local.get $c20) (local.get $c30)))
    (if (local.get $two)
      (then (call $addTo (i32.add (local.get $dw) (i32.const 16)) (call $sum4 (local.get $c01) (local.get $c11) (local.get $c21) (local.get $c31))))))

  ;; dw4 += the weight gradient of one example, db4 += its bias gradient (db4 = 0: none).
  ;; dy rows are dyRow floats apart and zero past ow; ow4 = ⌈ow/4⌉·4 ≤ dyRow.
  (func (export "convWeightGrad") (param $xp i32) (param $hp i32) (param $wp i32) (param $cIn i32)
        (param $dy i32) (param $dyRow i32) (param $dw4 i32) (param $db4 i32) (param $cOut i32) (param $oh i32)
        (param $ow4 i32) (param $kh i32) (param $kw i32)
    (local $g i32) (local $c i32) (local $p i32) (local $q i32) (local $dwTap i32)
    (local $d0 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32) (local $dPlane i32) (local $row i32) (local $plane i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $t i32) (local $end i32)
    (local.set $row (i32.shl (local.get $wp) (i32.const 2)))
    (local.set $plane (i32.mul (local.get $hp) (local.get $row)))
    (local.set $dyRow (i32.shl (local.get $dyRow) (i32.const 2)))
    (local.set $dPlane (i32.mul (local.get $oh) (local.get $dyRow)))
    (local.set $dwTap (local.get $dw4))
    (local.set $g (i32.const 0))
    (block $groupsDone (loop $groups
      (br_if $groupsDone (i32.ge_s (i32.shl (local.get $g) (i32.const 2)) (local.get $cOut)))
      ;; The group's dy planes; a filter past Cout reads plane d0 (its lane of dw4 is never used).
      (local.set $d0 (i32.add (local.get $dy) (i32.mul (i32.shl (local.get $g) (i32.const 2)) (local.get $dPlane))))
      (local.set $d1 (select (i32.add (local.get $d0) (local.get $dPlane)) (local.get $d0)
        (i32.lt_s (i32.add (i32.shl (local.get $g) (i32.const 2)) (i32.const 1)) (local.get $cOut))))
      (local.set $d2 (select (i32.add (local.get $d0) (i32.shl (local.get $dPlane) (i32.const 1))) (local.get $d0)
        (i32.lt_s (i32.add (i32.shl (local.get $g) (i32.const 2)) (i32.const 2)) (local.get $cOut))))
      (local.set $d3 (select (i32.add (local.get $d0) (i32.mul (local.get $dPlane) (i32.const 3))) (local.get $d0)
        (i32.lt_s (i32.add (i32.shl (local.get $g) (i32.const 2)) (i32.const 3)) (local.get $cOut))))
      (if (local.get $db4)
        (then
          (local.set $s0 (v128.const i32x4 0 0 0 0))
          (local.set $s1 (v128.const i32x4 0 0 0 0))
          (local.set $s2 (v128.const i32x4 0 0 0 0))
          (local.set $s3 (v128.const i32x4 0 0 0 0))
          (local.set $end (local.get $dPlane))
          (local.set $t (i32.const 0))
          (block $sumDone (loop $sum
            (br_if $sumDone (i32.ge_u (local.get $t) (local.get $end)))
            (local.set $s0 (f32x4.add (local.get $s0) (v128.load (i32.add (local.get $d0) (local.get $t)))))
            (local.set $s1 (f32x4.add (local.get $s1) (v128.load (i32.add (local.get $d1) (local.get $t)))))
            (local.set $s2 (f32x4.add (local.get $s2) (v128.load (i32.add (local.get $d2) (local.get $t)))))
            (local.set $s3 (f32x4.add (local.get $s3) (v128.load (i32.add (local.get $d3) (local.get $t)))))
            (local.set $t (i32.add (local.get $t) (i32.const 16)))
            (br $sum)))
          (call $addTo (i32.add (local.get $db4) (i32.shl (local.get $g) (i32.const 4)))
            (call $sum4 (local.get $s0) (local.get $s1) (local.get $s2) (local.get $s3)))))
      (local.set $c (i32.const 0))
      (block $chansDone (loop $chans
        (br_if $chansDone (i32.ge_u (local.get $c) (local.get $cIn)))
        (local.set $p (i32.const 0))
        (block $rowsDone (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $kh)))
          (local.set $q (i32.const 0))
          (block $tapsDone (loop $taps
            (br_if $tapsDone (i32.ge_u (local.get $q) (local.get $kw)))
            (call $gradTaps
              (i32.add (local.get $xp) (i32.add (i32.mul (local.get $c) (local.get $plane))
                (i32.add (i32.mul (local.get $p) (local.get $row)) (i32.shl (local.get $q) (i32.const 2)))))
              (local.get $d0) (local.get $d1) (local.get $d2) (local.get $d3)
              (local.get $oh) (local.get $ow4) (local.get $row) (local.get $dyRow) (local.get $dwTap)
              (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $kw)))
            (local.set $dwTap (i32.add (local.get $dwTap) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 2)))
            (br $taps)))
          ;; An odd kw advanced dwTap one tap too far.
          (if (i32.and (local.get $kw) (i32.const 1)) (then (local.set $dwTap (i32.sub (local.get $dwTap) (i32.const 16)))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $rows)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $chans)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $groups))))
)
