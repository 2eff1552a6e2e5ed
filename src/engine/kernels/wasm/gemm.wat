;; Float32 GEMM for WebAssembly SIMD128: C[m,n] (+)= A(m×k) · B(k×n), every operand addressed
;; through element strides, so one routine serves NN, NT and TN (kernels/matmul.ts layouts):
;;
;;   A(i,p) = f32 at a + 4·(i·rsA + p·csA)      NN, NT: rsA = k, csA = 1;   TN: rsA = 1, csA = m
;;   B(p,j) = f32 at b + 4·(p·rsB + j·csB)      NN, TN: rsB = n, csB = 1;   NT: rsB = 1, csB = k
;;   C(i,j) = f32 at c + 4·(i·n + j)            always row-major
;;
;; The loop nest follows BLIS (Van Zee & van de Geijn, 2015): for each NC-column block and
;; KC-deep slice, B is packed into NR-wide micro-panels [kc][NR] (kept in L2/L3); for each
;; MC-row block, A is packed into MR-tall micro-panels [kc][MR] (L2); the 4×8 micro-kernel then
;; walks one A and one B micro-panel, holding the 4×8 block of C in eight f32x4 registers.
;; Packing pads short panels with zeros, so the micro-kernel never branches on edges; edge
;; tiles of C go through a small scratch tile instead.
;;
;; Multiply-adds are written as (f32x4.add (local.get $cXY) (f32x4.mul (local.get $a) (local.get
;; $bY))). scripts/buildWasm.mjs rewrites exactly that pattern to f32x4.relaxed_madd to make the
;; relaxed-SIMD (FMA) variant of this module; anything else is assembled as written.
;;
;; The memory is the engine's shared arena (kernels/wasm/wasmArena.ts), imported; the host passes
;; `ws`, a workspace of workspaceBytes() bytes, and the operands' byte offsets.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Blocking parameters (elements). MR×NR is the register tile; MC, NC are multiples of them.
  ;; KC is the most k per slice: k is cut into ceil(k/KC) equal slices (784 → 2×392, 1024 →
  ;; 3×342), so no thin last slice re-reads C for little work and slice widths are rarely powers
  ;; of two. A B micro-panel (≤ KC·NR·4 = 12.5 KiB) and an A micro-panel (6.25 KiB) share L1;
  ;; MC·KC·4 = 200 KiB of packed A stays in L2.
  (global $MR i32 (i32.const 4))
  (global $NR i32 (i32.const 8))
  (global $KC i32 (i32.const 400))
  (global $MC i32 (i32.const 128))
  (global $NC i32 (i32.const 2048))

  ;; Workspace: packed A (MC·KC), packed B (KC·NC), one MR×NR edge tile.
  (func $workspaceBytes (export "workspaceBytes") (result i32)
    (i32.mul (i32.const 4)
      (i32.add (i32.add (i32.mul (global.get $MC) (global.get $KC))
                        (i32.mul (global.get $KC) (global.get $NC)))
               (i32.mul (global.get $MR) (global.get $NR)))))

  ;; Packs A rows [i0, i0+mc) × columns [p0, p0+kc) into MR-tall micro-panels at dst:
  ;; panel q holds rows i0+q·MR .. +MR as [kc][MR]; rows ≥ m are zero.
  (func $packA (param $a i32) (param $rsA i32) (param $csA i32) (param $m i32)
               (param $i0 i32) (param $mc i32) (param $p0 i32) (param $kc i32) (param $dst i32)
    (local $ir i32) (local $i i32) (local $p i32) (local $r i32)
    (local $src i32) (local $step i32) (local $rowStep i32)
    (local.set $step (i32.shl (local.get $csA) (i32.const 2)))
    (local.set $rowStep (i32.shl (local.get $rsA) (i32.const 2)))
    (local.set $ir (i32.const 0))
    (if (i32.eq (local.get $rsA) (i32.const 1))
      (then
        ;; Column-contiguous A (TN): every full panel in one pass over the rows of A's storage.
        (local.set $ir (i32.mul (i32.div_u (local.get $mc) (global.get $MR)) (global.get $MR)))
        (call $packAColumns
          (i32.add (local.get $a) (i32.shl (i32.add (local.get $i0) (i32.mul (local.get $p0) (local.get $csA))) (i32.const 2)))
          (local.get $step) (local.get $kc) (i32.div_u (local.get $mc) (global.get $MR)) (local.get $dst))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2))))))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $ir) (local.get $mc)))
        (local.set $i (i32.add (local.get $i0) (local.get $ir)))
        ;; src = &A(i, p0)
        (local.set $src (i32.add (local.get $a)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $rsA))
                            (i32.mul (local.get $p0) (local.get $csA))) (i32.const 2))))
        (if (i32.le_u (i32.add (local.get $i) (global.get $MR)) (local.get $m))
          (then
            ;; Row-major A (NN, NT): the MR rows are contiguous runs along p; transpose them
            ;; four p at a time.
            (call $packTransposed (local.get $src) (local.get $rowStep) (local.get $kc) (local.get $dst) (i32.const 1))
            (local.set $dst (i32.add (local.get $dst)
              (i32.shl (i32.mul (local.get $kc) (global.get $MR)) (i32.const 2)))))
          (else
            ;; Last, short panel: copy the rows that exist, zero the rest.
            (local.set $p (i32.const 0))
            (loop $cols
              (local.set $r (i32.const 0))
              (loop $rows
                (f32.store (local.get $dst)
                  (if (result f32) (i32.lt_u (i32.add (local.get $i) (local.get $r)) (local.get $m))
                    (then (f32.load (i32.add (local.get $src)
                      (i32.add (i32.mul (local.get $r) (local.get $rowStep))
                               (i32.mul (local.get $p) (local.get $step))))))
                    (else (f32.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (global.get $MR))))
              (br_if $cols (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc))))))
        (local.set $ir (i32.add (local.get $ir) (global.get $MR)))
        (br $panels))))

  ;; `panels` full MR-tall panels of column-contiguous A (TN): row p of A's storage (at
  ;; src + p·step) holds the MR values of every panel side by side. Reading each row once,
  ;; front to back, keeps the loads sequential; a panel-at-a-time walk would stride by `step`
  ;; bytes, which for power-of-two m aliases in the cache.
  (func $packAColumns (param $src i32) (param $step i32) (param $kc i32) (param $panels i32) (param $dst i32)
    (local $p i32) (local $q i32) (local $s i32) (local $d i32) (local $panelBytes i32)
    (local.set $panelBytes (i32.shl (local.get $kc) (i32.const 4)))
    (if (i32.eqz (local.get $panels)) (then (return)))
    (local.set $p (i32.const 0))
    (loop $rows
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $step))))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 4))))
      (local.set $q (local.get $panels))
      (loop $cols
        (v128.store (local.get $d) (v128.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (local.get $panelBytes)))
        (br_if $cols (local.tee $q (i32.sub (local.get $q) (i32.const 1)))))
      (br_if $rows (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc)))))

  ;; Packs B rows [p0, p0+kc) × columns [j0, j0+nc) into NR-wide micro-panels at dst:
  ;; panel q holds columns j0+q·NR .. +NR as [kc][NR]; columns ≥ n are zero.
  (func $packB (export "packB") (param $b i32) (param $rsB i32) (param $csB i32) (param $n i32)
               (param $p0 i32) (param $kc i32) (param $j0 i32) (param $nc i32) (param $dst i32)
    (local $jr i32) (local $j i32) (local $p i32) (local $col i32)
    (local $src i32) (local $step i32) (local $colStep i32)
    (local.set $step (i32.shl (local.get $rsB) (i32.const 2)))
    (local.set $colStep (i32.shl (local.get $csB) (i32.const 2)))
    (local.set $jr (i32.const 0))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $jr) (local.get $nc)))
        (local.set $j (i32.add (local.get $j0) (local.get $jr)))
        ;; src = &B(p0, j)
        (local.set $src (i32.add (local.get $b)
          (i32.shl (i32.add (i32.mul (local.get $p0) (local.get $rsB))
                            (i32.mul (local.get $j) (local.get $csB))) (i32.const 2))))
        (if (i32.le_u (i32.add (local.get $j) (global.get $NR)) (local.get $n))
          (then
            (if (i32.eq (local.get $csB) (i32.const 1))
              (then
                ;; Row-major B (NN, TN): NR adjacent values per p.
                (local.set $p (local.get $kc))
                (loop $rows
                  (v128.store (local.get $dst) (v128.load (local.get $src)))
                  (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
                  (local.set $src (i32.add (local.get $src) (local.get $step)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                  (br_if $rows (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
              (else
                ;; Transposed B (NT): B's rows are C's columns; transpose 4×4 blocks in
                ;; registers so each p gets its NR values with two vector stores.
                (call $packTransposed (local.get $src) (local.get $colStep) (local.get $kc) (local.get $dst) (i32.const 2))
                (local.set $dst (i32.add (local.get $dst)
                  (i32.shl (i32.mul (local.get $kc) (global.get $NR)) (i32.const 2)))))))
          (else
            (local.set $p (i32.const 0))
            (loop $rows
              (local.set $col (i32.const 0))
              (loop $cols
                (f32.store (local.get $dst)
                  (if (result f32) (i32.lt_u (i32.add (local.get $j) (local.get $col)) (local.get $n))
                    (then (f32.load (i32.add (local.get $src)
                      (i32.add (i32.mul (local.get $p) (local.get $step))
                               (i32.mul (local.get $col) (local.get $colStep))))))
                    (else (f32.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (br_if $cols (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 1))) (global.get $NR))))
              (br_if $rows (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc))))))
        (local.set $jr (i32.add (local.get $jr) (global.get $NR)))
        (br $panels))))

  ;; Packs 4·groups contiguous runs of kc floats (run c starts at src + c·lineStep) into [kc][4·groups]:
  ;; a full panel of transposed B (NT; groups = 2) or of row-major A (NN, NT; groups = 1). Four p at
  ;; a time, each group of four runs is a 4×4 transpose (two rounds of interleaving shuffles);
  ;; leftover p go one by one.
  (func $packTransposed (param $src i32) (param $lineStep i32) (param $kc i32) (param $dst i32) (param $groups i32)
    (local $p i32) (local $s i32) (local $g i32) (local $rowBytes i32) (local $width i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rowBytes (i32.shl (local.get $groups) (i32.const 4)))
    (local.set $width (i32.shl (local.get $groups) (i32.const 2)))
    (local.set $p (i32.const 0))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $kc)))
        (local.set $g (i32.const 0))
        (loop $groupLoop
          ;; r0..r3 = runs 4g..4g+3, values p..p+3
          (local.set $s (i32.add (i32.add (local.get $src) (i32.shl (local.get $p) (i32.const 2)))
                                 (i32.mul (i32.shl (local.get $g) (i32.const 2)) (local.get $lineStep))))
          (local.set $r0 (v128.load (local.get $s)))
          (local.set $r1 (v128.load (i32.add (local.get $s) (local.get $lineStep))))
          (local.set $r2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $lineStep) (i32.const 1)))))
          (local.set $r3 (v128.load (i32.add (local.get $s) (i32.mul (local.get $lineStep) (i32.const 3)))))
          ;; t0 = r0[0] r1[0] r0[1] r1[1]; t1 = r0[2] r1[2] r0[3] r1[3]; same for r2, r3
          (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
          (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
          (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
          (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
          ;; output row q (value p+q of every run) is at dst + q·rowBytes; this group at + g·16
          (local.set $s (i32.add (local.get $dst) (i32.shl (local.get $g) (i32.const 4))))
          (v128.store (local.get $s)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
          (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))
          (v128.store (local.get $s)
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
          (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))
          (v128.store (local.get $s)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
          (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))
          (v128.store (local.get $s)
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
          (br_if $groupLoop (i32.lt_u (local.tee $g (i32.add (local.get $g) (i32.const 1))) (local.get $groups))))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $rowBytes) (i32.const 2))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $quads)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $kc)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $p) (i32.const 2))))
        (local.set $g (i32.const 0))
        (loop $runs
          (f32.store (local.get $dst) (f32.load (local.get $s)))
          (local.set $s (i32.add (local.get $s) (local.get $lineStep)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
          (br_if $runs (i32.lt_u (local.tee $g (i32.add (local.get $g) (i32.const 1))) (local.get $width))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail))))

  ;; The 4×8 micro-kernel: C[0:4, 0:8] (+)= Ap[kc][4] · Bp[kc][8], C rows ldc bytes apart.
  ;; With load = 0 the block of C is overwritten. kc ≥ 1.
  (func $kernel (param $pa i32) (param $pb i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $load i32)
    (local $a v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local.set $c1 (i32.add (local.get $c) (local.get $ldc)))
    (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
    (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
    (if (local.get $load)
      (then
        (local.set $c00 (v128.load (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))
        (local.set $c10 (v128.load (local.get $c1)))
        (local.set $c11 (v128.load offset=16 (local.get $c1)))
        (local.set $c20 (v128.load (local.get $c2)))
        (local.set $c21 (v128.load offset=16 (local.get $c2)))
        (local.set $c30 (v128.load (local.get $c3)))
        (local.set $c31 (v128.load offset=16 (local.get $c3)))))
    (loop $k
      (local.set $b0 (v128.load (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $a (v128.load32_splat (local.get $pa)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (v128.store (local.get $c1) (local.get $c10))
    (v128.store offset=16 (local.get $c1) (local.get $c11))
    (v128.store (local.get $c2) (local.get $c20))
    (v128.store offset=16 (local.get $c2) (local.get $c21))
    (v128.store (local.get $c3) (local.get $c30))
    (v128.store offset=16 (local.get $c3) (local.get $c31)))

  ;; A partial tile of C (mr < MR or nr < NR): run the kernel on the scratch tile, seeded with
  ;; the existing values of C when load ≠ 0, and copy the valid part back.
  (func $edge (param $pa i32) (param $pb i32) (param $kc i32) (param $c i32) (param $ldc i32)
              (param $load i32) (param $mr i32) (param $nr i32) (param $tile i32)
    (local $r i32) (local $col i32) (local $t i32) (local $src i32)
    (local.set $r (i32.const 0))
    (loop $rows
      (local.set $col (i32.const 0))
      (loop $cols
        (local.set $t (i32.add (local.get $tile)
          (i32.shl (i32.add (i32.mul (local.get $r) (global.get $NR)) (local.get $col)) (i32.const 2))))
        (local.set $src (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc)))
                                 (i32.shl (local.get $col) (i32.const 2))))
        (f32.store (local.get $t)
          (if (result f32) (i32.and (i32.and (local.get $load) (i32.lt_u (local.get $r) (local.get $mr)))
                                    (i32.lt_u (local.get $col) (local.get $nr)))
            (then (f32.load (local.get $src)))
            (else (f32.const 0))))
        (br_if $cols (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 1))) (global.get $NR))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (global.get $MR))))
    (call $kernel (local.get $pa) (local.get $pb) (local.get $kc) (local.get $tile)
                  (i32.shl (global.get $NR) (i32.const 2)) (i32.const 1))
    (local.set $r (i32.const 0))
    (loop $rows
      (local.set $col (i32.const 0))
      (loop $cols
        (f32.store (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc)))
                            (i32.shl (local.get $col) (i32.const 2)))
          (f32.load (i32.add (local.get $tile)
            (i32.shl (i32.add (i32.mul (local.get $r) (global.get $NR)) (local.get $col)) (i32.const 2)))))
        (br_if $cols (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 1))) (local.get $nr))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $mr)))))

  ;; Narrow products, 4 ≤ n ≤ 12 with B row-contiguous (csB = 1: NN, TN), e.g. a dense layer with
  ;; 10 outputs: y = x·W [60×12544 · 12544×10] and dW = xᵀ·dy. Packing would copy all of A to use
  ;; it once and pad n = 10 to 16 columns; here nothing is packed: three rows of C are held in nine
  ;; f32x4 registers, a row of B is read as three vectors at byte offsets 0, o1 = 4·min(4, n−4) and
  ;; o2 = 4·(n−4) (overlapping when n < 12, so no read leaves the row), and each step splats one
  ;; element of A per row. Overlapping lanes compute the same sums in the same order, so storing
  ;; all three vectors of a row writes equal values twice. Rows of C are independent: a split of the
  ;; rows across threads gives bit-identical results.
  (func $narrow3 (param $a0 i32) (param $rsA i32) (param $csA i32) (param $b i32) (param $rsB i32) (param $k i32)
                 (param $c i32) (param $ldc i32) (param $o1 i32) (param $o2 i32) (param $accumulate i32)
    (local $a1 i32) (local $a2 i32) (local $s v128) (local $b0 v128) (local $b1 v128) (local $b2 v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c10 v128) (local $c11 v128) (local $c12 v128)
    (local $c20 v128) (local $c21 v128) (local $c22 v128)
    (local.set $a1 (i32.add (local.get $a0) (local.get $rsA)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $rsA)))
    (loop $steps
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load (i32.add (local.get $b) (local.get $o1))))
      (local.set $b2 (v128.load (i32.add (local.get $b) (local.get $o2))))
      (local.set $s (v128.load32_splat (local.get $a0)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $s) (local.get $b2))))
      (local.set $s (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $c12 (f32x4.add (local.get $c12) (f32x4.mul (local.get $s) (local.get $b2))))
      (local.set $s (v128.load32_splat (local.get $a2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $c22 (f32x4.add (local.get $c22) (f32x4.mul (local.get $s) (local.get $b2))))
      (local.set $a0 (i32.add (local.get $a0) (local.get $csA)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $csA)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $csA)))
      (local.set $b (i32.add (local.get $b) (local.get $rsB)))
      (br_if $steps (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    ;; One call that takes all nine sums: a value live across a call would make V8 spill it on
    ;; every iteration of the loop above.
    (call $narrowRows3 (local.get $c) (local.get $ldc) (local.get $o1) (local.get $o2) (local.get $accumulate)
      (local.get $c00) (local.get $c01) (local.get $c02) (local.get $c10) (local.get $c11) (local.get $c12)
      (local.get $c20) (local.get $c21) (local.get $c22)))

  (func $narrowRows3 (param $c i32) (param $ldc i32) (param $o1 i32) (param $o2 i32) (param $accumulate i32)
        (param $c00 v128) (param $c01 v128) (param $c02 v128) (param $c10 v128) (param $c11 v128) (param $c12 v128)
        (param $c20 v128) (param $c21 v128) (param $c22 v128)
    (call $narrowRow (local.get $c) (local.get $o1) (local.get $o2) (local.get $accumulate) (local.get $c00) (local.get $c01) (local.get $c02))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $narrowRow (local.get $c) (local.get $o1) (local.get $o2) (local.get $accumulate) (local.get $c10) (local.get $c11) (local.get $c12))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $narrowRow (local.get $c) (local.get $o1) (local.get $o2) (local.get $accumulate) (local.get $c20) (local.get $c21) (local.get $c22)))

  ;; One row of C for the rows left over (m mod 3).
  (func $narrow1 (param $a0 i32) (param $csA i32) (param $b i32) (param $rsB i32) (param $k i32)
                 (param $c i32) (param $o1 i32) (param $o2 i32) (param $accumulate i32)
    (local $s v128) (local $c00 v128) (local $c01 v128) (local $c02 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128)
    ;; B in locals, so the multiply-adds have $narrow3's form and are fused alike in the relaxed
    ;; build: a row gives the same bits whether it falls in a group of three or is left over.
    (loop $steps
      (local.set $s (v128.load32_splat (local.get $a0)))
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load (i32.add (local.get $b) (local.get $o1))))
      (local.set $b2 (v128.load (i32.add (local.get $b) (local.get $o2))))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $s) (local.get $b2))))
      (local.set $a0 (i32.add (local.get $a0) (local.get $csA)))
      (local.set $b (i32.add (local.get $b) (local.get $rsB)))
      (br_if $steps (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (call $narrowRow (local.get $c) (local.get $o1) (local.get $o2) (local.get $accumulate) (local.get $c00) (local.get $c01) (local.get $c02)))

  ;; Writes (or adds) one row of C held as three overlapping vectors; every load precedes every store.
  (func $narrowRow (param $c i32) (param $o1 i32) (param $o2 i32) (param $accumulate i32) (param $v0 v128) (param $v1 v128) (param $v2 v128)
    (if (local.get $accumulate)
      (then
        (local.set $v0 (f32x4.add (v128.load (local.get $c)) (local.get $v0)))
        (local.set $v1 (f32x4.add (v128.load (i32.add (local.get $c) (local.get $o1))) (local.get $v1)))
        (local.set $v2 (f32x4.add (v128.load (i32.add (local.get $c) (local.get $o2))) (local.get $v2)))))
    (v128.store (local.get $c) (local.get $v0))
    (v128.store (i32.add (local.get $c) (local.get $o1)) (local.get $v1))
    (v128.store (i32.add (local.get $c) (local.get $o2)) (local.get $v2)))

  (func $narrow (param $m i32) (param $k i32) (param $n i32) (param $a i32) (param $rsA i32) (param $csA i32)
                (param $b i32) (param $rsB i32) (param $c i32) (param $accumulate i32)
    (local $o1 i32) (local $o2 i32) (local $r i32) (local $ldc i32)
    (local.set $o2 (i32.shl (i32.sub (local.get $n) (i32.const 4)) (i32.const 2)))
    (local.set $o1 (select (i32.const 16) (local.get $o2) (i32.gt_u (local.get $o2) (i32.const 16))))
    (local.set $rsA (i32.shl (local.get $rsA) (i32.const 2)))
    (local.set $csA (i32.shl (local.get $csA) (i32.const 2)))
    (local.set $rsB (i32.shl (local.get $rsB) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $n) (i32.const 2)))
    (block $threesDone (loop $threes
      (br_if $threesDone (i32.gt_u (i32.add (local.get $r) (i32.const 3)) (local.get $m)))
      (call $narrow3 (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $rsA))) (local.get $rsA) (local.get $csA)
        (local.get $b) (local.get $rsB) (local.get $k) (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc)))
        (local.get $ldc) (local.get $o1) (local.get $o2) (local.get $accumulate))
      (local.set $r (i32.add (local.get $r) (i32.const 3)))
      (br $threes)))
    (block $onesDone (loop $ones
      (br_if $onesDone (i32.ge_u (local.get $r) (local.get $m)))
      (call $narrow1 (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $rsA))) (local.get $csA)
        (local.get $b) (local.get $rsB) (local.get $k) (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc)))
        (local.get $o1) (local.get $o2) (local.get $accumulate))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $ones))))

  ;; Products with fewer rows than the register tile (m < MR: a batch-1 probe, text sampling), one
  ;; row of C at a time. Every C element's sum runs over p = 0, 1, … in order, one multiply-add a
  ;; step in the same form as $kernel's (fused in the relaxed build), from 0 or from C's value: the
  ;; sums of the packed 4×8 path to the bit, which also runs them in order across its k slices
  ;; (C is stored between slices and reloaded). csA, rsB and the C row are in bytes here.
  ;;
  ;; $row1: B row-contiguous (csB = 1: NN, TN), nothing packed: row p of B is read in place.
  ;; Columns go 32 at a time (eight independent sums keep the multiply-adds from waiting on each
  ;; other), then 8, then 4, then one at a time (lane 0 of a vector, so the tail rounds alike).
  (func $row1 (param $a i32) (param $csA i32) (param $b i32) (param $rsB i32) (param $k i32)
              (param $c i32) (param $n i32) (param $load i32)
    (local $j i32) (local $p i32) (local $ap i32) (local $bp i32) (local $cj i32) (local $s v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $b4 v128) (local $b5 v128) (local $b6 v128) (local $b7 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (block $done32 (loop $cols32
      (br_if $done32 (i32.gt_u (i32.add (local.get $j) (i32.const 32)) (local.get $n)))
      (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
      (if (local.get $load)
        (then
          (local.set $c0 (v128.load (local.get $cj)))
          (local.set $c1 (v128.load offset=16 (local.get $cj)))
          (local.set $c2 (v128.load offset=32 (local.get $cj)))
          (local.set $c3 (v128.load offset=48 (local.get $cj)))
          (local.set $c4 (v128.load offset=64 (local.get $cj)))
          (local.set $c5 (v128.load offset=80 (local.get $cj)))
          (local.set $c6 (v128.load offset=96 (local.get $cj)))
          (local.set $c7 (v128.load offset=112 (local.get $cj))))
        (else
          (local.set $c0 (v128.const i32x4 0 0 0 0)) (local.set $c1 (v128.const i32x4 0 0 0 0))
          (local.set $c2 (v128.const i32x4 0 0 0 0)) (local.set $c3 (v128.const i32x4 0 0 0 0))
          (local.set $c4 (v128.const i32x4 0 0 0 0)) (local.set $c5 (v128.const i32x4 0 0 0 0))
          (local.set $c6 (v128.const i32x4 0 0 0 0)) (local.set $c7 (v128.const i32x4 0 0 0 0))))
      (local.set $ap (local.get $a))
      (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $p (local.get $k))
      (loop $steps
        (local.set $s (v128.load32_splat (local.get $ap)))
        (local.set $b0 (v128.load (local.get $bp)))
        (local.set $b1 (v128.load offset=16 (local.get $bp)))
        (local.set $b2 (v128.load offset=32 (local.get $bp)))
        (local.set $b3 (v128.load offset=48 (local.get $bp)))
        (local.set $b4 (v128.load offset=64 (local.get $bp)))
        (local.set $b5 (v128.load offset=80 (local.get $bp)))
        (local.set $b6 (v128.load offset=96 (local.get $bp)))
        (local.set $b7 (v128.load offset=112 (local.get $bp)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (local.get $b0))))
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (local.get $b1))))
        (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (local.get $b2))))
        (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (local.get $b3))))
        (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $s) (local.get $b4))))
        (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $s) (local.get $b5))))
        (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $s) (local.get $b6))))
        (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $s) (local.get $b7))))
        (local.set $ap (i32.add (local.get $ap) (local.get $csA)))
        (local.set $bp (i32.add (local.get $bp) (local.get $rsB)))
        (br_if $steps (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (v128.store (local.get $cj) (local.get $c0))
      (v128.store offset=16 (local.get $cj) (local.get $c1))
      (v128.store offset=32 (local.get $cj) (local.get $c2))
      (v128.store offset=48 (local.get $cj) (local.get $c3))
      (v128.store offset=64 (local.get $cj) (local.get $c4))
      (v128.store offset=80 (local.get $cj) (local.get $c5))
      (v128.store offset=96 (local.get $cj) (local.get $c6))
      (v128.store offset=112 (local.get $cj) (local.get $c7))
      (local.set $j (i32.add (local.get $j) (i32.const 32)))
      (br $cols32)))
    (block $done4 (loop $cols4
      (br_if $done4 (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
      (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $c0 (select (v128.load (local.get $cj)) (v128.const i32x4 0 0 0 0) (local.get $load)))
      (local.set $ap (local.get $a))
      (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $p (local.get $k))
      (loop $steps
        (local.set $s (v128.load32_splat (local.get $ap)))
        (local.set $b0 (v128.load (local.get $bp)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (local.get $b0))))
        (local.set $ap (i32.add (local.get $ap) (local.get $csA)))
        (local.set $bp (i32.add (local.get $bp) (local.get $rsB)))
        (br_if $steps (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (v128.store (local.get $cj) (local.get $c0))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $cols4)))
    (block $done1 (loop $cols1
      (br_if $done1 (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $c0 (select (v128.load32_splat (local.get $cj)) (v128.const i32x4 0 0 0 0) (local.get $load)))
      (local.set $ap (local.get $a))
      (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $p (local.get $k))
      (loop $steps
        (local.set $s (v128.load32_splat (local.get $ap)))
        (local.set $b0 (v128.load32_splat (local.get $bp)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (local.get $b0))))
        (local.set $ap (i32.add (local.get $ap) (local.get $csA)))
        (local.set $bp (i32.add (local.get $bp) (local.get $rsB)))
        (br_if $steps (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (f32.store (local.get $cj) (f32x4.extract_lane 0 (local.get $c0)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $cols1))))

  ;; $rowPacked: B packed beforehand as one slice of depth k (NR-wide panels [k][NR], zero-padded),
  ;; A's row read in place. Four panels (32 columns) at a time, then one; the last, partial panel
  ;; stores only its valid columns.
  (func $rowPacked (param $a i32) (param $csA i32) (param $pb i32) (param $k i32)
                   (param $c i32) (param $n i32) (param $load i32)
    (local $q i32) (local $panels i32) (local $full i32) (local $p i32) (local $ap i32) (local $bp i32)
    (local $panelBytes i32) (local $cj i32) (local $r i32) (local $s v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $b4 v128) (local $b5 v128) (local $b6 v128) (local $b7 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 5)))
    (local.set $full (i32.shr_u (local.get $n) (i32.const 3)))
    (block $done4 (loop $quads
      (br_if $done4 (i32.gt_u (i32.add (local.get $q) (i32.const 4)) (local.get $full)))
      (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $q) (i32.const 5))))
      (if (local.get $load)
        (then
          (local.set $c0 (v128.load (local.get $cj)))
          (local.set $c1 (v128.load offset=16 (local.get $cj)))
          (local.set $c2 (v128.load offset=32 (local.get $cj)))
          (local.set $c3 (v128.load offset=48 (local.get $cj)))
          (local.set $c4 (v128.load offset=64 (local.get $cj)))
          (local.set $c5 (v128.load offset=80 (local.get $cj)))
          (local.set $c6 (v128.load offset=96 (local.get $cj)))
          (local.set $c7 (v128.load offset=112 (local.get $cj))))
        (else
          (local.set $c0 (v128.const i32x4 0 0 0 0)) (local.set $c1 (v128.const i32x4 0 0 0 0))
          (local.set $c2 (v128.const i32x4 0 0 0 0)) (local.set $c3 (v128.const i32x4 0 0 0 0))
          (local.set $c4 (v128.const i32x4 0 0 0 0)) (local.set $c5 (v128.const i32x4 0 0 0 0))
          (local.set $c6 (v128.const i32x4 0 0 0 0)) (local.set $c7 (v128.const i32x4 0 0 0 0))))
      (local.set $ap (local.get $a))
      (local.set $bp (i32.add (local.get $pb) (i32.mul (local.get $q) (local.get $panelBytes))))
      (local.set $p (local.get $k))
      (loop $steps
        (local.set $s (v128.load32_splat (local.get $ap)))
        (local.set $b0 (v128.load (local.get $bp)))
        (local.set $b1 (v128.load offset=16 (local.get $bp)))
        (local.set $b2 (v128.load (i32.add (local.get $bp) (local.get $panelBytes))))
        (local.set $b3 (v128.load offset=16 (i32.add (local.get $bp) (local.get $panelBytes))))
        (local.set $b4 (v128.load (i32.add (local.get $bp) (i32.shl (local.get $panelBytes) (i32.const 1)))))
        (local.set $b5 (v128.load offset=16 (i32.add (local.get $bp) (i32.shl (local.get $panelBytes) (i32.const 1)))))
        (local.set $b6 (v128.load (i32.add (local.get $bp) (i32.mul (local.get $panelBytes) (i32.const 3)))))
        (local.set $b7 (v128.load offset=16 (i32.add (local.get $bp) (i32.mul (local.get $panelBytes) (i32.const 3)))))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (local.get $b0))))
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (local.get $b1))))
        (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (local.get $b2))))
        (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (local.get $b3))))
        (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $s) (local.get $b4))))
        (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $s) (local.get $b5))))
        (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $s) (local.get $b6))))
        (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $s) (local.get $b7))))
        (local.set $ap (i32.add (local.get $ap) (local.get $csA)))
        (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
        (br_if $steps (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (v128.store (local.get $cj) (local.get $c0))
      (v128.store offset=16 (local.get $cj) (local.get $c1))
      (v128.store offset=32 (local.get $cj) (local.get $c2))
      (v128.store offset=48 (local.get $cj) (local.get $c3))
      (v128.store offset=64 (local.get $cj) (local.get $c4))
      (v128.store offset=80 (local.get $cj) (local.get $c5))
      (v128.store offset=96 (local.get $cj) (local.get $c6))
      (v128.store offset=112 (local.get $cj) (local.get $c7))
      (local.set $q (i32.add (local.get $q) (i32.const 4)))
      (br $quads)))
    ;; The remaining panels one at a time, the last one possibly partial.
    (local.set $panels (i32.shr_u (i32.add (local.get $n) (i32.const 7)) (i32.const 3)))
    (block $done1 (loop $singles
      (br_if $done1 (i32.ge_u (local.get $q) (local.get $panels)))
      (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $q) (i32.const 5))))
      (local.set $r (i32.sub (local.get $n) (i32.shl (local.get $q) (i32.const 3))))
      (if (i32.and (local.get $load) (i32.ge_u (local.get $r) (i32.const 8)))
        (then
          (local.set $c0 (v128.load (local.get $cj)))
          (local.set $c1 (v128.load offset=16 (local.get $cj))))
        (else
          (local.set $c0 (v128.const i32x4 0 0 0 0))
          (local.set $c1 (v128.const i32x4 0 0 0 0))
          (if (i32.and (local.get $load) (i32.lt_u (local.get $r) (i32.const 8)))
            (then
              ;; A partial panel: its valid columns' current values, lane by lane.
              (local.set $c0 (f32x4.replace_lane 0 (local.get $c0) (f32.load (local.get $cj))))
              (if (i32.gt_u (local.get $r) (i32.const 1)) (then (local.set $c0 (f32x4.replace_lane 1 (local.get $c0) (f32.load offset=4 (local.get $cj))))))
              (if (i32.gt_u (local.get $r) (i32.const 2)) (then (local.set $c0 (f32x4.replace_lane 2 (local.get $c0) (f32.load offset=8 (local.get $cj))))))
              (if (i32.gt_u (local.get $r) (i32.const 3)) (then (local.set $c0 (f32x4.replace_lane 3 (local.get $c0) (f32.load offset=12 (local.get $cj))))))
              (if (i32.gt_u (local.get $r) (i32.const 4)) (then (local.set $c1 (f32x4.replace_lane 0 (local.get $c1) (f32.load offset=16 (local.get $cj))))))
              (if (i32.gt_u (local.get $r) (i32.const 5)) (then (local.set $c1 (f32x4.replace_lane 1 (local.get $c1) (f32.load offset=20 (local.get $cj))))))
              (if (i32.gt_u (local.get $r) (i32.const 6)) (then (local.set $c1 (f32x4.replace_lane 2 (local.get $c1) (f32.load offset=24 (local.get $cj))))))))))
      (local.set $ap (local.get $a))
      (local.set $bp (i32.add (local.get $pb) (i32.mul (local.get $q) (local.get $panelBytes))))
      (local.set $p (local.get $k))
      (loop $steps
        (local.set $s (v128.load32_splat (local.get $ap)))
        (local.set $b0 (v128.load (local.get $bp)))
        (local.set $b1 (v128.load offset=16 (local.get $bp)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (local.get $b0))))
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (local.get $b1))))
        (local.set $ap (i32.add (local.get $ap) (local.get $csA)))
        (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
        (br_if $steps (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
      (if (i32.ge_u (local.get $r) (i32.const 8))
        (then
          (v128.store (local.get $cj) (local.get $c0))
          (v128.store offset=16 (local.get $cj) (local.get $c1)))
        (else
          (f32.store (local.get $cj) (f32x4.extract_lane 0 (local.get $c0)))
          (if (i32.gt_u (local.get $r) (i32.const 1)) (then (f32.store offset=4 (local.get $cj) (f32x4.extract_lane 1 (local.get $c0)))))
          (if (i32.gt_u (local.get $r) (i32.const 2)) (then (f32.store offset=8 (local.get $cj) (f32x4.extract_lane 2 (local.get $c0)))))
          (if (i32.gt_u (local.get $r) (i32.const 3)) (then (f32.store offset=12 (local.get $cj) (f32x4.extract_lane 3 (local.get $c0)))))
          (if (i32.gt_u (local.get $r) (i32.const 4)) (then (f32.store offset=16 (local.get $cj) (f32x4.extract_lane 0 (local.get $c1)))))
          (if (i32.gt_u (local.get $r) (i32.const 5)) (then (f32.store offset=20 (local.get $cj) (f32x4.extract_lane 1 (local.get $c1)))))
          (if (i32.gt_u (local.get $r) (i32.const 6)) (then (f32.store offset=24 (local.get $cj) (f32x4.extract_lane 2 (local.get $c1)))))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $singles))))

  ;; m < MR: every row through $row1 (csB = 1) or, B packed once as one slice, $rowPacked. Returns 0
  ;; (nothing done) when the packed B would not fit the workspace's B area (KC·NC floats).
  (func $smallM (param $m i32) (param $k i32) (param $n i32) (param $a i32) (param $rsA i32) (param $csA i32)
                (param $b i32) (param $rsB i32) (param $csB i32) (param $c i32) (param $accumulate i32) (param $ws i32)
                (result i32)
    (local $r i32) (local $pb i32)
    (if (i32.eq (local.get $csB) (i32.const 1))
      (then
        (loop $rows
          (call $row1 (i32.add (local.get $a) (i32.shl (i32.mul (local.get $r) (local.get $rsA)) (i32.const 2)))
            (i32.shl (local.get $csA) (i32.const 2)) (local.get $b) (i32.shl (local.get $rsB) (i32.const 2)) (local.get $k)
            (i32.add (local.get $c) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))) (local.get $n) (local.get $accumulate))
          (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $m))))
        (return (i32.const 1))))
    ;; k·⌈n/NR⌉·NR floats must fit the B area (i64: k·n may overflow 32 bits).
    (if (i64.gt_u (i64.mul (i64.extend_i32_u (local.get $k))
                           (i64.extend_i32_u (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
                  (i64.extend_i32_u (i32.mul (global.get $KC) (global.get $NC))))
      (then (return (i32.const 0))))
    (local.set $pb (i32.add (local.get $ws) (i32.shl (i32.mul (global.get $MC) (global.get $KC)) (i32.const 2))))
    (call $packB (local.get $b) (local.get $rsB) (local.get $csB) (local.get $n) (i32.const 0) (local.get $k)
                 (i32.const 0) (local.get $n) (local.get $pb))
    (loop $rows
      (call $rowPacked (i32.add (local.get $a) (i32.shl (i32.mul (local.get $r) (local.get $rsA)) (i32.const 2)))
        (i32.shl (local.get $csA) (i32.const 2)) (local.get $pb) (local.get $k)
        (i32.add (local.get $c) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))) (local.get $n) (local.get $accumulate))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $m))))
    (i32.const 1))

  ;; C[m,n] (+)= A·B with the strides above; accumulate ≠ 0 adds to C, else C is overwritten.
  ;; m, n ≥ 1 and k ≥ 1 (the host handles empty products).
  (func (export "gemm")
    (param $m i32) (param $k i32) (param $n i32)
    (param $a i32) (param $rsA i32) (param $csA i32)
    (param $b i32) (param $rsB i32) (param $csB i32)
    (param $c i32) (param $accumulate i32) (param $ws i32)
    (local $pa i32) (local $pb i32) (local $tile i32) (local $ldc i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $ir i32) (local $load i32) (local $cij i32) (local $nr i32) (local $kcStep i32)
    (if (i32.and (i32.eq (local.get $csB) (i32.const 1))
                 (i32.and (i32.ge_u (local.get $n) (i32.const 4)) (i32.le_u (local.get $n) (i32.const 12))))
      (then
        (call $narrow (local.get $m) (local.get $k) (local.get $n) (local.get $a) (local.get $rsA) (local.get $csA)
          (local.get $b) (local.get $rsB) (local.get $c) (local.get $accumulate))
        (return)))
    ;; Fewer rows than the register tile: one row at a time, without the 4×8 tile's idle rows.
    (if (i32.lt_u (local.get $m) (global.get $MR))
      (then
        (if (call $smallM (local.get $m) (local.get $k) (local.get $n) (local.get $a) (local.get $rsA) (local.get $csA)
                          (local.get $b) (local.get $rsB) (local.get $csB) (local.get $c) (local.get $accumulate) (local.get $ws))
          (then (return)))))
    (local.set $pa (local.get $ws))
    (local.set $pb (i32.add (local.get $pa) (i32.shl (i32.mul (global.get $MC) (global.get $KC)) (i32.const 2))))
    (local.set $tile (i32.add (local.get $pb) (i32.shl (i32.mul (global.get $KC) (global.get $NC)) (i32.const 2))))
    (local.set $ldc (i32.shl (local.get $n) (i32.const 2)))
    ;; kcStep = ceil(k / ceil(k / KC))
    (local.set $kcStep (i32.div_u (i32.add (local.get $k) (i32.sub (global.get $KC) (i32.const 1))) (global.get $KC)))
    (local.set $kcStep (i32.div_u (i32.add (local.get $k) (i32.sub (local.get $kcStep) (i32.const 1))) (local.get $kcStep)))
    (local.set $jc (i32.const 0))
    (loop $jcLoop
      (local.set $nc (select (global.get $NC) (i32.sub (local.get $n) (local.get $jc))
        (i32.lt_u (global.get $NC) (i32.sub (local.get $n) (local.get $jc)))))
      (local.set $pc (i32.const 0))
      (loop $pcLoop
        (local.set $kc (select (local.get $kcStep) (i32.sub (local.get $k) (local.get $pc))
          (i32.lt_u (local.get $kcStep) (i32.sub (local.get $k) (local.get $pc)))))
        (call $packB (local.get $b) (local.get $rsB) (local.get $csB) (local.get $n)
                     (local.get $pc) (local.get $kc) (local.get $jc) (local.get $nc) (local.get $pb))
        (local.set $load (i32.or (local.get $accumulate) (i32.ne (local.get $pc) (i32.const 0))))
        (local.set $ic (i32.const 0))
        (loop $icLoop
          (local.set $mc (select (global.get $MC) (i32.sub (local.get $m) (local.get $ic))
            (i32.lt_u (global.get $MC) (i32.sub (local.get $m) (local.get $ic)))))
          (call $packA (local.get $a) (local.get $rsA) (local.get $csA) (local.get $m)
                       (local.get $ic) (local.get $mc) (local.get $pc) (local.get $kc) (local.get $pa))
          (local.set $jr (i32.const 0))
          (loop $jrLoop
            (local.set $nr (select (global.get $NR) (i32.sub (local.get $nc) (local.get $jr))
              (i32.lt_u (global.get $NR) (i32.sub (local.get $nc) (local.get $jr)))))
            (local.set $ir (i32.const 0))
            (loop $irLoop
              ;; &C(ic+ir, jc+jr)
              (local.set $cij (i32.add (local.get $c)
                (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldc))
                         (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 2)))))
              (if (i32.and (i32.le_u (i32.add (local.get $ir) (global.get $MR)) (local.get $mc))
                           (i32.eq (local.get $nr) (global.get $NR)))
                (then
                  (call $kernel
                    (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2)))
                    (i32.add (local.get $pb) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2)))
                    (local.get $kc) (local.get $cij) (local.get $ldc) (local.get $load)))
                (else
                  (call $edge
                    (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2)))
                    (i32.add (local.get $pb) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2)))
                    (local.get $kc) (local.get $cij) (local.get $ldc) (local.get $load)
                    (select (global.get $MR) (i32.sub (local.get $mc) (local.get $ir))
                      (i32.lt_u (global.get $MR) (i32.sub (local.get $mc) (local.get $ir))))
                    (local.get $nr) (local.get $tile))))
              (br_if $irLoop (i32.lt_u (local.tee $ir (i32.add (local.get $ir) (global.get $MR))) (local.get $mc))))
            (br_if $jrLoop (i32.lt_u (local.tee $jr (i32.add (local.get $jr) (global.get $NR))) (local.get $nc))))
          (br_if $icLoop (i32.lt_u (local.tee $ic (i32.add (local.get $ic) (global.get $MC))) (local.get $m))))
        (br_if $pcLoop (i32.lt_u (local.tee $pc (i32.add (local.get $pc) (local.get $kcStep))) (local.get $k))))
      (br_if $jcLoop (i32.lt_u (local.tee $jc (i32.add (local.get $jc) (global.get $NC))) (local.get $n)))))

  ;; C[:, columns of panels q0 .. q1) (+)= A·B for a B packed beforehand with packB (a B that many
  ;; products reuse: an LSTM's gate weights, read at every step of a call). The packed B covers
  ;; rows [0, k) cut into slices of kcStep rows (≤ KC; the last may be shorter): slice s, from row
  ;; p0 = s·kcStep, holds its NR-wide panels one after another ([kc][NR] each) from
  ;; pb + 4·p0·npad, npad = n rounded up to NR. C(i, j) is at c + 4·(i·ldc + j). Each C element gets
  ;; the same sums whichever panel range computes it, so threads sharing the panels give the bits
  ;; of one thread. m, k ≥ 1, 0 ≤ q0 < q1 ≤ npad/NR.
  (func (export "gemmPacked")
    (param $m i32) (param $k i32) (param $n i32)
    (param $a i32) (param $rsA i32) (param $csA i32)
    (param $pb i32) (param $kcStep i32) (param $c i32) (param $ldc i32) (param $accumulate i32) (param $ws i32)
    (param $q0 i32) (param $q1 i32)
    (local $pa i32) (local $tile i32) (local $npad i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $q i32) (local $ir i32) (local $load i32) (local $cij i32) (local $nr i32) (local $pbq i32)
    (local.set $pa (local.get $ws))
    (local.set $tile (i32.add (local.get $ws)
      (i32.shl (i32.add (i32.mul (global.get $MC) (global.get $KC)) (i32.mul (global.get $KC) (global.get $NC))) (i32.const 2))))
    (local.set $npad (i32.and (i32.add (local.get $n) (i32.sub (global.get $NR) (i32.const 1)))
                              (i32.sub (i32.const 0) (global.get $NR))))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (loop $pcLoop
      (local.set $kc (select (local.get $kcStep) (i32.sub (local.get $k) (local.get $pc))
        (i32.lt_u (local.get $kcStep) (i32.sub (local.get $k) (local.get $pc)))))
      (local.set $load (i32.or (local.get $accumulate) (i32.ne (local.get $pc) (i32.const 0))))
      (local.set $ic (i32.const 0))
      (loop $icLoop
        (local.set $mc (select (global.get $MC) (i32.sub (local.get $m) (local.get $ic))
          (i32.lt_u (global.get $MC) (i32.sub (local.get $m) (local.get $ic)))))
        (call $packA (local.get $a) (local.get $rsA) (local.get $csA) (local.get $m)
                     (local.get $ic) (local.get $mc) (local.get $pc) (local.get $kc) (local.get $pa))
        (local.set $q (local.get $q0))
        (loop $qLoop
          (local.set $nr (select (global.get $NR) (i32.sub (local.get $n) (i32.mul (local.get $q) (global.get $NR)))
            (i32.lt_s (global.get $NR) (i32.sub (local.get $n) (i32.mul (local.get $q) (global.get $NR))))))
          (local.set $pbq (i32.add (local.get $pb) (i32.shl
            (i32.add (i32.mul (local.get $pc) (local.get $npad)) (i32.mul (i32.mul (local.get $q) (local.get $kc)) (global.get $NR)))
            (i32.const 2))))
          (local.set $ir (i32.const 0))
          (loop $irLoop
            (local.set $cij (i32.add (local.get $c)
              (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldc))
                       (i32.shl (i32.mul (local.get $q) (global.get $NR)) (i32.const 2)))))
            (if (i32.and (i32.le_u (i32.add (local.get $ir) (global.get $MR)) (local.get $mc))
                         (i32.eq (local.get $nr) (global.get $NR)))
              (then
                (call $kernel
                  (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2)))
                  (local.get $pbq) (local.get $kc) (local.get $cij) (local.get $ldc) (local.get $load)))
              (else
                (call $edge
                  (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2)))
                  (local.get $pbq) (local.get $kc) (local.get $cij) (local.get $ldc) (local.get $load)
                  (select (global.get $MR) (i32.sub (local.get $mc) (local.get $ir))
                    (i32.lt_u (global.get $MR) (i32.sub (local.get $mc) (local.get $ir))))
                  (local.get $nr) (local.get $tile))))
            (br_if $irLoop (i32.lt_u (local.tee $ir (i32.add (local.get $ir) (global.get $MR))) (local.get $mc))))
          (br_if $qLoop (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $q1))))
        (br_if $icLoop (i32.lt_u (local.tee $ic (i32.add (local.get $ic) (global.get $MC))) (local.get $m))))
      (br_if $pcLoop (i32.lt_u (local.tee $pc (i32.add (local.get $pc) (local.get $kcStep))) (local.get $k)))))
)
