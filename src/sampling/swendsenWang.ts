/**
 * Swendsen-Wang multi-cluster updates for the 2D Ising model in zero field: activate each satisfied bond
 * with probability p = 1 - exp(-2 beta J), find the connected clusters by union-find, flip each cluster
 * with probability 1/2.
 * @module
 */
import type { Rng } from '../core/rng.js';
import { checkLength, checkNonNegative, checkPositive, domainError, shapeError } from '../core/validate.js';
import { checkIsing2D } from '../lattice/ising2d.js';
import type { Ising2D } from '../lattice/types.js';
import type { Updater } from './types.js';
import { seedXoshiro128, TWO_POW_32 } from './xoshiro.js';

/** Bond-activation threshold (1 - exp(-2 beta J)) * 2^32 of the Ising cluster methods, for comparison with uint32 draws. */
export function clusterBondThreshold(J: number, beta: number): number {
  return -Math.expm1(-2 * beta * J) * TWO_POW_32;
}

/** Root of x in a union-find forest where `parent[r] < 0` marks a root holding -size; path halving. */
function findRoot(parent: Int32Array, x: number): number {
  for (;;) {
    const p = parent[x]!;
    if (p < 0) return x;
    const gp = parent[p]!;
    if (gp < 0) return p;
    parent[x] = gp;
    x = gp;
  }
}

/**
 * Unchecked Swendsen-Wang update on an L x L torus. `parent` (Int32Array(N)) is scratch: on return it is
 * the union-find forest of the clusters (roots hold -size). `flip` (Int8Array(N)) is scratch. Bonds are
 * visited site by site (right, then down); random words come from the xoshiro128** state `xs`.
 * Updates `spins` and `xs`; returns the number of spins flipped. Allocates nothing.
 * O(L^2 alpha(L^2)) (union by size with path halving).
 * Reference: R. H. Swendsen and J.-S. Wang, Phys. Rev. Lett. 58, 86 (1987).
 */
export function swendsenWangKernel(
  spins: Int8Array,
  L: number,
  bondThreshold: number,
  parent: Int32Array,
  flip: Int8Array,
  xs: Int32Array,
): number {
  let s0 = xs[0]!;
  let s1 = xs[1]!;
  let s2 = xs[2]!;
  let s3 = xs[3]!;
  const n = L * L;
  const threshold = (Math.floor(bondThreshold) - 2147483648) | 0; // compared with (uint32 draw - 2^31)
  parent.fill(-1);
  flip.fill(0);
  for (let y = 0; y < L; y++) {
    const row = y * L;
    const down = y === L - 1 ? L - n : L;
    for (let x = 0; x < L; x++) {
      const i = row + x;
      const si = spins[i]!;
      for (let d = 0; d < 2; d++) {
        const j = d === 0 ? (x === L - 1 ? row : i + 1) : i + down;
        if (spins[j] !== si) continue;
        const m = Math.imul(s1, 5);
        const r = Math.imul((m << 7) | (m >>> 25), 9) ^ 0x80000000;
        const sh = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= sh;
        s3 = (s3 << 11) | (s3 >>> 21);
        if (r >= threshold) continue;
        let a = findRoot(parent, i);
        let b = findRoot(parent, j);
        if (a === b) continue;
        if (parent[a]! > parent[b]!) {
          const tmp = a;
          a = b;
          b = tmp;
        }
        parent[a] = parent[a]! + parent[b]!;
        parent[b] = a;
      }
    }
  }
  let flipped = 0;
  for (let i = 0; i < n; i++) {
    const root = findRoot(parent, i);
    let f = flip[root]!;
    if (f === 0) {
      const m = Math.imul(s1, 5);
      const r = Math.imul((m << 7) | (m >>> 25), 9);
      const sh = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= sh;
      s3 = (s3 << 11) | (s3 >>> 21);
      f = r < 0 ? 2 : 1; // top bit: flip with probability 1/2
      flip[root] = f;
    }
    if (f === 2) {
      spins[i] = -spins[i]!;
      flipped++;
    }
  }
  xs[0] = s0;
  xs[1] = s1;
  xs[2] = s2;
  xs[3] = s3;
  return flipped;
}

/** A Swendsen-Wang {@link Updater} that also reports the clusters of its last step. */
export interface SwendsenWangUpdater extends Updater {
  /** Number of clusters formed by the last `step` (0 before the first step). */
  clusterCount(): number;
  /**
   * Sizes of the clusters of the last `step` (in order of their root site), written to `out` if given
   * (it must have room for `clusterCount()` values); sum of sizes = L^2. Improved estimator:
   * <m^2> = <sum_C |C|^2> / N^2.
   * @throws ShapeError if `out` is too short.
   */
  clusterSizes(out?: Int32Array): Int32Array;
}

/**
 * Swendsen-Wang updater for the 2D Ising model at inverse temperature beta (zero field, J >= 0).
 * `step(spins, rng)` performs one full SW update in place (all 2 L^2 bonds, every cluster flipped with
 * probability 1/2) and returns the number of spins flipped. Random numbers come from an inline
 * xoshiro128** stream seeded by 4 uint32 draws of `rng` per step. Cost O(L^2 alpha(L^2)) per step;
 * memory L^2 int32 + L^2 int8 of scratch.
 * Reference: R. H. Swendsen and J.-S. Wang, Phys. Rev. Lett. 58, 86 (1987).
 * @throws DomainError for a bad model, h != 0, J < 0 or beta not a finite number > 0. `step` throws
 * ShapeError if spins does not have L^2 entries.
 */
export function createSwendsenWangUpdater(model: Ising2D, beta: number): SwendsenWangUpdater {
  checkIsing2D(model, 'createSwendsenWangUpdater');
  checkPositive(beta, 'createSwendsenWangUpdater: beta');
  if (model.h !== 0) {
    throw domainError('createSwendsenWangUpdater: model.h', '0 (cluster updates need zero field)', model.h);
  }
  checkNonNegative(model.J, 'createSwendsenWangUpdater: model.J');
  const { L } = model;
  const n = L * L;
  const parent = new Int32Array(n);
  const flip = new Int8Array(n);
  const xs = new Int32Array(4);
  const threshold = clusterBondThreshold(model.J, beta);
  let stepped = false;
  const clusterCount = (): number => {
    if (!stepped) return 0;
    let c = 0;
    for (let i = 0; i < n; i++) if (parent[i]! < 0) c++;
    return c;
  };
  return {
    name: 'swendsen-wang',
    step(spins: Int8Array, rng: Rng): number {
      checkLength(spins, 'swendsen-wang.step: spins', n);
      seedXoshiro128(rng, xs);
      stepped = true;
      return swendsenWangKernel(spins, L, threshold, parent, flip, xs);
    },
    clusterCount,
    clusterSizes(out?: Int32Array): Int32Array {
      const count = clusterCount();
      if (out !== undefined && !(out instanceof Int32Array && out.length >= count)) {
        throw shapeError(
          'swendsen-wang.clusterSizes: out',
          `an Int32Array of length >= ${count}`,
          `${out?.length}`,
        );
      }
      const sizes = out ?? new Int32Array(count);
      if (!stepped) return sizes;
      let k = 0;
      for (let i = 0; i < n; i++) if (parent[i]! < 0) sizes[k++] = -parent[i]!;
      return sizes;
    },
  };
}
