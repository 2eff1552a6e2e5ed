;; Float64 GEMM for WebAssembly SIMD128 (f64x2): C[m,n] (+)= A(m×k) · B(k×n) for the book profile,
;; every operand addressed through element strides as in gemm.wat (one routine for NN, NT, TN):
;;
;;   A(i,p) = f64 at a + 8·(i·rsA + p·csA)      NN, NT: rsA = k, csA = 1;   TN: rsA = 1, csA = m
;;   B(p,j) = f64 at b + 8·(p·rsB + j·csB)      NN, TN: rsB = n, csB = 1;   NT: rsB = 1, csB = k
;;   C(i,j) = f64 at c + 8·(i·n + j)            always row-major
;;
;; Bit-for-bit the reference kernels' sums (kernels/matmul.ts): every C(i,j) is one running sum
;; over p = 0, 1, …, k−1 in order, started from 0 (or from C when accumulating), each step
;; acc = acc + A(i,p)·B(p,j) as a rounded multiply then a rounded add (f64x2.mul, f64x2.add —
;; never a fused multiply-add, and buildWasm.mjs makes no relaxed variant of this module). The
;; vector lanes run over j, never over p, so vectorising, blocking and splitting rows across
;; threads change where a sum is kept, never its order: k-slices go through C in order, and a
;; double stored and reloaded is exact. (matmulNT with accumulate adds a whole sum to C instead;
;; kernels/wasm/wasmGemm64.ts runs that case through a scratch C.)
;;
;; The loop nest is gemm.wat's (BLIS: pack B into NR-wide micro-panels [kc][NR], A into MR-tall
;; micro-panels [kc][MR], 4×4 micro-kernel on eight f64x2 registers); packing pads short panels
;; with zeros, whose lanes are never stored back.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Blocking (elements). A B micro-panel (KC·NR·8 = 8 KiB) and an A micro-panel (8 KiB) share L1;
  ;; MC·KC·8 = 192 KiB of packed A stays in L2; KC·NC·8 = 2 MiB of packed B in L3.
  (global $MR i32 (i32.const 4))
  (global $NR i32 (i32.const 4))
  (global $KC i32 (i32.const 256))
  (global $MC i32 (i32.const 96))
  (global $NC i32 (i32.const 1024))

  ;; Workspace: packed A (MC·KC), packed B (KC·NC), one MR×NR edge tile.
  (func $workspaceBytes (export "workspaceBytes") (result i32)
    (i32.mul (i32.const 8)
      (i32.add (i32.add (i32.mul (global.get $MC) (global.get $KC))
                        (i32.mul (global.get $KC) (global.get $NC)))
               (i32.mul (global.get $MR) (global.get $NR)))))

  ;; Packs A rows [i0, i0+mc) × columns [p0, p0+kc) into MR-tall micro-panels at dst:
  ;; panel q holds rows i0+q·MR .. +MR as [kc][MR]; rows ≥ m are zero. rsA, csA in bytes.
  (func $packA (param $a i32) (param $rsA i32) (param $csA i32) (param $m i32)
               (param $i0 i32) (param $mc i32) (param $p0 i32) (param $kc i32) (param $dst i32)
    (local $ir i32) (local $i i32) (local $p i32) (local $r i32) (local $src i32) (local $s i32)
    (local.set $ir (i32.const 0))
    (loop $panels
      (local.set $i (i32.add (local.get $i0) (local.get $ir)))
      ;; src = &A(i, p0)
      (local.set $src (i32.add (local.get $a)
        (i32.add (i32.mul (local.get $i) (local.get $rsA)) (i32.mul (local.get $p0) (local.get $csA)))))
      (if (i32.and (i32.le_u (i32.add (local.get $i) (global.get $MR)) (local.get $m))
                   (i32.eq (local.get $rsA) (i32.const 8)))
        (then
          ;; Column-contiguous A (TN): the MR values of each p are adjacent.
          (local.set $p (local.get $kc))
          (loop $cols
            (v128.store (local.get $dst) (v128.load (local.get $src)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $csA)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (br_if $cols (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
        (else
          (if (i32.le_u (i32.add (local.get $i) (global.get $MR)) (local.get $m))
            (then
              ;; Row-major A (NN, NT): gather one value of each of the MR rows per p.
              (local.set $p (local.get $kc))
              (loop $cols
                (f64.store (local.get $dst) (f64.load (local.get $src)))
                (local.set $s (i32.add (local.get $src) (local.get $rsA)))
                (f64.store offset=8 (local.get $dst) (f64.load (local.get $s)))
                (local.set $s (i32.add (local.get $s) (local.get $rsA)))
                (f64.store offset=16 (local.get $dst) (f64.load (local.get $s)))
                (local.set $s (i32.add (local.get $s) (local.get $rsA)))
                (f64.store offset=24 (local.get $dst) (f64.load (local.get $s)))
                (local.set $src (i32.add (local.get $src) (local.get $csA)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                (br_if $cols (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
            (else
              ;; Last, short panel: copy the rows that exist, zero the rest.
              (local.set $p (i32.const 0))
              (loop $cols
                (local.set $r (i32.const 0))
                (loop $rows
                  (f64.store (local.get $dst)
                    (if (result f64) (i32.lt_u (i32.add (local.get $i) (local.get $r)) (local.get $m))
                      (then (f64.load (i32.add (local.get $src)
                        (i32.add (i32.mul (local.get $r) (local.get $rsA))
                                 (i32.mul (local.get $p) (local.get $csA))))))
                      (else (f64.const 0))))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
                  (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (global.get $MR))))
                (br_if $cols (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc))))))))
      (br_if $panels (i32.lt_u (local.tee $ir (i32.add (local.get $ir) (global.get $MR))) (local.get $mc)))))

  ;; Packs B rows [p0, p0+kc) × columns [j0, j0+nc) into NR-wide micro-panels at dst:
  ;; panel q holds columns j0+q·NR .. +NR as [kc][NR]; columns ≥ n are zero. rsB, csB in bytes.
  (func $packB (param $b i32) (param $rsB i32) (param $csB i32) (param $n i32)
               (param $p0 i32) (param $kc i32) (param $j0 i32) (param $nc i32) (param $dst i32)
    (local $jr i32) (local $j i32) (local $p i32) (local $col i32) (local $src i32) (local $s i32)
    (local.set $jr (i32.const 0))
    (loop $panels
      (local.set $j (i32.add (local.get $j0) (local.get $jr)))
      ;; src = &B(p0, j)
      (local.set $src (i32.add (local.get $b)
        (i32.add (i32.mul (local.get $p0) (local.get $rsB)) (i32.mul (local.get $j) (local.get $csB)))))
      (if (i32.le_u (i32.add (local.get $j) (global.get $NR)) (local.get $n))
        (then
          (if (i32.eq (local.get $csB) (i32.const 8))
            (then
              ;; Row-major B (NN, TN): NR adjacent values per p.
              (local.set $p (local.get $kc))
              (loop $rows
                (v128.store (local.get $dst) (v128.load (local.get $src)))
                (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
                (local.set $src (i32.add (local.get $src) (local.get $rsB)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                (br_if $rows (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
            (else
              ;; Transposed B (NT): gather one value of each of the NR columns per p.
              (local.set $p (local.get $kc))
              (loop $rows
                (f64.store (local.get $dst) (f64.load (local.get $src)))
                (local.set $s (i32.add (local.get $src) (local.get $csB)))
                (f64.store offset=8 (local.get $dst) (f64.load (local.get $s)))
                (local.set $s (i32.add (local.get $s) (local.get $csB)))
                (f64.store offset=16 (local.get $dst) (f64.load (local.get $s)))
                (local.set $s (i32.add (local.get $s) (local.get $csB)))
                (f64.store offset=24 (local.get $dst) (f64.load (local.get $s)))
                (local.set $src (i32.add (local.get $src) (local.get $rsB)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                (br_if $rows (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))))
        (else
          (local.set $p (i32.const 0))
          (loop $rows
            (local.set $col (i32.const 0))
            (loop $cols
              (f64.store (local.get $dst)
                (if (result f64) (i32.lt_u (i32.add (local.get $j) (local.get $col)) (local.get $n))
                  (then (f64.load (i32.add (local.get $src)
                    (i32.add (i32.mul (local.get $p) (local.get $rsB))
                             (i32.mul (local.get $col) (local.get $csB))))))
                  (else (f64.const 0))))
              (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
              (br_if $cols (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 1))) (global.get $NR))))
            (br_if $rows (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $kc))))))
      (br_if $panels (i32.lt_u (local.tee $jr (i32.add (local.get $jr) (global.get $NR))) (local.get $nc)))))

  ;; The 4×4 micro-kernel: C[0:4, 0:4] (+)= Ap[kc][4] · Bp[kc][4], C rows ldc bytes apart.
  ;; With load = 0 the sums start from 0 and the block of C is overwritten. kc ≥ 1.
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
      (local.set $a (v128.load64_splat (local.get $pa)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=8 (local.get $pa)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=16 (local.get $pa)))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=24 (local.get $pa)))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
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
  ;; the existing values of C when load ≠ 0 (else with zeros: the same 0 + a·b as load = 0),
  ;; and copy the valid part back.
  (func $edge (param $pa i32) (param $pb i32) (param $kc i32) (param $c i32) (param $ldc i32)
              (param $load i32) (param $mr i32) (param $nr i32) (param $tile i32)
    (local $r i32) (local $col i32)
    (local.set $r (i32.const 0))
    (loop $rows
      (local.set $col (i32.const 0))
      (loop $cols
        (f64.store (i32.add (local.get $tile)
                     (i32.shl (i32.add (i32.mul (local.get $r) (global.get $NR)) (local.get $col)) (i32.const 3)))
          (if (result f64) (i32.and (i32.and (local.get $load) (i32.lt_u (local.get $r) (local.get $mr)))
                                    (i32.lt_u (local.get $col) (local.get $nr)))
            (then (f64.load (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc)))
                                     (i32.shl (local.get $col) (i32.const 3)))))
            (else (f64.const 0))))
        (br_if $cols (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 1))) (global.get $NR))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (global.get $MR))))
    (call $kernel (local.get $pa) (local.get $pb) (local.get $kc) (local.get $tile)
                  (i32.shl (global.get $NR) (i32.const 3)) (i32.const 1))
    (local.set $r (i32.const 0))
    (loop $rows
      (local.set $col (i32.const 0))
      (loop $cols
        (f64.store (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc)))
                            (i32.shl (local.get $col) (i32.const 3)))
          (f64.load (i32.add (local.get $tile)
            (i32.shl (i32.add (i32.mul (local.get $r) (global.get $NR)) (local.get $col)) (i32.const 3)))))
        (br_if $cols (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 1))) (local.get $nr))))
      (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $mr)))))

  ;; C[m,n] (+)= A·B with the strides above; accumulate ≠ 0 continues the sums from C, else C is
  ;; overwritten. m, n, k ≥ 1 (the host handles empty products).
  (func (export "gemm")
    (param $m i32) (param $k i32) (param $n i32)
    (param $a i32) (param $rsA i32) (param $csA i32)
    (param $b i32) (param $rsB i32) (param $csB i32)
    (param $c i32) (param $accumulate i32) (param $ws i32)
    (local $pa i32) (local $pb i32) (local $tile i32) (local $ldc i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $ir i32) (local $load i32) (local $cij i32) (local $nr i32) (local $kcStep i32)
    (local.set $rsA (i32.shl (local.get $rsA) (i32.const 3)))
    (local.set $csA (i32.shl (local.get $csA) (i32.const 3)))
    (local.set $rsB (i32.shl (local.get $rsB) (i32.const 3)))
    (local.set $csB (i32.shl (local.get $csB) (i32.const 3)))
    (local.set $pa (local.get $ws))
    (local.set $pb (i32.add (local.get $pa) (i32.shl (i32.mul (global.get $MC) (global.get $KC)) (i32.const 3))))
    (local.set $tile (i32.add (local.get $pb) (i32.shl (i32.mul (global.get $KC) (global.get $NC)) (i32.const 3))))
    (local.set $ldc (i32.shl (local.get $n) (i32.const 3)))
    ;; kcStep = ceil(k / ceil(k / KC)): equal slices, in order.
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
                         (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 3)))))
              (if (i32.and (i32.le_u (i32.add (local.get $ir) (global.get $MR)) (local.get $mc))
                           (i32.eq (local.get $nr) (global.get $NR)))
                (then
                  (call $kernel
                    (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 3)))
                    (i32.add (local.get $pb) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 3)))
                    (local.get $kc) (local.get $cij) (local.get $ldc) (local.get $load)))
                (else
                  (call $edge
                    (i32.add (local.get $pa) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 3)))
                    (i32.add (local.get $pb) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 3)))
                    (local.get $kc) (local.get $cij) (local.get $ldc) (local.get $load)
                    (select (global.get $MR) (i32.sub (local.get $mc) (local.get $ir))
                      (i32.lt_u (global.get $MR) (i32.sub (local.get $mc) (local.get $ir))))
                    (local.get $nr) (local.get $tile))))
              (br_if $irLoop (i32.lt_u (local.tee $ir (i32.add (local.get $ir) (global.get $MR))) (local.get $mc))))
            (br_if $jrLoop (i32.lt_u (local.tee $jr (i32.add (local.get $jr) (global.get $NR))) (local.get $nc))))
          (br_if $icLoop (i32.lt_u (local.tee $ic (i32.add (local.get $ic) (global.get $MC))) (local.get $m))))
        (br_if $pcLoop (i32.lt_u (local.tee $pc (i32.add (local.get $pc) (local.get $kcStep))) (local.get $k))))
      (br_if $jcLoop (i32.lt_u (local.tee $jc (i32.add (local.get $jc) (global.get $NC))) (local.get $n)))))
)
