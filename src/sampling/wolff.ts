/**
 * Wolff single-cluster updates for the 2D Ising model in zero field: grow a cluster from a random seed
 * spin, adding each aligned neighbour across a bond with probability p = 1 - exp(-2 beta J), then flip it.
 * @module
 */
import { deriveRng, type Rng } from '../core/rng.js';
import {
  checkInteger,
  checkLength,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkPositive,
  domainError,
  optionKeys,
} from '../core/validate.js';
import { checkIsing2D } from '../lattice/ising2d.js';
import { squareNeighbors } from '../lattice/square.js';
import type { Ising2D } from '../lattice/types.js';
import { clusterBondThreshold, swendsenWangKernel } from './swendsenWang.js';
import type { Updater } from './types.js';
import { createWolffWasmClusters } from './wasm/wolffCluster.js';
import { seedXoshiro128, TWO_POW_32, xoshiro128Next } from './xoshiro.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const WOLFF_OPTIONS_KEYS = optionKeys<WolffOptions>({
  clustersPerStep: true,
  sweepsPerStep: true,
  backend: true,
});

/**
 * Unchecked: grow and flip ONE Wolff cluster from `seedSite`. Spins are flipped as they join the cluster
 * (so a flipped spin is never added again); for each of the 4 neighbours of a cluster spin one uint32
 * is drawn from the xoshiro128** state `xs`, and an aligned neighbour joins when it is below `addThreshold` (see
 * `clusterBondThreshold`). `neighbors` is the table of `squareNeighbors` (or any graph with 4
 * entries per site); `stack` needs room for N + 1 sites. Updates `spins` and `xs`; returns the cluster size.
 * Allocates nothing. O(cluster size).
 * Reference: U. Wolff, Phys. Rev. Lett. 62, 361 (1989).
 */
export function wolffClusterKernel(
  spins: Int8Array,
  neighbors: Int32Array,
  addThreshold: number,
  seedSite: number,
  stack: Int32Array,
  xs: Int32Array,
): number {
  let s0 = xs[0]!;
  let s1 = xs[1]!;
  let s2 = xs[2]!;
  let s3 = xs[3]!;
  const threshold = (Math.floor(addThreshold) - 2147483648) | 0; // compared with (uint32 draw - 2^31)
  const s = spins[seedSite]!;
  spins[seedSite] = -s;
  stack[0] = seedSite;
  let top = 1;
  let size = 1;
  while (top > 0) {
    const o = stack[--top]! << 2;
    for (let d = 0; d < 4; d++) {
      // branch-free: draw for every neighbour, add it when aligned and the bond is activated
      // (about 1.5x faster than testing alignment first: the branches are unpredictable near Tc)
      const j = neighbors[o + d]!;
      const m = Math.imul(s1, 5);
      const r = Math.imul((m << 7) | (m >>> 25), 9) ^ 0x80000000;
      const sh = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= sh;
      s3 = (s3 << 11) | (s3 >>> 21);
      const sj = spins[j]!;
      const add = ((sj === s) as unknown as number) & ((r < threshold) as unknown as number);
      spins[j] = sj - 2 * s * add;
      stack[top] = j;
      top += add;
      size += add;
    }
  }
  xs[0] = s0;
  xs[1] = s1;
  xs[2] = s2;
  xs[3] = s3;
  return size;
}

/**
 * Unchecked: {@link wolffClusterKernel} on an L x L torus with L a power of two (L >= 2), the neighbours
 * computed from the site index with bit masks instead of read from a 4 L^2 neighbour table (which does not
 * fit in the L1/L2 caches at large L). Same order of neighbours (right, left, down, up) and of draws, so the
 * same cluster and the same state of `xs` for the same input. `stack` needs room for L^2 + 1 sites.
 * Allocates nothing. O(cluster size).
 */
export function wolffClusterPow2Kernel(
  spins: Int8Array,
  L: number,
  addThreshold: number,
  seedSite: number,
  stack: Int32Array,
  xs: Int32Array,
): number {
  let s0 = xs[0]!;
  let s1 = xs[1]!;
  let s2 = xs[2]!;
  let s3 = xs[3]!;
  const threshold = (Math.floor(addThreshold) - 2147483648) | 0; // compared with (uint32 draw - 2^31)
  const mask = L - 1;
  const siteMask = L * L - 1;
  const s = spins[seedSite]!;
  const twoS = 2 * s;
  spins[seedSite] = -s;
  stack[0] = seedSite;
  let top = 1;
  let m = 0;
  let r = 0;
  let t = 0;
  let j = 0;
  let sj = 0;
  let add = 0;
  let size = 1;
  while (top > 0) {
    const i = stack[--top]!;
    const x = i & mask;
    const row = i - x;
    const before = top;
    // right
    j = row | ((x + 1) & mask);
    m = Math.imul(s1, 5);
    r = Math.imul((m << 7) | (m >>> 25), 9) ^ 0x80000000;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    sj = spins[j]!;
    add = ((sj === s) as unknown as number) & ((r < threshold) as unknown as number);
    spins[j] = sj - twoS * add;
    stack[top] = j;
    top += add;
    // left
    j = row | ((x - 1) & mask);
    m = Math.imul(s1, 5);
    r = Math.imul((m << 7) | (m >>> 25), 9) ^ 0x80000000;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    sj = spins[j]!;
    add = ((sj === s) as unknown as number) & ((r < threshold) as unknown as number);
    spins[j] = sj - twoS * add;
    stack[top] = j;
    top += add;
    // down
    j = (i + L) & siteMask;
    m = Math.imul(s1, 5);
    r = Math.imul((m << 7) | (m >>> 25), 9) ^ 0x80000000;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    sj = spins[j]!;
    add = ((sj === s) as unknown as number) & ((r < threshold) as unknown as number);
    spins[j] = sj - twoS * add;
    stack[top] = j;
    top += add;
    // up
    j = (i - L) & siteMask;
    m = Math.imul(s1, 5);
    r = Math.imul((m << 7) | (m >>> 25), 9) ^ 0x80000000;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    sj = spins[j]!;
    add = ((sj === s) as unknown as number) & ((r < threshold) as unknown as number);
    spins[j] = sj - twoS * add;
    stack[top] = j;
    top += add;
    size += top - before;
  }
  xs[0] = s0;
  xs[1] = s1;
  xs[2] = s2;
  xs[3] = s3;
  return size;
}

/** Options of `createWolffUpdater`. */
export interface WolffOptions {
  /**
   * Exact number of clusters flipped per step (integer >= 1). When given, no pilot run is made and
   * `sweepsPerStep` is ignored.
   */
  readonly clustersPerStep?: number;
  /**
   * Target number of spins flipped per step in sweeps (finite, > 0; default 1): the number of clusters
   * per step is fixed once, at construction, as max(1, round(sweepsPerStep * N / <|C|>)), with the mean
   * Wolff cluster size <|C|> = <M^2>/N estimated by a short private pilot run (Swendsen-Wang improved
   * estimator, 40 steps on its own fixed-seed generator; cost about 40 sweeps). The pilot depends only on
   * (L, J, beta), so the same model and beta always give the same clustersPerStep.
   */
  readonly sweepsPerStep?: number;
  /**
   * Cluster kernel: `'auto'` (default: WebAssembly when available and L is a power of two, else
   * TypeScript) or `'js'`. Both give bit-identical chains.
   */
  readonly backend?: 'auto' | 'js';
}

/** A Wolff {@link Updater} that can also flip a single cluster (for improved estimators). */
export interface WolffUpdater extends Updater {
  /**
   * Grow and flip one cluster from a uniformly random seed site; returns its size (<|C|> = <M^2>/N is the
   * improved estimator of the susceptibility). Draws 4 uint32 from `rng` to seed the inline stream.
   */
  flipCluster(spins: Int8Array, rng: Rng): number;
  /** The fixed number of clusters flipped by each `step`. */
  readonly clustersPerStep: number;
  /** The cluster kernel in use. */
  readonly backend: 'wasm' | 'js';
}

/** Mean Wolff cluster size <M^2>/N from a private Swendsen-Wang pilot run (independent of any chain). */
function pilotMeanClusterSize(L: number, threshold: number, J: number, beta: number): number {
  const n = L * L;
  const rng = deriveRng('coarsegrain:wolff-pilot', L, J, beta);
  const spins = new Int8Array(n);
  for (let i = 0; i < n; i++) spins[i] = rng.uint32() & 1 ? 1 : -1;
  const parent = new Int32Array(n);
  const flip = new Int8Array(n);
  const xs = new Int32Array(4);
  let sum = 0;
  let count = 0;
  for (let k = 0; k < 40; k++) {
    seedXoshiro128(rng, xs);
    swendsenWangKernel(spins, L, threshold, parent, flip, xs);
    if (k < 20) continue;
    let s2 = 0;
    for (let i = 0; i < n; i++) if (parent[i]! < 0) s2 += parent[i]! * parent[i]!;
    sum += s2 / n;
    count++;
  }
  return sum / count;
}

/**
 * Wolff cluster updater for the 2D Ising model at inverse temperature beta (zero field, J >= 0).
 * `step(spins, rng)` flips a FIXED number of clusters (`clustersPerStep`, see {@link WolffOptions}),
 * each from a uniformly random seed site, and returns the number of spins flipped. The count is fixed in
 * advance on purpose: stopping "once N spins have been flipped" would make the number of clusters depend
 * on the cluster sizes of the same step, and the state at such a stopping time is not Boltzmann
 * distributed (on 4 x 4 at T = 1.5 that rule biases <e> by ~100 standard errors). Random numbers come
 * from an inline xoshiro128** stream seeded by 4 uint32 draws of `rng` per step, so the chain state is
 * (spins, rng). For L a power of two the clusters grow in a small WebAssembly module (neighbours from the
 * site index by bit masks; the spins are copied in and out once per step), else, or with backend 'js', in
 * TypeScript; every backend draws the same numbers in the same order and gives the same chain bit for bit.
 * Cost O(spins flipped) per step, ~ O(sweepsPerStep L^2); memory about 5 L^2 bytes (WebAssembly) or up to
 * 5 L^2 int32 (TypeScript with a neighbour table).
 * Reference: U. Wolff, Phys. Rev. Lett. 62, 361 (1989).
 * @throws DomainError for a bad model, h != 0 (the cluster construction needs zero field), J < 0, beta
 * not a finite number > 0, sweepsPerStep not a finite number > 0, clustersPerStep not an integer >= 1, or
 * a backend other than 'auto' or 'js'. `step` throws ShapeError if spins does not have L^2 entries.
 */
export function createWolffUpdater(model: Ising2D, beta: number, options: WolffOptions = {}): WolffUpdater {
  options = checkOptions(options, 'createWolffUpdater: options', WOLFF_OPTIONS_KEYS);
  checkIsing2D(model, 'createWolffUpdater');
  checkPositive(beta, 'createWolffUpdater: beta');
  if (model.h !== 0)
    throw domainError('createWolffUpdater: model.h', '0 (cluster updates need zero field)', model.h);
  checkNonNegative(model.J, 'createWolffUpdater: model.J');
  if (options === null || typeof options !== 'object') {
    throw domainError('createWolffUpdater: options', 'an object', options);
  }
  const backend = checkOneOf(options.backend ?? 'auto', 'createWolffUpdater: options.backend', [
    'auto',
    'js',
  ] as const);
  const sweeps =
    options.sweepsPerStep === undefined
      ? 1
      : checkPositive(options.sweepsPerStep, 'createWolffUpdater: options.sweepsPerStep');
  const { L } = model;
  const n = L * L;
  const threshold = clusterBondThreshold(model.J, beta);
  const clustersPerStep =
    options.clustersPerStep === undefined
      ? Math.max(1, Math.round((sweeps * n) / pilotMeanClusterSize(L, threshold, model.J, beta)))
      : checkInteger(options.clustersPerStep, 'createWolffUpdater: options.clustersPerStep', 1);
  const pow2 = (L & (L - 1)) === 0;
  const xs = new Int32Array(4);
  const scale = n / TWO_POW_32;
  const wasm = backend === 'auto' ? createWolffWasmClusters(L, threshold) : undefined;
  const neighbors = pow2 || wasm ? new Int32Array(0) : squareNeighbors(L);
  const stack = new Int32Array(wasm ? 0 : n + 1);
  // `count` clusters from seed sites floor(draw * scale), the draws continuing the stream `xs`
  const clusters =
    wasm ??
    ((spins: Int8Array, state: Int32Array, count: number): number => {
      let flipped = 0;
      for (let c = 0; c < count; c++) {
        const site = Math.floor(xoshiro128Next(state) * scale);
        flipped += pow2
          ? wolffClusterPow2Kernel(spins, L, threshold, site, stack, state)
          : wolffClusterKernel(spins, neighbors, threshold, site, stack, state);
      }
      return flipped;
    });
  return {
    name: 'wolff',
    clustersPerStep,
    backend: wasm ? 'wasm' : 'js',
    step(spins: Int8Array, rng: Rng): number {
      checkLength(spins, 'wolff.step: spins', n);
      seedXoshiro128(rng, xs);
      return clusters(spins, xs, clustersPerStep);
    },
    flipCluster(spins: Int8Array, rng: Rng): number {
      checkLength(spins, 'wolff.flipCluster: spins', n);
      seedXoshiro128(rng, xs);
      return clusters(spins, xs, 1);
    },
  };
}
