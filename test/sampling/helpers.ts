/** Shared helpers for the 2D Ising sampler tests (H1). */
import { createRng } from '../../src/core/rng.js';
import { binningAnalysis } from '../../src/core/stats.js';
import { ising2dEnergyKernel } from '../../src/lattice/ising2d.js';
import type { Ising2D } from '../../src/lattice/types.js';
import type { Updater } from '../../src/sampling/types.js';

/** Per-step series of e, |m|, m^2 (per site) after `burnIn` steps from a random start. */
export interface Series {
  readonly energy: Float64Array;
  readonly absMagnetization: Float64Array;
  readonly magnetization2: Float64Array;
}

export function runChain(
  model: Ising2D,
  updater: Updater,
  seed: number,
  steps: number,
  burnIn: number,
  start: 'random' | 'up' = 'random',
): Series {
  const rng = createRng(seed);
  const n = model.L * model.L;
  const spins = new Int8Array(n);
  for (let i = 0; i < n; i++) spins[i] = start === 'up' || rng.uniform() < 0.5 ? 1 : -1;
  for (let k = 0; k < burnIn; k++) updater.step(spins, rng);
  const energy = new Float64Array(steps);
  const absMagnetization = new Float64Array(steps);
  const magnetization2 = new Float64Array(steps);
  for (let k = 0; k < steps; k++) {
    updater.step(spins, rng);
    let m = 0;
    for (let i = 0; i < n; i++) m += spins[i]!;
    m /= n;
    energy[k] = ising2dEnergyKernel(spins, model.L, model.J, model.h) / n;
    absMagnetization[k] = Math.abs(m);
    magnetization2[k] = m * m;
  }
  return { energy, absMagnetization, magnetization2 };
}

/** |mean - exact| in units of the binning error; also returns the error for reporting. */
export function deviation(series: Float64Array, exact: number): { z: number; mean: number; error: number } {
  const b = binningAnalysis(series);
  return { z: Math.abs(b.mean - exact) / b.error, mean: b.mean, error: b.error };
}

/**
 * Chi-square of visit counts against exact Boltzmann probabilities over all 2^N states of a tiny torus.
 * Samples every `thin` steps (thinning makes the samples nearly independent).
 */
export function visitCounts(
  model: Ising2D,
  updater: Updater,
  seed: number,
  samples: number,
  thin: number,
): Float64Array {
  const rng = createRng(seed);
  const n = model.L * model.L;
  const spins = new Int8Array(n).fill(1);
  const counts = new Float64Array(2 ** n);
  for (let k = 0; k < 100; k++) updater.step(spins, rng);
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < thin; k++) updater.step(spins, rng);
    let code = 0;
    for (let i = 0; i < n; i++) if (spins[i] === 1) code |= 1 << i;
    counts[code]!++;
  }
  return counts;
}

/** Exact Boltzmann probabilities of all 2^N states of a tiny torus (state code: bit i set = spin +1). */
export function boltzmannProbabilities(model: Ising2D, beta: number): Float64Array {
  const n = model.L * model.L;
  const p = new Float64Array(2 ** n);
  const spins = new Int8Array(n);
  let z = 0;
  for (let c = 0; c < p.length; c++) {
    for (let i = 0; i < n; i++) spins[i] = (c >>> i) & 1 ? 1 : -1;
    p[c] = Math.exp(-beta * ising2dEnergyKernel(spins, model.L, model.J, model.h));
    z += p[c]!;
  }
  for (let c = 0; c < p.length; c++) p[c]! /= z;
  return p;
}

/**
 * Pearson chi-square statistic of counts against probabilities; bins whose expected count is below 5 are
 * pooled into one bin (dropped if the pool is still below 5). Returns the degrees of freedom (bins - 1).
 */
export function chiSquare(
  counts: Float64Array,
  probabilities: Float64Array,
): { chi2: number; dof: number; minExpected: number } {
  let total = 0;
  for (const c of counts) total += c;
  let chi2 = 0;
  let bins = 0;
  let minExpected = Number.POSITIVE_INFINITY;
  let poolObserved = 0;
  let poolExpected = 0;
  for (let i = 0; i < counts.length; i++) {
    const e = probabilities[i]! * total;
    if (e < 5) {
      poolObserved += counts[i]!;
      poolExpected += e;
      continue;
    }
    bins++;
    minExpected = Math.min(minExpected, e);
    chi2 += (counts[i]! - e) ** 2 / e;
  }
  if (poolExpected >= 5) {
    bins++;
    chi2 += (poolObserved - poolExpected) ** 2 / poolExpected;
  }
  return { chi2, dof: bins - 1, minExpected };
}

/** Macrostate (E, M) index of a 4 x 4 J = 1 configuration: 17 x 17 bins. */
function macrostate4(spins: Int8Array): number {
  const E = ising2dEnergyKernel(spins, 4, 1, 0);
  let M = 0;
  for (let i = 0; i < 16; i++) M += spins[i]!;
  return ((E + 32) / 4) * 17 + (M + 16) / 2;
}

/** Exact probabilities of the (E, M) macrostates of the 4 x 4 torus (J = 1, h = 0) at beta. */
export function macrostateProbabilities4(beta: number): Float64Array {
  const p = new Float64Array(17 * 17);
  const spins = new Int8Array(16);
  let z = 0;
  for (let c = 0; c < 65536; c++) {
    for (let i = 0; i < 16; i++) spins[i] = (c >>> i) & 1 ? 1 : -1;
    const w = Math.exp(-beta * (ising2dEnergyKernel(spins, 4, 1, 0) + 32));
    p[macrostate4(spins)]! += w;
    z += w;
  }
  for (let i = 0; i < p.length; i++) p[i]! /= z;
  return p;
}

/** Visit counts of the (E, M) macrostates of a 4 x 4 chain, sampled every `thin` steps. */
export function macrostateCounts4(
  updater: Updater,
  seed: number,
  samples: number,
  thin: number,
): Float64Array {
  const rng = createRng(seed);
  const spins = new Int8Array(16);
  for (let i = 0; i < 16; i++) spins[i] = rng.uniform() < 0.5 ? 1 : -1;
  const counts = new Float64Array(17 * 17);
  for (let k = 0; k < 200; k++) updater.step(spins, rng);
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < thin; k++) updater.step(spins, rng);
    counts[macrostate4(spins)]!++;
  }
  return counts;
}

/** Upper quantile of the chi-square distribution at tail probability 1e-4 (Wilson-Hilferty; z = 3.719). */
export function chiSquareCritical(dof: number): number {
  const z = 3.719;
  const a = 2 / (9 * dof);
  return dof * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** Reference values used by the sampler suites. */
export const TEMPERATURES_4x4 = [1.5, 2 / Math.log(1 + Math.SQRT2), 3.5] as const;
