;; Checkerboard Metropolis sweep of the 2D Ising model (src/sampling/metropolis.ts), 16 sites per i8x16
;; vector. Module memory (byte offsets):
;;     0  acceptance table: byte planes T0 (least significant), T1, T2, T3 of the uint32 thresholds
;;        floor(p 2^32), each byte xor 0x80, 16 entries each, at 0, 16, 32, 48; the "always accept" plane
;;        (0xff) at 64.
;;        Entry k = nn + 4 + (s == -1 ? 1 : 0), nn the sum of the 4 neighbours.
;;   128  xoshiro128** state: four v128 words s0..s3 (lane j of each is stream j), at 128..191.
;;   256  the configuration in natural order (N = L*L int8 spins +-1), copied in and out by the caller.
;;  SPLIT the configuration split by column parity: half-row 2y (even x of row y) and 2y+1 (odd x), each
;;        of h = L/2 bytes at a 16-aligned stride S = round16(h) + 32, data at offset 16 of its slot, one
;;        ghost byte on each side (x = -1 and x = h) so the torus wrap needs no special case.
;; In the half-sweep of colour p the sites of row y with x + y = p (mod 2) are one contiguous half-row
;; ("active"); their left/right neighbours are the other half-row of row y and their up/down neighbours
;; the same-type half-rows of rows y -+ 1, all of the other colour, so 16 sites update as one vector.
;;
;; Acceptance: site i accepts if always[k] or u < T[k], u a uniform uint32 whose bytes are drawn lazily,
;; most significant first: byte 3 for all 16 lanes comes from one i32x4 xoshiro128** step (16 bytes);
;; only lanes where byte 3 equals T3 need byte 2 (probability 1/256), drawn from a further step, and so on
;; down to byte 0. P(accept) = T / 2^32 exactly, as with a full 32-bit draw, at a quarter of the draws.
;; The planes hold the threshold bytes xor 0x80 and the generator's byte r is compared as signed: r <s
;; (t ^ 0x80) iff (r ^ 0x80) <u t, so u's bytes are the generator's bytes xor 0x80 (just as uniform).
;; A flip is s ^ 0xfe (1 <-> -1).
(module
  (memory (export "memory") 1)

  ;; One xoshiro128** step of the four streams held in memory at 128; returns the 4 outputs (16 bytes).
  (func $draw (result v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $m v128) (local $t v128)
    (local.set $s0 (v128.load (i32.const 128)))
    (local.set $s1 (v128.load (i32.const 144)))
    (local.set $s2 (v128.load (i32.const 160)))
    (local.set $s3 (v128.load (i32.const 176)))
    (local.set $m (i32x4.add (i32x4.shl (local.get $s1) (i32.const 2)) (local.get $s1)))
    (local.set $m (v128.or (i32x4.shl (local.get $m) (i32.const 7)) (i32x4.shr_u (local.get $m) (i32.const 25))))
    (local.set $t (i32x4.shl (local.get $s1) (i32.const 9)))
    (local.set $s2 (v128.xor (local.get $s2) (local.get $s0)))
    (local.set $s3 (v128.xor (local.get $s3) (local.get $s1)))
    (local.set $s1 (v128.xor (local.get $s1) (local.get $s2)))
    (local.set $s0 (v128.xor (local.get $s0) (local.get $s3)))
    (local.set $s2 (v128.xor (local.get $s2) (local.get $t)))
    (local.set $s3 (v128.or (i32x4.shl (local.get $s3) (i32.const 11)) (i32x4.shr_u (local.get $s3) (i32.const 21))))
    (v128.store (i32.const 128) (local.get $s0))
    (v128.store (i32.const 144) (local.get $s1))
    (v128.store (i32.const 160) (local.get $s2))
    (v128.store (i32.const 176) (local.get $s3))
    (i32x4.add (i32x4.shl (local.get $m) (i32.const 3)) (local.get $m)))

  ;; Lanes of $tie (byte 3 equal to T3, not always-accepted) resolved on bytes 2, 1, 0: returns the lanes
  ;; that accept. The rare path (about 1 vector in 30 near Tc).
  (func $tiebreak (param $k v128) (param $tie v128) (result v128)
    (local $acc v128) (local $r v128) (local $t v128) (local $plane i32)
    (local.set $plane (i32.const 32))
    (loop $next
      (local.set $r (call $draw))
      (local.set $t (i8x16.swizzle (v128.load (local.get $plane)) (local.get $k)))
      (local.set $acc (v128.or (local.get $acc) (v128.and (local.get $tie) (i8x16.lt_s (local.get $r) (local.get $t)))))
      (local.set $tie (v128.and (local.get $tie) (i8x16.eq (local.get $r) (local.get $t))))
      (local.set $plane (i32.sub (local.get $plane) (i32.const 16)))
      (br_if $next (i32.and (v128.any_true (local.get $tie)) (i32.ge_s (local.get $plane) (i32.const 0)))))
    (local.get $acc))

  ;; Total bytes of memory the module needs for an L x L lattice.
  (func $bytes (export "bytes") (param $L i32) (result i32)
    (local $h i32)
    (local.set $h (i32.shr_u (local.get $L) (i32.const 1)))
    (i32.add
      (i32.add (i32.const 288) (i32.and (i32.add (i32.mul (local.get $L) (local.get $L)) (i32.const 15)) (i32.const -16)))
      (i32.mul (i32.shl (local.get $L) (i32.const 1))
        (i32.add (i32.and (i32.add (local.get $h) (i32.const 15)) (i32.const -16)) (i32.const 32)))))

  ;; One sweep (colour 0, then colour 1) of the L x L configuration at 256 (L even, >= 2); the xoshiro
  ;; state at 128 advances. Returns the number of accepted flips.
  (func (export "sweep") (param $L i32) (result i32)
    (local $h i32) (local $S i32) (local $split i32) (local $y i32) (local $x i32) (local $p i32)
    (local $c i32) (local $nat i32) (local $e i32) (local $o i32) (local $j i32) (local $hr i32)
    (local $act i32) (local $lft i32) (local $rgt i32) (local $up i32) (local $dn i32)
    (local $a v128) (local $b v128) (local $s v128) (local $k v128) (local $r v128) (local $t v128)
    (local $acc v128) (local $tie v128) (local $mask v128) (local $tail v128) (local $ones v128)
    (local $cnt16 v128) (local $cnt32 v128) (local $T3 v128) (local $AL v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $m v128)
    (local.set $h (i32.shr_u (local.get $L) (i32.const 1)))
    (local.set $S (i32.add (i32.and (i32.add (local.get $h) (i32.const 15)) (i32.const -16)) (i32.const 32)))
    (local.set $split
      (i32.add (i32.const 272) (i32.and (i32.add (i32.mul (local.get $L) (local.get $L)) (i32.const 15)) (i32.const -16))))
    (local.set $ones (v128.const i32x4 -1 -1 -1 -1))
    ;; mask of the valid lanes of the last vector of a half-row
    (local.set $x (i32.and (local.get $h) (i32.const 15)))
    (if (i32.eqz (local.get $x)) (then (local.set $x (i32.const 16))))
    (local.set $tail (i8x16.lt_u (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (i8x16.splat (local.get $x))))

    ;; natural -> split: 32 spins -> 16 even + 16 odd columns (the low and high bytes of 16-bit lanes,
    ;; packed with unsigned saturation, exact for any byte: lanes are 0..255), then pairs
    (local.set $y (i32.const 0))
    (loop $rows
      (local.set $nat (i32.add (i32.const 256) (i32.mul (local.get $y) (local.get $L))))
      (local.set $e (i32.add (i32.add (local.get $split) (i32.const 16)) (i32.mul (i32.shl (local.get $y) (i32.const 1)) (local.get $S))))
      (local.set $o (i32.add (local.get $e) (local.get $S)))
      (local.set $x (i32.const 0))
      (block $done
        (loop $vec
          (br_if $done (i32.gt_s (i32.add (local.get $x) (i32.const 32)) (local.get $L)))
          (local.set $a (v128.load align=1 (i32.add (local.get $nat) (local.get $x))))
          (local.set $b (v128.load offset=16 align=1 (i32.add (local.get $nat) (local.get $x))))
          (v128.store (i32.add (local.get $e) (i32.shr_u (local.get $x) (i32.const 1)))
            (i8x16.narrow_i16x8_u (v128.and (local.get $a) (v128.const i16x8 255 255 255 255 255 255 255 255))
                                  (v128.and (local.get $b) (v128.const i16x8 255 255 255 255 255 255 255 255))))
          (v128.store (i32.add (local.get $o) (i32.shr_u (local.get $x) (i32.const 1)))
            (i8x16.narrow_i16x8_u (i16x8.shr_u (local.get $a) (i32.const 8)) (i16x8.shr_u (local.get $b) (i32.const 8))))
          (local.set $x (i32.add (local.get $x) (i32.const 32)))
          (br $vec)))
      (block $done2
        (loop $pair
          (br_if $done2 (i32.ge_s (local.get $x) (local.get $L)))
          (i32.store8 (i32.add (local.get $e) (i32.shr_u (local.get $x) (i32.const 1)))
            (i32.load8_u (i32.add (local.get $nat) (local.get $x))))
          (i32.store8 (i32.add (local.get $o) (i32.shr_u (local.get $x) (i32.const 1)))
            (i32.load8_u offset=1 (i32.add (local.get $nat) (local.get $x))))
          (local.set $x (i32.add (local.get $x) (i32.const 2)))
          (br $pair)))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br_if $rows (i32.lt_s (local.get $y) (local.get $L))))

    ;; the hot loop keeps the table planes it needs and the xoshiro state in locals ($draw, used on ties,
    ;; works on the state in memory: it is stored before and reloaded after)
    (local.set $T3 (v128.load (i32.const 48)))
    (local.set $AL (v128.load (i32.const 64)))
    (local.set $s0 (v128.load (i32.const 128)))
    (local.set $s1 (v128.load (i32.const 144)))
    (local.set $s2 (v128.load (i32.const 160)))
    (local.set $s3 (v128.load (i32.const 176)))
    (local.set $p (i32.const 0))
    (loop $colour
      ;; ghost columns of every half-row (the active ones are refreshed too: harmless)
      (local.set $hr (i32.const 0))
      (loop $ghosts
        (local.set $e (i32.add (local.get $split) (i32.mul (local.get $hr) (local.get $S))))
        (i32.store8 offset=15 (local.get $e) (i32.load8_u offset=15 (i32.add (local.get $e) (local.get $h))))
        (i32.store8 offset=16 (i32.add (local.get $e) (local.get $h)) (i32.load8_u offset=16 (local.get $e)))
        (local.set $hr (i32.add (local.get $hr) (i32.const 1)))
        (br_if $ghosts (i32.lt_s (local.get $hr) (i32.shl (local.get $L) (i32.const 1)))))
      (local.set $y (i32.const 0))
      (loop $rows2
        (local.set $c (i32.and (i32.add (local.get $y) (local.get $p)) (i32.const 1)))
        ;; data start of the active half-row and of its four neighbour half-rows (lft/rgt shifted by -1/0
        ;; for even x, 0/+1 for odd x)
        (local.set $act (i32.add (i32.add (local.get $split) (i32.const 16))
          (i32.mul (i32.add (i32.shl (local.get $y) (i32.const 1)) (local.get $c)) (local.get $S))))
        (local.set $lft (i32.add (local.get $act)
          (i32.add (i32.sub (local.get $S) (i32.mul (i32.const 2) (i32.mul (local.get $c) (local.get $S))))
            (i32.sub (local.get $c) (i32.const 1)))))
        (local.set $rgt (i32.add (local.get $lft) (i32.const 1)))
        (local.set $up (i32.sub (local.get $act) (i32.shl (local.get $S) (i32.const 1))))
        (if (i32.eqz (local.get $y))
          (then (local.set $up (i32.add (local.get $up) (i32.mul (i32.shl (local.get $L) (i32.const 1)) (local.get $S))))))
        (local.set $dn (i32.add (local.get $act) (i32.shl (local.get $S) (i32.const 1))))
        (if (i32.eq (local.get $y) (i32.sub (local.get $L) (i32.const 1)))
          (then (local.set $dn (i32.sub (local.get $dn) (i32.mul (i32.shl (local.get $L) (i32.const 1)) (local.get $S))))))
        (local.set $cnt16 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (loop $chunk
          (local.set $s (v128.load (i32.add (local.get $act) (local.get $j))))
          ;; k = nn + 4 + (s < 0): the sum of the 4 neighbours, minus the all-ones mask of negative spins
          (local.set $k
            (i8x16.sub
              (i8x16.add
                (i8x16.add
                  (i8x16.add (v128.load align=1 (i32.add (local.get $lft) (local.get $j)))
                             (v128.load align=1 (i32.add (local.get $rgt) (local.get $j))))
                  (i8x16.add (v128.load (i32.add (local.get $up) (local.get $j)))
                             (v128.load (i32.add (local.get $dn) (local.get $j)))))
                (v128.const i8x16 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4))
              (i8x16.lt_s (local.get $s) (v128.const i32x4 0 0 0 0))))
          (local.set $mask
            (select (result v128) (local.get $ones) (local.get $tail)
              (i32.lt_s (i32.add (local.get $j) (i32.const 16)) (local.get $h))))
          ;; xoshiro128** step of the four lanes (as $draw): the 16 most significant bytes
          (local.set $m (i32x4.add (i32x4.shl (local.get $s1) (i32.const 2)) (local.get $s1)))
          (local.set $m (v128.or (i32x4.shl (local.get $m) (i32.const 7)) (i32x4.shr_u (local.get $m) (i32.const 25))))
          (local.set $r (i32x4.add (i32x4.shl (local.get $m) (i32.const 3)) (local.get $m)))
          (local.set $m (i32x4.shl (local.get $s1) (i32.const 9)))
          (local.set $s2 (v128.xor (local.get $s2) (local.get $s0)))
          (local.set $s3 (v128.xor (local.get $s3) (local.get $s1)))
          (local.set $s1 (v128.xor (local.get $s1) (local.get $s2)))
          (local.set $s0 (v128.xor (local.get $s0) (local.get $s3)))
          (local.set $s2 (v128.xor (local.get $s2) (local.get $m)))
          (local.set $s3 (v128.or (i32x4.shl (local.get $s3) (i32.const 11)) (i32x4.shr_u (local.get $s3) (i32.const 21))))
          (local.set $t (i8x16.swizzle (local.get $T3) (local.get $k)))
          (local.set $a (i8x16.swizzle (local.get $AL) (local.get $k)))
          (local.set $acc (v128.or (i8x16.lt_s (local.get $r) (local.get $t)) (local.get $a)))
          (local.set $tie (v128.andnot (v128.and (i8x16.eq (local.get $r) (local.get $t)) (local.get $mask)) (local.get $a)))
          (if (v128.any_true (local.get $tie))
            (then
              (v128.store (i32.const 128) (local.get $s0))
              (v128.store (i32.const 144) (local.get $s1))
              (v128.store (i32.const 160) (local.get $s2))
              (v128.store (i32.const 176) (local.get $s3))
              (local.set $acc (v128.or (local.get $acc) (call $tiebreak (local.get $k) (local.get $tie))))
              (local.set $s0 (v128.load (i32.const 128)))
              (local.set $s1 (v128.load (i32.const 144)))
              (local.set $s2 (v128.load (i32.const 160)))
              (local.set $s3 (v128.load (i32.const 176)))))
          (local.set $acc (v128.and (local.get $acc) (local.get $mask)))
          (v128.store (i32.add (local.get $act) (local.get $j))
            (v128.xor (local.get $s) (v128.and (local.get $acc) (v128.const i8x16 -2 -2 -2 -2 -2 -2 -2 -2 -2 -2 -2 -2 -2 -2 -2 -2))))
          (local.set $cnt16 (i16x8.sub (local.get $cnt16) (i16x8.extadd_pairwise_i8x16_s (local.get $acc))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $chunk (i32.lt_s (local.get $j) (local.get $h))))
        (local.set $cnt32 (i32x4.add (local.get $cnt32) (i32x4.extadd_pairwise_i16x8_s (local.get $cnt16))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br_if $rows2 (i32.lt_s (local.get $y) (local.get $L))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $colour (i32.lt_s (local.get $p) (i32.const 2))))
    (v128.store (i32.const 128) (local.get $s0))
    (v128.store (i32.const 144) (local.get $s1))
    (v128.store (i32.const 160) (local.get $s2))
    (v128.store (i32.const 176) (local.get $s3))

    ;; split -> natural
    (local.set $y (i32.const 0))
    (loop $rows3
      (local.set $nat (i32.add (i32.const 256) (i32.mul (local.get $y) (local.get $L))))
      (local.set $e (i32.add (i32.add (local.get $split) (i32.const 16)) (i32.mul (i32.shl (local.get $y) (i32.const 1)) (local.get $S))))
      (local.set $o (i32.add (local.get $e) (local.get $S)))
      (local.set $x (i32.const 0))
      (block $done3
        (loop $vec3
          (br_if $done3 (i32.gt_s (i32.add (local.get $x) (i32.const 32)) (local.get $L)))
          (local.set $a (v128.load (i32.add (local.get $e) (i32.shr_u (local.get $x) (i32.const 1)))))
          (local.set $b (v128.load (i32.add (local.get $o) (i32.shr_u (local.get $x) (i32.const 1)))))
          (v128.store align=1 (i32.add (local.get $nat) (local.get $x))
            (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $a) (local.get $b)))
          (v128.store offset=16 align=1 (i32.add (local.get $nat) (local.get $x))
            (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $a) (local.get $b)))
          (local.set $x (i32.add (local.get $x) (i32.const 32)))
          (br $vec3)))
      (block $done4
        (loop $pair4
          (br_if $done4 (i32.ge_s (local.get $x) (local.get $L)))
          (i32.store8 (i32.add (local.get $nat) (local.get $x))
            (i32.load8_u (i32.add (local.get $e) (i32.shr_u (local.get $x) (i32.const 1)))))
          (i32.store8 offset=1 (i32.add (local.get $nat) (local.get $x))
            (i32.load8_u (i32.add (local.get $o) (i32.shr_u (local.get $x) (i32.const 1)))))
          (local.set $x (i32.add (local.get $x) (i32.const 2)))
          (br $pair4)))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br_if $rows3 (i32.lt_s (local.get $y) (local.get $L))))

    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $cnt32)) (i32x4.extract_lane 1 (local.get $cnt32)))
      (i32.add (i32x4.extract_lane 2 (local.get $cnt32)) (i32x4.extract_lane 3 (local.get $cnt32))))))
