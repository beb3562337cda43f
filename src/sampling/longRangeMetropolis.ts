/**
 * Single-spin-flip Metropolis for the long-range ring with incrementally updated local fields: an attempt
 * costs O(1), an accepted flip O(N) (one contiguous loop over a doubled coupling table, no modulo).
 * @module
 */
import type { Rng } from '../core/rng.js';
import { checkPositive, domainError } from '../core/validate.js';
import { checkLongRangeChain, longRangeDoubledCouplings } from '../lattice/longRangeChain.js';
import type { LongRangeChain } from '../lattice/types.js';
import type { Updater } from './types.js';

/**
 * The doubled coupling table of the model with every coupling rounded to a multiple of a power of two
 * q = 2^-k, k chosen so that any sum of up to N couplings stays below 2^51 q. Sums of such numbers are
 * exact in float64, so local fields updated incrementally are bit-identical to fields computed from
 * scratch, whatever the order of the flips: a restored chain continues exactly as the original would.
 * The rounding changes each coupling by at most q/2 (about 1e-15 times the sum of the couplings). O(N).
 */
export function quantizedDoubledCouplings(model: LongRangeChain): Float64Array {
  const table = longRangeDoubledCouplings(model);
  let sum = 0;
  for (let d = 1; d < model.N; d++) sum += table[d]!;
  const exponent = Math.ceil(Math.log2(sum)) - 50;
  const q = 2 ** exponent;
  for (let k = 0; k < table.length; k++) table[k] = Math.round(table[k]! / q) * q;
  return table;
}

/** Unchecked: fields f_i = sum_{j} K[N - i + j] s_j (K[N] = 0, so j = i drops out). O(N^2). */
function recomputeFields(K: Float64Array, N: number, spins: Int8Array, fields: Float64Array): void {
  for (let i = 0; i < N; i++) {
    const off = N - i;
    let f = 0;
    for (let j = 0; j < N; j++) f += K[off + j]! * spins[j]!;
    fields[i] = f;
  }
}

/**
 * Unchecked field update after spin `site` changed by `delta` (= new - old = +-2): fields[j] +=
 * delta * K[N - site + j] for all j. O(N), allocates nothing.
 */
export function longRangeFieldUpdateKernel(
  K: Float64Array,
  N: number,
  fields: Float64Array,
  site: number,
  delta: number,
): void {
  const off = N - site;
  for (let j = 0; j < N; j++) fields[j] += delta * K[off + j]!;
}

/** A long-range Metropolis updater; `fields()` exposes the maintained local fields (without h). */
export interface LongRangeMetropolisUpdater extends Updater {
  readonly name: 'lr-metropolis';
  /** Current fields sum_j J(r_ij) s_j (without h) of the last configuration stepped. Read only. */
  readonly fields: () => Float64Array;
}

/**
 * Metropolis updater for the long-range ring at inverse temperature beta. A step is one sweep: N attempts
 * at uniformly random sites (two uniform draws per attempt: site, acceptance), accepting a flip with
 * probability min(1, exp(-beta dE)), dE = 2 s_i (f_i + h). The updater keeps the local fields of the last
 * configuration it stepped and a copy of it; at the start of a step it compares that copy with `spins`
 * (O(N)) and updates the fields for any spins changed outside (by another updater, a replica exchange or a
 * restore), so it can be mixed freely with other moves. Fields are exact (see
 * {@link quantizedDoubledCouplings}), so results never depend on that history.
 * Cost per sweep: O(N + N * acceptance * N); memory O(N).
 * @param beta - inverse temperature 1/T > 0.
 * @throws DomainError for a bad model or beta.
 */
export function createLongRangeMetropolisUpdater(
  model: LongRangeChain,
  beta: number,
): LongRangeMetropolisUpdater {
  const fn = 'createLongRangeMetropolisUpdater';
  checkLongRangeChain(model, fn);
  checkPositive(beta, `${fn}: beta`);
  const N = model.N;
  const h = model.h;
  const K = quantizedDoubledCouplings(model);
  const fields = new Float64Array(N);
  const shadow = new Int8Array(N);
  let initialised = false;

  const sync = (spins: Int8Array): void => {
    if (spins.length !== N) throw domainError(`lr-metropolis step: spins`, `length ${N}`, spins);
    if (!initialised) {
      recomputeFields(K, N, spins, fields);
      shadow.set(spins);
      initialised = true;
      return;
    }
    let changed = 0;
    for (let i = 0; i < N; i++) if (spins[i] !== shadow[i]) changed++;
    if (changed === 0) return;
    if (changed * 4 > N) recomputeFields(K, N, spins, fields);
    else {
      for (let i = 0; i < N; i++) {
        const s = spins[i]!;
        if (s !== shadow[i]) longRangeFieldUpdateKernel(K, N, fields, i, 2 * s);
      }
    }
    shadow.set(spins);
  };

  return {
    name: 'lr-metropolis',
    fields: () => fields,
    step(spins: Int8Array, rng: Rng): number {
      sync(spins);
      const uniform = rng.uniform;
      let flipped = 0;
      for (let a = 0; a < N; a++) {
        const i = (uniform() * N) | 0;
        const s = spins[i]!;
        const dE = 2 * s * (fields[i]! + h);
        if (dE <= 0 || uniform() < Math.exp(-beta * dE)) {
          spins[i] = -s;
          shadow[i] = -s;
          flipped++;
          const delta = -2 * s;
          const off = N - i;
          for (let j = 0; j < N; j++) fields[j] += delta * K[off + j]!;
        }
      }
      return flipped;
    },
  };
}
