/**
 * Thermodynamic observables of a Monte Carlo time series with error bars: means by binning, non-linear
 * combinations (specific heat, susceptibility, Binder cumulant) by the jackknife over blocks, and the
 * integrated autocorrelation time of the energy. Conventions (docs/conventions.md), e and m per site:
 * c = beta^2 N (<e^2> - <e>^2), chi = beta N (<m^2> - <|m|>^2), U = 1 - <m^4> / (3 <m^2>^2).
 * @module
 */
import { binningAnalysis, type Estimate, integratedAutocorrelationTime, jackknife } from '../core/stats.js';
import { checkInteger, checkLength, checkNumericArray, checkPositive, shapeError } from '../core/validate.js';

/** Summary of an ensemble's observables; every entry is `{ mean, error }` (one sigma). */
export interface ObservableSummary {
  /** <e>, energy per site (binning error). */
  readonly energy: Estimate;
  /** <|m|>, per site (binning error). */
  readonly absMagnetization: Estimate;
  /** <m^2> (binning error). */
  readonly magnetization2: Estimate;
  /** c = beta^2 N (<e^2> - <e>^2) (jackknife error). */
  readonly specificHeat: Estimate;
  /** chi = beta N (<m^2> - <|m|>^2) (jackknife error). */
  readonly susceptibility: Estimate;
  /** U = 1 - <m^4> / (3 <m^2>^2) (jackknife error). */
  readonly binder: Estimate;
  /** Integrated autocorrelation time of the energy in samples (Sokal window; Madras-Sokal error). */
  readonly tauInt: Estimate;
}

/** Smallest series {@link summarizeObservables} accepts. */
export const MIN_SUMMARY_SAMPLES = 16;

/**
 * Summarise per-site energy and signed magnetisation series of one temperature. Binning uses at least 32
 * bins when the series allows (fewer for short series, at least 4); the jackknife uses min(32, n / 2)
 * blocks. O(n W) with W the autocorrelation window.
 * @param energy - e per sample (per site).
 * @param magnetization - signed m per sample (per site), same length.
 * @param sites - number of sites N.
 * @param beta - inverse temperature 1/T.
 * @throws ShapeError if the series differ in length or have fewer than 16 samples; DomainError for bad
 * sites or beta.
 * @example
 * ```ts
 * import { createRng, summarizeObservables } from 'coarsegrain';
 * const rng = createRng(1);
 * const energy = Float64Array.from({ length: 256 }, () => -1.4 + 0.02 * rng.normal()); // per site
 * const magnetization = Float64Array.from({ length: 256 }, () => 0.6 + 0.05 * rng.normal()); // per site
 * const s = summarizeObservables(energy, magnetization, 256, 1 / 2.27); // 16 x 16 sites at T = 2.27
 * // s.specificHeat.mean = beta^2 N var(e) ~ 0.02; s.absMagnetization.mean ~ 0.6
 * ```
 */
export function summarizeObservables(
  energy: ArrayLike<number>,
  magnetization: ArrayLike<number>,
  sites: number,
  beta: number,
): ObservableSummary {
  const fn = 'summarizeObservables';
  checkNumericArray(energy, `${fn}: energy`);
  checkNumericArray(magnetization, `${fn}: magnetization`);
  checkInteger(sites, `${fn}: sites`, 1);
  checkPositive(beta, `${fn}: beta`);
  const n = energy.length;
  if (n < MIN_SUMMARY_SAMPLES)
    throw shapeError(`${fn}: energy`, `at least ${MIN_SUMMARY_SAMPLES} samples`, `${n}`);
  checkLength(magnetization, `${fn}: magnetization`, n);
  const e = Float64Array.from(energy);
  const e2 = new Float64Array(n);
  const am = new Float64Array(n);
  const m2 = new Float64Array(n);
  const m4 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const m = magnetization[k]!;
    e2[k] = e[k]! * e[k]!;
    am[k] = Math.abs(m);
    m2[k] = m * m;
    m4[k] = m2[k]! * m2[k]!;
  }
  const minBins = Math.max(4, Math.min(32, Math.floor(n / 4)));
  const bin = (x: Float64Array): Estimate => {
    const r = binningAnalysis(x, minBins);
    return { mean: r.mean, error: r.error };
  };
  const blocks = Math.min(32, Math.floor(n / 2));
  const jack = (series: Float64Array[], f: (means: Float64Array) => number): Estimate => {
    const r = jackknife(series, f, blocks);
    return { mean: r.mean, error: r.error };
  };
  const tau = integratedAutocorrelationTime(e);
  return {
    energy: bin(e),
    absMagnetization: bin(am),
    magnetization2: bin(m2),
    specificHeat: jack([e, e2], (x) => beta * beta * sites * (x[1]! - x[0]! * x[0]!)),
    susceptibility: jack([am, m2], (x) => beta * sites * (x[1]! - x[0]! * x[0]!)),
    binder: jack([m2, m4], (x) => 1 - x[1]! / (3 * x[0]! * x[0]!)),
    tauInt: { mean: tau.tauInt, error: tau.error },
  };
}
