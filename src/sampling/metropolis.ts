/**
 * Checkerboard Metropolis for the 2D Ising model: one step visits the (x + y) even sublattice, then the
 * odd one, proposing to flip each spin once (N attempts per step). Acceptance uses a Boltzmann lookup
 * table of integer thresholds (one uint32 draw per attempt, branch-free accept).
 * @module
 */
import type { Rng } from '../core/rng.js';
import { checkLength, checkPositive, domainError } from '../core/validate.js';
import { checkIsing2D } from '../lattice/ising2d.js';
import type { Ising2D } from '../lattice/types.js';
import type { Updater } from './types.js';
import { seedXoshiro128, TWO_POW_32 } from './xoshiro.js';

/**
 * Boltzmann lookup table of the single-spin flip, indexed by `k = s * nn + 4 + ((s + 1) << 3)` (s the
 * spin, nn the sum of its 4 neighbours; 25 entries, 10 used). For a move with dE = 2 s (J nn + h) > 0,
 * `always[k] = 0` and `thresholds[k] = floor(exp(-beta dE) 2^32) - 2^31`, compared with a uint32 draw
 * r as the signed int32 `r ^ 0x80000000` (so P(accept) = floor(exp(-beta dE) 2^32) / 2^32, within 2^-32
 * of exact); moves with dE <= 0 have `always[k] = 1` and are always accepted (the kernel still draws, to stay
 * branch-free).
 */
export interface MetropolisTable {
  readonly thresholds: Int32Array;
  readonly always: Uint8Array;
}

/** Build the {@link MetropolisTable} for coupling J, field h and inverse temperature beta. O(1). */
export function metropolisTable(J: number, h: number, beta: number): MetropolisTable {
  const thresholds = new Int32Array(25);
  const always = new Uint8Array(25);
  for (const s of [-1, 1]) {
    for (let nn = -4; nn <= 4; nn += 2) {
      const k = s * nn + 4 + ((s + 1) << 3);
      const dE = 2 * s * (J * nn + h);
      const p = dE <= 0 ? 1 : Math.exp(-beta * dE);
      if (p >= 1) always[k] = 1;
      else thresholds[k] = Math.floor(p * TWO_POW_32) - 2147483648;
    }
  }
  return { thresholds, always };
}

/**
 * Unchecked checkerboard Metropolis sweep on an L x L torus (L even): the (x + y)-even sublattice, then
 * the odd one, each spin proposed once and accepted per the {@link MetropolisTable}, with uint32 draws
 * from the inline xoshiro128** state `xs`. Updates `spins` and `xs` in place; returns the number of
 * accepted flips. Allocates nothing. O(L^2).
 */
export function metropolisSweepKernel(
  spins: Int8Array,
  L: number,
  table: MetropolisTable,
  xs: Int32Array,
): number {
  const thresholds = table.thresholds;
  const always = table.always;
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
        const k = s * nn + 4 + ((s + 1) << 3);
        // one draw per attempt and a branch-free accept: the outcome is unpredictable near Tc, and a
        // mispredicted branch costs more than the draw it would save
        const m = Math.imul(s1, 5);
        const r = Math.imul((m << 7) | (m >>> 25), 9) ^ 0x80000000; // uint32 draw - 2^31, as int32
        const sh = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= sh;
        s3 = (s3 << 11) | (s3 >>> 21);
        const accept = ((r < thresholds[k]!) as unknown as number) | always[k]!;
        spins[i] = s - 2 * s * accept;
        flipped += accept;
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
 * Caveat: on the 2 x 2 torus (every neighbour counted twice) the sweep is not ergodic: the four states
 * with both sublattices mixed have dE = 0 moves only and cycle among themselves, unreachable from the
 * rest. Use L >= 4 (checked by a chi-square test on 4 x 4).
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
  const table = metropolisTable(model.J, model.h, beta);
  const xs = new Int32Array(4);
  return {
    name: 'metropolis',
    step(spins: Int8Array, rng: Rng): number {
      checkLength(spins, 'metropolis.step: spins', n);
      seedXoshiro128(rng, xs);
      return metropolisSweepKernel(spins, L, table, xs);
    },
  };
}
