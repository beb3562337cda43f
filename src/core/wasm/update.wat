;; coarsegrain: element-wise parameter updates in WebAssembly SIMD: the SGD momentum step and max |x|
;; (the divergence check of training), bit-identical to the TypeScript loops they replace.
;;
;; Source of src/core/wasm/update.wasm.generated.ts: after editing, run `npm run build:wasm`
;; (tsx src/core/wasm/assemble.ts); a test checks that the embedded bytes equal a fresh assembly.
;;
;; Arrays are byte addresses in this module's memory; the caller (src/core/wasm/updateWasm.ts) copies
;; a chunk in, calls, and copies the results out. n is a multiple of 4 (of 16 for max |x|; the caller
;; pads with zeros and never reads the padding back). Moments are float64 for both parameter types, as in src/models/optim.ts.
;; Every lane does the scalar code's operations in the same order, multiply then add (never fused), and a
;; float32 parameter is computed in float64 and rounded to nearest on the store, as a Float32Array store
;; rounds it; so the results are the TypeScript loop's to the last bit on every engine.
(module
  ;; grown by the caller (a few chunks of at most 64 KB each)
  (memory (export "memory") 1 2048)

  ;; The momentum step on float64 parameters p, gradient g and moments m:
  ;;   v = mu * m[i] + g[i];  m[i] = v;  p[i] = p[i] - lr * v   for i < n.
  (func (export "momentum_f64") (param $n i32) (param $pp i32) (param $pg i32) (param $pm i32) (param $mu f64) (param $lr f64)
    (local $end i32) (local $muv v128) (local $lrv v128) (local $v v128)
    (local.set $muv (f64x2.splat (local.get $mu)))
    (local.set $lrv (f64x2.splat (local.get $lr)))
    (local.set $end (i32.add (local.get $pp) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $pp) (local.get $end)))
      (local.set $v (f64x2.add (f64x2.mul (local.get $muv) (v128.load (local.get $pm))) (v128.load (local.get $pg))))
      (v128.store (local.get $pm) (local.get $v))
      (v128.store (local.get $pp) (f64x2.sub (v128.load (local.get $pp)) (f64x2.mul (local.get $lrv) (local.get $v))))
      (local.set $pp (i32.add (local.get $pp) (i32.const 16)))
      (local.set $pg (i32.add (local.get $pg) (i32.const 16)))
      (local.set $pm (i32.add (local.get $pm) (i32.const 16)))
      (br $loop))))

  ;; The same step on float32 parameters and gradient (float64 moments), four elements at a time: the
  ;; arithmetic in float64 (a float32 widens exactly), the new parameter rounded to float32.
  (func (export "momentum_f32") (param $n i32) (param $pp i32) (param $pg i32) (param $pm i32) (param $mu f64) (param $lr f64)
    (local $end i32) (local $muv v128) (local $lrv v128) (local $g v128) (local $p v128) (local $v0 v128) (local $v1 v128)
    (local.set $muv (f64x2.splat (local.get $mu)))
    (local.set $lrv (f64x2.splat (local.get $lr)))
    (local.set $end (i32.add (local.get $pp) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $pp) (local.get $end)))
      (local.set $g (v128.load (local.get $pg)))
      (local.set $p (v128.load (local.get $pp)))
      (local.set $v0 (f64x2.add (f64x2.mul (local.get $muv) (v128.load (local.get $pm)))
        (f64x2.promote_low_f32x4 (local.get $g))))
      (local.set $v1 (f64x2.add (f64x2.mul (local.get $muv) (v128.load offset=16 (local.get $pm)))
        (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $g) (local.get $g)))))
      (v128.store (local.get $pm) (local.get $v0))
      (v128.store offset=16 (local.get $pm) (local.get $v1))
      (v128.store (local.get $pp)
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero
            (f64x2.sub (f64x2.promote_low_f32x4 (local.get $p)) (f64x2.mul (local.get $lrv) (local.get $v0))))
          (f32x4.demote_f64x2_zero
            (f64x2.sub
              (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $p) (local.get $p)))
              (f64x2.mul (local.get $lrv) (local.get $v1))))))
      (local.set $pp (i32.add (local.get $pp) (i32.const 16)))
      (local.set $pg (i32.add (local.get $pg) (i32.const 16)))
      (local.set $pm (i32.add (local.get $pm) (i32.const 32)))
      (br $loop))))

  ;; max |x[i]| over i < n (float64 x; n a multiple of 8 here), NaN if one is NaN (max propagates NaN),
  ;; 0 for n = 0. Four accumulators, so that the maxima do not wait on each other.
  (func (export "maxabs_f64") (param $n i32) (param $px i32) (result f64)
    (local $end i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.add (local.get $px) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $px) (local.get $end)))
      (local.set $a0 (f64x2.max (local.get $a0) (f64x2.abs (v128.load offset=0 (local.get $px)))))
      (local.set $a1 (f64x2.max (local.get $a1) (f64x2.abs (v128.load offset=16 (local.get $px)))))
      (local.set $a2 (f64x2.max (local.get $a2) (f64x2.abs (v128.load offset=32 (local.get $px)))))
      (local.set $a3 (f64x2.max (local.get $a3) (f64x2.abs (v128.load offset=48 (local.get $px)))))
      (local.set $px (i32.add (local.get $px) (i32.const 64)))
      (br $loop)))
    (local.set $a0 (f64x2.max (f64x2.max (local.get $a0) (local.get $a1)) (f64x2.max (local.get $a2) (local.get $a3))))
    (f64.max (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))

  ;; maxabs_f64 for float32 x (n a multiple of 16 here; the result is exact in float64).
  (func (export "maxabs_f32") (param $n i32) (param $px i32) (result f64)
    (local $end i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.add (local.get $px) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $px) (local.get $end)))
      (local.set $a0 (f32x4.max (local.get $a0) (f32x4.abs (v128.load offset=0 (local.get $px)))))
      (local.set $a1 (f32x4.max (local.get $a1) (f32x4.abs (v128.load offset=16 (local.get $px)))))
      (local.set $a2 (f32x4.max (local.get $a2) (f32x4.abs (v128.load offset=32 (local.get $px)))))
      (local.set $a3 (f32x4.max (local.get $a3) (f32x4.abs (v128.load offset=48 (local.get $px)))))
      (local.set $px (i32.add (local.get $px) (i32.const 64)))
      (br $loop)))
    (local.set $a0 (f32x4.max (f32x4.max (local.get $a0) (local.get $a1)) (f32x4.max (local.get $a2) (local.get $a3))))
    (f64.promote_f32
      (f32.max
        (f32.max (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
        (f32.max (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0))))))
)
