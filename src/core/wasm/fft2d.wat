;; coarsegrain: power spectra of pairs of real 2D fields and their inverse, in WebAssembly SIMD (f64x2).
;;
;; Source of src/core/wasm/fft2d.wasm.generated.ts: after editing, run `npm run build:wasm`
;; (tsx src/core/wasm/assemble.ts); a test checks that the embedded bytes equal a fresh assembly.
;; The caller is src/core/wasm/fft2dWasm.ts; all pointers are byte addresses in this module's memory.
;;
;; Lane-pair complex layout: element e of a vector of n complex numbers in two independent transforms
;; (lanes 0 and 1) occupies 32 bytes at base + 32 e: the real parts of both lanes (f64x2), then the
;; imaginary parts (f64x2). Each lane does exactly the scalar operations of fft.js's radix-4 transform
;; (same tables, same order, multiply then add, no fused multiply-add), so every lane's result equals
;; `new FFT(n).transform(out, data)` to the last bit, on every engine.
;;
;; Tables (filled by the caller per length n): tw holds n entries of 32 bytes, entry j = (c, c, s, s)
;; with (c, s) = (cos(2 pi j / n), -sin(2 pi j / n)), fft.js's table; br holds fft.js's bit-reversal
;; offsets of the first stage as byte offsets (bitrev[t] * 16, i32); s is the first stage's stride in
;; elements ((1 << fft.js _width) / 2): the first stage is radix 2 when n / s = 2, else radix 4.
;;
;; A rows x cols field pair (f1, f2), both sides powers of two >= 2, N = rows cols, is transformed as
;; Z = FFT2(f1 + i f2) (rows, then columns). Row transforms run on row pairs (2p, 2p + 1) in the lanes;
;; they are stored transposed into column vectors that pair column m with its negative, (m, cols - m)
;; for 0 < m < cols / 2 and (0, cols / 2) for m = 0, so that Z(-q) sits in the same vector as Z(q).
;; Power layout (one block, f64x2 per entry): entry (m, q0) for m < cols / 2, q0 <= rows / 2, at
;; 16 (m (rows / 2 + 1) + q0), holds (P(q0, m), P(q0, cols - m)) (m = 0: (P(q0, 0), P(q0, cols / 2)));
;; since P(q) = P(-q) this covers the whole grid.
(module
  ;; Grown by the caller up to this maximum (128 MB); larger problems use the TypeScript path.
  (memory (export "memory") 1 2048)
  (global $sum1 (mut i64) (i64.const 0))
  (global $sum2 (mut i64) (i64.const 0))

  ;; Forward DFT of n lane-pair complex elements at src into dst (regions must not overlap).
  (func $fft (param $src i32) (param $dst i32) (param $n i32) (param $tw i32) (param $br i32) (param $s i32)
    (local $o i32) (local $off i32) (local $s32 i32) (local $end i32) (local $len i32) (local $len32 i32)
    (local $q32 i32) (local $a i32) (local $j32 i32) (local $pA i32) (local $pB i32) (local $pC i32) (local $pD i32)
    (local $Ar v128) (local $Ai v128) (local $Br v128) (local $Bi v128)
    (local $Cr v128) (local $Ci v128) (local $Dr v128) (local $Di v128)
    (local $T0r v128) (local $T0i v128) (local $T1r v128) (local $T1i v128)
    (local $T2r v128) (local $T2i v128) (local $T3r v128) (local $T3i v128)
    (local $tBr v128) (local $tBi v128) (local $tCr v128) (local $tCi v128) (local $tDr v128) (local $tDi v128)
    (local $Mr v128) (local $Mi v128)
    (local.set $s32 (i32.shl (local.get $s) (i32.const 5)))
    (local.set $o (local.get $dst))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 5))))
    (if (i32.eq (i32.div_u (local.get $n) (local.get $s)) (i32.const 2))
      (then
        ;; radix-2 first stage (fft.js _singleTransform2)
        (loop $l2
          (local.set $off (i32.add (local.get $src) (i32.load (local.get $br))))
          (local.set $Ar (v128.load offset=0 (local.get $off)))
          (local.set $Ai (v128.load offset=16 (local.get $off)))
          (local.set $off (i32.add (local.get $off) (local.get $s32)))
          (local.set $Br (v128.load offset=0 (local.get $off)))
          (local.set $Bi (v128.load offset=16 (local.get $off)))
          (v128.store offset=0 (local.get $o) (f64x2.add (local.get $Ar) (local.get $Br)))
          (v128.store offset=16 (local.get $o) (f64x2.add (local.get $Ai) (local.get $Bi)))
          (v128.store offset=32 (local.get $o) (f64x2.sub (local.get $Ar) (local.get $Br)))
          (v128.store offset=48 (local.get $o) (f64x2.sub (local.get $Ai) (local.get $Bi)))
          (local.set $br (i32.add (local.get $br) (i32.const 4)))
          (local.set $o (i32.add (local.get $o) (i32.const 64)))
          (br_if $l2 (i32.lt_u (local.get $o) (local.get $end)))))
      (else
        ;; radix-4 first stage (fft.js _singleTransform4, forward)
        (loop $l4
          (local.set $off (i32.add (local.get $src) (i32.load (local.get $br))))
          (local.set $Ar (v128.load offset=0 (local.get $off)))
          (local.set $Ai (v128.load offset=16 (local.get $off)))
          (local.set $off (i32.add (local.get $off) (local.get $s32)))
          (local.set $Br (v128.load offset=0 (local.get $off)))
          (local.set $Bi (v128.load offset=16 (local.get $off)))
          (local.set $off (i32.add (local.get $off) (local.get $s32)))
          (local.set $Cr (v128.load offset=0 (local.get $off)))
          (local.set $Ci (v128.load offset=16 (local.get $off)))
          (local.set $off (i32.add (local.get $off) (local.get $s32)))
          (local.set $Dr (v128.load offset=0 (local.get $off)))
          (local.set $Di (v128.load offset=16 (local.get $off)))
          (local.set $T0r (f64x2.add (local.get $Ar) (local.get $Cr)))
          (local.set $T0i (f64x2.add (local.get $Ai) (local.get $Ci)))
          (local.set $T1r (f64x2.sub (local.get $Ar) (local.get $Cr)))
          (local.set $T1i (f64x2.sub (local.get $Ai) (local.get $Ci)))
          (local.set $T2r (f64x2.add (local.get $Br) (local.get $Dr)))
          (local.set $T2i (f64x2.add (local.get $Bi) (local.get $Di)))
          (local.set $T3r (f64x2.sub (local.get $Br) (local.get $Dr)))
          (local.set $T3i (f64x2.sub (local.get $Bi) (local.get $Di)))
          (v128.store offset=0 (local.get $o) (f64x2.add (local.get $T0r) (local.get $T2r)))
          (v128.store offset=16 (local.get $o) (f64x2.add (local.get $T0i) (local.get $T2i)))
          (v128.store offset=32 (local.get $o) (f64x2.add (local.get $T1r) (local.get $T3i)))
          (v128.store offset=48 (local.get $o) (f64x2.sub (local.get $T1i) (local.get $T3r)))
          (v128.store offset=64 (local.get $o) (f64x2.sub (local.get $T0r) (local.get $T2r)))
          (v128.store offset=80 (local.get $o) (f64x2.sub (local.get $T0i) (local.get $T2i)))
          (v128.store offset=96 (local.get $o) (f64x2.sub (local.get $T1r) (local.get $T3i)))
          (v128.store offset=112 (local.get $o) (f64x2.add (local.get $T1i) (local.get $T3r)))
          (local.set $br (i32.add (local.get $br) (i32.const 4)))
          (local.set $o (i32.add (local.get $o) (i32.const 128)))
          (br_if $l4 (i32.lt_u (local.get $o) (local.get $end))))))
    ;; radix-4 stages with twiddles, in place in dst (fft.js _transform4 main loop)
    (local.set $s (i32.shr_u (local.get $s) (i32.const 2)))
    (block $done
      (loop $stage
        (br_if $done (i32.eqz (local.get $s)))
        (local.set $len (i32.div_u (local.get $n) (local.get $s)))
        (local.set $len32 (i32.shl (local.get $len) (i32.const 5)))
        ;; quarter of a group, in bytes: (len / 4) * 32
        (local.set $q32 (i32.shl (local.get $len) (i32.const 3)))
        (local.set $a (i32.const 0))
        (loop $abf
          (local.set $j32 (i32.shl (i32.mul (local.get $a) (local.get $s)) (i32.const 5)))
          (local.set $off (i32.add (local.get $tw) (local.get $j32)))
          (local.set $tBr (v128.load offset=0 (local.get $off)))
          (local.set $tBi (v128.load offset=16 (local.get $off)))
          (local.set $off (i32.add (local.get $off) (local.get $j32)))
          (local.set $tCr (v128.load offset=0 (local.get $off)))
          (local.set $tCi (v128.load offset=16 (local.get $off)))
          (local.set $off (i32.add (local.get $off) (local.get $j32)))
          (local.set $tDr (v128.load offset=0 (local.get $off)))
          (local.set $tDi (v128.load offset=16 (local.get $off)))
          (local.set $pA (i32.add (local.get $dst) (i32.shl (local.get $a) (i32.const 5))))
          (loop $grp
            (local.set $pB (i32.add (local.get $pA) (local.get $q32)))
            (local.set $pC (i32.add (local.get $pB) (local.get $q32)))
            (local.set $pD (i32.add (local.get $pC) (local.get $q32)))
            (local.set $Ar (v128.load offset=0 (local.get $pA)))
            (local.set $Ai (v128.load offset=16 (local.get $pA)))
            (local.set $Br (v128.load offset=0 (local.get $pB)))
            (local.set $Bi (v128.load offset=16 (local.get $pB)))
            (local.set $Cr (v128.load offset=0 (local.get $pC)))
            (local.set $Ci (v128.load offset=16 (local.get $pC)))
            (local.set $Dr (v128.load offset=0 (local.get $pD)))
            (local.set $Di (v128.load offset=16 (local.get $pD)))
            ;; MC = C * tC; T0 = A + MC, T1 = A - MC
            (local.set $Mr (f64x2.sub (f64x2.mul (local.get $Cr) (local.get $tCr)) (f64x2.mul (local.get $Ci) (local.get $tCi))))
            (local.set $Mi (f64x2.add (f64x2.mul (local.get $Cr) (local.get $tCi)) (f64x2.mul (local.get $Ci) (local.get $tCr))))
            (local.set $T0r (f64x2.add (local.get $Ar) (local.get $Mr)))
            (local.set $T0i (f64x2.add (local.get $Ai) (local.get $Mi)))
            (local.set $T1r (f64x2.sub (local.get $Ar) (local.get $Mr)))
            (local.set $T1i (f64x2.sub (local.get $Ai) (local.get $Mi)))
            ;; MB = B * tB (into Br, Bi), MD = D * tD (into Dr, Di)
            (local.set $Mr (f64x2.sub (f64x2.mul (local.get $Br) (local.get $tBr)) (f64x2.mul (local.get $Bi) (local.get $tBi))))
            (local.set $Bi (f64x2.add (f64x2.mul (local.get $Br) (local.get $tBi)) (f64x2.mul (local.get $Bi) (local.get $tBr))))
            (local.set $Br (local.get $Mr))
            (local.set $Mr (f64x2.sub (f64x2.mul (local.get $Dr) (local.get $tDr)) (f64x2.mul (local.get $Di) (local.get $tDi))))
            (local.set $Di (f64x2.add (f64x2.mul (local.get $Dr) (local.get $tDi)) (f64x2.mul (local.get $Di) (local.get $tDr))))
            (local.set $Dr (local.get $Mr))
            (local.set $T2r (f64x2.add (local.get $Br) (local.get $Dr)))
            (local.set $T2i (f64x2.add (local.get $Bi) (local.get $Di)))
            (local.set $T3r (f64x2.sub (local.get $Br) (local.get $Dr)))
            (local.set $T3i (f64x2.sub (local.get $Bi) (local.get $Di)))
            (v128.store offset=0 (local.get $pA) (f64x2.add (local.get $T0r) (local.get $T2r)))
            (v128.store offset=16 (local.get $pA) (f64x2.add (local.get $T0i) (local.get $T2i)))
            (v128.store offset=0 (local.get $pB) (f64x2.add (local.get $T1r) (local.get $T3i)))
            (v128.store offset=16 (local.get $pB) (f64x2.sub (local.get $T1i) (local.get $T3r)))
            (v128.store offset=0 (local.get $pC) (f64x2.sub (local.get $T0r) (local.get $T2r)))
            (v128.store offset=16 (local.get $pC) (f64x2.sub (local.get $T0i) (local.get $T2i)))
            (v128.store offset=0 (local.get $pD) (f64x2.sub (local.get $T1r) (local.get $T3i)))
            (v128.store offset=16 (local.get $pD) (f64x2.add (local.get $T1i) (local.get $T3r)))
            (local.set $pA (i32.add (local.get $pA) (local.get $len32)))
            (br_if $grp (i32.lt_u (local.get $pA) (local.get $end))))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (br_if $abf (i32.lt_u (i32.shl (local.get $a) (i32.const 5)) (local.get $q32))))
        (local.set $s (i32.shr_u (local.get $s) (i32.const 2)))
        (br $stage))))

  ;; Exported for tests: $fft on one vector (see the header).
  (func (export "fft") (param $src i32) (param $dst i32) (param $n i32) (param $tw i32) (param $br i32) (param $s i32)
    (call $fft (local.get $src) (local.get $dst) (local.get $n) (local.get $tw) (local.get $br) (local.get $s)))

  ;; Row pair p of two int8 fields (f1 at src, f2 at src + N when pair, else 0), C values per row, into the
  ;; lane-pair vector at dst (C elements); adds the values to $sum1 / $sum2 (exact integer sums).
  (func $fill_i8 (param $src i32) (param $pair i32) (param $C i32) (param $N i32) (param $p i32) (param $dst i32)
    (local $r0 i32) (local $end i32) (local $d i32) (local $f i32) (local $comp i32) (local $acc v128)
    (local $a v128) (local $b v128) (local $e v128) (local $x i32) (local $y i32)
    (local.set $f (i32.const 0))
    (loop $field
      (local.set $r0 (i32.add (i32.add (local.get $src) (i32.mul (local.get $f) (local.get $N)))
        (i32.mul (i32.shl (local.get $p) (i32.const 1)) (local.get $C))))
      (local.set $end (i32.add (local.get $r0) (local.get $C)))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $f) (i32.const 4))))
      (if (i32.and (i32.eqz (local.get $pair)) (i32.eq (local.get $f) (i32.const 1)))
        (then
          ;; no second field: imaginary parts 0
          (loop $zero
            (v128.store (local.get $d) (v128.const i64x2 0 0))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (local.set $r0 (i32.add (local.get $r0) (i32.const 1)))
            (br_if $zero (i32.lt_u (local.get $r0) (local.get $end)))))
        (else
          (local.set $acc (v128.const i64x2 0 0))
          (if (i32.ge_u (local.get $C) (i32.const 8))
            (then
              (loop $k8
                ;; 8 values of rows 2p and 2p + 1, interleaved: (a0 b0 a1 b1 ...) as i16, then i32, then f64
                (local.set $a (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23
                  (v128.load64_zero (local.get $r0)) (v128.load64_zero (i32.add (local.get $r0) (local.get $C)))))
                (local.set $b (i16x8.extend_high_i8x16_s (local.get $a)))
                (local.set $a (i16x8.extend_low_i8x16_s (local.get $a)))
                (local.set $e (i32x4.extend_low_i16x8_s (local.get $a)))
                (local.set $acc (i32x4.add (local.get $acc) (local.get $e)))
                (v128.store offset=0 (local.get $d) (f64x2.convert_low_i32x4_s (local.get $e)))
                (v128.store offset=32 (local.get $d) (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e) (local.get $e))))
                (local.set $e (i32x4.extend_high_i16x8_s (local.get $a)))
                (local.set $acc (i32x4.add (local.get $acc) (local.get $e)))
                (v128.store offset=64 (local.get $d) (f64x2.convert_low_i32x4_s (local.get $e)))
                (v128.store offset=96 (local.get $d) (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e) (local.get $e))))
                (local.set $e (i32x4.extend_low_i16x8_s (local.get $b)))
                (local.set $acc (i32x4.add (local.get $acc) (local.get $e)))
                (v128.store offset=128 (local.get $d) (f64x2.convert_low_i32x4_s (local.get $e)))
                (v128.store offset=160 (local.get $d) (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e) (local.get $e))))
                (local.set $e (i32x4.extend_high_i16x8_s (local.get $b)))
                (local.set $acc (i32x4.add (local.get $acc) (local.get $e)))
                (v128.store offset=192 (local.get $d) (f64x2.convert_low_i32x4_s (local.get $e)))
                (v128.store offset=224 (local.get $d) (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e) (local.get $e))))
                (local.set $d (i32.add (local.get $d) (i32.const 256)))
                (local.set $r0 (i32.add (local.get $r0) (i32.const 8)))
                (br_if $k8 (i32.lt_u (local.get $r0) (local.get $end)))))
            (else
              (loop $k1
                (local.set $x (i32.load8_s (local.get $r0)))
                (local.set $y (i32.load8_s (i32.add (local.get $r0) (local.get $C))))
                (v128.store (local.get $d) (f64x2.replace_lane 1 (f64x2.splat (f64.convert_i32_s (local.get $x))) (f64.convert_i32_s (local.get $y))))
                (local.set $acc (i32x4.add (local.get $acc) (i32x4.replace_lane 1 (i32x4.splat (local.get $x)) (local.get $y))))
                (local.set $d (i32.add (local.get $d) (i32.const 32)))
                (local.set $r0 (i32.add (local.get $r0) (i32.const 1)))
                (br_if $k1 (i32.lt_u (local.get $r0) (local.get $end))))
              ;; the splat put x in lanes 2 and 3 too: clear them
              (local.set $acc (i32x4.replace_lane 2 (local.get $acc) (i32.const 0)))
              (local.set $acc (i32x4.replace_lane 3 (local.get $acc) (i32.const 0)))))
          (local.set $x (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
          (if (local.get $f)
            (then (global.set $sum2 (i64.add (global.get $sum2) (i64.extend_i32_s (local.get $x)))))
            (else (global.set $sum1 (i64.add (global.get $sum1) (i64.extend_i32_s (local.get $x))))))))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br_if $field (i32.lt_u (local.get $f) (i32.const 2)))))

  ;; Row pair p of two float64 fields (f1 at src, f2 at src + 8 N when pair, else 0) into the lane-pair
  ;; vector at dst (C elements).
  (func $fill_f64 (param $src i32) (param $pair i32) (param $C i32) (param $N i32) (param $p i32) (param $dst i32)
    (local $r0 i32) (local $end i32) (local $d i32) (local $f i32) (local $a v128) (local $b v128) (local $C8 i32)
    (local.set $C8 (i32.shl (local.get $C) (i32.const 3)))
    (local.set $f (i32.const 0))
    (loop $field
      (local.set $r0 (i32.add (i32.add (local.get $src) (i32.shl (i32.mul (local.get $f) (local.get $N)) (i32.const 3)))
        (i32.mul (i32.shl (local.get $p) (i32.const 1)) (local.get $C8))))
      (local.set $end (i32.add (local.get $r0) (local.get $C8)))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $f) (i32.const 4))))
      (if (i32.and (i32.eqz (local.get $pair)) (i32.eq (local.get $f) (i32.const 1)))
        (then
          (loop $zero
            (v128.store (local.get $d) (v128.const i64x2 0 0))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (local.set $r0 (i32.add (local.get $r0) (i32.const 8)))
            (br_if $zero (i32.lt_u (local.get $r0) (local.get $end)))))
        (else
          (loop $k2
            (local.set $a (v128.load (local.get $r0)))
            (local.set $b (v128.load (i32.add (local.get $r0) (local.get $C8))))
            (v128.store offset=0 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))
            (v128.store offset=32 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $d (i32.add (local.get $d) (i32.const 64)))
            (local.set $r0 (i32.add (local.get $r0) (i32.const 16)))
            (br_if $k2 (i32.lt_u (local.get $r0) (local.get $end))))))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br_if $field (i32.lt_u (local.get $f) (i32.const 2)))))

  ;; Sum of count float64 values at ptr, in index order (as a scalar loop would).
  (func (export "sum_f64") (param $ptr i32) (param $count i32) (result f64)
    (local $s f64) (local $end i32)
    (local.set $end (i32.add (local.get $ptr) (i32.shl (local.get $count) (i32.const 3))))
    (if (i32.lt_u (local.get $ptr) (local.get $end))
      (then
        (loop $l
          (local.set $s (f64.add (local.get $s) (f64.load (local.get $ptr))))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 8)))
          (br_if $l (i32.lt_u (local.get $ptr) (local.get $end))))))
    (local.get $s))

  ;; Power spectra of a field pair, added to the block sums pw1 (of f1) and pw2 (of f2, when pair):
  ;; Z = FFT2(f1 + i f2), P1(q) = |Z(q) + conj Z(-q)|^2 / 4, P2(q) = |Z(q) - conj Z(-q)|^2 / 4 (power layout
  ;; of the header; pw1 may equal pw2). kind 0: int8 fields at src (sums of the values stored as two f64 at
  ;; sums); kind 1: float64 fields at src. Scratch: s1, s2 (max(R, C) elements each), cb (N / 2 elements).
  (func (export "forward_pair") (param $kind i32) (param $src i32) (param $pair i32) (param $R i32) (param $C i32)
    (param $s1 i32) (param $s2 i32) (param $cb i32)
    (param $twC i32) (param $brC i32) (param $sC i32) (param $twR i32) (param $brR i32) (param $sR i32)
    (param $pw1 i32) (param $pw2 i32) (param $sums i32)
    (local $N i32) (local $p i32) (local $m i32) (local $halfC i32) (local $halfR i32) (local $R32 i32)
    (local $a i32) (local $b i32) (local $d i32) (local $q0 i32) (local $rowsH i32) (local $e i32)
    (local $aR v128) (local $aI v128) (local $bR v128) (local $bI v128)
    (local $Vr v128) (local $Vi v128) (local $Wr v128) (local $Wi v128) (local $x v128) (local $y v128)
    (local.set $N (i32.mul (local.get $R) (local.get $C)))
    (local.set $halfC (i32.shr_u (local.get $C) (i32.const 1)))
    (local.set $halfR (i32.shr_u (local.get $R) (i32.const 1)))
    (local.set $R32 (i32.shl (local.get $R) (i32.const 5)))
    (global.set $sum1 (i64.const 0))
    (global.set $sum2 (i64.const 0))
    ;; rows: fill, transform, store transposed into the column vectors (m, C - m)
    (local.set $p (i32.const 0))
    (loop $rows
      (if (local.get $kind)
        (then (call $fill_f64 (local.get $src) (local.get $pair) (local.get $C) (local.get $N) (local.get $p) (local.get $s1)))
        (else (call $fill_i8 (local.get $src) (local.get $pair) (local.get $C) (local.get $N) (local.get $p) (local.get $s1))))
      (call $fft (local.get $s1) (local.get $s2) (local.get $C) (local.get $twC) (local.get $brC) (local.get $sC))
      (local.set $d (i32.add (local.get $cb) (i32.shl (local.get $p) (i32.const 6))))
      (local.set $m (i32.const 0))
      (loop $tr
        (local.set $a (i32.add (local.get $s2) (i32.shl (local.get $m) (i32.const 5))))
        (local.set $b (i32.add (local.get $s2) (i32.shl
          (select (local.get $halfC) (i32.sub (local.get $C) (local.get $m)) (i32.eqz (local.get $m))) (i32.const 5))))
        (local.set $aR (v128.load offset=0 (local.get $a)))
        (local.set $aI (v128.load offset=16 (local.get $a)))
        (local.set $bR (v128.load offset=0 (local.get $b)))
        (local.set $bI (v128.load offset=16 (local.get $b)))
        (v128.store offset=0 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $aR) (local.get $bR)))
        (v128.store offset=16 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $aI) (local.get $bI)))
        (v128.store offset=32 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $aR) (local.get $bR)))
        (v128.store offset=48 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $aI) (local.get $bI)))
        (local.set $d (i32.add (local.get $d) (local.get $R32)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br_if $tr (i32.lt_u (local.get $m) (local.get $halfC))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $p) (local.get $halfR))))
    (f64.store offset=0 (local.get $sums) (f64.convert_i64_s (global.get $sum1)))
    (f64.store offset=8 (local.get $sums) (f64.convert_i64_s (global.get $sum2)))
    ;; columns: transform each column vector, then the power spectra for q0 <= R / 2
    (local.set $rowsH (i32.add (local.get $halfR) (i32.const 1)))
    (local.set $m (i32.const 0))
    (loop $cols
      (call $fft (i32.add (local.get $cb) (i32.mul (local.get $m) (local.get $R32))) (local.get $s1)
        (local.get $R) (local.get $twR) (local.get $brR) (local.get $sR))
      (local.set $e (i32.shl (i32.mul (local.get $m) (local.get $rowsH)) (i32.const 4)))
      (local.set $q0 (i32.const 0))
      (loop $pw
        (local.set $a (i32.add (local.get $s1) (i32.shl (local.get $q0) (i32.const 5))))
        (local.set $b (i32.add (local.get $s1) (i32.shl
          (i32.and (i32.sub (local.get $R) (local.get $q0)) (i32.sub (local.get $R) (i32.const 1))) (i32.const 5))))
        (local.set $Vr (v128.load offset=0 (local.get $a)))
        (local.set $Vi (v128.load offset=16 (local.get $a)))
        (local.set $Wr (v128.load offset=0 (local.get $b)))
        (local.set $Wi (v128.load offset=16 (local.get $b)))
        ;; Z(-q) of lane 0 is lane 1 of the vector at -q0 (m > 0), lane 0 for m = 0
        (if (local.get $m)
          (then
            (local.set $Wr (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $Wr) (local.get $Wr)))
            (local.set $Wi (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $Wi) (local.get $Wi)))))
        (local.set $x (f64x2.add (local.get $Vr) (local.get $Wr)))
        (local.set $y (f64x2.sub (local.get $Vi) (local.get $Wi)))
        (local.set $a (i32.add (local.get $pw1) (local.get $e)))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a))
          (f64x2.mul (v128.const f64x2 0.25 0.25) (f64x2.add (f64x2.mul (local.get $x) (local.get $x)) (f64x2.mul (local.get $y) (local.get $y))))))
        (if (local.get $pair)
          (then
            (local.set $x (f64x2.sub (local.get $Vr) (local.get $Wr)))
            (local.set $y (f64x2.add (local.get $Vi) (local.get $Wi)))
            (local.set $a (i32.add (local.get $pw2) (local.get $e)))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a))
              (f64x2.mul (v128.const f64x2 0.25 0.25) (f64x2.add (f64x2.mul (local.get $x) (local.get $x)) (f64x2.mul (local.get $y) (local.get $y))))))))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (local.set $q0 (i32.add (local.get $q0) (i32.const 1)))
        (br_if $pw (i32.le_u (local.get $q0) (local.get $halfR))))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br_if $cols (i32.lt_u (local.get $m) (local.get $halfC)))))

  ;; The inverse of two power blocks: out1 = scale * IFFT2(P1) * R * C and out2 the same of P2 (when pair;
  ;; P2 = 0 otherwise), both real, row-major R x C float64. Computed as swap(FFT2(swap(P1 + i P2))) with
  ;; swap(a + i b) = b + i a, rows first, then columns, which equals fft.js's inverse to the last bit.
  (func (export "inverse_pair") (param $pw1 i32) (param $pw2 i32) (param $pair i32) (param $R i32) (param $C i32)
    (param $s1 i32) (param $s2 i32) (param $cb i32)
    (param $twC i32) (param $brC i32) (param $sC i32) (param $twR i32) (param $brR i32) (param $sR i32)
    (param $out1 i32) (param $out2 i32) (param $scale f64)
    (local $p i32) (local $m i32) (local $halfC i32) (local $halfR i32) (local $rowsH i32) (local $R32 i32)
    (local $a i32) (local $b i32) (local $d i32) (local $C8 i32)
    (local $x0 v128) (local $x1 v128) (local $y0 v128) (local $y1 v128) (local $aR v128) (local $aI v128)
    (local $bR v128) (local $bI v128) (local $sc v128)
    (local $mir0 i32) (local $mir1 i32) (local $o0 i32) (local $o1 i32) (local $sw0 i32) (local $sw1 i32) (local $col i32)
    (local.set $halfC (i32.shr_u (local.get $C) (i32.const 1)))
    (local.set $halfR (i32.shr_u (local.get $R) (i32.const 1)))
    (local.set $rowsH (i32.add (local.get $halfR) (i32.const 1)))
    (local.set $R32 (i32.shl (local.get $R) (i32.const 5)))
    (local.set $C8 (i32.shl (local.get $C) (i32.const 3)))
    (local.set $sc (f64x2.splat (local.get $scale)))
    (local.set $p (i32.const 0))
    (loop $rows
      ;; row pair (2p, 2p + 1) of swap(P1 + i P2), all C columns, from the stored half
      (local.set $mir0 (i32.gt_u (i32.shl (local.get $p) (i32.const 1)) (local.get $halfR)))
      (local.set $o0 (i32.shl (select (i32.sub (local.get $R) (i32.shl (local.get $p) (i32.const 1))) (i32.shl (local.get $p) (i32.const 1)) (local.get $mir0)) (i32.const 4)))
      (local.set $mir1 (i32.gt_u (i32.add (i32.shl (local.get $p) (i32.const 1)) (i32.const 1)) (local.get $halfR)))
      (local.set $o1 (i32.shl (select (i32.sub (local.get $R) (i32.add (i32.shl (local.get $p) (i32.const 1)) (i32.const 1)))
        (i32.add (i32.shl (local.get $p) (i32.const 1)) (i32.const 1)) (local.get $mir1)) (i32.const 4)))
      (local.set $col (i32.const 0))
      (local.set $m (i32.const 0))
      (loop $ld
        ;; rows 2p and 2p + 1 of column pair m: stored, or mirrored from row R - r (lanes swapped for m > 0)
        (local.set $sw0 (i32.and (local.get $mir0) (i32.ne (local.get $m) (i32.const 0))))
        (local.set $sw1 (i32.and (local.get $mir1) (i32.ne (local.get $m) (i32.const 0))))
        (local.set $x0 (v128.load (i32.add (local.get $pw1) (i32.add (local.get $col) (local.get $o0)))))
        (local.set $x0 (select (result v128) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x0) (local.get $x0)) (local.get $x0) (local.get $sw0)))
        (local.set $x1 (v128.load (i32.add (local.get $pw1) (i32.add (local.get $col) (local.get $o1)))))
        (local.set $x1 (select (result v128) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x1) (local.get $x1)) (local.get $x1) (local.get $sw1)))
        (if (local.get $pair)
          (then
            (local.set $y0 (v128.load (i32.add (local.get $pw2) (i32.add (local.get $col) (local.get $o0)))))
            (local.set $y0 (select (result v128) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y0) (local.get $y0)) (local.get $y0) (local.get $sw0)))
            (local.set $y1 (v128.load (i32.add (local.get $pw2) (i32.add (local.get $col) (local.get $o1)))))
            (local.set $y1 (select (result v128) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y1) (local.get $y1)) (local.get $y1) (local.get $sw1))))
          (else
            (local.set $y0 (v128.const i64x2 0 0))
            (local.set $y1 (v128.const i64x2 0 0))))
        (local.set $col (i32.add (local.get $col) (i32.shl (local.get $rowsH) (i32.const 4))))
        (local.set $a (i32.add (local.get $s1) (i32.shl (local.get $m) (i32.const 5))))
        (local.set $b (i32.add (local.get $s1) (i32.shl
          (select (local.get $halfC) (i32.sub (local.get $C) (local.get $m)) (i32.eqz (local.get $m))) (i32.const 5))))
        (v128.store offset=0 (local.get $a) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $y0) (local.get $y1)))
        (v128.store offset=16 (local.get $a) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x0) (local.get $x1)))
        (v128.store offset=0 (local.get $b) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $y0) (local.get $y1)))
        (v128.store offset=16 (local.get $b) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x0) (local.get $x1)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br_if $ld (i32.lt_u (local.get $m) (local.get $halfC))))
      (call $fft (local.get $s1) (local.get $s2) (local.get $C) (local.get $twC) (local.get $brC) (local.get $sC))
      ;; store transposed into the column vectors (2m, 2m + 1)
      (local.set $d (i32.add (local.get $cb) (i32.shl (local.get $p) (i32.const 6))))
      (local.set $a (local.get $s2))
      (local.set $b (i32.add (local.get $s2) (i32.shl (local.get $C) (i32.const 5))))
      (loop $tr
        (local.set $aR (v128.load offset=0 (local.get $a)))
        (local.set $aI (v128.load offset=16 (local.get $a)))
        (local.set $bR (v128.load offset=32 (local.get $a)))
        (local.set $bI (v128.load offset=48 (local.get $a)))
        (v128.store offset=0 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $aR) (local.get $bR)))
        (v128.store offset=16 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $aI) (local.get $bI)))
        (v128.store offset=32 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $aR) (local.get $bR)))
        (v128.store offset=48 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $aI) (local.get $bI)))
        (local.set $d (i32.add (local.get $d) (local.get $R32)))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (br_if $tr (i32.lt_u (local.get $a) (local.get $b))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $p) (local.get $halfR))))
    ;; columns, then out(d0, 2m .. 2m + 1) = scale * (imaginary part, real part) (the final swap)
    (local.set $m (i32.const 0))
    (loop $cols
      (call $fft (i32.add (local.get $cb) (i32.mul (local.get $m) (local.get $R32))) (local.get $s1)
        (local.get $R) (local.get $twR) (local.get $brR) (local.get $sR))
      (local.set $a (local.get $s1))
      (local.set $b (i32.add (local.get $s1) (local.get $R32)))
      (local.set $d (i32.shl (local.get $m) (i32.const 4)))
      (loop $out
        (v128.store (i32.add (local.get $out1) (local.get $d)) (f64x2.mul (v128.load offset=16 (local.get $a)) (local.get $sc)))
        (if (local.get $pair)
          (then (v128.store (i32.add (local.get $out2) (local.get $d)) (f64x2.mul (v128.load offset=0 (local.get $a)) (local.get $sc)))))
        (local.set $d (i32.add (local.get $d) (local.get $C8)))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (br_if $out (i32.lt_u (local.get $a) (local.get $b))))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br_if $cols (i32.lt_u (local.get $m) (local.get $halfC)))))
  ;; Jackknife over B block sums corr (B x N float64, N even; block b at corr + 8 b N): the full estimate
  ;; full = (sum_b corr_b) / n - mean2; with B >= 2 (jack = 1), the leave-one-block-out estimates
  ;; corr_b = (total - corr_b) / cnt[b] - mu2[b] written in place, and err = sqrt(c * sum_b (corr_b - avg)^2)
  ;; with avg = (sum_b corr_b) / B and c = (B - 1) / B; every sum starts from +0 and adds the blocks in order. A chunk of `chunk`
  ;; entries (even) at a time, with the scratch total and avg (chunk float64 each), so the B x N array is
  ;; read from memory once. cnt and mu2 hold B float64 each. With jack = 1 the leave-one-block-out
  ;; estimates are also written transposed to lt: entry i of block b at lt + 8 (i Bp + b) (Bp >= B, even).
  (func (export "jackknife") (param $corr i32) (param $B i32) (param $N i32) (param $n f64) (param $mean2 f64)
    (param $jack i32) (param $cnt i32) (param $mu2 i32) (param $c f64) (param $full i32) (param $err i32)
    (param $total i32) (param $avg i32) (param $chunk i32) (param $lt i32) (param $Bp i32)
    (local $i0 i32) (local $len8 i32) (local $i i32) (local $b i32) (local $o i32) (local $N8 i32) (local $q i32) (local $row i32)
    (local $vn v128) (local $vmean2 v128) (local $vB v128) (local $vc v128) (local $m v128) (local $mu v128)
    (local $v v128) (local $acc v128)
    (local.set $N8 (i32.shl (local.get $N) (i32.const 3)))
    (local.set $vn (f64x2.splat (local.get $n)))
    (local.set $vmean2 (f64x2.splat (local.get $mean2)))
    (local.set $vB (f64x2.splat (f64.convert_i32_u (local.get $B))))
    (local.set $vc (f64x2.splat (local.get $c)))
    (local.set $i0 (i32.const 0))
    (loop $chunks
      (local.set $len8 (i32.shl (select (local.get $chunk) (i32.sub (local.get $N) (local.get $i0))
        (i32.lt_u (local.get $chunk) (i32.sub (local.get $N) (local.get $i0)))) (i32.const 3)))
      ;; total = sum over blocks, in block order
      (local.set $i (i32.const 0))
      (loop $t0
        (v128.store (i32.add (local.get $total) (local.get $i))
          (f64x2.add (v128.const f64x2 0 0) (v128.load (i32.add (local.get $corr) (i32.add (i32.shl (local.get $i0) (i32.const 3)) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $t0 (i32.lt_u (local.get $i) (local.get $len8))))
      (local.set $b (i32.const 1))
      (block $t1done
        (loop $t1
          (br_if $t1done (i32.ge_u (local.get $b) (local.get $B)))
          (local.set $o (i32.add (i32.add (local.get $corr) (i32.mul (local.get $b) (local.get $N8))) (i32.shl (local.get $i0) (i32.const 3))))
          (local.set $i (i32.const 0))
          (loop $t2
            (v128.store (i32.add (local.get $total) (local.get $i))
              (f64x2.add (v128.load (i32.add (local.get $total) (local.get $i))) (v128.load (i32.add (local.get $o) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br_if $t2 (i32.lt_u (local.get $i) (local.get $len8))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br $t1)))
      ;; full estimate
      (local.set $o (i32.add (local.get $full) (i32.shl (local.get $i0) (i32.const 3))))
      (local.set $i (i32.const 0))
      (loop $f
        (v128.store (i32.add (local.get $o) (local.get $i))
          (f64x2.sub (f64x2.div (v128.load (i32.add (local.get $total) (local.get $i))) (local.get $vn)) (local.get $vmean2)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $f (i32.lt_u (local.get $i) (local.get $len8))))
      (if (local.get $jack)
        (then
          ;; leave-one-block-out estimates (in place) and their sum
          (local.set $b (i32.const 0))
          (loop $l1
            (local.set $m (v128.load64_splat (i32.add (local.get $cnt) (i32.shl (local.get $b) (i32.const 3)))))
            (local.set $mu (v128.load64_splat (i32.add (local.get $mu2) (i32.shl (local.get $b) (i32.const 3)))))
            (local.set $o (i32.add (i32.add (local.get $corr) (i32.mul (local.get $b) (local.get $N8))) (i32.shl (local.get $i0) (i32.const 3))))
            (local.set $i (i32.const 0))
            ;; transposed copy: entry e of block b at lt + 8 (e Bp + b)
            (local.set $row (i32.shl (local.get $Bp) (i32.const 3)))
            (local.set $q (i32.add (local.get $lt) (i32.shl (i32.add (i32.mul (local.get $i0) (local.get $Bp)) (local.get $b)) (i32.const 3))))
            (loop $l2
              (local.set $v (f64x2.sub (f64x2.div (f64x2.sub (v128.load (i32.add (local.get $total) (local.get $i)))
                (v128.load (i32.add (local.get $o) (local.get $i)))) (local.get $m)) (local.get $mu)))
              (v128.store (i32.add (local.get $o) (local.get $i)) (local.get $v))
              (f64.store (local.get $q) (f64x2.extract_lane 0 (local.get $v)))
              (f64.store (i32.add (local.get $q) (local.get $row)) (f64x2.extract_lane 1 (local.get $v)))
              (local.set $q (i32.add (local.get $q) (i32.shl (local.get $row) (i32.const 1))))
              (v128.store (i32.add (local.get $avg) (local.get $i))
                (f64x2.add (select (result v128) (v128.load (i32.add (local.get $avg) (local.get $i))) (v128.const f64x2 0 0) (local.get $b)) (local.get $v)))
              (local.set $i (i32.add (local.get $i) (i32.const 16)))
              (br_if $l2 (i32.lt_u (local.get $i) (local.get $len8))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br_if $l1 (i32.lt_u (local.get $b) (local.get $B))))
          (local.set $i (i32.const 0))
          (loop $a
            (v128.store (i32.add (local.get $avg) (local.get $i)) (f64x2.div (v128.load (i32.add (local.get $avg) (local.get $i))) (local.get $vB)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br_if $a (i32.lt_u (local.get $i) (local.get $len8))))
          ;; sum of squared deviations (in the total scratch, no longer needed), then the error
          (local.set $b (i32.const 0))
          (loop $d1
            (local.set $o (i32.add (i32.add (local.get $corr) (i32.mul (local.get $b) (local.get $N8))) (i32.shl (local.get $i0) (i32.const 3))))
            (local.set $i (i32.const 0))
            (loop $d2
              (local.set $v (f64x2.sub (v128.load (i32.add (local.get $o) (local.get $i))) (v128.load (i32.add (local.get $avg) (local.get $i)))))
              (local.set $v (f64x2.mul (local.get $v) (local.get $v)))
              (v128.store (i32.add (local.get $total) (local.get $i))
                (f64x2.add (select (result v128) (v128.load (i32.add (local.get $total) (local.get $i))) (v128.const f64x2 0 0) (local.get $b)) (local.get $v)))
              (local.set $i (i32.add (local.get $i) (i32.const 16)))
              (br_if $d2 (i32.lt_u (local.get $i) (local.get $len8))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br_if $d1 (i32.lt_u (local.get $b) (local.get $B))))
          (local.set $o (i32.add (local.get $err) (i32.shl (local.get $i0) (i32.const 3))))
          (local.set $i (i32.const 0))
          (loop $e
            (v128.store (i32.add (local.get $o) (local.get $i))
              (f64x2.sqrt (f64x2.mul (local.get $vc) (v128.load (i32.add (local.get $total) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br_if $e (i32.lt_u (local.get $i) (local.get $len8))))))
      (local.set $i0 (i32.add (local.get $i0) (local.get $chunk)))
      (br_if $chunks (i32.lt_u (local.get $i0) (local.get $N)))))
  ;; Group means of the transposed leave-one-block-out estimates lt (N rows of Bp float64, see jackknife):
  ;; for each group k < K, est[b K + k] = (sum over j in [start[k], start[k + 1]) of lt[idx[j] Bp + b]) /
  ;; mult[k] for b < B, each sum from +0 in the order of idx (i32); acc is scratch of max(Bp, 2) float64.
  ;; With Bp = 1 the second lane reads the entry after each member (one float64 past the end at most).
  (func (export "group_means") (param $lt i32) (param $Bp i32) (param $B i32) (param $idx i32) (param $start i32)
    (param $K i32) (param $mult i32) (param $acc i32) (param $est i32)
    (local $k i32) (local $j i32) (local $jEnd i32) (local $p i32) (local $b8 i32) (local $row i32) (local $K8 i32)
    (local $d f64) (local $e i32) (local $v v128)
    (local.set $row (i32.shl (local.get $Bp) (i32.const 3)))
    (local.set $K8 (i32.shl (local.get $K) (i32.const 3)))
    (block $kdone
      (loop $groups
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $b8 (i32.const 0))
        (loop $z
          (v128.store (i32.add (local.get $acc) (local.get $b8)) (v128.const f64x2 0 0))
          (local.set $b8 (i32.add (local.get $b8) (i32.const 16)))
          (br_if $z (i32.lt_u (local.get $b8) (local.get $row))))
        (local.set $j (i32.load (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $jEnd (i32.load offset=4 (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2)))))
        ;; one or two blocks: the sums in a register (no chain of dependent stores and loads)
        (if (i32.le_u (local.get $row) (i32.const 16))
          (then
            (local.set $v (v128.const f64x2 0 0))
            (block $rdone
              (loop $rmembers
                (br_if $rdone (i32.ge_u (local.get $j) (local.get $jEnd)))
                (local.set $v (f64x2.add (local.get $v) (v128.load (i32.add (local.get $lt)
                  (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))) (local.get $row))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $rmembers)))
            (v128.store (local.get $acc) (local.get $v))))
        (block $mdone
          (loop $members
            (br_if $mdone (i32.ge_u (local.get $j) (local.get $jEnd)))
            (local.set $p (i32.add (local.get $lt) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))) (local.get $row))))
            (local.set $b8 (i32.const 0))
            (loop $bl
              (v128.store (i32.add (local.get $acc) (local.get $b8))
                (f64x2.add (v128.load (i32.add (local.get $acc) (local.get $b8))) (v128.load (i32.add (local.get $p) (local.get $b8)))))
              (local.set $b8 (i32.add (local.get $b8) (i32.const 16)))
              (br_if $bl (i32.lt_u (local.get $b8) (local.get $row))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $members)))
        (local.set $d (f64.load (i32.add (local.get $mult) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $e (i32.add (local.get $est) (i32.shl (local.get $k) (i32.const 3))))
        (local.set $b8 (i32.const 0))
        (loop $w
          (f64.store (local.get $e) (f64.div (f64.load (i32.add (local.get $acc) (local.get $b8))) (local.get $d)))
          (local.set $e (i32.add (local.get $e) (local.get $K8)))
          (local.set $b8 (i32.add (local.get $b8) (i32.const 8)))
          (br_if $w (i32.lt_u (local.get $b8) (i32.shl (local.get $B) (i32.const 3)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $groups))))
  ;; Sums over groups in member order: acc[k Bp + b] = sum of lt[i Bp + b] over the members i (ascending, i32
  ;; at members, count M) with group[i] = k (i32 at group), for b < Bp (even), each sum from +0 in member
  ;; order; acc holds K Bp float64. lt is read front to back (the sums of a group stay in cache).
  (func (export "member_sums") (param $lt i32) (param $Bp i32) (param $group i32) (param $members i32) (param $M i32)
    (param $acc i32) (param $K i32)
    (local $row i32) (local $p i32) (local $end i32) (local $i i32) (local $q i32) (local $b8 i32) (local $mEnd i32)
    (local.set $row (i32.shl (local.get $Bp) (i32.const 3)))
    (local.set $p (local.get $acc))
    (local.set $end (i32.add (local.get $acc) (i32.mul (local.get $K) (local.get $row))))
    (block $zdone
      (loop $z
        (br_if $zdone (i32.ge_u (local.get $p) (local.get $end)))
        (v128.store (local.get $p) (v128.const f64x2 0 0))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $z)))
    (local.set $mEnd (i32.add (local.get $members) (i32.shl (local.get $M) (i32.const 2))))
    (block $mdone
      (loop $ms
        (br_if $mdone (i32.ge_u (local.get $members) (local.get $mEnd)))
        (local.set $i (i32.load (local.get $members)))
        (local.set $p (i32.add (local.get $lt) (i32.mul (local.get $i) (local.get $row))))
        (local.set $q (i32.add (local.get $acc) (i32.mul (i32.load (i32.add (local.get $group) (i32.shl (local.get $i) (i32.const 2)))) (local.get $row))))
        (local.set $b8 (i32.const 0))
        (loop $bl
          (v128.store (i32.add (local.get $q) (local.get $b8))
            (f64x2.add (v128.load (i32.add (local.get $q) (local.get $b8))) (v128.load (i32.add (local.get $p) (local.get $b8)))))
          (local.set $b8 (i32.add (local.get $b8) (i32.const 16)))
          (br_if $bl (i32.lt_u (local.get $b8) (local.get $row))))
        (local.set $members (i32.add (local.get $members) (i32.const 4)))
        (br $ms)))))
