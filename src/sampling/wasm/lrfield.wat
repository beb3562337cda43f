;; Field update of the long-range Metropolis sampler (src/sampling/longRangeMetropolis.ts):
;;   fields[j] += delta * K[koff + j], j = 0..n-1 (float64, byte offsets into the module memory)
;; with f64x2 SIMD, unrolled by 4 vectors (8 doubles), then a vector tail and a scalar tail. Multiplying
;; by delta = +-2 is exact, and the fixed-point couplings keep every sum exact, so the result is
;; bit-identical to the TypeScript loop.
(module
  (memory (export "memory") 1)
  (func (export "update") (param $f i32) (param $k i32) (param $n i32) (param $delta f64)
    (local $d v128) (local $end8 i32) (local $end2 i32) (local $end i32)
    (local.set $d (f64x2.splat (local.get $delta)))
    (local.set $end (i32.add (local.get $f) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $end8 (i32.add (local.get $f) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $f) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done8
      (loop $loop8
        (br_if $done8 (i32.ge_u (local.get $f) (local.get $end8)))
        (v128.store offset=0 (local.get $f)
          (f64x2.add (v128.load offset=0 (local.get $f)) (f64x2.mul (local.get $d) (v128.load offset=0 align=8 (local.get $k)))))
        (v128.store offset=16 (local.get $f)
          (f64x2.add (v128.load offset=16 (local.get $f)) (f64x2.mul (local.get $d) (v128.load offset=16 align=8 (local.get $k)))))
        (v128.store offset=32 (local.get $f)
          (f64x2.add (v128.load offset=32 (local.get $f)) (f64x2.mul (local.get $d) (v128.load offset=32 align=8 (local.get $k)))))
        (v128.store offset=48 (local.get $f)
          (f64x2.add (v128.load offset=48 (local.get $f)) (f64x2.mul (local.get $d) (v128.load offset=48 align=8 (local.get $k)))))
        (local.set $f (i32.add (local.get $f) (i32.const 64)))
        (local.set $k (i32.add (local.get $k) (i32.const 64)))
        (br $loop8)))
    (block $done2
      (loop $loop2
        (br_if $done2 (i32.ge_u (local.get $f) (local.get $end2)))
        (v128.store (local.get $f)
          (f64x2.add (v128.load (local.get $f)) (f64x2.mul (local.get $d) (v128.load align=8 (local.get $k)))))
        (local.set $f (i32.add (local.get $f) (i32.const 16)))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $loop2)))
    (if (i32.lt_u (local.get $f) (local.get $end))
      (then
        (f64.store (local.get $f)
          (f64.add (f64.load (local.get $f)) (f64.mul (local.get $delta) (f64.load (local.get $k)))))))))
