;; coarsegrain: GEMM micro-kernels in WebAssembly SIMD (128-bit), float32 (f32x4) and float64 (f64x2).
;;
;; Source of src/core/wasm/gemm.wasm.generated.ts: after editing, run `npm run build:wasm`
;; (tsx src/core/wasm/assemble.ts); a test checks that the embedded bytes equal a fresh assembly.
;;
;; The caller (src/core/wasm/gemmWasm.ts) packs op(A) and op(B) into this module's memory and reads C
;; back; this module only multiplies packed panels:
;;   C[mp x np] = alpha * Apacked * Bpacked (+ beta * C), row-major C with leading dimension np.
;; Packed layouts, for each depth block of kc (the last one shorter, kb = min(kc, k - p0)):
;;   A: block p0 starts at element p0 * mp; the MR-row panel at row ir starts kb * ir further and
;;      holds A(ir + r, p0 + p) at p * MR + r (MR = 4 for f32, 2 for f64).
;;   B: block p0 starts at element p0 * np; the NR-column panel at column jr starts kb * jr further and
;;      holds B(p0 + p, jr + q) at p * NR + q (NR = 8 for both; for f64 the last panel may have 4 columns,
;;      held at p * 4 + q).
;; mp is a multiple of MR, np of NR (f64: of 4), mc of MR and nc of 8; rows and columns beyond the real sizes are
;; zero-padded by the caller, so no edge cases remain here. All pointers are byte addresses.
;; The gather_* functions are the same product for a 0/1 matrix A held as lists of its ones (see
;; src/core/wasm/gatherWasm.ts): sums of selected rows of B, grouped exactly as the dense kernel groups them.
;;
;; Loops (GotoBLAS order): for jc (nc columns) / for p0 (kc deep) / for ic (mc rows) /
;; for jr (NR columns) / for ir (MR rows): micro-kernel on an MR x NR tile of C held in registers
;; (f32: 4 x 8 = 8 f32x4 accumulators; f64: 2 x 8 = 8 f64x2 accumulators). The first depth block
;; stores alpha * tile, or with acc0 = 1 alpha * tile + beta * C; later blocks add alpha * tile to C
;; (so C is never read when acc0 = 0, and NaN there is overwritten). The micro-kernel is
;; written out unrolled (one line per multiply-add) so that the accumulators stay in registers, two depth
;; steps per loop turn (the loop overhead is shared; an odd kb leaves between the two steps). V8 (x64)
;; issues every load of a turn's step first, so the live v128 values are the 8 accumulators, the step's
;; loads and one product: 8 + (4 + 2) + 1 = 15, the registers it allocates (xmm0-14); a bigger tile
;; spills. Measured on AMD EPYC (Zen 3), L1-resident panels: f64 4 x 4 16.0 GFLOP/s, 4 x 4 with two
;; steps per turn 16.5, 2 x 8 with two steps 19.5; f32 4 x 8 32 -> 38.6 with two steps (6 x 4, 4 x 6,
;; 3 x 6 and 5 x 4 f64 tiles spill: 10-12.5). Each C element's sum runs over depth in the same order
;; whatever the tile, so the tile shape does not change any result.
;; Multiply then add (no fused multiply-add), so results are the same on every engine.
(module
;; Grown by the caller; its chunking needs at most about 22 MB (float64), so 128 MB is ample and small
  ;; enough to reserve on 32-bit and mobile engines.
  (memory (export "memory") 1 2048)
  (func $micro_f32 (param $kb i32) (param $a i32) (param $b i32) (param $c i32) (param $ldc i32) (param $acc i32) (param $alpha v128) (param $beta v128)
    (local $end i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $b0 v128) (local $b1 v128)
    (local $c0_0 v128) (local $c0_1 v128)
    (local $c1_0 v128) (local $c1_1 v128)
    (local $c2_0 v128) (local $c2_1 v128)
    (local $c3_0 v128) (local $c3_1 v128)
    (local.set $end (i32.add (local.get $a) (i32.mul (local.get $kb) (i32.const 16))))
    (block $out (loop $p
      ;; depth p
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $a0 (v128.load32_splat offset=0 (local.get $a)))
      (local.set $a1 (v128.load32_splat offset=4 (local.get $a)))
      (local.set $a2 (v128.load32_splat offset=8 (local.get $a)))
      (local.set $a3 (v128.load32_splat offset=12 (local.get $a)))
      (local.set $c0_0 (f32x4.add (local.get $c0_0) (f32x4.mul (local.get $a0) (local.get $b0))))
      (local.set $c0_1 (f32x4.add (local.get $c0_1) (f32x4.mul (local.get $a0) (local.get $b1))))
      (local.set $c1_0 (f32x4.add (local.get $c1_0) (f32x4.mul (local.get $a1) (local.get $b0))))
      (local.set $c1_1 (f32x4.add (local.get $c1_1) (f32x4.mul (local.get $a1) (local.get $b1))))
      (local.set $c2_0 (f32x4.add (local.get $c2_0) (f32x4.mul (local.get $a2) (local.get $b0))))
      (local.set $c2_1 (f32x4.add (local.get $c2_1) (f32x4.mul (local.get $a2) (local.get $b1))))
      (local.set $c3_0 (f32x4.add (local.get $c3_0) (f32x4.mul (local.get $a3) (local.get $b0))))
      (local.set $c3_1 (f32x4.add (local.get $c3_1) (f32x4.mul (local.get $a3) (local.get $b1))))
      (br_if $out (i32.ge_u (i32.add (local.get $a) (i32.const 16)) (local.get $end)))
      ;; depth p + 1 (an odd kb leaves the loop between the two steps)
      (local.set $b0 (v128.load offset=32 (local.get $b)))
      (local.set $b1 (v128.load offset=48 (local.get $b)))
      (local.set $a0 (v128.load32_splat offset=16 (local.get $a)))
      (local.set $a1 (v128.load32_splat offset=20 (local.get $a)))
      (local.set $a2 (v128.load32_splat offset=24 (local.get $a)))
      (local.set $a3 (v128.load32_splat offset=28 (local.get $a)))
      (local.set $c0_0 (f32x4.add (local.get $c0_0) (f32x4.mul (local.get $a0) (local.get $b0))))
      (local.set $c0_1 (f32x4.add (local.get $c0_1) (f32x4.mul (local.get $a0) (local.get $b1))))
      (local.set $c1_0 (f32x4.add (local.get $c1_0) (f32x4.mul (local.get $a1) (local.get $b0))))
      (local.set $c1_1 (f32x4.add (local.get $c1_1) (f32x4.mul (local.get $a1) (local.get $b1))))
      (local.set $c2_0 (f32x4.add (local.get $c2_0) (f32x4.mul (local.get $a2) (local.get $b0))))
      (local.set $c2_1 (f32x4.add (local.get $c2_1) (f32x4.mul (local.get $a2) (local.get $b1))))
      (local.set $c3_0 (f32x4.add (local.get $c3_0) (f32x4.mul (local.get $a3) (local.get $b0))))
      (local.set $c3_1 (f32x4.add (local.get $c3_1) (f32x4.mul (local.get $a3) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (local.set $b (i32.add (local.get $b) (i32.const 64)))
      (br_if $p (i32.lt_u (local.get $a) (local.get $end)))))
    (v128.store offset=0 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $alpha) (local.get $c0_0)) (f32x4.mul (local.get $beta) (v128.load offset=0 (local.get $c)))) (f32x4.mul (local.get $alpha) (local.get $c0_0)) (local.get $acc)))
    (v128.store offset=16 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $alpha) (local.get $c0_1)) (f32x4.mul (local.get $beta) (v128.load offset=16 (local.get $c)))) (f32x4.mul (local.get $alpha) (local.get $c0_1)) (local.get $acc)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $alpha) (local.get $c1_0)) (f32x4.mul (local.get $beta) (v128.load offset=0 (local.get $c)))) (f32x4.mul (local.get $alpha) (local.get $c1_0)) (local.get $acc)))
    (v128.store offset=16 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $alpha) (local.get $c1_1)) (f32x4.mul (local.get $beta) (v128.load offset=16 (local.get $c)))) (f32x4.mul (local.get $alpha) (local.get $c1_1)) (local.get $acc)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $alpha) (local.get $c2_0)) (f32x4.mul (local.get $beta) (v128.load offset=0 (local.get $c)))) (f32x4.mul (local.get $alpha) (local.get $c2_0)) (local.get $acc)))
    (v128.store offset=16 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $alpha) (local.get $c2_1)) (f32x4.mul (local.get $beta) (v128.load offset=16 (local.get $c)))) (f32x4.mul (local.get $alpha) (local.get $c2_1)) (local.get $acc)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $alpha) (local.get $c3_0)) (f32x4.mul (local.get $beta) (v128.load offset=0 (local.get $c)))) (f32x4.mul (local.get $alpha) (local.get $c3_0)) (local.get $acc)))
    (v128.store offset=16 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $alpha) (local.get $c3_1)) (f32x4.mul (local.get $beta) (v128.load offset=16 (local.get $c)))) (f32x4.mul (local.get $alpha) (local.get $c3_1)) (local.get $acc)))
  )
  (func $micro_f64 (param $kb i32) (param $a i32) (param $b i32) (param $c i32) (param $ldc i32) (param $acc i32) (param $alpha v128) (param $beta v128)
    (local $end i32) (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $c0_0 v128) (local $c0_1 v128) (local $c0_2 v128) (local $c0_3 v128)
    (local $c1_0 v128) (local $c1_1 v128) (local $c1_2 v128) (local $c1_3 v128)
    (local.set $end (i32.add (local.get $a) (i32.mul (local.get $kb) (i32.const 16))))
    (block $out (loop $p
      ;; depth p
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $b2 (v128.load offset=32 (local.get $b)))
      (local.set $b3 (v128.load offset=48 (local.get $b)))
      (local.set $a0 (v128.load64_splat offset=0 (local.get $a)))
      (local.set $a1 (v128.load64_splat offset=8 (local.get $a)))
      (local.set $c0_0 (f64x2.add (local.get $c0_0) (f64x2.mul (local.get $a0) (local.get $b0))))
      (local.set $c0_1 (f64x2.add (local.get $c0_1) (f64x2.mul (local.get $a0) (local.get $b1))))
      (local.set $c0_2 (f64x2.add (local.get $c0_2) (f64x2.mul (local.get $a0) (local.get $b2))))
      (local.set $c0_3 (f64x2.add (local.get $c0_3) (f64x2.mul (local.get $a0) (local.get $b3))))
      (local.set $c1_0 (f64x2.add (local.get $c1_0) (f64x2.mul (local.get $a1) (local.get $b0))))
      (local.set $c1_1 (f64x2.add (local.get $c1_1) (f64x2.mul (local.get $a1) (local.get $b1))))
      (local.set $c1_2 (f64x2.add (local.get $c1_2) (f64x2.mul (local.get $a1) (local.get $b2))))
      (local.set $c1_3 (f64x2.add (local.get $c1_3) (f64x2.mul (local.get $a1) (local.get $b3))))
      (br_if $out (i32.ge_u (i32.add (local.get $a) (i32.const 16)) (local.get $end)))
      ;; depth p + 1 (an odd kb leaves the loop between the two steps)
      (local.set $b0 (v128.load offset=64 (local.get $b)))
      (local.set $b1 (v128.load offset=80 (local.get $b)))
      (local.set $b2 (v128.load offset=96 (local.get $b)))
      (local.set $b3 (v128.load offset=112 (local.get $b)))
      (local.set $a0 (v128.load64_splat offset=16 (local.get $a)))
      (local.set $a1 (v128.load64_splat offset=24 (local.get $a)))
      (local.set $c0_0 (f64x2.add (local.get $c0_0) (f64x2.mul (local.get $a0) (local.get $b0))))
      (local.set $c0_1 (f64x2.add (local.get $c0_1) (f64x2.mul (local.get $a0) (local.get $b1))))
      (local.set $c0_2 (f64x2.add (local.get $c0_2) (f64x2.mul (local.get $a0) (local.get $b2))))
      (local.set $c0_3 (f64x2.add (local.get $c0_3) (f64x2.mul (local.get $a0) (local.get $b3))))
      (local.set $c1_0 (f64x2.add (local.get $c1_0) (f64x2.mul (local.get $a1) (local.get $b0))))
      (local.set $c1_1 (f64x2.add (local.get $c1_1) (f64x2.mul (local.get $a1) (local.get $b1))))
      (local.set $c1_2 (f64x2.add (local.get $c1_2) (f64x2.mul (local.get $a1) (local.get $b2))))
      (local.set $c1_3 (f64x2.add (local.get $c1_3) (f64x2.mul (local.get $a1) (local.get $b3))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (local.set $b (i32.add (local.get $b) (i32.const 128)))
      (br_if $p (i32.lt_u (local.get $a) (local.get $end)))))
    (v128.store offset=0 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c0_0)) (f64x2.mul (local.get $beta) (v128.load offset=0 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c0_0)) (local.get $acc)))
    (v128.store offset=16 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c0_1)) (f64x2.mul (local.get $beta) (v128.load offset=16 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c0_1)) (local.get $acc)))
    (v128.store offset=32 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c0_2)) (f64x2.mul (local.get $beta) (v128.load offset=32 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c0_2)) (local.get $acc)))
    (v128.store offset=48 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c0_3)) (f64x2.mul (local.get $beta) (v128.load offset=48 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c0_3)) (local.get $acc)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c1_0)) (f64x2.mul (local.get $beta) (v128.load offset=0 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c1_0)) (local.get $acc)))
    (v128.store offset=16 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c1_1)) (f64x2.mul (local.get $beta) (v128.load offset=16 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c1_1)) (local.get $acc)))
    (v128.store offset=32 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c1_2)) (f64x2.mul (local.get $beta) (v128.load offset=32 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c1_2)) (local.get $acc)))
    (v128.store offset=48 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c1_3)) (f64x2.mul (local.get $beta) (v128.load offset=48 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c1_3)) (local.get $acc)))
  )
  ;; The last B panel of a float64 product may be 4 columns wide (np a multiple of 4, not 8; held at
  ;; p * 4 + q): a 2 x 4 tile (4 accumulators), so a product with n <= 4 (or a 4-column tail) does not
  ;; compute 4 zero columns. Measured 14.6 GFLOP/s on L1-resident panels, against 19.8 for the 2 x 8
  ;; tile of which half would be padding.
  (func $micro_f64_4 (param $kb i32) (param $a i32) (param $b i32) (param $c i32) (param $ldc i32) (param $acc i32) (param $alpha v128) (param $beta v128)
    (local $end i32) (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $c0_0 v128) (local $c0_1 v128)
    (local $c1_0 v128) (local $c1_1 v128)
    (local.set $end (i32.add (local.get $a) (i32.mul (local.get $kb) (i32.const 16))))
    (block $out (loop $p
      ;; depth p
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $a0 (v128.load64_splat offset=0 (local.get $a)))
      (local.set $a1 (v128.load64_splat offset=8 (local.get $a)))
      (local.set $c0_0 (f64x2.add (local.get $c0_0) (f64x2.mul (local.get $a0) (local.get $b0))))
      (local.set $c0_1 (f64x2.add (local.get $c0_1) (f64x2.mul (local.get $a0) (local.get $b1))))
      (local.set $c1_0 (f64x2.add (local.get $c1_0) (f64x2.mul (local.get $a1) (local.get $b0))))
      (local.set $c1_1 (f64x2.add (local.get $c1_1) (f64x2.mul (local.get $a1) (local.get $b1))))
      (br_if $out (i32.ge_u (i32.add (local.get $a) (i32.const 16)) (local.get $end)))
      ;; depth p + 1 (an odd kb leaves the loop between the two steps)
      (local.set $b0 (v128.load offset=32 (local.get $b)))
      (local.set $b1 (v128.load offset=48 (local.get $b)))
      (local.set $a0 (v128.load64_splat offset=16 (local.get $a)))
      (local.set $a1 (v128.load64_splat offset=24 (local.get $a)))
      (local.set $c0_0 (f64x2.add (local.get $c0_0) (f64x2.mul (local.get $a0) (local.get $b0))))
      (local.set $c0_1 (f64x2.add (local.get $c0_1) (f64x2.mul (local.get $a0) (local.get $b1))))
      (local.set $c1_0 (f64x2.add (local.get $c1_0) (f64x2.mul (local.get $a1) (local.get $b0))))
      (local.set $c1_1 (f64x2.add (local.get $c1_1) (f64x2.mul (local.get $a1) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (local.set $b (i32.add (local.get $b) (i32.const 64)))
      (br_if $p (i32.lt_u (local.get $a) (local.get $end)))))
    (v128.store offset=0 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c0_0)) (f64x2.mul (local.get $beta) (v128.load offset=0 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c0_0)) (local.get $acc)))
    (v128.store offset=16 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c0_1)) (f64x2.mul (local.get $beta) (v128.load offset=16 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c0_1)) (local.get $acc)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c1_0)) (f64x2.mul (local.get $beta) (v128.load offset=0 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c1_0)) (local.get $acc)))
    (v128.store offset=16 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $alpha) (local.get $c1_1)) (f64x2.mul (local.get $beta) (v128.load offset=16 (local.get $c)))) (f64x2.mul (local.get $alpha) (local.get $c1_1)) (local.get $acc)))
  )
  (func $gemm_f32 (export "gemm_f32") (param $mp i32) (param $np i32) (param $k i32) (param $pa i32) (param $pb i32) (param $pc i32) (param $kc i32) (param $mc i32) (param $nc i32) (param $acc0 i32) (param $alpha f32) (param $beta f32)
    (local $jc i32) (local $jend i32) (local $pcb i32) (local $kb i32) (local $ic i32) (local $iend i32) (local $jr i32) (local $ir i32) (local $bp i32) (local $acc i32) (local $ldc i32) (local $av v128) (local $bv v128)
    (local.set $av (f32x4.splat (local.get $alpha)))
    (local.set $ldc (i32.mul (local.get $np) (i32.const 4)))
    (local.set $jc (i32.const 0))
    (block $jc_done (loop $jc_loop
      (br_if $jc_done (i32.ge_u (local.get $jc) (local.get $np)))
      (local.set $jend (select (local.get $np) (i32.add (local.get $jc) (local.get $nc)) (i32.gt_u (i32.add (local.get $jc) (local.get $nc)) (local.get $np))))
      (local.set $pcb (i32.const 0))
      (block $pc_done (loop $pc_loop
        (br_if $pc_done (i32.ge_u (local.get $pcb) (local.get $k)))
        (local.set $kb (select (i32.sub (local.get $k) (local.get $pcb)) (local.get $kc) (i32.gt_u (i32.add (local.get $pcb) (local.get $kc)) (local.get $k))))
        (local.set $acc (i32.or (local.get $acc0) (i32.ne (local.get $pcb) (i32.const 0))))
        (local.set $bv (f32x4.splat (select (local.get $beta) (f32.const 1) (i32.eqz (local.get $pcb)))))
        (local.set $ic (i32.const 0))
        (block $ic_done (loop $ic_loop
          (br_if $ic_done (i32.ge_u (local.get $ic) (local.get $mp)))
          (local.set $iend (select (local.get $mp) (i32.add (local.get $ic) (local.get $mc)) (i32.gt_u (i32.add (local.get $ic) (local.get $mc)) (local.get $mp))))
          (local.set $jr (local.get $jc))
          (block $jr_done (loop $jr_loop
            (br_if $jr_done (i32.ge_u (local.get $jr) (local.get $jend)))
            (local.set $bp (i32.add (local.get $pb) (i32.mul (i32.add (i32.mul (local.get $pcb) (local.get $np)) (i32.mul (local.get $jr) (local.get $kb))) (i32.const 4))))
            (local.set $ir (local.get $ic))
            (block $ir_done (loop $ir_loop
              (br_if $ir_done (i32.ge_u (local.get $ir) (local.get $iend)))
              (call $micro_f32 (local.get $kb)
                (i32.add (local.get $pa) (i32.mul (i32.add (i32.mul (local.get $pcb) (local.get $mp)) (i32.mul (local.get $ir) (local.get $kb))) (i32.const 4)))
                (local.get $bp)
                (i32.add (local.get $pc) (i32.mul (i32.add (i32.mul (local.get $ir) (local.get $np)) (local.get $jr)) (i32.const 4)))
                (local.get $ldc) (local.get $acc) (local.get $av) (local.get $bv))
              (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
              (br $ir_loop)))
            (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
            (br $jr_loop)))
          (local.set $ic (i32.add (local.get $ic) (local.get $mc)))
          (br $ic_loop)))
        (local.set $pcb (i32.add (local.get $pcb) (local.get $kc)))
        (br $pc_loop)))
      (local.set $jc (i32.add (local.get $jc) (local.get $nc)))
      (br $jc_loop)))
  )
  (func $gemm_f64 (export "gemm_f64") (param $mp i32) (param $np i32) (param $k i32) (param $pa i32) (param $pb i32) (param $pc i32) (param $kc i32) (param $mc i32) (param $nc i32) (param $acc0 i32) (param $alpha f64) (param $beta f64)
    (local $jc i32) (local $jend i32) (local $pcb i32) (local $kb i32) (local $ic i32) (local $iend i32) (local $jr i32) (local $ir i32) (local $bp i32) (local $acc i32) (local $ldc i32) (local $wide i32) (local $av v128) (local $bv v128)
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $ldc (i32.mul (local.get $np) (i32.const 8)))
    (local.set $jc (i32.const 0))
    (block $jc_done (loop $jc_loop
      (br_if $jc_done (i32.ge_u (local.get $jc) (local.get $np)))
      (local.set $jend (select (local.get $np) (i32.add (local.get $jc) (local.get $nc)) (i32.gt_u (i32.add (local.get $jc) (local.get $nc)) (local.get $np))))
      (local.set $pcb (i32.const 0))
      (block $pc_done (loop $pc_loop
        (br_if $pc_done (i32.ge_u (local.get $pcb) (local.get $k)))
        (local.set $kb (select (i32.sub (local.get $k) (local.get $pcb)) (local.get $kc) (i32.gt_u (i32.add (local.get $pcb) (local.get $kc)) (local.get $k))))
        (local.set $acc (i32.or (local.get $acc0) (i32.ne (local.get $pcb) (i32.const 0))))
        (local.set $bv (f64x2.splat (select (local.get $beta) (f64.const 1) (i32.eqz (local.get $pcb)))))
        (local.set $ic (i32.const 0))
        (block $ic_done (loop $ic_loop
          (br_if $ic_done (i32.ge_u (local.get $ic) (local.get $mp)))
          (local.set $iend (select (local.get $mp) (i32.add (local.get $ic) (local.get $mc)) (i32.gt_u (i32.add (local.get $ic) (local.get $mc)) (local.get $mp))))
          (local.set $jr (local.get $jc))
          (block $jr_done (loop $jr_loop
            (br_if $jr_done (i32.ge_u (local.get $jr) (local.get $jend)))
            (local.set $bp (i32.add (local.get $pb) (i32.mul (i32.add (i32.mul (local.get $pcb) (local.get $np)) (i32.mul (local.get $jr) (local.get $kb))) (i32.const 8))))
            (local.set $wide (i32.ge_u (i32.sub (local.get $jend) (local.get $jr)) (i32.const 8)))
            (local.set $ir (local.get $ic))
            (block $ir_done (loop $ir_loop
              (br_if $ir_done (i32.ge_u (local.get $ir) (local.get $iend)))
              (if (local.get $wide)
                (then
                  (call $micro_f64 (local.get $kb)
                    (i32.add (local.get $pa) (i32.mul (i32.add (i32.mul (local.get $pcb) (local.get $mp)) (i32.mul (local.get $ir) (local.get $kb))) (i32.const 8)))
                    (local.get $bp)
                    (i32.add (local.get $pc) (i32.mul (i32.add (i32.mul (local.get $ir) (local.get $np)) (local.get $jr)) (i32.const 8)))
                    (local.get $ldc) (local.get $acc) (local.get $av) (local.get $bv)))
                (else
                  (call $micro_f64_4 (local.get $kb)
                    (i32.add (local.get $pa) (i32.mul (i32.add (i32.mul (local.get $pcb) (local.get $mp)) (i32.mul (local.get $ir) (local.get $kb))) (i32.const 8)))
                    (local.get $bp)
                    (i32.add (local.get $pc) (i32.mul (i32.add (i32.mul (local.get $ir) (local.get $np)) (local.get $jr)) (i32.const 8)))
                    (local.get $ldc) (local.get $acc) (local.get $av) (local.get $bv))))
              (local.set $ir (i32.add (local.get $ir) (i32.const 2)))
              (br $ir_loop)))
            (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
            (br $jr_loop)))
          (local.set $ic (i32.add (local.get $ic) (local.get $mc)))
          (br $ic_loop)))
        (local.set $pcb (i32.add (local.get $pcb) (local.get $kc)))
        (br $pc_loop)))
      (local.set $jc (i32.add (local.get $jc) (local.get $nc)))
      (br $jc_loop)))
  )
  ;; C[m x np] (row stride np) = alpha * A * B (+ beta * C), A a 0/1 matrix given as lists of its ones:
  ;; the product is a sum of selected rows of B, with no multiplications, and the sums are grouped as in
  ;; $gemm_f64 (one partial sum per depth block of KC = 256, started at +0, added in ascending depth
  ;; order; the first block stores alpha * t + beta * C, or alpha * t when acc0 = 0, later blocks
  ;; alpha * t + C), so the result is bit-identical to the dense product of the same A. Skipping the zero
  ;; terms changes nothing: a partial sum that starts at +0 is never -0, so adding +-0 leaves it
  ;; unchanged, and 1 * b = b exactly. Lists ($pl), for each row of C: for each of nblk depth blocks,
  ;; a count, then that many byte offsets (from $pb) of the selected rows of B. B has row stride np.
  ;; Tiles of 4 vectors (64 bytes) of C columns; np is a multiple of the tile width.
  (func $gather_f64 (export "gather_f64") (param $m i32) (param $np i32) (param $pb i32) (param $pc i32) (param $pl i32) (param $nblk i32) (param $acc0 i32) (param $alpha f64) (param $beta f64)
    (local $ldc i32) (local $jb i32) (local $lp i32) (local $c i32) (local $i i32) (local $q i32) (local $end i32) (local $bp i32) (local $acc i32)
    (local $av v128) (local $bv v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $ldc (i32.mul (local.get $np) (i32.const 8)))
    (local.set $jb (i32.const 0))
    (block $j_done (loop $j_loop
      (br_if $j_done (i32.ge_u (local.get $jb) (local.get $ldc)))
      (local.set $lp (local.get $pl))
      (local.set $c (i32.add (local.get $pc) (local.get $jb)))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $q (i32.const 0))
        (block $q_done (loop $q_loop
          (br_if $q_done (i32.ge_u (local.get $q) (local.get $nblk)))
          (local.set $end (i32.add (i32.add (local.get $lp) (i32.const 4)) (i32.mul (i32.load (local.get $lp)) (i32.const 4))))
          (local.set $lp (i32.add (local.get $lp) (i32.const 4)))
          (local.set $t0 (v128.const i64x2 0 0))
          (local.set $t1 (v128.const i64x2 0 0))
          (local.set $t2 (v128.const i64x2 0 0))
          (local.set $t3 (v128.const i64x2 0 0))
          (block $p_done (loop $p_loop
            (br_if $p_done (i32.ge_u (local.get $lp) (local.get $end)))
            (local.set $bp (i32.add (i32.add (local.get $pb) (i32.load (local.get $lp))) (local.get $jb)))
            (local.set $t0 (f64x2.add (local.get $t0) (v128.load offset=0 (local.get $bp))))
            (local.set $t1 (f64x2.add (local.get $t1) (v128.load offset=16 (local.get $bp))))
            (local.set $t2 (f64x2.add (local.get $t2) (v128.load offset=32 (local.get $bp))))
            (local.set $t3 (f64x2.add (local.get $t3) (v128.load offset=48 (local.get $bp))))
            (local.set $lp (i32.add (local.get $lp) (i32.const 4)))
            (br $p_loop)))
          (local.set $acc (i32.or (local.get $acc0) (i32.ne (local.get $q) (i32.const 0))))
          (local.set $bv (f64x2.splat (select (local.get $beta) (f64.const 1) (i32.eqz (local.get $q)))))
          (v128.store offset=0 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $av) (local.get $t0)) (f64x2.mul (local.get $bv) (v128.load offset=0 (local.get $c)))) (f64x2.mul (local.get $av) (local.get $t0)) (local.get $acc)))
          (v128.store offset=16 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $av) (local.get $t1)) (f64x2.mul (local.get $bv) (v128.load offset=16 (local.get $c)))) (f64x2.mul (local.get $av) (local.get $t1)) (local.get $acc)))
          (v128.store offset=32 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $av) (local.get $t2)) (f64x2.mul (local.get $bv) (v128.load offset=32 (local.get $c)))) (f64x2.mul (local.get $av) (local.get $t2)) (local.get $acc)))
          (v128.store offset=48 (local.get $c) (select (f64x2.add (f64x2.mul (local.get $av) (local.get $t3)) (f64x2.mul (local.get $bv) (v128.load offset=48 (local.get $c)))) (f64x2.mul (local.get $av) (local.get $t3)) (local.get $acc)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $q_loop)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $jb (i32.add (local.get $jb) (i32.const 64)))
      (br $j_loop)))
  )
  ;; C[m x np] (row stride np) = alpha * A * B (+ beta * C), A a 0/1 matrix given as lists of its ones:
  ;; the product is a sum of selected rows of B, with no multiplications, and the sums are grouped as in
  ;; $gemm_f32 (one partial sum per depth block of KC = 256, started at +0, added in ascending depth
  ;; order; the first block stores alpha * t + beta * C, or alpha * t when acc0 = 0, later blocks
  ;; alpha * t + C), so the result is bit-identical to the dense product of the same A. Skipping the zero
  ;; terms changes nothing: a partial sum that starts at +0 is never -0, so adding +-0 leaves it
  ;; unchanged, and 1 * b = b exactly. Lists ($pl), for each row of C: for each of nblk depth blocks,
  ;; a count, then that many byte offsets (from $pb) of the selected rows of B. B has row stride np.
  ;; Tiles of 4 vectors (64 bytes) of C columns; np is a multiple of the tile width.
  (func $gather_f32 (export "gather_f32") (param $m i32) (param $np i32) (param $pb i32) (param $pc i32) (param $pl i32) (param $nblk i32) (param $acc0 i32) (param $alpha f32) (param $beta f32)
    (local $ldc i32) (local $jb i32) (local $lp i32) (local $c i32) (local $i i32) (local $q i32) (local $end i32) (local $bp i32) (local $acc i32)
    (local $av v128) (local $bv v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $av (f32x4.splat (local.get $alpha)))
    (local.set $ldc (i32.mul (local.get $np) (i32.const 4)))
    (local.set $jb (i32.const 0))
    (block $j_done (loop $j_loop
      (br_if $j_done (i32.ge_u (local.get $jb) (local.get $ldc)))
      (local.set $lp (local.get $pl))
      (local.set $c (i32.add (local.get $pc) (local.get $jb)))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $q (i32.const 0))
        (block $q_done (loop $q_loop
          (br_if $q_done (i32.ge_u (local.get $q) (local.get $nblk)))
          (local.set $end (i32.add (i32.add (local.get $lp) (i32.const 4)) (i32.mul (i32.load (local.get $lp)) (i32.const 4))))
          (local.set $lp (i32.add (local.get $lp) (i32.const 4)))
          (local.set $t0 (v128.const i64x2 0 0))
          (local.set $t1 (v128.const i64x2 0 0))
          (local.set $t2 (v128.const i64x2 0 0))
          (local.set $t3 (v128.const i64x2 0 0))
          (block $p_done (loop $p_loop
            (br_if $p_done (i32.ge_u (local.get $lp) (local.get $end)))
            (local.set $bp (i32.add (i32.add (local.get $pb) (i32.load (local.get $lp))) (local.get $jb)))
            (local.set $t0 (f32x4.add (local.get $t0) (v128.load offset=0 (local.get $bp))))
            (local.set $t1 (f32x4.add (local.get $t1) (v128.load offset=16 (local.get $bp))))
            (local.set $t2 (f32x4.add (local.get $t2) (v128.load offset=32 (local.get $bp))))
            (local.set $t3 (f32x4.add (local.get $t3) (v128.load offset=48 (local.get $bp))))
            (local.set $lp (i32.add (local.get $lp) (i32.const 4)))
            (br $p_loop)))
          (local.set $acc (i32.or (local.get $acc0) (i32.ne (local.get $q) (i32.const 0))))
          (local.set $bv (f32x4.splat (select (local.get $beta) (f32.const 1) (i32.eqz (local.get $q)))))
          (v128.store offset=0 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $av) (local.get $t0)) (f32x4.mul (local.get $bv) (v128.load offset=0 (local.get $c)))) (f32x4.mul (local.get $av) (local.get $t0)) (local.get $acc)))
          (v128.store offset=16 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $av) (local.get $t1)) (f32x4.mul (local.get $bv) (v128.load offset=16 (local.get $c)))) (f32x4.mul (local.get $av) (local.get $t1)) (local.get $acc)))
          (v128.store offset=32 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $av) (local.get $t2)) (f32x4.mul (local.get $bv) (v128.load offset=32 (local.get $c)))) (f32x4.mul (local.get $av) (local.get $t2)) (local.get $acc)))
          (v128.store offset=48 (local.get $c) (select (f32x4.add (f32x4.mul (local.get $av) (local.get $t3)) (f32x4.mul (local.get $bv) (v128.load offset=48 (local.get $c)))) (f32x4.mul (local.get $av) (local.get $t3)) (local.get $acc)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $q_loop)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $jb (i32.add (local.get $jb) (i32.const 64)))
      (br $j_loop)))
  )

  ;; The lists of ones of a 0/1 matrix for the gather_f64 product (see src/core/wasm/gatherWasm.ts),
  ;; from A (f64) at $pa with row stride $lda bytes, branch-free per element: every element's offset is
  ;; stored and the write position advances only past ones; four elements whose bits are all zero (+0)
  ;; are skipped at once. op(A) = A (m x k): for each row i, for each depth block of $kc, a count, then
  ;; the byte offsets p * $rowBytes of its ones, written from $pl (one slot past the lists may be
  ;; written). Returns the number of ones, or -1 if an element is neither +-0 nor 1 (NaN included), as
  ;; the element comparisons x === 0, x === 1 of the TypeScript listing classify it.
  (func (export "list_f64") (param $pa i32) (param $m i32) (param $k i32) (param $lda i32) (param $rowBytes i32) (param $pl i32) (param $kc i32) (result i32)
    (local $i i32) (local $row i32) (local $p0 i32) (local $p1 i32) (local $p i32) (local $w i32) (local $countAt i32)
    (local $x i64) (local $one i32) (local $bad i32) (local $blocks i32)
    (local.set $w (local.get $pl))
    (local.set $i (i32.const 0))
    (block $i_done (loop $i_loop
      (br_if $i_done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $row (i32.add (local.get $pa) (i32.mul (local.get $i) (local.get $lda))))
      (local.set $p0 (i32.const 0))
      (block $b_done (loop $b_loop
        (br_if $b_done (i32.ge_u (local.get $p0) (local.get $k)))
        (local.set $countAt (local.get $w))
        (local.set $w (i32.add (local.get $w) (i32.const 4)))
        (local.set $blocks (i32.add (local.get $blocks) (i32.const 1)))
        (local.set $p1 (i32.add (local.get $p0) (local.get $kc)))
        (if (i32.gt_u (local.get $p1) (local.get $k)) (then (local.set $p1 (local.get $k))))
        (local.set $p (local.get $p0))
        (block $p_done (loop $p_loop
          (br_if $p_done (i32.ge_u (local.get $p) (local.get $p1)))
          (if (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $p1))
            (then
              (if (i32.eqz (v128.any_true (v128.or (v128.load (i32.add (local.get $row) (i32.shl (local.get $p) (i32.const 3)))) (v128.load offset=16 (i32.add (local.get $row) (i32.shl (local.get $p) (i32.const 3)))))))
                (then
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br $p_loop)))))
          (local.set $x (i64.load (i32.add (local.get $row) (i32.shl (local.get $p) (i32.const 3)))))
          (local.set $one (i64.eq (local.get $x) (i64.const 0x3FF0000000000000)))
          (local.set $bad (i32.or (local.get $bad)
            (i32.and (i64.ne (i64.and (local.get $x) (i64.const 0x7FFFFFFFFFFFFFFF)) (i64.const 0)) (i32.eqz (local.get $one)))))
          (i32.store (local.get $w) (i32.mul (local.get $p) (local.get $rowBytes)))
          (local.set $w (i32.add (local.get $w) (i32.shl (local.get $one) (i32.const 2))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $p_loop)))
        (i32.store (local.get $countAt) (i32.shr_u (i32.sub (i32.sub (local.get $w) (local.get $countAt)) (i32.const 4)) (i32.const 2)))
        (local.set $p0 (i32.add (local.get $p0) (local.get $kc)))
        (br $b_loop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $i_loop)))
    (if (result i32) (local.get $bad)
      (then (i32.const -1))
      (else (i32.sub (i32.shr_u (i32.sub (local.get $w) (local.get $pl)) (i32.const 2)) (local.get $blocks)))))

  ;; The same lists for op(A) = A^T (A stored k x m, rows p of m elements, row stride $lda bytes): the
  ;; ones of each output row i and depth block q in ascending depth. Pass 1 counts the ones of each
  ;; (i, q) into the $m * nblk cursors at $pcur (i32, zeroed here), then the lists are laid out by their
  ;; counts and pass 2 places each one at its cursor (a zero's store goes to the slot at $trash). Both
  ;; passes skip four all-zero elements at once. Returns the number of ones, or -1 as list_f64.
  (func (export "list_t_f64") (param $pa i32) (param $m i32) (param $k i32) (param $lda i32) (param $rowBytes i32) (param $pl i32) (param $kc i32) (param $pcur i32) (param $trash i32) (result i32)
    (local $nblk i32) (local $p i32) (local $i i32) (local $row i32) (local $cq i32) (local $c i32) (local $at i32)
    (local $x i64) (local $one i32) (local $bad i32) (local $ones i32) (local $w i32) (local $count i32) (local $end i32)
    (local.set $nblk (i32.div_u (i32.sub (i32.add (local.get $k) (local.get $kc)) (i32.const 1)) (local.get $kc)))
    (local.set $end (i32.add (local.get $pcur) (i32.shl (i32.mul (local.get $m) (local.get $nblk)) (i32.const 2))))
    (memory.fill (local.get $pcur) (i32.const 0) (i32.sub (local.get $end) (local.get $pcur)))
    ;; pass 1: counts
    (local.set $p (i32.const 0))
    (block $p_done (loop $p_loop
      (br_if $p_done (i32.ge_u (local.get $p) (local.get $k)))
      (local.set $row (i32.add (local.get $pa) (i32.mul (local.get $p) (local.get $lda))))
      (local.set $cq (i32.add (local.get $pcur) (i32.shl (i32.div_u (local.get $p) (local.get $kc)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $m)))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $m))
          (then
            (if (i32.eqz (v128.any_true (v128.or (v128.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3)))) (v128.load offset=16 (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3)))))))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $i_loop)))))
        (local.set $x (i64.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $one (i64.eq (local.get $x) (i64.const 0x3FF0000000000000)))
        (local.set $bad (i32.or (local.get $bad)
          (i32.and (i64.ne (i64.and (local.get $x) (i64.const 0x7FFFFFFFFFFFFFFF)) (i64.const 0)) (i32.eqz (local.get $one)))))
        (local.set $c (i32.add (local.get $cq) (i32.shl (i32.mul (local.get $i) (local.get $nblk)) (i32.const 2))))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (local.get $one)))
        (local.set $ones (i32.add (local.get $ones) (local.get $one)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $p_loop)))
    (if (local.get $bad) (then (return (i32.const -1))))
    ;; layout: each list's count, and its cursor at its first slot
    (local.set $w (local.get $pl))
    (local.set $c (local.get $pcur))
    (block $c_done (loop $c_loop
      (br_if $c_done (i32.ge_u (local.get $c) (local.get $end)))
      (local.set $count (i32.load (local.get $c)))
      (i32.store (local.get $w) (local.get $count))
      (i32.store (local.get $c) (i32.add (local.get $w) (i32.const 4)))
      (local.set $w (i32.add (local.get $w) (i32.shl (i32.add (local.get $count) (i32.const 1)) (i32.const 2))))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $c_loop)))
    ;; pass 2: place the ones, rows of A in ascending order (so each list ascends in depth)
    (local.set $p (i32.const 0))
    (block $p2_done (loop $p2_loop
      (br_if $p2_done (i32.ge_u (local.get $p) (local.get $k)))
      (local.set $row (i32.add (local.get $pa) (i32.mul (local.get $p) (local.get $lda))))
      (local.set $cq (i32.add (local.get $pcur) (i32.shl (i32.div_u (local.get $p) (local.get $kc)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $i2_done (loop $i2_loop
        (br_if $i2_done (i32.ge_u (local.get $i) (local.get $m)))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $m))
          (then
            (if (i32.eqz (v128.any_true (v128.or (v128.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3)))) (v128.load offset=16 (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3)))))))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $i2_loop)))))
        (local.set $one (i64.eq (i64.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3)))) (i64.const 0x3FF0000000000000)))
        (local.set $c (i32.add (local.get $cq) (i32.shl (i32.mul (local.get $i) (local.get $nblk)) (i32.const 2))))
        (local.set $at (i32.load (local.get $c)))
        (i32.store (select (local.get $at) (local.get $trash) (local.get $one)) (i32.mul (local.get $p) (local.get $rowBytes)))
        (i32.store (local.get $c) (i32.add (local.get $at) (i32.shl (local.get $one) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i2_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $p2_loop)))
    (local.get $ones))

  ;; The lists of ones of a 0/1 matrix for the gather_f32 product (see src/core/wasm/gatherWasm.ts),
  ;; from A (f32) at $pa with row stride $lda bytes, branch-free per element: every element's offset is
  ;; stored and the write position advances only past ones; four elements whose bits are all zero (+0)
  ;; are skipped at once. op(A) = A (m x k): for each row i, for each depth block of $kc, a count, then
  ;; the byte offsets p * $rowBytes of its ones, written from $pl (one slot past the lists may be
  ;; written). Returns the number of ones, or -1 if an element is neither +-0 nor 1 (NaN included), as
  ;; the element comparisons x === 0, x === 1 of the TypeScript listing classify it.
  (func (export "list_f32") (param $pa i32) (param $m i32) (param $k i32) (param $lda i32) (param $rowBytes i32) (param $pl i32) (param $kc i32) (result i32)
    (local $i i32) (local $row i32) (local $p0 i32) (local $p1 i32) (local $p i32) (local $w i32) (local $countAt i32)
    (local $x i32) (local $one i32) (local $bad i32) (local $blocks i32)
    (local.set $w (local.get $pl))
    (local.set $i (i32.const 0))
    (block $i_done (loop $i_loop
      (br_if $i_done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $row (i32.add (local.get $pa) (i32.mul (local.get $i) (local.get $lda))))
      (local.set $p0 (i32.const 0))
      (block $b_done (loop $b_loop
        (br_if $b_done (i32.ge_u (local.get $p0) (local.get $k)))
        (local.set $countAt (local.get $w))
        (local.set $w (i32.add (local.get $w) (i32.const 4)))
        (local.set $blocks (i32.add (local.get $blocks) (i32.const 1)))
        (local.set $p1 (i32.add (local.get $p0) (local.get $kc)))
        (if (i32.gt_u (local.get $p1) (local.get $k)) (then (local.set $p1 (local.get $k))))
        (local.set $p (local.get $p0))
        (block $p_done (loop $p_loop
          (br_if $p_done (i32.ge_u (local.get $p) (local.get $p1)))
          (if (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $p1))
            (then
              (if (i32.eqz (v128.any_true (v128.load (i32.add (local.get $row) (i32.shl (local.get $p) (i32.const 2))))))
                (then
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br $p_loop)))))
          (local.set $x (i32.load (i32.add (local.get $row) (i32.shl (local.get $p) (i32.const 2)))))
          (local.set $one (i32.eq (local.get $x) (i32.const 0x3F800000)))
          (local.set $bad (i32.or (local.get $bad)
            (i32.and (i32.ne (i32.and (local.get $x) (i32.const 0x7FFFFFFF)) (i32.const 0)) (i32.eqz (local.get $one)))))
          (i32.store (local.get $w) (i32.mul (local.get $p) (local.get $rowBytes)))
          (local.set $w (i32.add (local.get $w) (i32.shl (local.get $one) (i32.const 2))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $p_loop)))
        (i32.store (local.get $countAt) (i32.shr_u (i32.sub (i32.sub (local.get $w) (local.get $countAt)) (i32.const 4)) (i32.const 2)))
        (local.set $p0 (i32.add (local.get $p0) (local.get $kc)))
        (br $b_loop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $i_loop)))
    (if (result i32) (local.get $bad)
      (then (i32.const -1))
      (else (i32.sub (i32.shr_u (i32.sub (local.get $w) (local.get $pl)) (i32.const 2)) (local.get $blocks)))))

  ;; The same lists for op(A) = A^T (A stored k x m, rows p of m elements, row stride $lda bytes): the
  ;; ones of each output row i and depth block q in ascending depth. Pass 1 counts the ones of each
  ;; (i, q) into the $m * nblk cursors at $pcur (i32, zeroed here), then the lists are laid out by their
  ;; counts and pass 2 places each one at its cursor (a zero's store goes to the slot at $trash). Both
  ;; passes skip four all-zero elements at once. Returns the number of ones, or -1 as list_f32.
  (func (export "list_t_f32") (param $pa i32) (param $m i32) (param $k i32) (param $lda i32) (param $rowBytes i32) (param $pl i32) (param $kc i32) (param $pcur i32) (param $trash i32) (result i32)
    (local $nblk i32) (local $p i32) (local $i i32) (local $row i32) (local $cq i32) (local $c i32) (local $at i32)
    (local $x i32) (local $one i32) (local $bad i32) (local $ones i32) (local $w i32) (local $count i32) (local $end i32)
    (local.set $nblk (i32.div_u (i32.sub (i32.add (local.get $k) (local.get $kc)) (i32.const 1)) (local.get $kc)))
    (local.set $end (i32.add (local.get $pcur) (i32.shl (i32.mul (local.get $m) (local.get $nblk)) (i32.const 2))))
    (memory.fill (local.get $pcur) (i32.const 0) (i32.sub (local.get $end) (local.get $pcur)))
    ;; pass 1: counts
    (local.set $p (i32.const 0))
    (block $p_done (loop $p_loop
      (br_if $p_done (i32.ge_u (local.get $p) (local.get $k)))
      (local.set $row (i32.add (local.get $pa) (i32.mul (local.get $p) (local.get $lda))))
      (local.set $cq (i32.add (local.get $pcur) (i32.shl (i32.div_u (local.get $p) (local.get $kc)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $m)))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $m))
          (then
            (if (i32.eqz (v128.any_true (v128.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2))))))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $i_loop)))))
        (local.set $x (i32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $one (i32.eq (local.get $x) (i32.const 0x3F800000)))
        (local.set $bad (i32.or (local.get $bad)
          (i32.and (i32.ne (i32.and (local.get $x) (i32.const 0x7FFFFFFF)) (i32.const 0)) (i32.eqz (local.get $one)))))
        (local.set $c (i32.add (local.get $cq) (i32.shl (i32.mul (local.get $i) (local.get $nblk)) (i32.const 2))))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (local.get $one)))
        (local.set $ones (i32.add (local.get $ones) (local.get $one)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $p_loop)))
    (if (local.get $bad) (then (return (i32.const -1))))
    ;; layout: each list's count, and its cursor at its first slot
    (local.set $w (local.get $pl))
    (local.set $c (local.get $pcur))
    (block $c_done (loop $c_loop
      (br_if $c_done (i32.ge_u (local.get $c) (local.get $end)))
      (local.set $count (i32.load (local.get $c)))
      (i32.store (local.get $w) (local.get $count))
      (i32.store (local.get $c) (i32.add (local.get $w) (i32.const 4)))
      (local.set $w (i32.add (local.get $w) (i32.shl (i32.add (local.get $count) (i32.const 1)) (i32.const 2))))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $c_loop)))
    ;; pass 2: place the ones, rows of A in ascending order (so each list ascends in depth)
    (local.set $p (i32.const 0))
    (block $p2_done (loop $p2_loop
      (br_if $p2_done (i32.ge_u (local.get $p) (local.get $k)))
      (local.set $row (i32.add (local.get $pa) (i32.mul (local.get $p) (local.get $lda))))
      (local.set $cq (i32.add (local.get $pcur) (i32.shl (i32.div_u (local.get $p) (local.get $kc)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $i2_done (loop $i2_loop
        (br_if $i2_done (i32.ge_u (local.get $i) (local.get $m)))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $m))
          (then
            (if (i32.eqz (v128.any_true (v128.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2))))))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $i2_loop)))))
        (local.set $one (i32.eq (i32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 0x3F800000)))
        (local.set $c (i32.add (local.get $cq) (i32.shl (i32.mul (local.get $i) (local.get $nblk)) (i32.const 2))))
        (local.set $at (i32.load (local.get $c)))
        (i32.store (select (local.get $at) (local.get $trash) (local.get $one)) (i32.mul (local.get $p) (local.get $rowBytes)))
        (i32.store (local.get $c) (i32.add (local.get $at) (i32.shl (local.get $one) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i2_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $p2_loop)))
    (local.get $ones))

  ;; dst[j][i] = src[i][j] for i < $rows, j < $cols (float64; row strides in bytes): a B slot loaded
  ;; transposed from another slot (see gatherLoadTransposed). Pairs of source rows make one 16-byte store.
  ;; Returns max |src[i][j]| (NaN if one is NaN; +0 for none), gathered on the way.
  (func (export "transpose_f64") (param $src i32) (param $ss i32) (param $dst i32) (param $ds i32) (param $rows i32) (param $cols i32) (result f64)
    (local $i i32) (local $j i32) (local $s0 i32) (local $s1 i32) (local $d i32) (local $pair v128) (local $acc v128) (local $m f64) (local $x f64)
    (block $i_done (loop $i_loop
      (br_if $i_done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $rows)))
      (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $ss))))
      (local.set $s1 (i32.add (local.get $s0) (local.get $ss)))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $j (i32.const 0))
      (block $j_done (loop $j_loop
        (br_if $j_done (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $pair (f64x2.replace_lane 1 (f64x2.splat (f64.load (local.get $s0))) (f64.load (local.get $s1))))
        (v128.store (local.get $d) (local.get $pair))
        (local.set $acc (f64x2.max (local.get $acc) (f64x2.abs (local.get $pair))))
        (local.set $s0 (i32.add (local.get $s0) (i32.const 8)))
        (local.set $s1 (i32.add (local.get $s1) (i32.const 8)))
        (local.set $d (i32.add (local.get $d) (local.get $ds)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $j_loop)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $i_loop)))
    ;; an odd last row
    (if (i32.lt_u (local.get $i) (local.get $rows))
      (then
        (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $ss))))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $t_done (loop $t_loop
          (br_if $t_done (i32.ge_u (local.get $j) (local.get $cols)))
          (local.set $x (f64.load (local.get $s0)))
          (f64.store (local.get $d) (local.get $x))
          (local.set $m (f64.max (local.get $m) (f64.abs (local.get $x))))
          (local.set $s0 (i32.add (local.get $s0) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (local.get $ds)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $t_loop)))))
    (f64.max (local.get $m)
      (f64.max (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))))

  ;; transpose_f64 for float32: four source rows make one 16-byte store, then single rows (max |src| as
  ;; there, exact in float64)
  (func (export "transpose_f32") (param $src i32) (param $ss i32) (param $dst i32) (param $ds i32) (param $rows i32) (param $cols i32) (result f64)
    (local $i i32) (local $j i32) (local $s0 i32) (local $d i32) (local $quad v128) (local $acc v128) (local $m f32) (local $x f32)
    (block $i_done (loop $i_loop
      (br_if $i_done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $rows)))
      (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $ss))))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $j_done (loop $j_loop
        (br_if $j_done (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $quad
          (f32x4.replace_lane 3
            (f32x4.replace_lane 2
              (f32x4.replace_lane 1
                (f32x4.splat (f32.load (local.get $s0)))
                (f32.load (i32.add (local.get $s0) (local.get $ss))))
              (f32.load (i32.add (local.get $s0) (i32.shl (local.get $ss) (i32.const 1)))))
            (f32.load (i32.add (local.get $s0) (i32.mul (local.get $ss) (i32.const 3))))))
        (v128.store (local.get $d) (local.get $quad))
        (local.set $acc (f32x4.max (local.get $acc) (f32x4.abs (local.get $quad))))
        (local.set $s0 (i32.add (local.get $s0) (i32.const 4)))
        (local.set $d (i32.add (local.get $d) (local.get $ds)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $j_loop)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $i_loop)))
    (block $r_done (loop $r_loop
      (br_if $r_done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $ss))))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $t_done (loop $t_loop
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $x (f32.load (local.get $s0)))
        (f32.store (local.get $d) (local.get $x))
        (local.set $m (f32.max (local.get $m) (f32.abs (local.get $x))))
        (local.set $s0 (i32.add (local.get $s0) (i32.const 4)))
        (local.set $d (i32.add (local.get $d) (local.get $ds)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $t_loop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $r_loop)))
    (f64.promote_f32
      (f32.max (local.get $m)
        (f32.max
          (f32.max (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.max (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))))

  ;; max |x| over $rows rows of $cols float64 at $p (row stride $stride bytes): NaN if any element is
  ;; NaN (f64x2.max and f64.max propagate it), +0 for no elements or all zeros
  (func (export "maxabs_f64") (param $p i32) (param $rows i32) (param $cols i32) (param $stride i32) (result f64)
    (local $r i32) (local $q i32) (local $end i32) (local $pairs i32) (local $acc v128) (local $m f64)
    (local.set $pairs (i32.shl (i32.shr_u (local.get $cols) (i32.const 1)) (i32.const 4)))
    (block $r_done (loop $r_loop
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $q (i32.add (local.get $p) (i32.mul (local.get $r) (local.get $stride))))
      (local.set $end (i32.add (local.get $q) (local.get $pairs)))
      (block $j_done (loop $j_loop
        (br_if $j_done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $acc (f64x2.max (local.get $acc) (f64x2.abs (v128.load (local.get $q)))))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $j_loop)))
      (if (i32.and (local.get $cols) (i32.const 1))
        (then (local.set $m (f64.max (local.get $m) (f64.abs (f64.load (local.get $q)))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $r_loop)))
    (f64.max (local.get $m)
      (f64.max (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))))

  ;; maxabs_f64 for float32 elements (the result is exact in float64)
  (func (export "maxabs_f32") (param $p i32) (param $rows i32) (param $cols i32) (param $stride i32) (result f64)
    (local $r i32) (local $q i32) (local $end i32) (local $quads i32) (local $tail i32) (local $acc v128) (local $m f32)
    (local.set $quads (i32.shl (i32.shr_u (local.get $cols) (i32.const 2)) (i32.const 4)))
    (block $r_done (loop $r_loop
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $q (i32.add (local.get $p) (i32.mul (local.get $r) (local.get $stride))))
      (local.set $end (i32.add (local.get $q) (local.get $quads)))
      (block $j_done (loop $j_loop
        (br_if $j_done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $acc (f32x4.max (local.get $acc) (f32x4.abs (v128.load (local.get $q)))))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $j_loop)))
      (local.set $tail (i32.and (local.get $cols) (i32.const 3)))
      (block $t_done (loop $t_loop
        (br_if $t_done (i32.eqz (local.get $tail)))
        (local.set $m (f32.max (local.get $m) (f32.abs (f32.load (local.get $q)))))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (local.set $tail (i32.sub (local.get $tail) (i32.const 1)))
        (br $t_loop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $r_loop)))
    (f64.promote_f32
      (f32.max (local.get $m)
        (f32.max
          (f32.max (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.max (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))))
)
