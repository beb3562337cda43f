;; coarsegrain: float64 matrix-vector products over contiguous rows in WebAssembly SIMD (f64x2), the
;; memory-bound half of the blocked bidiagonalisation (src/core/linalg/bidiagonal.ts).
;;
;; Source of src/core/linalg/wasm/matvec.wasm.generated.ts: after editing, run
;; `npx tsx src/core/linalg/wasm/assemble.ts`; a test checks that the embedded bytes equal a fresh assembly.
;;
;; The caller (src/core/linalg/wasm/matvecWasm.ts) keeps the matrix and the vectors in this module's
;; memory for the whole reduction; pointers are byte addresses, `lda` is the row stride in bytes.
;;   dot_rows:  y[r] = sum_i a[r lda + i] x[i]            for r < rows, i < len
;;   axpy_rows: x[i] += w[r] a[r lda + i] + ...          for i < len, over rows r < rows
;;   ger_rows:  a[r lda + i] += w[r] x[i]                for r < rows, i < len (rank-one update)
;; Four rows per pass share each load of x; even i in f64x2 lanes, an odd last i in scalar code.
;; Multiply then add (no fused multiply-add), a fixed order of operations: results are the same on
;; every engine and run to run.
(module
  (memory (export "memory") 1 8192)

  ;; sum of the two lanes, lane 0 first
  (func $hsum (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

  (func (export "dot_rows") (param $a i32) (param $lda i32) (param $rows i32) (param $len i32) (param $x i32) (param $y i32)
    (local $r i32) (local $i i32) (local $end i32) (local $xv v128) (local $xs f64)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $t0 f64) (local $t1 f64) (local $t2 f64) (local $t3 f64)
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (block $quads_done
      (loop $quads
        (br_if $quads_done (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $lda))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $lda)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $lda)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $lda)))
        (local.set $s0 (f64x2.splat (f64.const 0)))
        (local.set $s1 (f64x2.splat (f64.const 0)))
        (local.set $s2 (f64x2.splat (f64.const 0)))
        (local.set $s3 (f64x2.splat (f64.const 0)))
        (local.set $i (i32.const 0))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $xv (v128.load (i32.add (local.get $x) (local.get $i))))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load (i32.add (local.get $a0) (local.get $i))) (local.get $xv))))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load (i32.add (local.get $a1) (local.get $i))) (local.get $xv))))
            (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load (i32.add (local.get $a2) (local.get $i))) (local.get $xv))))
            (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load (i32.add (local.get $a3) (local.get $i))) (local.get $xv))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $pairs)))
        (local.set $t0 (call $hsum (local.get $s0)))
        (local.set $t1 (call $hsum (local.get $s1)))
        (local.set $t2 (call $hsum (local.get $s2)))
        (local.set $t3 (call $hsum (local.get $s3)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (local.set $xs (f64.load (i32.add (local.get $x) (local.get $end))))
            (local.set $t0 (f64.add (local.get $t0) (f64.mul (f64.load (i32.add (local.get $a0) (local.get $end))) (local.get $xs))))
            (local.set $t1 (f64.add (local.get $t1) (f64.mul (f64.load (i32.add (local.get $a1) (local.get $end))) (local.get $xs))))
            (local.set $t2 (f64.add (local.get $t2) (f64.mul (f64.load (i32.add (local.get $a2) (local.get $end))) (local.get $xs))))
            (local.set $t3 (f64.add (local.get $t3) (f64.mul (f64.load (i32.add (local.get $a3) (local.get $end))) (local.get $xs))))))
        (f64.store offset=0 (i32.add (local.get $y) (i32.shl (local.get $r) (i32.const 3))) (local.get $t0))
        (f64.store offset=8 (i32.add (local.get $y) (i32.shl (local.get $r) (i32.const 3))) (local.get $t1))
        (f64.store offset=16 (i32.add (local.get $y) (i32.shl (local.get $r) (i32.const 3))) (local.get $t2))
        (f64.store offset=24 (i32.add (local.get $y) (i32.shl (local.get $r) (i32.const 3))) (local.get $t3))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quads)))
    ;; remaining rows one at a time
    (block $rows_done
      (loop $single
        (br_if $rows_done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $lda))))
        (local.set $s0 (f64x2.splat (f64.const 0)))
        (local.set $i (i32.const 0))
        (block $pairs1_done
          (loop $pairs1
            (br_if $pairs1_done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load (i32.add (local.get $a0) (local.get $i))) (v128.load (i32.add (local.get $x) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $pairs1)))
        (local.set $t0 (call $hsum (local.get $s0)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (local.set $t0 (f64.add (local.get $t0) (f64.mul (f64.load (i32.add (local.get $a0) (local.get $end))) (f64.load (i32.add (local.get $x) (local.get $end))))))))
        (f64.store (i32.add (local.get $y) (i32.shl (local.get $r) (i32.const 3))) (local.get $t0))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $single))))

  (func (export "axpy_rows") (param $a i32) (param $lda i32) (param $rows i32) (param $len i32) (param $w i32) (param $x i32)
    (local $r i32) (local $i i32) (local $end i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $p i32)
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (block $quads_done
      (loop $quads
        (br_if $quads_done (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $lda))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $lda)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $lda)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $lda)))
        (local.set $p (i32.add (local.get $w) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $w0 (v128.load64_splat offset=0 (local.get $p)))
        (local.set $w1 (v128.load64_splat offset=8 (local.get $p)))
        (local.set $w2 (v128.load64_splat offset=16 (local.get $p)))
        (local.set $w3 (v128.load64_splat offset=24 (local.get $p)))
        (local.set $p (i32.const 0))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.ge_u (local.get $p) (local.get $end)))
            (v128.store (i32.add (local.get $x) (local.get $p))
              (f64x2.add (v128.load (i32.add (local.get $x) (local.get $p)))
                (f64x2.add
                  (f64x2.add
                    (f64x2.add
                      (f64x2.mul (local.get $w0) (v128.load (i32.add (local.get $a0) (local.get $p))))
                      (f64x2.mul (local.get $w1) (v128.load (i32.add (local.get $a1) (local.get $p)))))
                    (f64x2.mul (local.get $w2) (v128.load (i32.add (local.get $a2) (local.get $p)))))
                  (f64x2.mul (local.get $w3) (v128.load (i32.add (local.get $a3) (local.get $p)))))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $pairs)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $x) (local.get $end))
              (f64.add (f64.load (i32.add (local.get $x) (local.get $end)))
                (f64.add
                  (f64.add
                    (f64.add
                      (f64.mul (f64x2.extract_lane 0 (local.get $w0)) (f64.load (i32.add (local.get $a0) (local.get $end))))
                      (f64.mul (f64x2.extract_lane 0 (local.get $w1)) (f64.load (i32.add (local.get $a1) (local.get $end)))))
                    (f64.mul (f64x2.extract_lane 0 (local.get $w2)) (f64.load (i32.add (local.get $a2) (local.get $end)))))
                  (f64.mul (f64x2.extract_lane 0 (local.get $w3)) (f64.load (i32.add (local.get $a3) (local.get $end)))))))))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quads)))
    (block $rows_done
      (loop $single
        (br_if $rows_done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $lda))))
        (local.set $w0 (v128.load64_splat (i32.add (local.get $w) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $i (i32.const 0))
        (block $pairs1_done
          (loop $pairs1
            (br_if $pairs1_done (i32.ge_u (local.get $i) (local.get $end)))
            (v128.store (i32.add (local.get $x) (local.get $i))
              (f64x2.add (v128.load (i32.add (local.get $x) (local.get $i)))
                (f64x2.mul (local.get $w0) (v128.load (i32.add (local.get $a0) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $pairs1)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $x) (local.get $end))
              (f64.add (f64.load (i32.add (local.get $x) (local.get $end)))
                (f64.mul (f64x2.extract_lane 0 (local.get $w0)) (f64.load (i32.add (local.get $a0) (local.get $end))))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $single))))

  (func (export "ger_rows") (param $a i32) (param $lda i32) (param $rows i32) (param $len i32) (param $w i32) (param $x i32)
    (local $r i32) (local $i i32) (local $end i32) (local $a0 i32) (local $w0 v128)
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (block $rows_done
      (loop $each
        (br_if $rows_done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $lda))))
        (local.set $w0 (v128.load64_splat (i32.add (local.get $w) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $i (i32.const 0))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.ge_u (local.get $i) (local.get $end)))
            (v128.store (i32.add (local.get $a0) (local.get $i))
              (f64x2.add (v128.load (i32.add (local.get $a0) (local.get $i)))
                (f64x2.mul (local.get $w0) (v128.load (i32.add (local.get $x) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $pairs)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $a0) (local.get $end))
              (f64.add (f64.load (i32.add (local.get $a0) (local.get $end)))
                (f64.mul (f64x2.extract_lane 0 (local.get $w0)) (f64.load (i32.add (local.get $x) (local.get $end))))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each))))
)
