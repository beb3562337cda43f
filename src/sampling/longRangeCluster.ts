/**
 * The Luijten-Bloete single-cluster (Wolff) algorithm for the long-range ring: bonds from a cluster site
 * are activated with p(r) = 1 - exp(-2 beta J(r)) by jumping straight to the next activated bond through
 * the cumulative bond "rates" (geometric skipping), so growing a cluster costs O(cluster size * log N)
 * instead of O(cluster size * N).
 * Reference: E. Luijten and H. W. J. Bloete, Int. J. Mod. Phys. C 6, 359 (1995); U. Wolff, Phys. Rev.
 * Lett. 62, 361 (1989).
 * @module
 */
import { deriveRng, type Rng } from '../core/rng.js';
import {
  checkInteger,
  checkOptions,
  checkPositive,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { checkLongRangeChain } from '../lattice/longRangeChain.js';
import type { LongRangeChain } from '../lattice/types.js';
import type { Updater } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const LONG_RANGE_CLUSTER_OPTIONS_KEYS = optionKeys<LongRangeClusterOptions>({ clustersPerStep: true });

/** Options of `createLongRangeClusterUpdater`. */
export interface LongRangeClusterOptions {
  /**
   * Cluster flips per `step`. Default: N / (mean cluster size), measured once at construction by a short
   * deterministic pilot run (at most 4000 clusters or ~10 sweeps' worth of flips, the mean taken over its
   * second half) with a private generator derived from
   * (N, sigma, J, beta). The count is fixed for the life of the updater: stopping a step after a
   * state-dependent number of flipped spins would bias the sampled distribution.
   */
  readonly clustersPerStep?: number;
}

/** A long-range cluster updater. */
export interface LongRangeClusterUpdater extends Updater {
  readonly name: 'lr-cluster';
  /** Cluster flips per step (fixed). */
  readonly clustersPerStep: number;
  /** Grow and flip one cluster from a uniformly random seed site; returns its size. O(size log N). */
  readonly flipCluster: (spins: Int8Array, rng: Rng) => number;
}

/**
 * Cumulative bond rates over offsets d = 0..N-1 from a site: out[d] = sum_{d'=1..d} 2 beta J(r(d')), with
 * r(d) = min(d, N - d). A bond at offset d is active with probability 1 - exp(-(out[d] - out[d-1])). O(N).
 */
export function longRangeCumulativeRates(model: LongRangeChain, beta: number): Float64Array {
  const { N, couplings } = model;
  const out = new Float64Array(N);
  for (let d = 1; d < N; d++) out[d] = out[d - 1]! + 2 * beta * couplings[Math.min(d, N - d)]!;
  return out;
}

/**
 * Unchecked: grow and flip one Wolff cluster from `seed`. For each cluster site i, candidate bonds to
 * j = i + d (mod N) are drawn in increasing offset d: the next active offset is the smallest d with
 * rates[d] >= rates[d_prev] - ln(u) (binary search), which reproduces independent Bernoulli bonds with
 * p = 1 - exp(-2 beta J(r)). A candidate joins when its spin equals the cluster's original spin.
 * `stack` (length N) is scratch. Returns the cluster size. O(size * (1 + sum_r p(r)) * log N).
 */
export function longRangeClusterKernel(
  rates: Float64Array,
  N: number,
  spins: Int8Array,
  seed: number,
  uniform: () => number,
  stack: Int32Array,
): number {
  const s0 = spins[seed]!;
  const flippedSpin = -s0 as -1 | 1;
  const total = rates[N - 1]!;
  spins[seed] = flippedSpin;
  stack[0] = seed;
  let top = 1;
  let size = 1;
  while (top > 0) {
    const i = stack[--top]!;
    let d = 0;
    let c = 0;
    for (;;) {
      const target = c - Math.log(1 - uniform());
      if (target > total) break;
      // smallest d' in (d, N-1] with rates[d'] >= target
      let lo = d + 1;
      let hi = N - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (rates[mid]! >= target) hi = mid;
        else lo = mid + 1;
      }
      d = lo;
      c = rates[d]!;
      let j = i + d;
      if (j >= N) j -= N;
      if (spins[j] === s0) {
        spins[j] = flippedSpin;
        stack[top++] = j;
        size++;
      }
      if (d >= N - 1) break;
    }
  }
  return size;
}

/**
 * Luijten-Bloete cluster updater for the long-range ring at inverse temperature beta (field h = 0). A step
 * flips a fixed number of Wolff clusters ({@link LongRangeClusterOptions.clustersPerStep}, by default about
 * one sweep's worth), each grown from a uniformly random seed. Cost per cluster O(size * log N); per
 * sweep-equivalent O(N log N) for bounded sum_r p(r). Memory O(N).
 * @param beta - inverse temperature 1/T > 0.
 * @throws DomainError for a bad model or beta, a field h != 0, or clustersPerStep not an integer >= 1.
 */
export function createLongRangeClusterUpdater(
  model: LongRangeChain,
  beta: number,
  options: LongRangeClusterOptions = {},
): LongRangeClusterUpdater {
  options = checkOptions(options, 'createLongRangeClusterUpdater: options', LONG_RANGE_CLUSTER_OPTIONS_KEYS);
  const fn = 'createLongRangeClusterUpdater';
  checkLongRangeChain(model, fn);
  checkPositive(beta, `${fn}: beta`);
  if (model.h !== 0)
    throw domainError(`${fn}: model.h`, '0 (the cluster algorithm needs zero field)', model.h);
  const N = model.N;
  const rates = longRangeCumulativeRates(model, beta);
  const stack = new Int32Array(N);
  const flipCluster = (spins: Int8Array, rng: Rng): number => {
    const uniform = rng.uniform;
    return longRangeClusterKernel(rates, N, spins, (uniform() * N) | 0, uniform, stack);
  };
  let clustersPerStep: number;
  if (options.clustersPerStep !== undefined) {
    clustersPerStep = checkInteger(options.clustersPerStep, `${fn}: options.clustersPerStep`, 1);
  } else {
    const pilot = deriveRng('lr-cluster-pilot', N, model.sigma, model.J, beta);
    const spins = new Int8Array(N).fill(1);
    const maxClusters = 4000;
    const sizes = new Float64Array(maxClusters);
    let flipped = 0;
    let clusters = 0;
    while (clusters < maxClusters && flipped < 10 * N) {
      const size = flipCluster(spins, pilot);
      sizes[clusters++] = size;
      flipped += size;
    }
    // the second half of the pilot clusters (the first half relaxes from the ordered start)
    let counted = 0;
    const from = clusters >> 1;
    for (let k = from; k < clusters; k++) counted += sizes[k]!;
    const meanSize = clusters > from ? counted / (clusters - from) : N;
    clustersPerStep = Math.max(1, Math.round(N / meanSize));
  }
  return {
    name: 'lr-cluster',
    clustersPerStep,
    flipCluster,
    step(spins: Int8Array, rng: Rng): number {
      if (spins.length !== N)
        throw shapeError('lr-cluster step: spins', `length ${N}`, `length ${spins.length}`);
      let flipped = 0;
      for (let k = 0; k < clustersPerStep; k++) flipped += flipCluster(spins, rng);
      return flipped;
    },
  };
}
