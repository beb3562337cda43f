;; Field update of the long-range Metropolis sampler (src/sampling/longRangeMetropolis.ts), batched: the
;; sampler queues accepted flips (the offset of the flipped site's signed coupling row) and applies up to B
;; of them in one pass over the fields, so each field is loaded and stored once per batch instead of once
;; per flip:
;;   for j = 0..n-1:  acc = fields[j];  for b = 0..p-1 (in queue order): acc += T[row_b + j];  fields[j] = acc
;; T holds the doubled coupling table times +2 and times -2 (delta * K for the two possible deltas, exact),
;; so a flip adds delta * K[N - site + j] without a multiplication. Every field sees the same additions in
;; the same order as when the flips are applied one at a time, so the result is bit-identical to the
;; TypeScript loop; with the fixed-point couplings every sum is exact anyway. float64, f64x2 SIMD over 8
;; fields at a time (4 vector accumulators: more measured slower), then a scalar tail.
;; flush(f, rows, p, n): f = byte offset of fields[0]; rows = byte offset of the p i32 row offsets (row_b,
;; in doubles: T starts at byte 0); p >= 1; n = number of fields.
(module
  (memory (export "memory") 1)
  (func (export "flush") (param $f i32) (param $rows i32) (param $p i32) (param $n i32)
    (local $endW i32) (local $end i32) (local $j i32) (local $b i32) (local $k i32) (local $acc f64) (local $bend i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $bend (i32.add (local.get $rows) (i32.shl (local.get $p) (i32.const 2))))
    (local.set $endW (i32.mul (i32.div_u (local.get $n) (i32.const 8)) (i32.const 64)))
    (block $doneW
      (loop $loopW
        (br_if $doneW (i32.ge_u (local.get $j) (local.get $endW)))
        (local.set $k (i32.add (local.get $f) (local.get $j)))
        (local.set $a0 (v128.load offset=0 (local.get $k)))
        (local.set $a1 (v128.load offset=16 (local.get $k)))
        (local.set $a2 (v128.load offset=32 (local.get $k)))
        (local.set $a3 (v128.load offset=48 (local.get $k)))
        (local.set $b (local.get $rows))
        (loop $flips
          (local.set $k (i32.add (i32.shl (i32.load (local.get $b)) (i32.const 3)) (local.get $j)))
          (local.set $a0 (f64x2.add (local.get $a0) (v128.load offset=0 align=8 (local.get $k))))
          (local.set $a1 (f64x2.add (local.get $a1) (v128.load offset=16 align=8 (local.get $k))))
          (local.set $a2 (f64x2.add (local.get $a2) (v128.load offset=32 align=8 (local.get $k))))
          (local.set $a3 (f64x2.add (local.get $a3) (v128.load offset=48 align=8 (local.get $k))))
          (local.set $b (i32.add (local.get $b) (i32.const 4)))
          (br_if $flips (i32.lt_u (local.get $b) (local.get $bend))))
        (local.set $k (i32.add (local.get $f) (local.get $j)))
        (v128.store offset=0 (local.get $k) (local.get $a0))
        (v128.store offset=16 (local.get $k) (local.get $a1))
        (v128.store offset=32 (local.get $k) (local.get $a2))
        (v128.store offset=48 (local.get $k) (local.get $a3))
        (local.set $j (i32.add (local.get $j) (i32.const 64)))
        (br $loopW)))
    (block $done1
      (loop $loop1
        (br_if $done1 (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $acc (f64.load (i32.add (local.get $f) (local.get $j))))
        (local.set $b (local.get $rows))
        (loop $flips1
          (local.set $acc
            (f64.add (local.get $acc)
              (f64.load (i32.add (i32.shl (i32.load (local.get $b)) (i32.const 3)) (local.get $j)))))
          (local.set $b (i32.add (local.get $b) (i32.const 4)))
          (br_if $flips1 (i32.lt_u (local.get $b) (local.get $bend))))
        (f64.store (i32.add (local.get $f) (local.get $j)) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $loop1)))))
