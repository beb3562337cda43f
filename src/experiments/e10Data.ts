/**
 * The synthetic data and noise of E10: a planted low-rank data set and the noisy copies (spin flips or
 * Gaussian noise) on which noise rejection is measured.
 * @module
 */
import type { Rng } from '../core/rng.js';

/** Planted rank-r data: x = sum_a z_a b_a + noise, z_a ~ N(0, (1 - a / (2r))^2), b_a with N(0, 1) entries. */
export function plantedLowRank(n: number, d: number, r: number, noise: number, rng: Rng): Float64Array {
  const basis = new Float64Array(d * r);
  for (let i = 0; i < basis.length; i++) basis[i] = rng.normal();
  const x = new Float64Array(n * d);
  const z = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < r; a++) z[a] = rng.normal() * (1 - a / (2 * r));
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let a = 0; a < r; a++) s += basis[j * r + a]! * z[a]!;
      x[i * d + j] = s + noise * rng.normal();
    }
  }
  return x;
}

/**
 * A noisy copy of `clean`: each entry flipped in sign with probability `level` (spins) or plus
 * level * N(0, 1) (otherwise). O(length).
 */
export function addNoise(clean: Float64Array, level: number, spins: boolean, rng: Rng): Float64Array {
  const out = new Float64Array(clean.length);
  for (let i = 0; i < clean.length; i++)
    out[i] = spins ? (rng.uniform() < level ? -clean[i]! : clean[i]!) : clean[i]! + level * rng.normal();
  return out;
}
