/**
 * Checkerboard heat bath (Glauber / Gibbs) updates for the 2D Ising model: each spin in turn is set to +1
 * with probability 1 / (1 + exp(-2 beta (J nn + h))), whatever its current value.
 * @module
 */
import type { Rng } from '../core/rng.js';
import { checkLength, checkPositive } from '../core/validate.js';
import { checkIsing2D } from '../lattice/ising2d.js';
import type { Ising2D } from '../lattice/types.js';
import type { Updater } from './types.js';
import { seedXoshiro128, TWO_POW_32 } from './xoshiro.js';

/** Heat-bath table: entry nn + 4 (nn = sum of the 4 neighbours) holds P(s = +1) * 2^32. Length 9. O(1). */
export function heatBathThresholds(
  J: number,
  h: number,
  beta: number,
  out = new Float64Array(9),
): Float64Array {
  out.fill(0);
  for (let nn = -4; nn <= 4; nn += 2) out[nn + 4] = TWO_POW_32 / (1 + Math.exp(-2 * beta * (J * nn + h)));
  return out;
}

/**
 * Unchecked heat-bath sweep on an L x L torus: sites with (x + y) even first, then odd, each set to +1
 * when a uint32 from the inline xoshiro128** state `xs` is below its threshold (see
 * {@link heatBathThresholds}). Every site is updated with the current values of its neighbours, so the
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

/**
 * Heat-bath updater for the 2D Ising model at inverse temperature beta. `step(spins, rng)` performs one
 * sweep (every site updated once, (x + y)-even sites first, then odd) in place and returns the number of
 * spins that changed. Like {@link createMetropolisUpdater} it seeds an inline xoshiro128** stream from 4
 * uint32 draws of `rng` per step. Any L >= 2 (for odd L the order is still a valid sequential scan), any
 * J, h. Cost O(L^2) per step, one draw per site.
 * Reference: R. J. Glauber, J. Math. Phys. 4, 294 (1963).
 * @throws DomainError for a bad model or beta not a finite number > 0. `step` throws ShapeError if spins
 * does not have L^2 entries.
 */
export function createHeatBathUpdater(model: Ising2D, beta: number): Updater {
  checkIsing2D(model, 'createHeatBathUpdater');
  checkPositive(beta, 'createHeatBathUpdater: beta');
  const { L } = model;
  const n = L * L;
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
