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
  (import "math" "exp" (func $exp (param f64) (result f64)))
  (memory (export "memory") 1)
  (func $flush (export "flush") (param $f i32) (param $rows i32) (param $p i32) (param $n i32)
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
        (br $loop1))))
  ;; One Metropolis sweep, the TypeScript step of src/sampling/longRangeMetropolis.ts operation for
  ;; operation (so the same chain bit for bit), with its generator, seedrandom's alea, run inline on
  ;; registers read from and written back to memory.
  ;; sweep(n, beta, h, f, rows, c, sp) -> flipped: f = byte offset of fields[0]; rows = byte offset of the
  ;; FLIP_BATCH = 16 queue slots; sp = byte offset of the n int8 spins; c = byte offset of 106 doubles:
  ;; [0] 32 / ln 2, [1] ln 2 / 32, [2] 1/6, [3] 1/24, [4] 1 - 1e-9, [5] 1 + 1e-9 (each the double that
  ;; TypeScript's expression gives), [6..9] alea's s0, s1, s2, c (read, then written back), [10..41]
  ;; 2^(j/32), [42..105] 2^-m. The queue starts empty and is flushed at the end.
  (func (export "sweep") (param $n i32) (param $beta f64) (param $h f64) (param $f i32) (param $rows i32)
    (param $c i32) (param $sp i32) (result i32)
    (local $a i32) (local $i i32) (local $s i32) (local $b i32) (local $pend i32) (local $flipped i32)
    (local $accept i32) (local $k i32) (local $n2 i32)
    (local $fi f64) (local $dE f64) (local $x f64) (local $u f64) (local $t f64) (local $y f64) (local $kr f64)
    (local $r f64) (local $e f64) (local $nf f64)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $carry f64)
    (local $scale f64) (local $stepc f64) (local $c6 f64) (local $c24 f64) (local $lo f64) (local $hi f64)
    (local.set $scale (f64.load offset=0 (local.get $c)))
    (local.set $stepc (f64.load offset=8 (local.get $c)))
    (local.set $c6 (f64.load offset=16 (local.get $c)))
    (local.set $c24 (f64.load offset=24 (local.get $c)))
    (local.set $lo (f64.load offset=32 (local.get $c)))
    (local.set $hi (f64.load offset=40 (local.get $c)))
    (local.set $s0 (f64.load offset=48 (local.get $c)))
    (local.set $s1 (f64.load offset=56 (local.get $c)))
    (local.set $s2 (f64.load offset=64 (local.get $c)))
    (local.set $carry (f64.load offset=72 (local.get $c)))
    (local.set $nf (f64.convert_i32_s (local.get $n)))
    (local.set $n2 (i32.shl (local.get $n) (i32.const 1)))
    (block $done
      (loop $attempts
        (br_if $done (i32.ge_u (local.get $a) (local.get $n)))
        ;; site: (uniform() * N) | 0, uniform = alea's next (t = 2091639 s0 + c 2^-32; c = t | 0; s2 = t - c)
        (local.set $t (f64.add (f64.mul (f64.const 2091639) (local.get $s0))
                               (f64.mul (local.get $carry) (f64.const 0x1p-32))))
        (local.set $s0 (local.get $s1))
        (local.set $s1 (local.get $s2))
        (local.set $carry (f64.trunc (local.get $t)))
        (local.set $s2 (f64.sub (local.get $t) (local.get $carry)))
        (local.set $i (i32.trunc_f64_s (f64.mul (local.get $s2) (local.get $nf))))
        (local.set $s (i32.load8_s (i32.add (local.get $sp) (local.get $i))))
        ;; the field: stored value plus the queued flips' rows, in queue order
        (local.set $fi (f64.load (i32.add (local.get $f) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $b (i32.const 0))
        (block $sumDone
          (loop $sum
            (br_if $sumDone (i32.ge_u (local.get $b) (local.get $pend)))
            (local.set $fi (f64.add (local.get $fi)
              (f64.load (i32.shl
                (i32.add (i32.load (i32.add (local.get $rows) (i32.shl (local.get $b) (i32.const 2))))
                         (local.get $i))
                (i32.const 3)))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $sum)))
        ;; dE = 2 s (f + h); accept when dE <= 0, else by acceptMetropolisKernel(uniform(), -beta dE)
        (local.set $dE (f64.mul (f64.convert_i32_s (i32.shl (local.get $s) (i32.const 1)))
                                (f64.add (local.get $fi) (local.get $h))))
        (local.set $accept (i32.const 1))
        (if (i32.eqz (f64.le (local.get $dE) (f64.const 0)))
          (then
            (local.set $t (f64.add (f64.mul (f64.const 2091639) (local.get $s0))
                                   (f64.mul (local.get $carry) (f64.const 0x1p-32))))
            (local.set $s0 (local.get $s1))
            (local.set $s1 (local.get $s2))
            (local.set $carry (f64.trunc (local.get $t)))
            (local.set $s2 (f64.sub (local.get $t) (local.get $carry)))
            (local.set $u (local.get $s2))
            (local.set $x (f64.mul (f64.neg (local.get $beta)) (local.get $dE)))
            (local.set $accept (i32.const 2)) ;; 2: undecided, Math.exp decides
            (if (f64.ge (local.get $x) (f64.const -40))
              (then
                ;; k = Math.round(x 32 / ln 2): ceil, minus one when more than half above (ties up)
                (local.set $y (f64.mul (local.get $x) (local.get $scale)))
                (local.set $kr (f64.ceil (local.get $y)))
                (if (f64.gt (f64.sub (local.get $kr) (local.get $y)) (f64.const 0.5))
                  (then (local.set $kr (f64.sub (local.get $kr) (f64.const 1)))))
                (local.set $k (i32.trunc_f64_s (local.get $kr)))
                (local.set $r (f64.sub (local.get $x) (f64.mul (local.get $kr) (local.get $stepc))))
                (local.set $e (f64.mul
                  (f64.mul
                    (f64.load offset=336 (i32.add (local.get $c)
                      (i32.shl (i32.sub (i32.const 0) (i32.shr_s (local.get $k) (i32.const 5))) (i32.const 3))))
                    (f64.load offset=80 (i32.add (local.get $c)
                      (i32.shl (i32.and (local.get $k) (i32.const 31)) (i32.const 3)))))
                  (f64.add (f64.const 1) (f64.mul (local.get $r)
                    (f64.add (f64.const 1) (f64.mul (local.get $r)
                      (f64.add (f64.const 0.5) (f64.mul (local.get $r)
                        (f64.add (local.get $c6) (f64.mul (local.get $r) (local.get $c24)))))))))))
                (if (f64.lt (local.get $u) (f64.mul (local.get $e) (local.get $lo)))
                  (then (local.set $accept (i32.const 1)))
                  (else (if (f64.gt (local.get $u) (f64.mul (local.get $e) (local.get $hi)))
                    (then (local.set $accept (i32.const 0))))))))
            (if (i32.eq (local.get $accept) (i32.const 2))
              (then (local.set $accept (f64.lt (local.get $u) (call $exp (local.get $x))))))))
        (if (local.get $accept)
          (then
            (i32.store8 (i32.add (local.get $sp) (local.get $i)) (i32.sub (i32.const 0) (local.get $s)))
            (local.set $flipped (i32.add (local.get $flipped) (i32.const 1)))
            ;; the row of 2 s' K, s' = -s the new spin: (s > 0 ? 2N : 0) + N - i
            (i32.store (i32.add (local.get $rows) (i32.shl (local.get $pend) (i32.const 2)))
              (i32.sub (i32.add (select (local.get $n2) (i32.const 0) (i32.gt_s (local.get $s) (i32.const 0)))
                                (local.get $n))
                       (local.get $i)))
            (local.set $pend (i32.add (local.get $pend) (i32.const 1)))
            (if (i32.eq (local.get $pend) (i32.const 16))
              (then
                (call $flush (local.get $f) (local.get $rows) (local.get $pend) (local.get $n))
                (local.set $pend (i32.const 0))))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $attempts)))
    (if (local.get $pend) (then (call $flush (local.get $f) (local.get $rows) (local.get $pend) (local.get $n))))
    (f64.store offset=48 (local.get $c) (local.get $s0))
    (f64.store offset=56 (local.get $c) (local.get $s1))
    (f64.store offset=64 (local.get $c) (local.get $s2))
    (f64.store offset=72 (local.get $c) (local.get $carry))
    (local.get $flipped)))
