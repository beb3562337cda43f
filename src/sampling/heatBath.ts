/**
 * Checkerboard heat bath (Glauber / Gibbs) updates for the 2D Ising model: each spin in turn is set to +1
 * with probability 1 / (1 + exp(-2 beta (J nn + h))), whatever its current value. Two backends: the
 * WebAssembly SIMD checkerboard sweep shared with Metropolis (even L) and the TypeScript kernel
 * {@link heatBathSweepKernel}; they give different, equally valid chains for one seed, each reproducible.
 * @module
 */
import type { Rng } from '../core/rng.js';
import {
  checkFinite,
  checkLength,
  checkOneOf,
  checkOptions,
  checkPositive,
  optionKeys,
} from '../core/validate.js';
import { checkIsing2D } from '../lattice/ising2d.js';
import type { Ising2D } from '../lattice/types.js';
import type { Updater } from './types.js';
import { checkerboardFlipPlanes, createCheckerboardWasmSweep } from './wasm/checkerboard.js';
import { seedXoshiro128, TWO_POW_32 } from './xoshiro.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const HEAT_BATH_OPTIONS_KEYS = optionKeys<HeatBathOptions>({ backend: true });

/** J and h finite, beta finite > 0: a NaN here would silently give a table of NaN probabilities. */
function checkCouplings(J: number, h: number, beta: number, fn: string): void {
  checkFinite(J, `${fn}: J`);
  checkFinite(h, `${fn}: h`);
  checkPositive(beta, `${fn}: beta`);
}

/** Heat-bath table: entry nn + 4 (nn = sum of the 4 neighbours) holds P(s = +1) * 2^32. Length 9. O(1). */
export function heatBathThresholds(
  J: number,
  h: number,
  beta: number,
  out = new Float64Array(9),
): Float64Array {
  checkCouplings(J, h, beta, 'heatBathThresholds');
  out.fill(0);
  for (let nn = -4; nn <= 4; nn += 2) out[nn + 4] = TWO_POW_32 / (1 + Math.exp(-2 * beta * (J * nn + h)));
  return out;
}

/**
 * The heat bath as a flip table for the WebAssembly checkerboard sweep: a site with spin s and neighbour
 * sum nn flips with probability P(-s | nn) = 1 / (1 + exp(2 beta s (J nn + h))), quantised to
 * floor(P 2^32) / 2^32 (2^32 = always). 80 bytes in the byte-plane layout of the Metropolis module (see
 * {@link metropolisWasmTable}); writes into `out` (default a new array) and returns it. O(1).
 */
export function heatBathWasmTable(J: number, h: number, beta: number, out = new Uint8Array(80)): Uint8Array {
  checkCouplings(J, h, beta, 'heatBathWasmTable');
  return checkerboardFlipPlanes((s, nn) => {
    const q = 1 / (1 + Math.exp(2 * beta * s * (J * nn + h)));
    return q >= 1 ? TWO_POW_32 : Math.floor(q * TWO_POW_32);
  }, out);
}

/**
 * Unchecked heat-bath sweep on an L x L torus: sites with (x + y) even first, then odd, each set to +1
 * when a uint32 from the inline xoshiro128** state `xs` is below its threshold (see
 * `heatBathThresholds`). Every site is updated with the current values of its neighbours, so the
 * sweep is a valid sequential scan for odd L too. Updates `spins` and `xs`; returns the number of spins
 * that changed. Allocates nothing. O(L^2).
 */
export function heatBathSweepKernel(
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
        const nn =
          spins[i === row ? last : i - 1]! +
          spins[i === last ? row : i + 1]! +
          spins[i + up]! +
          spins[i + down]!;
        const m = Math.imul(s1, 5);
        const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        const sh = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= sh;
        s3 = (s3 << 11) | (s3 >>> 21);
        const s = 2 * ((r < thresholds[nn + 4]!) as unknown as number) - 1;
        flipped += (s !== spins[i]) as unknown as number; // branch-free: the outcome is unpredictable
        spins[i] = s;
      }
    }
  }
  xs[0] = s0;
  xs[1] = s1;
  xs[2] = s2;
  xs[3] = s3;
  return flipped;
}

/** Options of `createHeatBathUpdater`. */
export interface HeatBathOptions {
  /**
   * Sweep backend: `'auto'` (default: WebAssembly SIMD when available and L is even, else TypeScript) or
   * `'js'`. For one seed the two give different chains with the same stationary distribution, each
   * reproducible bit for bit.
   */
  readonly backend?: 'auto' | 'js';
}

/**
 * Heat-bath updater for the 2D Ising model at inverse temperature beta. `step(spins, rng)` performs one
 * sweep (every site updated once, (x + y)-even sites first, then odd) in place and returns the number of
 * spins that changed. Any L >= 2 (for odd L the order is still a valid sequential scan), any J, h.
 * Backends (`options.backend`):
 * - WebAssembly SIMD (default for even L <= 16384 where available): the checkerboard sweep of
 *   {@link createMetropolisUpdater} with the flip table {@link heatBathWasmTable} (setting a spin to +1
 *   with probability P(+1 | nn) is flipping it with probability P(-s | nn)); 16 uniform uint32 draws of
 *   `rng` per step seed its four xoshiro128** lanes.
 * - `'js'` (and odd L): {@link heatBathSweepKernel}, seeding one xoshiro128** stream from 4 uint32 draws
 *   of `rng` per step, one draw per site.
 * Probabilities are exact up to a quantisation of 2^-32 in both. Cost O(L^2) per step, nothing allocated
 * per step.
 * Reference: R. J. Glauber, J. Math. Phys. 4, 294 (1963).
 * @throws DomainError for a bad model, beta not a finite number > 0 or an unknown backend. `step` throws
 * ShapeError if spins does not have L^2 entries.
 * @example
 * const up = createHeatBathUpdater(createIsing2D({ L: 16 }), 1 / 2.5);
 * const spins = new Int8Array(256).fill(1);
 * up.step(spins, createRng(1)); // number of spins that changed
 */
export function createHeatBathUpdater(model: Ising2D, beta: number, options: HeatBathOptions = {}): Updater {
  options = checkOptions(options, 'createHeatBathUpdater: options', HEAT_BATH_OPTIONS_KEYS);
  checkIsing2D(model, 'createHeatBathUpdater');
  checkPositive(beta, 'createHeatBathUpdater: beta');
  const backend = options.backend ?? 'auto';
  checkOneOf(backend, 'createHeatBathUpdater: options.backend', ['auto', 'js'] as const);
  const { L } = model;
  const n = L * L;
  const fast =
    backend === 'auto' && L % 2 === 0
      ? createCheckerboardWasmSweep(L, heatBathWasmTable(model.J, model.h, beta))
      : undefined;
  if (fast) {
    return {
      name: 'heat-bath',
      step(spins: Int8Array, rng: Rng): number {
        checkLength(spins, 'heat-bath.step: spins', n);
        return fast(spins, rng);
      },
    };
  }
  const thresholds = heatBathThresholds(model.J, model.h, beta);
  const xs = new Int32Array(4);
  return {
    name: 'heat-bath',
    step(spins: Int8Array, rng: Rng): number {
      checkLength(spins, 'heat-bath.step: spins', n);
      seedXoshiro128(rng, xs);
      return heatBathSweepKernel(spins, L, thresholds, xs);
    },
  };
}
