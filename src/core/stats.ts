/**
 * Statistics for Monte Carlo time series: means, variances, binning (blocking) error analysis, the
 * integrated autocorrelation time with Sokal's automatic window, and the jackknife for non-linear
 * functions of means. Errors are standard errors (one sigma). Every series must be finite: a NaN or
 * Infinity is refused with a DomainError naming its first index (it would silently corrupt the mean and
 * every error bar).
 * @module
 */
import { checkAllFinite, checkInteger, checkNumericArray, domainError, shapeError } from './validate.js';

/**
 * A value with its one-sigma error.
 * @example
 * ```ts
 * import { createIsing2D, createRng, kaufmanTorus, sampleEnsemble, summarizeEnsemble, type Estimate } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 100, rng: createRng(1) });
 * const e: Estimate = summarizeEnsemble(ens).energy; // { mean, error } per site; error is one sigma
 * const exact = kaufmanTorus(8, 2.5).energy; // the exact 8 x 8 value
 * const agrees = Math.abs(e.mean - exact) <= 3 * e.error; // true: a 3-sigma comparison
 * ```
 */
export interface Estimate {
  readonly mean: number;
  readonly error: number;
}

function checkSeries(x: ArrayLike<number>, name: string, min = 1): void {
  if (!x || typeof x.length !== 'number') throw shapeError(name, 'an array of numbers', String(x));
  if (x.length < min) throw shapeError(name, `at least ${min} values`, `${x.length}`);
  checkAllFinite(x, name);
}

/**
 * Arithmetic mean. O(n). @throws ShapeError on an empty series.
 * @example
 * ```ts
 * import { mean } from 'coarsegrain';
 * const m = mean([1, 2, 3, 4]); // 2.5
 * ```
 */
export function mean(x: ArrayLike<number>): number {
  checkSeries(x, 'mean: x');
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/**
 * Unbiased sample variance (divides by n - 1). O(n), two-pass. @throws ShapeError if n < 2.
 * @example
 * ```ts
 * import { variance } from 'coarsegrain';
 * const v = variance([1, 2, 3, 4]); // 1.6667 (divides by n - 1)
 * ```
 */
export function variance(x: ArrayLike<number>): number {
  checkSeries(x, 'variance: x', 2);
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    s += d * d;
  }
  return s / (x.length - 1);
}

/** One level of a binning analysis. */
export interface BinningLevel {
  /** Number of consecutive samples averaged into one bin (a power of two). */
  readonly binSize: number;
  /** Number of bins at this level. */
  readonly bins: number;
  /** Standard error of the mean estimated from the bin means, treating them as independent. */
  readonly error: number;
}

/** Result of {@link binningAnalysis}. */
export interface BinningResult extends Estimate {
  /** Error at each level, bin sizes 1, 2, 4, ... while at least `minBins` bins remain. */
  readonly levels: readonly BinningLevel[];
  /** Integrated autocorrelation time implied by the error: tau = (error / naiveError)^2 / 2. */
  readonly tauInt: number;
  /**
   * True when the error has levelled off: the two deepest levels agree within their own statistical
   * uncertainty. False means the series is too short for its autocorrelation time.
   */
  readonly converged: boolean;
}

/**
 * Binning (blocking) analysis of a correlated series (Flyvbjerg-Petersen): average consecutive pairs
 * repeatedly; the standard error of the bin means rises to a plateau once bins are longer than the
 * autocorrelation time. The reported error is the largest over levels with at least `minBins` bins
 * (a conservative plateau estimate). O(n).
 * @param x - the time series (at least 2 * minBins values).
 * @param minBins - smallest number of bins a level may have (default 32).
 * @example
 * ```ts
 * import { binningAnalysis, createRng } from 'coarsegrain';
 * const rng = createRng(1);
 * const x = new Float64Array(4096);
 * for (let i = 1; i < x.length; i++) x[i] = 0.9 * x[i - 1]! + rng.normal(); // an AR(1) series, tau ~ 10
 * const { mean, error, levels } = binningAnalysis(x); // error: the plateau of the bin-mean error
 * ```
 */
export function binningAnalysis(x: ArrayLike<number>, minBins = 32): BinningResult {
  checkInteger(minBins, 'binningAnalysis: minBins', 2);
  checkSeries(x, 'binningAnalysis: x', 2 * minBins);
  const m = mean(x);
  let current = Float64Array.from(x as ArrayLike<number>);
  const levels: BinningLevel[] = [];
  let binSize = 1;
  while (current.length >= minBins) {
    const n = current.length;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = current[i]! - m;
      s += d * d;
    }
    levels.push({ binSize, bins: n, error: Math.sqrt(s / (n - 1) / n) });
    const half = n >> 1;
    const next = new Float64Array(half);
    for (let i = 0; i < half; i++) next[i] = 0.5 * (current[2 * i]! + current[2 * i + 1]!);
    current = next;
    binSize *= 2;
  }
  let error = 0;
  for (const level of levels) error = Math.max(error, level.error);
  const naive = levels[0]!.error;
  const tauInt = naive > 0 ? 0.5 * (error / naive) ** 2 : 0.5;
  let converged = true;
  if (levels.length >= 2) {
    const a = levels[levels.length - 1]!;
    const b = levels[levels.length - 2]!;
    // relative uncertainty of an error estimate from k bins is about 1/sqrt(2(k-1))
    const tolerance = 2 * a.error * Math.sqrt(1 / (2 * (a.bins - 1)) + 1 / (2 * (b.bins - 1)));
    converged = Math.abs(a.error - b.error) <= tolerance;
  }
  return { mean: m, error, levels, tauInt, converged };
}

/** Result of {@link integratedAutocorrelationTime}. */
export interface AutocorrelationResult {
  /** tau_int = 1/2 + sum_{t=1}^{W} rho(t), in units of the sampling interval. */
  readonly tauInt: number;
  /** Madras-Sokal error of tau_int: tau * sqrt(2 (2W + 1) / n). */
  readonly error: number;
  /** The self-consistent window W (smallest W >= c tau_int(W)). */
  readonly window: number;
  /** False when no window satisfied W >= c tau before n/4: the series is too short. */
  readonly reliable: boolean;
}

/**
 * Integrated autocorrelation time with Sokal's automatic windowing: the smallest W with
 * W >= c * tau_int(W) (c = 6 by default). A constant series gives tau = 0.5 (independent by convention).
 * O(n W).
 * Reference: N. Madras and A. D. Sokal, J. Stat. Phys. 50, 109 (1988); A. D. Sokal, Monte Carlo Methods in
 * Statistical Mechanics (1996), section 3.
 * @example
 * ```ts
 * import { createRng, integratedAutocorrelationTime } from 'coarsegrain';
 * const rng = createRng(1);
 * const x = new Float64Array(10_000);
 * for (let i = 1; i < x.length; i++) x[i] = 0.9 * x[i - 1]! + rng.normal(); // AR(1): tau_int = 9.5
 * const { tauInt, error, reliable } = integratedAutocorrelationTime(x); // tauInt ~ 9 +- 1.3 steps
 * ```
 */
export function integratedAutocorrelationTime(x: ArrayLike<number>, c = 6): AutocorrelationResult {
  checkSeries(x, 'integratedAutocorrelationTime: x', 8);
  if (!(c > 0)) throw domainError('integratedAutocorrelationTime: c', 'a number > 0', c);
  const n = x.length;
  const m = mean(x);
  const d = new Float64Array(n);
  let c0 = 0;
  for (let i = 0; i < n; i++) {
    d[i] = x[i]! - m;
    c0 += d[i]! * d[i]!;
  }
  c0 /= n;
  if (c0 === 0) return { tauInt: 0.5, error: 0, window: 0, reliable: true };
  let tau = 0.5;
  const maxWindow = Math.floor(n / 4);
  for (let w = 1; w <= maxWindow; w++) {
    let s = 0;
    for (let i = 0; i + w < n; i++) s += d[i]! * d[i + w]!;
    tau += s / (n - w) / c0;
    if (w >= c * tau) {
      return {
        tauInt: Math.max(tau, 0.5),
        error: tau * Math.sqrt((2 * (2 * w + 1)) / n),
        window: w,
        reliable: true,
      };
    }
  }
  return {
    tauInt: Math.max(tau, 0.5),
    error: tau * Math.sqrt((2 * (2 * maxWindow + 1)) / n),
    window: maxWindow,
    reliable: false,
  };
}

/** Mean of a correlated series with an honest error bar (binning) and its autocorrelation time. */
export interface SeriesSummary extends Estimate {
  /** Number of samples. */
  readonly n: number;
  /** Integrated autocorrelation time from Sokal's windowing (sampling intervals). */
  readonly tauInt: number;
  /** Whether the binning error reached a plateau. */
  readonly converged: boolean;
}

/**
 * Summarise a correlated series: mean, binning error and tau_int. O(n W).
 * @example
 * ```ts
 * import { createRng, summarizeSeries } from 'coarsegrain';
 * const rng = createRng(1);
 * const energy = Float64Array.from({ length: 2048 }, () => -1.4 + 0.05 * rng.normal()); // per site
 * const { mean, error, tauInt, converged } = summarizeSeries(energy); // mean ~ -1.4, error ~ 0.001
 * ```
 */
export function summarizeSeries(x: ArrayLike<number>, minBins = 32): SeriesSummary {
  const binning = binningAnalysis(x, minBins);
  const tau = integratedAutocorrelationTime(x);
  return {
    mean: binning.mean,
    error: binning.error,
    n: x.length,
    tauInt: tau.tauInt,
    converged: binning.converged,
  };
}

/** Result of {@link jackknife}. */
export interface JackknifeResult extends Estimate {
  /** Jackknife bias estimate; the bias-corrected value is `mean - bias`. */
  readonly bias: number;
}

/**
 * Jackknife estimate of a non-linear function of the means of several series (susceptibility from <m^2>
 * and <|m|>, Binder cumulant from <m^2> and <m^4>, ...). The series are cut into `blocks` contiguous
 * blocks (make blocks longer than the autocorrelation time); f is evaluated on the full means and on each
 * leave-one-block-out mean. O(n * series + blocks * cost(f)).
 * @param series - equal-length time series, one per observable.
 * @param f - the function of the vector of means.
 * @param blocks - number of jackknife blocks (default 32, at most the series length).
 * @example
 * ```ts
 * import { createRng, jackknife } from 'coarsegrain';
 * const rng = createRng(1);
 * const m = Float64Array.from({ length: 1000 }, () => rng.normal()); // magnetisation samples
 * const m2 = m.map((v) => v * v);
 * const m4 = m.map((v) => v ** 4);
 * // Binder cumulant U = 1 - <m^4> / (3 <m^2>^2): 0 for a Gaussian
 * const binder = jackknife([m2, m4], ([a, b]) => 1 - b! / (3 * a! * a!)); // { mean: ~0, error: ~0.07, bias }
 * ```
 */
export function jackknife(
  series: readonly ArrayLike<number>[],
  f: (means: Float64Array) => number,
  blocks = 32,
): JackknifeResult {
  if (!Array.isArray(series) || series.length === 0) {
    throw shapeError('jackknife: series', 'a non-empty list of series', String(series));
  }
  series.forEach((s, k) => {
    checkNumericArray(s, `jackknife: series[${k}]`);
  });
  if (typeof f !== 'function') throw domainError('jackknife: f', 'a function of the means', f);
  const n = series[0]!.length;
  series.forEach((s, k) => {
    if (s.length !== n) throw shapeError(`jackknife: series[${k}]`, `length ${n}`, `length ${s.length}`);
  });
  checkInteger(blocks, 'jackknife: blocks', 2, Math.max(2, n));
  const k = series.length;
  const blockLength = Math.floor(n / blocks);
  const used = blockLength * blocks;
  const sums = new Float64Array(blocks * k);
  const total = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const s = series[j]!;
    for (let i = 0; i < used; i++) sums[Math.floor(i / blockLength) * k + j] += s[i]!;
    for (let b = 0; b < blocks; b++) total[j] += sums[b * k + j]!;
  }
  const full = new Float64Array(k);
  for (let j = 0; j < k; j++) full[j] = total[j]! / used;
  const value = f(full);
  const leaveOut = new Float64Array(k);
  const estimates = new Float64Array(blocks);
  let avg = 0;
  for (let b = 0; b < blocks; b++) {
    for (let j = 0; j < k; j++) leaveOut[j] = (total[j]! - sums[b * k + j]!) / (used - blockLength);
    estimates[b] = f(leaveOut);
    avg += estimates[b]!;
  }
  avg /= blocks;
  let s = 0;
  for (let b = 0; b < blocks; b++) s += (estimates[b]! - avg) ** 2;
  const error = Math.sqrt(((blocks - 1) / blocks) * s);
  return { mean: value, error, bias: (blocks - 1) * (avg - value) };
}

/** The mean of a list of values with its standard error, their spread and how many entered. */
export interface SpreadSummary extends Estimate {
  /** Sample standard deviation of the values (n - 1 in the denominator), NaN for fewer than 2. */
  readonly spread: number;
  /** Number of finite values summarised. */
  readonly count: number;
}

/**
 * {@link SpreadSummary} of the finite entries of `values` (NaN and infinite entries are skipped, e.g. the
 * per-map measures of an all-zero map): the mean, its standard error spread / sqrt(n) and the spread. No
 * value gives NaN everywhere and count 0; one value gives its mean with NaN error and spread. O(n).
 * Unlike {@link mean}, this treats the values as independent (no binning): use it for a list of
 * measurements (maps, seeds, units), not for a correlated time series.
 * @example
 * ```ts
 * spreadSummary([1, 2, 3, Number.NaN]); // { mean: 2, error: 0.577, spread: 1, count: 3 }
 * ```
 */
export function spreadSummary(values: readonly number[]): SpreadSummary {
  if (!Array.isArray(values))
    throw shapeError('spreadSummary: values', 'an array of numbers', String(values));
  const xs = values.filter((x) => Number.isFinite(x));
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, error: Number.NaN, spread: Number.NaN, count: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, error: Number.NaN, spread: Number.NaN, count: n };
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, error: Math.sqrt(variance / n), spread: Math.sqrt(variance), count: n };
}
