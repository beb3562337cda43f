/**
 * Checkerboard Metropolis for the 2D Ising model: one step visits the (x + y) even sublattice, then the
 * odd one, proposing to flip each spin once (N attempts per step). Acceptance uses a Boltzmann lookup
 * table of uint32 thresholds; moves that do not raise the energy are accepted without a draw.
 * @module
 */
import type { Rng } from '../core/rng.js';
import { checkLength, checkPositive, domainError } from '../core/validate.js';
import { checkIsing2D } from '../lattice/ising2d.js';
import type { Ising2D } from '../lattice/types.js';
import type { Updater } from './types.js';
import { seedXoshiro128, TWO_POW_32 } from './xoshiro.js';

/**
 * Boltzmann table of the single-spin flip: entry `s * nn + 4 + (s > 0 ? 9 : 0)` (s the spin, nn the sum
 * of its 4 neighbours) holds min(1, exp(-beta dE)) * 2^32 with dE = 2 s (J nn + h); entries whose move
 * does not raise the energy hold 2^32 exactly (accept without a draw). Length 18. O(1).
 */
export function metropolisThresholds(
  J: number,
  h: number,
  beta: number,
  out = new Float64Array(18),
): Float64Array {
  out.fill(TWO_POW_32);
  for (const s of [-1, 1]) {
    for (let nn = -4; nn <= 4; nn += 2) {
      const dE = 2 * s * (J * nn + h);
      out[s * nn + 4 + (s > 0 ? 9 : 0)] = dE <= 0 ? TWO_POW_32 : Math.exp(-beta * dE) * TWO_POW_32;
    }
  }
  return out;
}

/**
 * Unchecked checkerboard Metropolis sweep on an L x L torus (L even): both sublattices in turn, each spin
 * proposed once, accepted when a uint32 from the inline xoshiro128** state `xs` is below its threshold
 * (see {@link metropolisThresholds}). Updates `spins` and `xs` in place; returns the number of accepted
 * flips. Allocates nothing. O(L^2).
 */
export function metropolisSweepKernel(
  spins: Int8Array,
  L: number,
  thresholds: Float64Array,
  xs: Int32Array,
): number {
  let s0 = xs[0]!;
  let s1 = xs[1]!;
  let s2 = xs[2]!;
  let s3 = xs[3]!;
  const n = L * L;
  let flipped = 0;
  for (let parity = 0; parity < 2; parity++) {
    for (let y = 0; y < L; y++) {
      const row = y * L;
      const up = y === 0 ? n - L : -L;
      const down = y === L - 1 ? L - n : L;
      const last = row + L - 1;
      for (let i = row + ((y + parity) & 1); i <= last; i += 2) {
        const s = spins[i]!;
        const nn =
          spins[i === row ? last : i - 1]! +
          spins[i === last ? row : i + 1]! +
          spins[i + up]! +
          spins[i + down]!;
        const t = thresholds[s * nn + 4 + (s > 0 ? 9 : 0)]!;
        if (t < TWO_POW_32) {
          const m = Math.imul(s1, 5);
          const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
          const sh = s1 << 9;
          s2 ^= s0;
          s3 ^= s1;
          s1 ^= s2;
          s0 ^= s3;
          s2 ^= sh;
          s3 = (s3 << 11) | (s3 >>> 21);
          if (r >= t) continue;
        }
        spins[i] = -s;
        flipped++;
      }
    }
  }
  xs[0] = s0;
  xs[1] = s1;
  xs[2] = s2;
  xs[3] = s3;
  return flipped;
}

/**
 * Checkerboard Metropolis updater for the 2D Ising model at inverse temperature beta. `step(spins, rng)`
 * performs one sweep (N = L^2 attempted flips: the even sublattice, then the odd one) in place and
 * returns the number of accepted flips. Each step draws 4 uint32 from `rng` to seed an inline
 * xoshiro128** stream used within that sweep, so the chain state is just (spins, rng) and runs are
 * reproducible bit for bit. Acceptance probabilities are quantised to multiples of 2^-32. Any J, h.
 * Cost O(L^2) per step; allocates nothing per step.
 * Reference: N. Metropolis et al., J. Chem. Phys. 21, 1087 (1953).
 * @throws DomainError for a bad model, odd L (the checkerboard needs two sublattices), or beta not a
 * finite number > 0. `step` throws ShapeError if spins does not have L^2 entries (spin values are not
 * checked: they must be +-1).
 * @example
 * const up = createMetropolisUpdater(createIsing2D({ L: 16 }), 1 / 2.5);
 * const spins = new Int8Array(256).fill(1);
 * up.step(spins, createRng(1)); // number of accepted flips
 */
export function createMetropolisUpdater(model: Ising2D, beta: number): Updater {
  checkIsing2D(model, 'createMetropolisUpdater');
  checkPositive(beta, 'createMetropolisUpdater: beta');
  const { L } = model;
  if (L % 2 !== 0) {
    throw domainError('createMetropolisUpdater: model.L', 'an even integer (checkerboard sublattices)', L);
  }
  const n = L * L;
  const thresholds = metropolisThresholds(model.J, model.h, beta);
  const xs = new Int32Array(4);
  return {
    name: 'metropolis',
    step(spins: Int8Array, rng: Rng): number {
      checkLength(spins, 'metropolis.step: spins', n);
      seedXoshiro128(rng, xs);
      return metropolisSweepKernel(spins, L, thresholds, xs);
    },
  };
}
