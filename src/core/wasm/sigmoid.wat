;; coarsegrain: the logistic sigmoid 1 / (1 + exp(-x)) of binary units, with Bernoulli sampling, in
;; WebAssembly SIMD (two float64 lanes), bit-identical to the TypeScript `1 / (1 + Math.exp(-x))`.
;;
;; Source of src/core/wasm/sigmoid.wasm.generated.ts: after editing, run `npm run build:wasm`
;; (tsx src/core/wasm/assemble.ts); a test checks that the embedded bytes equal a fresh assembly.
;;
;; exp is V8's Math.exp algorithm (fdlibm's __ieee754_exp, v8/src/base/ieee754.cc): the same constants,
;; the same operations in the same order, each lane doing what the scalar code does on its branch
;; (branches are computed for both lanes and selected). Lanes the vector code does not reproduce
;; (|x| >= 708, NaN, Inf, x = 1 which fdlibm special-cases) go through the imported scalar exp
;; (the engine's Math.exp). Multiply then add, never fused, so the result is the same on every engine.
;;
;; Arrays are byte addresses in this module's memory, processed two elements at a time: the caller
;; rounds n up to even and leaves room for the padding element (its value is never read back).
;;   x: inputs (float64, or float32 for the *_f32 functions), p: probabilities out (same type,
;;   may be x), u: uniforms in [0, 1) (float64), s: samples out (same type as x; 1 where u < p, else 0).
;; The probability is compared in float64 before a float32 store rounds it, as the TypeScript does.
;; The colacc_* functions (end of the module) are the column sums of the CD gradient's bias terms.
(module
  (import "m" "exp" (func $exp1 (param f64) (result f64)))
  (memory (export "memory") 1 4096)

  ;; constants (read from memory by the engine, rather than rebuilt in registers at every use)
  (global $one v128 (v128.const f64x2 1.0 1.0))
  (global $two v128 (v128.const f64x2 2.0 2.0))
  (global $half v128 (v128.const f64x2 0.5 0.5))
  (global $c708 v128 (v128.const f64x2 708.0 708.0))
  (global $signBit v128 (v128.const i64x2 0x8000000000000000 0x8000000000000000))
  ;; the doubles whose high words are fdlibm's thresholds on hx (|x| < them <=> hx < the word)
  (global $hx3FD62E43 v128 (v128.const i64x2 0x3FD62E4300000000 0x3FD62E4300000000))
  (global $hx3FF0A2B2 v128 (v128.const i64x2 0x3FF0A2B200000000 0x3FF0A2B200000000))
  (global $hx3E300000 v128 (v128.const i64x2 0x3E30000000000000 0x3E30000000000000))
  (global $invln2 v128 (v128.const f64x2 1.44269504088896338700e+00 1.44269504088896338700e+00))
  (global $ln2HI v128 (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))
  (global $ln2LO v128 (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10))
  (global $P1 v128 (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01))
  (global $P2 v128 (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03))
  (global $P3 v128 (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05))
  (global $P4 v128 (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06))
  (global $P5 v128 (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08))
  ;; 1.5 2^52: k + magic holds the integer k in its low mantissa bits
  (global $magic v128 (v128.const f64x2 6755399441055744.0 6755399441055744.0))
  ;; 1023 << 52, the exponent bias in place
  (global $bias v128 (v128.const i64x2 0x3FF0000000000000 0x3FF0000000000000))

  ;; exp of the four lanes of $va and $vb, each bit-identical to fdlibm exp. Written for one vector
  ;; (scratch of the author: each statement below is that code with the suffix a or b), the two
  ;; vectors statement by statement, so that the processor overlaps their dependency chains.
  (func $exp2x2 (param $va v128) (param $vb v128) (result v128 v128)
    (local $axa v128) (local $sgna v128) (local $kfa v128) (local $hia v128) (local $loa v128) (local $xra v128) (local $ta v128) (local $ca v128) (local $qa v128) (local $ya v128)
    (local $axb v128) (local $sgnb v128) (local $kfb v128) (local $hib v128) (local $lob v128) (local $xrb v128) (local $tb v128) (local $cb v128) (local $qb v128) (local $yb v128)
    ;; lanes outside the vector path (in either vector): all four lanes through the scalar exp
    (if (v128.any_true (v128.or (v128.or
            (v128.not (f64x2.lt (f64x2.abs (local.get $va)) (global.get $c708)))
            (f64x2.eq (local.get $va) (global.get $one))) (v128.or
            (v128.not (f64x2.lt (f64x2.abs (local.get $vb)) (global.get $c708)))
            (f64x2.eq (local.get $vb) (global.get $one)))))
      (then (return
        (f64x2.replace_lane 1 (f64x2.splat (call $exp1 (f64x2.extract_lane 0 (local.get $va)))) (call $exp1 (f64x2.extract_lane 1 (local.get $va))))
        (f64x2.replace_lane 1 (f64x2.splat (call $exp1 (f64x2.extract_lane 0 (local.get $vb)))) (call $exp1 (f64x2.extract_lane 1 (local.get $vb)))))))
    ;; lanes outside the vector path: not (|x| < 708) (NaN included), or x = 1 (fdlibm returns E)
    (local.set $axa (f64x2.abs (local.get $va)))
    (local.set $axb (f64x2.abs (local.get $vb)))
    ;; the sign bit of x
    (local.set $sgna (v128.and (local.get $va) (global.get $signBit)))
    (local.set $sgnb (v128.and (local.get $vb) (global.get $signBit)))
    ;; k: (int)(invln2 * x + (x < 0 ? -0.5 : 0.5)) (t = k exactly; |k| <= 1022 here, so trunc gives it),
    ;; but +-1 where hx < 0x3FF0A2B2 (|x| < 1.5 ln2) and 0 where hx <= 0x3FD62E42 (|x| <= 0.5 ln2)
    (local.set $kfa
      (v128.bitselect
        (v128.or (local.get $sgna) (global.get $one))
        (f64x2.trunc
          (f64x2.add (f64x2.mul (global.get $invln2) (local.get $va)) (v128.or (local.get $sgna) (global.get $half))))
        (f64x2.lt (local.get $axa) (global.get $hx3FF0A2B2))))
    (local.set $kfb
      (v128.bitselect
        (v128.or (local.get $sgnb) (global.get $one))
        (f64x2.trunc
          (f64x2.add (f64x2.mul (global.get $invln2) (local.get $vb)) (v128.or (local.get $sgnb) (global.get $half))))
        (f64x2.lt (local.get $axb) (global.get $hx3FF0A2B2))))
    (local.set $kfa
      (v128.andnot (local.get $kfa) (f64x2.lt (local.get $axa) (global.get $hx3FD62E43))))
    (local.set $kfb
      (v128.andnot (local.get $kfb) (f64x2.lt (local.get $axb) (global.get $hx3FD62E43))))
    ;; hi = x - t ln2HI, lo = t ln2LO: for k = +-1 exactly fdlibm's x - ln2HI[xsb] and ln2LO[xsb]; for
    ;; k = 0 hi = x, lo = 0, and the k != 0 formula below equals fdlibm's k = 0 one,
    ;; 1 - ((x c) / (c - 2) - x), since (0 - q) = -q (q != 0 off the tiny lanes) and 2^0 = 1
    (local.set $hia (f64x2.sub (local.get $va) (f64x2.mul (local.get $kfa) (global.get $ln2HI))))
    (local.set $hib (f64x2.sub (local.get $vb) (f64x2.mul (local.get $kfb) (global.get $ln2HI))))
    (local.set $loa (f64x2.mul (local.get $kfa) (global.get $ln2LO)))
    (local.set $lob (f64x2.mul (local.get $kfb) (global.get $ln2LO)))
    (local.set $xra (f64x2.sub (local.get $hia) (local.get $loa)))
    (local.set $xrb (f64x2.sub (local.get $hib) (local.get $lob)))
    (local.set $ta (f64x2.mul (local.get $xra) (local.get $xra)))
    (local.set $tb (f64x2.mul (local.get $xrb) (local.get $xrb)))
    ;; c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
    (local.set $ca
      (f64x2.sub (local.get $xra)
        (f64x2.mul (local.get $ta)
          (f64x2.add (global.get $P1)
            (f64x2.mul (local.get $ta)
              (f64x2.add (global.get $P2)
                (f64x2.mul (local.get $ta)
                  (f64x2.add (global.get $P3)
                    (f64x2.mul (local.get $ta)
                      (f64x2.add (global.get $P4) (f64x2.mul (local.get $ta) (global.get $P5))))))))))))
    (local.set $cb
      (f64x2.sub (local.get $xrb)
        (f64x2.mul (local.get $tb)
          (f64x2.add (global.get $P1)
            (f64x2.mul (local.get $tb)
              (f64x2.add (global.get $P2)
                (f64x2.mul (local.get $tb)
                  (f64x2.add (global.get $P3)
                    (f64x2.mul (local.get $tb)
                      (f64x2.add (global.get $P4) (f64x2.mul (local.get $tb) (global.get $P5))))))))))))
    ;; y = 1 - ((lo - (x c) / (2 - c)) - hi)
    (local.set $qa
      (f64x2.div (f64x2.mul (local.get $xra) (local.get $ca)) (f64x2.sub (global.get $two) (local.get $ca))))
    (local.set $qb
      (f64x2.div (f64x2.mul (local.get $xrb) (local.get $cb)) (f64x2.sub (global.get $two) (local.get $cb))))
    (local.set $ya
      (f64x2.sub (global.get $one) (f64x2.sub (f64x2.sub (local.get $loa) (local.get $qa)) (local.get $hia))))
    (local.set $yb
      (f64x2.sub (global.get $one) (f64x2.sub (f64x2.sub (local.get $lob) (local.get $qb)) (local.get $hib))))
    ;; y 2^k (k in [-1021, 1021] here): the exponent bits (k + 1023) << 52, k read from the low bits of
    ;; k + 1.5 2^52 (whose shift by 52 drops the rest)
    (local.set $ya
      (f64x2.mul (local.get $ya)
        (i64x2.add
          (i64x2.shl (f64x2.add (local.get $kfa) (global.get $magic)) (i32.const 52))
          (global.get $bias))))
    (local.set $yb
      (f64x2.mul (local.get $yb)
        (i64x2.add
          (i64x2.shl (f64x2.add (local.get $kfb) (global.get $magic)) (i32.const 52))
          (global.get $bias))))
    ;; hx < 0x3E300000 (|x| < 2^-28): 1 + x
    (v128.bitselect
      (f64x2.add (global.get $one) (local.get $va))
      (local.get $ya)
      (f64x2.lt (local.get $axa) (global.get $hx3E300000)))
    (v128.bitselect
      (f64x2.add (global.get $one) (local.get $vb))
      (local.get $yb)
      (f64x2.lt (local.get $axb) (global.get $hx3E300000))))

  ;; 1 / (1 + exp(-x)) of the four lanes of $xa and $xb
  (func $sigmoid2x2 (param $xa v128) (param $xb v128) (result v128 v128)
    (local $ea v128) (local $eb v128)
    (call $exp2x2 (f64x2.neg (local.get $xa)) (f64x2.neg (local.get $xb)))
    (local.set $eb)
    (local.set $ea)
    (f64x2.div (v128.const f64x2 1.0 1.0) (f64x2.add (v128.const f64x2 1.0 1.0) (local.get $ea)))
    (f64x2.div (v128.const f64x2 1.0 1.0) (f64x2.add (v128.const f64x2 1.0 1.0) (local.get $eb))))

  ;; exp of n float64 values at $px into $py, four at a time (for tests of the exp itself)
  (func (export "exp_f64") (param $n i32) (param $px i32) (param $py i32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $px) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $px) (local.get $end)))
        (call $exp2x2 (v128.load (local.get $px)) (v128.load offset=16 (local.get $px)))
        (local.set $b)
        (local.set $a)
        (v128.store (local.get $py) (local.get $a))
        (v128.store offset=16 (local.get $py) (local.get $b))
        (local.set $px (i32.add (local.get $px) (i32.const 32)))
        (local.set $py (i32.add (local.get $py) (i32.const 32)))
        (br $quads))))

  ;; float64: p = sigmoid(x) for n elements, four at a time; with $sample, s = (u < p ? 1 : 0); with
  ;; $means, p stored at $pp (else not stored). $ps may equal $px (sampling in place) when $means is 0.
  (func (export "sigmoid_f64") (param $n i32) (param $px i32) (param $pp i32) (param $pu i32) (param $ps i32)
    (param $means i32) (param $sample i32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $px) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $px) (local.get $end)))
        (call $sigmoid2x2 (v128.load (local.get $px)) (v128.load offset=16 (local.get $px)))
        (local.set $b)
        (local.set $a)
        (if (local.get $sample)
          (then
            (v128.store (local.get $ps)
              (v128.and (f64x2.lt (v128.load (local.get $pu)) (local.get $a)) (v128.const f64x2 1.0 1.0)))
            (v128.store offset=16 (local.get $ps)
              (v128.and (f64x2.lt (v128.load offset=16 (local.get $pu)) (local.get $b)) (v128.const f64x2 1.0 1.0)))
            (local.set $pu (i32.add (local.get $pu) (i32.const 32)))
            (local.set $ps (i32.add (local.get $ps) (i32.const 32)))))
        (if (local.get $means)
          (then
            (v128.store (local.get $pp) (local.get $a))
            (v128.store offset=16 (local.get $pp) (local.get $b))
            (local.set $pp (i32.add (local.get $pp) (i32.const 32)))))
        (local.set $px (i32.add (local.get $px) (i32.const 32)))
        (br $quads))))

  ;; float32 arrays (x, p, s), float64 arithmetic and uniforms; otherwise as sigmoid_f64
  (func (export "sigmoid_f32") (param $n i32) (param $px i32) (param $pp i32) (param $pu i32) (param $ps i32)
    (param $means i32) (param $sample i32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $px) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $px) (local.get $end)))
        (call $sigmoid2x2
          (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $px)))
          (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $px))))
        (local.set $b)
        (local.set $a)
        (if (local.get $sample)
          (then
            (v128.store64_lane 0 (local.get $ps)
              (f32x4.demote_f64x2_zero
                (v128.and (f64x2.lt (v128.load (local.get $pu)) (local.get $a)) (v128.const f64x2 1.0 1.0))))
            (v128.store64_lane offset=8 0 (local.get $ps)
              (f32x4.demote_f64x2_zero
                (v128.and (f64x2.lt (v128.load offset=16 (local.get $pu)) (local.get $b)) (v128.const f64x2 1.0 1.0))))
            (local.set $pu (i32.add (local.get $pu) (i32.const 32)))
            (local.set $ps (i32.add (local.get $ps) (i32.const 16)))))
        (if (local.get $means)
          (then
            (v128.store64_lane 0 (local.get $pp) (f32x4.demote_f64x2_zero (local.get $a)))
            (v128.store64_lane offset=8 0 (local.get $pp) (f32x4.demote_f64x2_zero (local.get $b)))
            (local.set $pp (i32.add (local.get $pp) (i32.const 16)))))
        (local.set $px (i32.add (local.get $px) (i32.const 16)))
        (br $quads))))

  ;; Column accumulation for gradient sums, in float64, two columns per vector, rows in order (the
  ;; summation order of the TypeScript loop over rows then columns): for r < $rows, j < $cols,
  ;;   mode 0: out[j] = out[j] - x[r][j] / d;  mode 1: out[j] = out[j] + x[r][j] / d;
  ;;   mode 2: out[j] = out[j] + d * x[r][j].
  ;; x (float64, or float32 for colacc_f32) at $px with row stride $stride bytes; out (float64) at $po,
  ;; $cols even (the caller pads both with zeros).
  (func (export "colacc_f64") (param $px i32) (param $rows i32) (param $cols i32) (param $stride i32) (param $d f64) (param $mode i32) (param $po i32)
    (local $r i32) (local $j i32) (local $row i32) (local $o i32) (local $dv v128)
    (local.set $dv (f64x2.splat (local.get $d)))
    (block $r_done (loop $r_loop
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $row (i32.add (local.get $px) (i32.mul (local.get $r) (local.get $stride))))
      (local.set $j (i32.const 0))
      (local.set $o (local.get $po))
      (if (i32.eq (local.get $mode) (i32.const 0))
        (then
          (block $j0_done (loop $j0_loop
            (br_if $j0_done (i32.ge_u (local.get $j) (local.get $cols)))
            (v128.store (local.get $o) (f64x2.sub (v128.load (local.get $o)) (f64x2.div (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3)))) (local.get $dv))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $j0_loop)))))
      (if (i32.eq (local.get $mode) (i32.const 1))
        (then
          (block $j1_done (loop $j1_loop
            (br_if $j1_done (i32.ge_u (local.get $j) (local.get $cols)))
            (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.div (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3)))) (local.get $dv))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $j1_loop)))))
      (if (i32.eq (local.get $mode) (i32.const 2))
        (then
          (block $j2_done (loop $j2_loop
            (br_if $j2_done (i32.ge_u (local.get $j) (local.get $cols)))
            (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $dv) (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $j2_loop)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $r_loop))))

  (func (export "colacc_f32") (param $px i32) (param $rows i32) (param $cols i32) (param $stride i32) (param $d f64) (param $mode i32) (param $po i32)
    (local $r i32) (local $j i32) (local $row i32) (local $o i32) (local $dv v128)
    (local.set $dv (f64x2.splat (local.get $d)))
    (block $r_done (loop $r_loop
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $row (i32.add (local.get $px) (i32.mul (local.get $r) (local.get $stride))))
      (local.set $j (i32.const 0))
      (local.set $o (local.get $po))
      (if (i32.eq (local.get $mode) (i32.const 0))
        (then
          (block $j0_done (loop $j0_loop
            (br_if $j0_done (i32.ge_u (local.get $j) (local.get $cols)))
            (v128.store (local.get $o) (f64x2.sub (v128.load (local.get $o)) (f64x2.div (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))) (local.get $dv))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $j0_loop)))))
      (if (i32.eq (local.get $mode) (i32.const 1))
        (then
          (block $j1_done (loop $j1_loop
            (br_if $j1_done (i32.ge_u (local.get $j) (local.get $cols)))
            (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.div (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))) (local.get $dv))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $j1_loop)))))
      (if (i32.eq (local.get $mode) (i32.const 2))
        (then
          (block $j2_done (loop $j2_loop
            (br_if $j2_done (i32.ge_u (local.get $j) (local.get $cols)))
            (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (f64x2.mul (local.get $dv) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $j2_loop)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $r_loop))))
)
