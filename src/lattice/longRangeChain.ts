/**
 * The long-range Ising ring: N spins on a periodic chain with H = -sum_{i<j} J(r_ij) s_i s_j - h sum_i s_i,
 * J(r) = J / r^(1 + sigma), r_ij = min(|i - j|, N - |i - j|) the minimum-image distance, each unordered
 * pair counted once. For even N the N/2 pairs at distance N/2 are therefore counted once each (not twice,
 * as a sum over both images would). Energy, local fields, the energy change of a flip, and exact
 * enumeration of small rings (N <= 16) as a validator for the samplers.
 * @module
 */
import { fftPlan } from '../core/fft.js';
import {
  checkFinite,
  checkInteger,
  checkLength,
  checkOptions,
  checkPositive,
  checkRange,
  checkSpins,
  domainError,
  optionKeys,
} from '../core/validate.js';
import type { EnumerationResult } from './exact2d.js';
import type { LongRangeChain } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const LONG_RANGE_CHAIN_OPTIONS_KEYS = optionKeys<LongRangeChainOptions>({
  N: true,
  sigma: true,
  J: true,
  h: true,
});

/** Options of {@link createLongRangeChain}. */
export interface LongRangeChainOptions {
  /** Number of spins, integer >= 2. */
  readonly N: number;
  /** Decay exponent of the coupling, 0 < sigma <= 2. */
  readonly sigma: number;
  /** Coupling scale J > 0 (default 1). */
  readonly J?: number;
  /** External field h (default 0). */
  readonly h?: number;
}

/**
 * Create a long-range ring. `couplings[r] = J / r^(1 + sigma)` for r = 1..floor(N/2), couplings[0] = 0.
 * O(N).
 * @throws DomainError if N is not an integer >= 2, sigma is outside (0, 2], J is not > 0 or h is not finite.
 * @example
 * ```ts
 * import { createLongRangeChain } from 'coarsegrain';
 * const chain = createLongRangeChain({ N: 8, sigma: 0.5 }); // J(r) = 1 / r^1.5 on a ring of 8 sites
 * chain.couplings; // Float64Array [0, 1, 0.35355, 0.19245, 0.125] (r = 0..4)
 * ```
 */
export function createLongRangeChain(options: LongRangeChainOptions): LongRangeChain {
  options = checkOptions(options, 'createLongRangeChain: options', LONG_RANGE_CHAIN_OPTIONS_KEYS, true);
  const fn = 'createLongRangeChain';
  if (options === null || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object', options);
  const N = checkInteger(options.N, `${fn}: N`, 2, 1 << 26);
  const sigma = checkRange(options.sigma, `${fn}: sigma`, 0, 2, true);
  const J = checkPositive(options.J ?? 1, `${fn}: J`);
  const h = checkFinite(options.h ?? 0, `${fn}: h`);
  const half = Math.floor(N / 2);
  const couplings = new Float64Array(half + 1);
  for (let r = 1; r <= half; r++) couplings[r] = J / r ** (1 + sigma);
  return { kind: 'lrchain', N, sigma, J, h, couplings };
}

/** Validate a long-range chain passed to a public function (`fn` names the caller). */
export function checkLongRangeChain(model: LongRangeChain, fn: string): void {
  if (model === null || typeof model !== 'object' || model.kind !== 'lrchain') {
    throw domainError(`${fn}: model`, "a long-range chain (kind 'lrchain')", model);
  }
  checkInteger(model.N, `${fn}: model.N`, 2);
  checkLength(model.couplings, `${fn}: model.couplings`, Math.floor(model.N / 2) + 1);
}

/**
 * The coupling of every offset, doubled: `out[k] = J(min(k mod N, N - k mod N))` for k = 0..2N-1 (so
 * out[0] = out[N] = 0). The coupling between sites i and j is `out[N - i + j]`, an index in [1, 2N - 1]
 * without any modulo: the field update after a flip is one contiguous loop. O(N).
 */
export function longRangeDoubledCouplings(model: LongRangeChain, out?: Float64Array): Float64Array {
  const { N, couplings } = model;
  const table = out ?? new Float64Array(2 * N);
  for (let d = 0; d < N; d++) {
    const c = couplings[Math.min(d, N - d)]!;
    table[d] = c;
    table[d + N] = c;
  }
  return table;
}

/**
 * Unchecked local fields without the external field: `out[i] = sum_{j != i} K[N - i + j] s_j` with K the
 * doubled coupling table of `longRangeDoubledCouplings`. Allocates nothing. O(N^2).
 */
export function longRangeLocalFieldsKernel(
  doubled: Float64Array,
  N: number,
  spins: Int8Array,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < N; i++) {
    const off = N - i;
    let f = 0;
    for (let j = 0; j < N; j++) f += doubled[off + j]! * spins[j]!;
    out[i] = f;
  }
  return out;
}

function checkSpinArray(model: LongRangeChain, spins: Int8Array, fn: string): void {
  checkLongRangeChain(model, fn);
  if (!(spins instanceof Int8Array)) throw domainError(`${fn}: spins`, 'an Int8Array', spins);
  checkLength(spins, `${fn}: spins`, model.N);
  checkSpins(spins, `${fn}: spins`);
}

/**
 * Local fields f_i = sum_{j != i} J(r_ij) s_j + h, so that flipping spin i changes the energy by
 * 2 s_i f_i. `out` (length N) may not alias `spins`. O(N^2).
 * @throws ShapeError / DomainError for a bad model, a spins array of the wrong length or non-+-1 spins.
 */
export function longRangeLocalFields(
  model: LongRangeChain,
  spins: Int8Array,
  out?: Float64Array,
): Float64Array {
  const fn = 'longRangeLocalFields';
  checkSpinArray(model, spins, fn);
  const result = out ?? new Float64Array(model.N);
  checkLength(result, `${fn}: out`, model.N);
  longRangeLocalFieldsKernel(longRangeDoubledCouplings(model), model.N, spins, result);
  for (let i = 0; i < model.N; i++) result[i]! += model.h;
  return result;
}

/** Unchecked total energy from the couplings of `model`. O(N^2). */
export function longRangeEnergyKernel(model: LongRangeChain, spins: Int8Array): number {
  const { N, couplings, h } = model;
  const half = N >> 1;
  let pair = 0;
  let m = 0;
  for (let i = 0; i < N; i++) {
    const si = spins[i]!;
    m += si;
    let f = 0;
    // j - i <= N/2: r = j - i; beyond: r = N - (j - i). Two branch-free contiguous loops.
    const mid = Math.min(N - 1, i + half);
    for (let j = i + 1; j <= mid; j++) f += couplings[j - i]! * spins[j]!;
    for (let j = mid + 1; j < N; j++) f += couplings[N - j + i]! * spins[j]!;
    pair += si * f;
  }
  return -pair - h * m;
}

/**
 * Total energy H = -sum_{i<j} J(r_ij) s_i s_j - h sum_i s_i (not per site). O(N^2).
 * @throws ShapeError / DomainError for a bad model or spins.
 * @example longRangeEnergy(createLongRangeChain({ N: 4, sigma: 1 }), Int8Array.of(1, 1, 1, 1)); // -(4 + 2/4) = -4.5
 */
export function longRangeEnergy(model: LongRangeChain, spins: Int8Array): number {
  checkSpinArray(model, spins, 'longRangeEnergy');
  return longRangeEnergyKernel(model, spins);
}

/**
 * Energy change of flipping spin `site`: 2 s_i (sum_{j != i} J(r_ij) s_j + h). O(N).
 * @throws DomainError for a site outside [0, N) or bad spins.
 */
export function longRangeFlipDelta(model: LongRangeChain, spins: Int8Array, site: number): number {
  const fn = 'longRangeFlipDelta';
  checkSpinArray(model, spins, fn);
  checkInteger(site, `${fn}: site`, 0, model.N - 1);
  const { N, couplings, h } = model;
  let f = h;
  for (let j = 0; j < N; j++) {
    const d = Math.abs(j - site);
    f += couplings[Math.min(d, N - d)]! * spins[j]!;
  }
  return 2 * spins[site]! * f;
}

/**
 * A reusable total-energy function for one ring that costs O(N log N) per call instead of O(N^2): by
 * translation invariance the pair energy is -(1 / 2N) sum_q Jhat(q) |shat(q)|^2 with Jhat the discrete
 * Fourier transform of the coupling row (real, precomputed) and shat that of the spins (one FFT of length N,
 * any N). Agrees with {@link longRangeEnergy} to rounding (~1e-15 relative per term). The returned function
 * is unchecked and reuses internal scratch memory (not re-entrant across simultaneous calls).
 * @throws DomainError for a bad model.
 */
export function createLongRangeEnergyFunction(model: LongRangeChain): (spins: Int8Array) => number {
  checkLongRangeChain(model, 'createLongRangeEnergyFunction');
  const { N, h } = model;
  const plan = fftPlan(N);
  const doubled = longRangeDoubledCouplings(model);
  const work = new Float64Array(2 * N);
  for (let d = 0; d < N; d++) work[2 * d] = doubled[d]!;
  plan.forward(work, work);
  const jhat = new Float64Array(N);
  for (let q = 0; q < N; q++) jhat[q] = work[2 * q]!;
  return (spins: Int8Array): number => {
    let m = 0;
    for (let i = 0; i < N; i++) {
      const s = spins[i]!;
      m += s;
      work[2 * i] = s;
      work[2 * i + 1] = 0;
    }
    plan.forward(work, work);
    let sum = 0;
    for (let q = 0; q < N; q++) sum += jhat[q]! * (work[2 * q]! ** 2 + work[2 * q + 1]! ** 2);
    return -sum / (2 * N) - h * m;
  };
}

/** Exact ensemble averages of a small long-range ring from {@link enumerateLongRangeChain}; per site. */
export interface LongRangeEnumeration extends EnumerationResult {
  /** Binder cumulant U = 1 - <m^4> / (3 <m^2>^2). */
  readonly binder: number;
}

/**
 * Exact averages of a long-range ring by summing over all 2^N configurations (N <= 16), visited in Gray
 * code order with incrementally updated fields. Weights are shifted by the lowest energy, so no overflow
 * at any temperature. O(2^N N).
 * @param temperature - T > 0 in units of J.
 * @throws DomainError if N > 16 or the temperature is not a finite number > 0.
 * @example
 * ```ts
 * import { createLongRangeChain, enumerateLongRangeChain } from 'coarsegrain';
 * const exact = enumerateLongRangeChain(createLongRangeChain({ N: 8, sigma: 0.5 }), 3); // all 2^8 states at T = 3
 * // per site: energy -0.70193..., absMagnetization 0.59982..., binder 0.45489...
 * ```
 */
export function enumerateLongRangeChain(model: LongRangeChain, temperature: number): LongRangeEnumeration {
  const fn = 'enumerateLongRangeChain';
  checkLongRangeChain(model, fn);
  checkInteger(model.N, `${fn}: model.N`, 2, 16);
  checkPositive(temperature, `${fn}: temperature`);
  const beta = 1 / temperature;
  const { N, h } = model;
  const states = 2 ** N;
  const doubled = longRangeDoubledCouplings(model);
  const spins = new Int8Array(N).fill(-1);
  const fields = longRangeLocalFieldsKernel(doubled, N, spins, new Float64Array(N));
  const energies = new Float64Array(states);
  const mags = new Int32Array(states);
  let energy = longRangeEnergyKernel(model, spins);
  let m = -N;
  let emin = energy;
  energies[0] = energy;
  mags[0] = m;
  for (let k = 1; k < states; k++) {
    // Gray code: flip the bit of the lowest set bit of k
    const i = 31 - Math.clz32(k & -k);
    const s = spins[i]!;
    energy += 2 * s * (fields[i]! + h);
    spins[i] = -s as -1 | 1;
    m -= 2 * s;
    const c = -2 * s;
    const off = N - i;
    for (let j = 0; j < N; j++) fields[j]! += c * doubled[off + j]!;
    energies[k] = energy;
    mags[k] = m;
    if (energy < emin) emin = energy;
  }
  let z = 0;
  let se = 0;
  let se2 = 0;
  let sm = 0;
  let sam = 0;
  let sm2 = 0;
  let sm4 = 0;
  for (let k = 0; k < states; k++) {
    const w = Math.exp(-beta * (energies[k]! - emin));
    const e = energies[k]! / N;
    const mm = mags[k]! / N;
    const m2 = mm * mm;
    z += w;
    se += w * e;
    se2 += w * e * e;
    sm += w * mm;
    sam += w * Math.abs(mm);
    sm2 += w * m2;
    sm4 += w * m2 * m2;
  }
  const e = se / z;
  const am = sam / z;
  const m2 = sm2 / z;
  const m4 = sm4 / z;
  return {
    logZ: Math.log(z) - beta * emin,
    energy: e,
    magnetization: sm / z,
    absMagnetization: am,
    magnetization2: m2,
    magnetization4: m4,
    specificHeat: beta * beta * N * Math.max(0, se2 / z - e * e),
    susceptibility: beta * N * (m2 - am * am),
    binder: 1 - m4 / (3 * m2 * m2),
  };
}
