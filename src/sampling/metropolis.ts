/**
 * Checkerboard Metropolis for the 2D Ising model: one step visits the (x + y) even sublattice, then the
 * odd one, proposing to flip each spin once (N attempts per step). Acceptance uses a Boltzmann lookup
 * table of integer thresholds: P(accept) = floor(p 2^32) / 2^32 with p = min(1, exp(-beta dE)).
 * Two backends: a WebAssembly SIMD sweep (16 sites per vector, src/sampling/wasm/metropolis.wat) and the
 * TypeScript kernel {@link metropolisSweepKernel} (one uint32 draw per attempt, branch-free accept). They
 * draw their random numbers differently, so for one seed they give different, equally valid chains; each
 * is reproducible bit for bit.
 * @module
 */
import type { Rng } from '../core/rng.js';
import {
  checkFinite,
  checkLength,
  checkOneOf,
  checkOptions,
  checkPositive,
  domainError,
  optionKeys,
} from '../core/validate.js';
import { checkIsing2D } from '../lattice/ising2d.js';
import type { Ising2D } from '../lattice/types.js';
import type { Updater } from './types.js';
import {
  checkerboardFlipPlanes,
  checkerboardWasmAvailable,
  createCheckerboardWasmSweep,
} from './wasm/checkerboard.js';
import { seedXoshiro128, TWO_POW_32 } from './xoshiro.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const METROPOLIS_OPTIONS_KEYS = optionKeys<MetropolisOptions>({ backend: true });

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

/**
 * Build the {@link MetropolisTable} for coupling J, field h and inverse temperature beta. O(1).
 * @throws DomainError if J or h is not finite or beta is not a finite number > 0.
 */
export function metropolisTable(J: number, h: number, beta: number): MetropolisTable {
  checkFinite(J, 'metropolisTable: J');
  checkFinite(h, 'metropolisTable: h');
  checkPositive(beta, 'metropolisTable: beta');
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

/** True if this engine runs the WebAssembly SIMD Metropolis sweep (checked once, then cached). */
export function metropolisWasmAvailable(): boolean {
  return checkerboardWasmAvailable();
}

/**
 * The acceptance table in the byte-plane form of the WebAssembly sweep: 80 bytes, planes of 16 at 0, 16,
 * 32, 48 holding bytes 0 (least significant) to 3 of the uint32 threshold floor(p 2^32), each xor 0x80
 * (the module compares bytes as signed), and at 64 the "always accept" flags (0xff where p >= 1).
 * Entry k = nn + 4 + (s = -1 ? 1 : 0) (nn the neighbour sum; 10 used). Same probabilities as `table`.
 * Writes into `out` (default a new array) and returns it. O(1).
 */
export function metropolisWasmTable(table: MetropolisTable, out = new Uint8Array(80)): Uint8Array {
  return checkerboardFlipPlanes((s, nn) => {
    const k = s * nn + 4 + ((s + 1) << 3);
    return table.always[k] === 1 ? TWO_POW_32 : (table.thresholds[k]! ^ 0x80000000) >>> 0;
  }, out);
}

/** Options of {@link createMetropolisUpdater}. */
export interface MetropolisOptions {
  /**
   * Sweep backend: `'auto'` (default: WebAssembly SIMD when available, else TypeScript) or `'js'`. The
   * two draw random numbers differently: for one seed they give different chains with the same
   * stationary distribution (both exact to the 2^-32 quantisation of the acceptance probabilities), each
   * reproducible bit for bit.
   */
  readonly backend?: 'auto' | 'js';
}

/**
 * Checkerboard Metropolis updater for the 2D Ising model at inverse temperature beta. `step(spins, rng)`
 * performs one sweep (N = L^2 attempted flips: the even sublattice, then the odd one) in place and
 * returns the number of accepted flips. Acceptance probabilities are floor(p 2^32) / 2^32, p =
 * min(1, exp(-beta dE)). Any J, h. The chain state is just (spins, rng): runs are reproducible bit for bit.
 * Backends (`options.backend`):
 * - WebAssembly SIMD (default where available, L <= 16384): each step seeds four xoshiro128** streams
 *   (the i32x4 lanes) from 16 uint32 draws of `rng`; the lattice is copied into module memory, split
 *   by column parity so that a checkerboard half-row is contiguous, and 16 sites are updated per vector.
 *   Each attempt's uniform uint32 is drawn lazily byte by byte from the most significant end (the lower
 *   bytes only when the higher ones tie with the threshold), which gives exactly P(accept) =
 *   floor(p 2^32) / 2^32 with about 8 random bits per attempt.
 * - `'js'`: {@link metropolisSweepKernel}, seeding one xoshiro128** stream from 4 uint32 draws of `rng`
 *   per step, one full uint32 draw per attempt.
 * The two backends give different (equally valid) chains for the same seed.
 * Caveat: on the 2 x 2 torus (every neighbour counted twice) the sweep is not ergodic: the four states
 * with both sublattices mixed have dE = 0 moves only and cycle among themselves, unreachable from the
 * rest. Use L >= 4 (checked by a chi-square test on 4 x 4).
 * Cost O(L^2) per step (with WebAssembly about a tenth of the TypeScript kernel's time at L = 256);
 * allocates nothing per step. The WebAssembly backend holds about 2 L^2 bytes of module memory per
 * updater.
 * Reference: N. Metropolis et al., J. Chem. Phys. 21, 1087 (1953).
 * @throws DomainError for a bad model, odd L (the checkerboard needs two sublattices), beta not a
 * finite number > 0, or an unknown backend. `step` throws ShapeError if spins does not have L^2 entries
 * (spin values are not checked: they must be +-1).
 * @example
 * ```ts
 * import { createIsing2D, createMetropolisUpdater, createRng } from 'coarsegrain';
 * const updater = createMetropolisUpdater(createIsing2D({ L: 16 }), 1 / 2.5); // beta = 1/T
 * const spins = new Int8Array(256).fill(1);
 * const accepted = updater.step(spins, createRng(1)); // one checkerboard sweep in place; accepted flips
 * ```
 */
export function createMetropolisUpdater(
  model: Ising2D,
  beta: number,
  options: MetropolisOptions = {},
): Updater {
  options = checkOptions(options, 'createMetropolisUpdater: options', METROPOLIS_OPTIONS_KEYS);
  checkIsing2D(model, 'createMetropolisUpdater');
  checkPositive(beta, 'createMetropolisUpdater: beta');
  const backend = options.backend ?? 'auto';
  checkOneOf(backend, 'createMetropolisUpdater: options.backend', ['auto', 'js'] as const);
  const { L } = model;
  if (L % 2 !== 0) {
    throw domainError('createMetropolisUpdater: model.L', 'an even integer (checkerboard sublattices)', L);
  }
  const n = L * L;
  const table = metropolisTable(model.J, model.h, beta);
  const fast = backend === 'auto' ? createCheckerboardWasmSweep(L, metropolisWasmTable(table)) : undefined;
  if (fast) {
    return {
      name: 'metropolis',
      step(spins: Int8Array, rng: Rng): number {
        checkLength(spins, 'metropolis.step: spins', n);
        return fast(spins, rng);
      },
    };
  }
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
