;; coarsegrain: the memory-bound kernels of the blocked Householder tridiagonalisation (LAPACK
;; dsytrd/dlatrd) in WebAssembly SIMD (f64x2), float64.
;;
;; Source of src/core/linalg/wasm/tridiagonal.wasm.generated.ts: after editing, run `npm run build:wasm`
;; (tsx src/core/linalg/wasm/assemble.ts); a test checks that the embedded bytes equal a fresh assembly.
;;
;; The caller (src/core/linalg/tridiagonal.ts through ./tridiagonalWasm.ts) keeps the whole reduction's
;; working set (the matrix, the panel's V and W, the vector p) in this module's memory, so nothing is
;; copied per call. All pointers and leading dimensions are in bytes; no alignment is assumed
;; (unaligned v128 loads are valid WebAssembly). Multiply then add (no fused multiply-add), so the
;; results are the same on every engine:
;;   symv_lower   p = S v for the symmetric S stored in its lower triangle (dsymv): half the flops of the
;;                reduction, each stored entry read once for 4 flops;
;;   panel_sub    out -= sum_r (cv_r V_r + cw_r W_r) over panel rows r (two per pass), element-wise in the
;;                same order as the TypeScript kernel, so bit-identical to it;
;;   panel_dots   dw_r = W_r . x and dv_r = V_r . x (two panel rows per pass).
(module
  ;; Grown by the caller to (n^2 + 3 nb n + n + 2 nb) doubles, at most 128 MB (the caller's cap; n up to
  ;; about 4,000); the declared maximum (1 GiB) only bounds it. The assembler also emits a second build
  ;; with this memory declared `shared` (a SharedArrayBuffer, so a threaded GEMM's workers can take the
  ;; trailing update in place); keep this line as it is, the assembler looks for it.
  (memory (export "memory") 1 16384)

  ;; p[0 .. mt) = S v, S (mt x mt) at a with row stride lda (bytes), lower triangle read (j <= i).
  ;; Rows four at a time: for each pair of columns j < i, the four rows' entries feed both the row dots
  ;; s_r += a_rj v_j (two lanes each, summed at the end) and p_j += a_0j v_i + a_1j v_i+1 + ...
  (func $symv_lower (export "symv_lower") (param $mt i32) (param $a i32) (param $lda i32) (param $v i32) (param $p i32)
    (local $i i32) (local $j i32) (local $jend i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $w0 f64) (local $w1 f64) (local $w2 f64) (local $w3 f64)
    (local $t0 f64) (local $t1 f64) (local $t2 f64) (local $t3 f64) (local $aij f64)
    (local $a10 f64) (local $a20 f64) (local $a21 f64) (local $a30 f64) (local $a31 f64) (local $a32 f64)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $x v128)
    ;; p = 0
    (local.set $j (i32.const 0))
    (local.set $jend (i32.shl (local.get $mt) (i32.const 3)))
    (block $z_done (loop $z
      (br_if $z_done (i32.ge_u (local.get $j) (local.get $jend)))
      (f64.store (i32.add (local.get $p) (local.get $j)) (f64.const 0))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $z)))
    (local.set $i (i32.const 0))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $mt)))
      (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $lda)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $lda)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $lda)))
      (local.set $jend (i32.shl (local.get $i) (i32.const 3)))
      (local.set $w0 (f64.load offset=0 (i32.add (local.get $v) (local.get $jend))))
      (local.set $w1 (f64.load offset=8 (i32.add (local.get $v) (local.get $jend))))
      (local.set $w2 (f64.load offset=16 (i32.add (local.get $v) (local.get $jend))))
      (local.set $w3 (f64.load offset=24 (i32.add (local.get $v) (local.get $jend))))
      (local.set $v0 (f64x2.splat (local.get $w0)))
      (local.set $v1 (f64x2.splat (local.get $w1)))
      (local.set $v2 (f64x2.splat (local.get $w2)))
      (local.set $v3 (f64x2.splat (local.get $w3)))
      (local.set $s0 (v128.const i64x2 0 0))
      (local.set $s1 (v128.const i64x2 0 0))
      (local.set $s2 (v128.const i64x2 0 0))
      (local.set $s3 (v128.const i64x2 0 0))
      ;; columns 0 .. i-1 (i is a multiple of 4: whole pairs)
      (local.set $j (i32.const 0))
      (block $cols_done (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $jend)))
        (local.set $x (v128.load (i32.add (local.get $v) (local.get $j))))
        (local.set $x0 (v128.load (i32.add (local.get $r0) (local.get $j))))
        (local.set $x1 (v128.load (i32.add (local.get $r1) (local.get $j))))
        (local.set $x2 (v128.load (i32.add (local.get $r2) (local.get $j))))
        (local.set $x3 (v128.load (i32.add (local.get $r3) (local.get $j))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $x0) (local.get $x))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $x1) (local.get $x))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $x2) (local.get $x))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $x3) (local.get $x))))
        (v128.store (i32.add (local.get $p) (local.get $j))
          (f64x2.add (v128.load (i32.add (local.get $p) (local.get $j)))
            (f64x2.add
              (f64x2.add
                (f64x2.add (f64x2.mul (local.get $x0) (local.get $v0)) (f64x2.mul (local.get $x1) (local.get $v1)))
                (f64x2.mul (local.get $x2) (local.get $v2)))
              (f64x2.mul (local.get $x3) (local.get $v3)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $cols)))
      ;; the 4 x 4 diagonal block (lower entries mirrored)
      (local.set $a10 (f64.load (i32.add (local.get $r1) (local.get $jend))))
      (local.set $a20 (f64.load (i32.add (local.get $r2) (local.get $jend))))
      (local.set $a21 (f64.load offset=8 (i32.add (local.get $r2) (local.get $jend))))
      (local.set $a30 (f64.load (i32.add (local.get $r3) (local.get $jend))))
      (local.set $a31 (f64.load offset=8 (i32.add (local.get $r3) (local.get $jend))))
      (local.set $a32 (f64.load offset=16 (i32.add (local.get $r3) (local.get $jend))))
      (local.set $t0 (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
      (local.set $t1 (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1))))
      (local.set $t2 (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2))))
      (local.set $t3 (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3))))
      (local.set $t0 (f64.add (f64.add (f64.add (f64.add (local.get $t0)
        (f64.mul (f64.load (i32.add (local.get $r0) (local.get $jend))) (local.get $w0)))
        (f64.mul (local.get $a10) (local.get $w1))) (f64.mul (local.get $a20) (local.get $w2))) (f64.mul (local.get $a30) (local.get $w3))))
      (local.set $t1 (f64.add (f64.add (f64.add (f64.add (local.get $t1)
        (f64.mul (local.get $a10) (local.get $w0)))
        (f64.mul (f64.load offset=8 (i32.add (local.get $r1) (local.get $jend))) (local.get $w1))) (f64.mul (local.get $a21) (local.get $w2))) (f64.mul (local.get $a31) (local.get $w3))))
      (local.set $t2 (f64.add (f64.add (f64.add (f64.add (local.get $t2)
        (f64.mul (local.get $a20) (local.get $w0)))
        (f64.mul (local.get $a21) (local.get $w1))) (f64.mul (f64.load offset=16 (i32.add (local.get $r2) (local.get $jend))) (local.get $w2))) (f64.mul (local.get $a32) (local.get $w3))))
      (local.set $t3 (f64.add (f64.add (f64.add (f64.add (local.get $t3)
        (f64.mul (local.get $a30) (local.get $w0)))
        (f64.mul (local.get $a31) (local.get $w1))) (f64.mul (local.get $a32) (local.get $w2))) (f64.mul (f64.load offset=24 (i32.add (local.get $r3) (local.get $jend))) (local.get $w3))))
      (f64.store offset=0 (i32.add (local.get $p) (local.get $jend)) (f64.add (f64.load offset=0 (i32.add (local.get $p) (local.get $jend))) (local.get $t0)))
      (f64.store offset=8 (i32.add (local.get $p) (local.get $jend)) (f64.add (f64.load offset=8 (i32.add (local.get $p) (local.get $jend))) (local.get $t1)))
      (f64.store offset=16 (i32.add (local.get $p) (local.get $jend)) (f64.add (f64.load offset=16 (i32.add (local.get $p) (local.get $jend))) (local.get $t2)))
      (f64.store offset=24 (i32.add (local.get $p) (local.get $jend)) (f64.add (f64.load offset=24 (i32.add (local.get $p) (local.get $jend))) (local.get $t3)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows)))
    ;; the last mt mod 4 rows, one at a time
    (block $tail_done (loop $tail
      (br_if $tail_done (i32.ge_u (local.get $i) (local.get $mt)))
      (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $lda))))
      (local.set $jend (i32.shl (local.get $i) (i32.const 3)))
      (local.set $w0 (f64.load (i32.add (local.get $v) (local.get $jend))))
      (local.set $t0 (f64.const 0))
      (local.set $j (i32.const 0))
      (block $c_done (loop $c
        (br_if $c_done (i32.ge_u (local.get $j) (local.get $jend)))
        (local.set $aij (f64.load (i32.add (local.get $r0) (local.get $j))))
        (local.set $t0 (f64.add (local.get $t0) (f64.mul (local.get $aij) (f64.load (i32.add (local.get $v) (local.get $j))))))
        (f64.store (i32.add (local.get $p) (local.get $j))
          (f64.add (f64.load (i32.add (local.get $p) (local.get $j))) (f64.mul (local.get $aij) (local.get $w0))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $c)))
      (f64.store (i32.add (local.get $p) (local.get $jend))
        (f64.add (f64.load (i32.add (local.get $p) (local.get $jend)))
          (f64.add (local.get $t0) (f64.mul (f64.load (i32.add (local.get $r0) (local.get $jend))) (local.get $w0)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail)))
  )

  ;; out[j] -= sum_{r < q} (cv[r] V_r[j] + cw[r] W_r[j]) for j < len; V_r at vt + r ld, W_r at wt + r ld,
  ;; cv and cw arrays of q doubles. Two panel rows per pass, in the order of the TypeScript kernel:
  ;; out - (((cv_r V_r + cw_r W_r) + cv_r+1 V_r+1) + cw_r+1 W_r+1).
  (func $panel_sub (export "panel_sub") (param $out i32) (param $len i32) (param $vt i32) (param $wt i32) (param $ld i32) (param $q i32) (param $cv i32) (param $cw i32)
    (local $r i32) (local $j i32) (local $jend i32) (local $jvec i32) (local $v0 i32) (local $w0 i32) (local $v1 i32) (local $w1 i32)
    (local $c0 f64) (local $d0 f64) (local $c1 f64) (local $d1 f64)
    (local $cv0 v128) (local $cw0 v128) (local $cv1 v128) (local $cw1 v128)
    (local.set $jend (i32.shl (local.get $len) (i32.const 3)))
    (local.set $jvec (i32.and (local.get $jend) (i32.const -16)))
    (local.set $r (i32.const 0))
    (block $pairs_done (loop $pairs
      (br_if $pairs_done (i32.gt_u (i32.add (local.get $r) (i32.const 2)) (local.get $q)))
      (local.set $v0 (i32.add (local.get $vt) (i32.mul (local.get $r) (local.get $ld))))
      (local.set $w0 (i32.add (local.get $wt) (i32.mul (local.get $r) (local.get $ld))))
      (local.set $v1 (i32.add (local.get $v0) (local.get $ld)))
      (local.set $w1 (i32.add (local.get $w0) (local.get $ld)))
      (local.set $c0 (f64.load offset=0 (i32.add (local.get $cv) (i32.shl (local.get $r) (i32.const 3)))))
      (local.set $c1 (f64.load offset=8 (i32.add (local.get $cv) (i32.shl (local.get $r) (i32.const 3)))))
      (local.set $d0 (f64.load offset=0 (i32.add (local.get $cw) (i32.shl (local.get $r) (i32.const 3)))))
      (local.set $d1 (f64.load offset=8 (i32.add (local.get $cw) (i32.shl (local.get $r) (i32.const 3)))))
      (local.set $cv0 (f64x2.splat (local.get $c0)))
      (local.set $cv1 (f64x2.splat (local.get $c1)))
      (local.set $cw0 (f64x2.splat (local.get $d0)))
      (local.set $cw1 (f64x2.splat (local.get $d1)))
      (local.set $j (i32.const 0))
      (block $vec_done (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $j) (local.get $jvec)))
        (v128.store (i32.add (local.get $out) (local.get $j))
          (f64x2.sub (v128.load (i32.add (local.get $out) (local.get $j)))
            (f64x2.add
              (f64x2.add
                (f64x2.add
                  (f64x2.mul (local.get $cv0) (v128.load (i32.add (local.get $v0) (local.get $j))))
                  (f64x2.mul (local.get $cw0) (v128.load (i32.add (local.get $w0) (local.get $j)))))
                (f64x2.mul (local.get $cv1) (v128.load (i32.add (local.get $v1) (local.get $j)))))
              (f64x2.mul (local.get $cw1) (v128.load (i32.add (local.get $w1) (local.get $j)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (if (i32.lt_u (local.get $j) (local.get $jend))
        (then
          (f64.store (i32.add (local.get $out) (local.get $j))
            (f64.sub (f64.load (i32.add (local.get $out) (local.get $j)))
              (f64.add
                (f64.add
                  (f64.add
                    (f64.mul (local.get $c0) (f64.load (i32.add (local.get $v0) (local.get $j))))
                    (f64.mul (local.get $d0) (f64.load (i32.add (local.get $w0) (local.get $j)))))
                  (f64.mul (local.get $c1) (f64.load (i32.add (local.get $v1) (local.get $j)))))
                (f64.mul (local.get $d1) (f64.load (i32.add (local.get $w1) (local.get $j)))))))))
      (local.set $r (i32.add (local.get $r) (i32.const 2)))
      (br $pairs)))
    (if (i32.lt_u (local.get $r) (local.get $q))
      (then
        (local.set $v0 (i32.add (local.get $vt) (i32.mul (local.get $r) (local.get $ld))))
        (local.set $w0 (i32.add (local.get $wt) (i32.mul (local.get $r) (local.get $ld))))
        (local.set $c0 (f64.load (i32.add (local.get $cv) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $d0 (f64.load (i32.add (local.get $cw) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $cv0 (f64x2.splat (local.get $c0)))
        (local.set $cw0 (f64x2.splat (local.get $d0)))
        (local.set $j (i32.const 0))
        (block $vec1_done (loop $vec1
          (br_if $vec1_done (i32.ge_u (local.get $j) (local.get $jvec)))
          (v128.store (i32.add (local.get $out) (local.get $j))
            (f64x2.sub (v128.load (i32.add (local.get $out) (local.get $j)))
              (f64x2.add
                (f64x2.mul (local.get $cv0) (v128.load (i32.add (local.get $v0) (local.get $j))))
                (f64x2.mul (local.get $cw0) (v128.load (i32.add (local.get $w0) (local.get $j)))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $vec1)))
        (if (i32.lt_u (local.get $j) (local.get $jend))
          (then
            (f64.store (i32.add (local.get $out) (local.get $j))
              (f64.sub (f64.load (i32.add (local.get $out) (local.get $j)))
                (f64.add
                  (f64.mul (local.get $c0) (f64.load (i32.add (local.get $v0) (local.get $j))))
                  (f64.mul (local.get $d0) (f64.load (i32.add (local.get $w0) (local.get $j)))))))))))
  )

  ;; dw[r] = W_r . x and dv[r] = V_r . x over len elements for r < q (V_r at vt + r ld, W_r at wt + r ld).
  ;; Two panel rows per pass, two lanes each (summed at the end, then the odd last element).
  (func $panel_dots (export "panel_dots") (param $vt i32) (param $wt i32) (param $ld i32) (param $q i32) (param $x i32) (param $len i32) (param $dw i32) (param $dv i32)
    (local $r i32) (local $j i32) (local $jend i32) (local $jvec i32) (local $v0 i32) (local $w0 i32) (local $v1 i32) (local $w1 i32)
    (local $xv v128) (local $sw0 v128) (local $sv0 v128) (local $sw1 v128) (local $sv1 v128)
    (local $tw0 f64) (local $tv0 f64) (local $tw1 f64) (local $tv1 f64) (local $xs f64)
    (local.set $jend (i32.shl (local.get $len) (i32.const 3)))
    (local.set $jvec (i32.and (local.get $jend) (i32.const -16)))
    (local.set $r (i32.const 0))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $q)))
      ;; an odd last row pairs with itself (its result is written twice, identically)
      (local.set $v0 (i32.add (local.get $vt) (i32.mul (local.get $r) (local.get $ld))))
      (local.set $w0 (i32.add (local.get $wt) (i32.mul (local.get $r) (local.get $ld))))
      (local.set $v1 (select (i32.add (local.get $v0) (local.get $ld)) (local.get $v0) (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $q))))
      (local.set $w1 (select (i32.add (local.get $w0) (local.get $ld)) (local.get $w0) (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $q))))
      (local.set $sw0 (v128.const i64x2 0 0))
      (local.set $sv0 (v128.const i64x2 0 0))
      (local.set $sw1 (v128.const i64x2 0 0))
      (local.set $sv1 (v128.const i64x2 0 0))
      (local.set $j (i32.const 0))
      (block $vec_done (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $j) (local.get $jvec)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $j))))
        (local.set $sw0 (f64x2.add (local.get $sw0) (f64x2.mul (v128.load (i32.add (local.get $w0) (local.get $j))) (local.get $xv))))
        (local.set $sv0 (f64x2.add (local.get $sv0) (f64x2.mul (v128.load (i32.add (local.get $v0) (local.get $j))) (local.get $xv))))
        (local.set $sw1 (f64x2.add (local.get $sw1) (f64x2.mul (v128.load (i32.add (local.get $w1) (local.get $j))) (local.get $xv))))
        (local.set $sv1 (f64x2.add (local.get $sv1) (f64x2.mul (v128.load (i32.add (local.get $v1) (local.get $j))) (local.get $xv))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (local.set $tw0 (f64.add (f64x2.extract_lane 0 (local.get $sw0)) (f64x2.extract_lane 1 (local.get $sw0))))
      (local.set $tv0 (f64.add (f64x2.extract_lane 0 (local.get $sv0)) (f64x2.extract_lane 1 (local.get $sv0))))
      (local.set $tw1 (f64.add (f64x2.extract_lane 0 (local.get $sw1)) (f64x2.extract_lane 1 (local.get $sw1))))
      (local.set $tv1 (f64.add (f64x2.extract_lane 0 (local.get $sv1)) (f64x2.extract_lane 1 (local.get $sv1))))
      (if (i32.lt_u (local.get $j) (local.get $jend))
        (then
          (local.set $xs (f64.load (i32.add (local.get $x) (local.get $j))))
          (local.set $tw0 (f64.add (local.get $tw0) (f64.mul (f64.load (i32.add (local.get $w0) (local.get $j))) (local.get $xs))))
          (local.set $tv0 (f64.add (local.get $tv0) (f64.mul (f64.load (i32.add (local.get $v0) (local.get $j))) (local.get $xs))))
          (local.set $tw1 (f64.add (local.get $tw1) (f64.mul (f64.load (i32.add (local.get $w1) (local.get $j))) (local.get $xs))))
          (local.set $tv1 (f64.add (local.get $tv1) (f64.mul (f64.load (i32.add (local.get $v1) (local.get $j))) (local.get $xs))))))
      (f64.store (i32.add (local.get $dw) (i32.shl (local.get $r) (i32.const 3))) (local.get $tw0))
      (f64.store (i32.add (local.get $dv) (i32.shl (local.get $r) (i32.const 3))) (local.get $tv0))
      (if (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $q))
        (then
          (f64.store offset=8 (i32.add (local.get $dw) (i32.shl (local.get $r) (i32.const 3))) (local.get $tw1))
          (f64.store offset=8 (i32.add (local.get $dv) (i32.shl (local.get $r) (i32.const 3))) (local.get $tv1))))
      (local.set $r (i32.add (local.get $r) (i32.const 2)))
      (br $rows)))
  )
)
