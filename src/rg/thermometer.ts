/**
 * Observable-matching thermometer: the temperature of a configuration (or an ensemble) is the T at which a
 * reference curve of an observable (energy per site, or the nearest-neighbour correlator) takes the
 * measured value. The curve comes from Monte Carlo ensembles (with errors) or from an exact function
 * (Onsager's infinite-lattice energy, Kaufman's finite torus from lattice/exact2d) and needs no training.
 * This is the second estimator of issue 4; the network thermometer is in `networkThermometer.ts`.
 * @module
 */
import { jackknife } from '../core/stats.js';
import {
  checkAllFinite,
  checkInteger,
  checkNumericArray,
  checkOneOf,
  checkOptions,
  checkShape,
  domainError,
  shapeError,
} from '../core/validate.js';
import { type InRangeReading, inRangeReading, type OutOfRangeReading, outOfRangeReading } from './reading.js';

/** A monotone tabulated curve value(T), temperatures strictly ascending. */
export interface ReferenceCurve {
  readonly temperatures: Float64Array;
  readonly values: Float64Array;
  /** One-sigma error of each value (zeros for an exact curve). */
  readonly errors: Float64Array;
}

/**
 * Build a reference curve from tabulated values (e.g. Monte Carlo means with their errors). The values
 * must be strictly monotone in T (the energy rises with T). O(points).
 * @throws ShapeError for mismatched lengths or fewer than 2 points; DomainError for unsorted temperatures,
 *   non-finite values, negative errors or a non-monotone curve.
 * @example
 * ```ts
 * import { referenceCurve } from 'coarsegrain';
 * // energy per site measured at 3 temperatures, with error bars (rising with T)
 * const curve = referenceCurve([1.5, 2.27, 3], [-1.9, -1.42, -0.8], [0.01, 0.02, 0.01]);
 * ```
 */
export function referenceCurve(
  temperatures: ArrayLike<number>,
  values: ArrayLike<number>,
  errors?: ArrayLike<number>,
): ReferenceCurve {
  const fn = 'referenceCurve';
  if (errors === null) errors = undefined;
  checkNumericArray(temperatures, `${fn}: temperatures`);
  checkNumericArray(values, `${fn}: values`);
  if (errors !== undefined) checkNumericArray(errors, `${fn}: errors`);
  if (!temperatures || temperatures.length < 2)
    throw shapeError(`${fn}: temperatures`, 'at least 2 points', `${temperatures?.length}`);
  const m = temperatures.length;
  if (!values || values.length !== m)
    throw shapeError(`${fn}: values`, `length ${m}`, `length ${values?.length}`);
  if (errors !== undefined && errors.length !== m)
    throw shapeError(`${fn}: errors`, `length ${m}`, `length ${errors.length}`);
  checkAllFinite(temperatures, `${fn}: temperatures`);
  checkAllFinite(values, `${fn}: values`);
  for (let i = 1; i < m; i++) {
    if (!(temperatures[i]! > temperatures[i - 1]!)) {
      throw domainError(
        `${fn}: temperatures[${i}]`,
        `a value > temperatures[${i - 1}] = ${temperatures[i - 1]}`,
        temperatures[i],
      );
    }
  }
  const sign = Math.sign(values[m - 1]! - values[0]!);
  for (let i = 1; i < m; i++) {
    if (Math.sign(values[i]! - values[i - 1]!) !== sign || sign === 0) {
      throw domainError(`${fn}: values[${i}]`, 'a strictly monotone curve in T', values[i]);
    }
  }
  const err = new Float64Array(m);
  if (errors !== undefined) {
    for (let i = 0; i < m; i++) {
      if (!(errors[i]! >= 0)) throw domainError(`${fn}: errors[${i}]`, 'a finite error >= 0', errors[i]);
      err[i] = errors[i]!;
    }
  }
  return { temperatures: Float64Array.from(temperatures), values: Float64Array.from(values), errors: err };
}

/**
 * Tabulate an exact function value(T) on the given temperatures (errors 0), e.g.
 * `curveFromFunction((T) => kaufmanTorus(16, T).energy, grid)`. Use a fine grid: inversion interpolates
 * linearly (the interpolation error is O(h^2 u''(T))). O(points * cost(f)).
 * @throws as {@link referenceCurve}.
 * @example
 * ```ts
 * import { curveFromFunction, kaufmanTorus, temperatureGrid } from 'coarsegrain';
 * const curve = curveFromFunction((T) => kaufmanTorus(16, T).energy, temperatureGrid(1, 4, 0.025));
 * // exact energy per site of the 16 x 16 torus at 121 temperatures, errors 0
 * ```
 */
export function curveFromFunction(
  f: (temperature: number) => number,
  temperatures: ArrayLike<number>,
): ReferenceCurve {
  if (typeof f !== 'function') throw domainError('curveFromFunction: f', 'a function of the temperature', f);
  checkNumericArray(temperatures, 'curveFromFunction: temperatures');
  checkAllFinite(temperatures, 'curveFromFunction: temperatures');
  const values = Float64Array.from(temperatures, (T) => f(T));
  return referenceCurve(temperatures, values);
}

/**
 * Build a reference curve from Monte Carlo ensembles: the mean observable of each ensemble (energy per
 * site or nearest-neighbour correlator, see {@link configurationObservable}) with its jackknife error over
 * `blocks` blocks of configurations (make blocks longer than the autocorrelation time). O(total sites).
 * @throws ShapeError / DomainError for bad ensembles (fewer than 2, empty, unsorted-after-sorting duplicates)
 *   or a non-monotone result (argument named).
 * @example
 * ```ts
 * import { createIsing2D, createRng, curveFromEnsembles, sampleEnsembles } from 'coarsegrain';
 * const temperatures = [1.5, 2.0, 2.5, 3.0];
 * const ensembles = sampleEnsembles(createIsing2D({ L: 8 }), temperatures, { samples: 64, seed: 1 });
 * const curve = curveFromEnsembles(ensembles, [8, 8]); // energy per site vs T, jackknife errors
 * ```
 */
export function curveFromEnsembles(
  ensembles: readonly { readonly temperature: number; readonly configs: ArrayLike<number> }[],
  shape: readonly number[],
  options: { readonly observable?: ThermometerObservable; readonly blocks?: number } = {},
): ReferenceCurve {
  const fn = 'curveFromEnsembles';
  options = checkOptions(options, `${fn}: options`, ['observable', 'blocks']);
  if (!Array.isArray(ensembles) || ensembles.length < 2) {
    throw shapeError(`${fn}: ensembles`, 'at least 2 ensembles', `${ensembles?.length}`);
  }
  const observable = checkOneOf(options.observable ?? 'energy', `${fn}: options.observable`, [
    'energy',
    'nnCorrelator',
  ] as const);
  const sorted = [...ensembles].sort((a, b) => a.temperature - b.temperature);
  const temperatures: number[] = [];
  const values: number[] = [];
  const errors: number[] = [];
  sorted.forEach((e) => {
    let series: Float64Array;
    try {
      series = configurationObservable(e.configs, shape, observable);
    } catch (err) {
      if (err instanceof Error)
        err.message = err.message.replace(
          'configurationObservable: configs',
          `${fn}: ensembles (T = ${e.temperature}).configs`,
        );
      throw err;
    }
    if (series.length < 2)
      throw shapeError(
        `${fn}: ensembles (T = ${e.temperature})`,
        'at least 2 configurations',
        `${series.length}`,
      );
    const blocks = checkInteger(
      options.blocks ?? Math.min(32, series.length),
      `${fn}: options.blocks`,
      2,
      series.length,
    );
    const est = jackknife([series], (m) => m[0]!, blocks);
    temperatures.push(e.temperature);
    values.push(est.mean);
    errors.push(est.error);
  });
  return referenceCurve(temperatures, values, errors);
}

/**
 * A reference curve inverted at one value: in range, the temperature with the curve's own uncertainty
 * propagated (`error` = |curveError / slope|, 0 for an exact curve); out of range, which side and the edge.
 */
export type CurveInversion =
  | (InRangeReading & {
      /** d value / dT of the segment used (value units per unit of T). */
      readonly slope: number;
      /** The curve's one-sigma error interpolated at the reading (value units). */
      readonly curveError: number;
    })
  | OutOfRangeReading;

/** Whether the curve's values rise with T. */
function isIncreasing(curve: ReferenceCurve): boolean {
  const v = curve.values;
  return v[v.length - 1]! > v[0]!;
}

/** Index lo of the segment [lo, lo + 1] whose values bracket `value` (value strictly inside the range). */
function segmentOf(curve: ReferenceCurve, value: number, increasing: boolean): number {
  const v = curve.values;
  let lo = 0;
  let hi = v.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (increasing ? v[mid]! <= value : v[mid]! >= value) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Linear interpolation of T(value), extended beyond the ends by the end segments. Used only inside
 * jackknife resamples of an in-range reading, so that a resample near an edge gives an honest spread
 * instead of a clamped one; never returned as a reading.
 */
function extrapolatedTemperature(curve: ReferenceCurve, value: number): number {
  const { temperatures: T, values: v } = curve;
  const m = T.length;
  const increasing = isIncreasing(curve);
  const lowV = increasing ? v[0]! : v[m - 1]!;
  const highV = increasing ? v[m - 1]! : v[0]!;
  let lo: number;
  if (value <= lowV) lo = increasing ? 0 : m - 2;
  else if (value >= highV) lo = increasing ? m - 2 : 0;
  else lo = segmentOf(curve, value, increasing);
  return T[lo]! + ((value - v[lo]!) / (v[lo + 1]! - v[lo]!)) * (T[lo + 1]! - T[lo]!);
}

/**
 * Invert a reference curve at `value` by linear interpolation. A value at or beyond either end of the
 * curve's range has no temperature: it gives `{ inRange: false, bound, edge }`, where `bound` is 'above'
 * when the value lies on the high-temperature side of the curve (e.g. an energy >= the energy at the top
 * of the grid) and `edge` is that end's temperature. O(log points).
 * @example
 * const c = referenceCurve([1, 2, 3], [-2, -1.5, -1]);
 * invertCurve(c, -1.25); // { inRange: true, temperature: 2.5, error: 0, slope: 0.5, curveError: 0 }
 * invertCurve(c, -0.5); // { inRange: false, bound: 'above', edge: 3 }
 * invertCurve(c, -2); // { inRange: false, bound: 'below', edge: 1 } (at the edge counts as out of range)
 */
export function invertCurve(curve: ReferenceCurve, value: number): CurveInversion {
  const { temperatures: T, values: v, errors: e } = curve;
  const m = T.length;
  const increasing = isIncreasing(curve);
  const lowV = increasing ? v[0]! : v[m - 1]!;
  const highV = increasing ? v[m - 1]! : v[0]!;
  if (!(value > lowV && value < highV)) {
    // a NaN value is neither inside nor at an edge: refuse it rather than read it
    if (Number.isNaN(value)) throw domainError('invertCurve: value', 'a finite observable value', value);
    const atStart = increasing ? value <= lowV : value >= highV;
    return outOfRangeReading(atStart ? 'below' : 'above', atStart ? T[0]! : T[m - 1]!);
  }
  const lo = segmentOf(curve, value, increasing);
  const hi = lo + 1;
  const t = (value - v[lo]!) / (v[hi]! - v[lo]!);
  const slope = (v[hi]! - v[lo]!) / (T[hi]! - T[lo]!);
  const curveError = (1 - t) * e[lo]! + t * e[hi]!;
  return {
    ...inRangeReading(T[lo]! + t * (T[hi]! - T[lo]!), Math.abs(curveError / slope)),
    slope,
    curveError,
  };
}

/** Observables a thermometer can match. */
export type ThermometerObservable = 'energy' | 'nnCorrelator';

/**
 * Per-configuration observable of n configurations (spins or real fields) on a periodic chain `[L]` or
 * lattice `[rows, cols]`: `'nnCorrelator'` = mean over nearest-neighbour bonds of f(x) f(y); `'energy'` =
 * Ising energy per site with J = 1, h = 0: -(bonds per site) * nnCorrelator (2 bonds per site in 2D, 1 on
 * a chain). O(n N).
 * @throws ShapeError on a bad shape or length; DomainError for an unknown observable.
 * @example
 * ```ts
 * import { configurationObservable } from 'coarsegrain';
 * // 2 configurations of a 2 x 2 torus: all up, then a checkerboard
 * const e = configurationObservable(Int8Array.of(1, 1, 1, 1, 1, -1, -1, 1), [2, 2], 'energy'); // Float64Array [-2, 2] per site
 * ```
 */
export function configurationObservable(
  configs: ArrayLike<number>,
  shape: readonly number[],
  observable: ThermometerObservable,
): Float64Array {
  const fn = 'configurationObservable';
  const N = checkShape(shape as number[], `${fn}: shape`);
  if (shape.length > 2) throw shapeError(`${fn}: shape`, '[L] or [rows, cols]', `rank ${shape.length}`);
  checkOneOf(observable, `${fn}: observable`, ['energy', 'nnCorrelator'] as const);
  if (!configs || configs.length === 0 || configs.length % N !== 0) {
    throw shapeError(`${fn}: configs`, `a non-empty multiple of ${N} values`, `length ${configs?.length}`);
  }
  checkAllFinite(configs, `${fn}: configs`);
  const n = configs.length / N;
  const out = new Float64Array(n);
  const cols = shape[shape.length - 1]!;
  const rows = N / cols;
  const bondsPerSite = shape.length;
  for (let c = 0; c < n; c++) {
    const base = c * N;
    let s = 0;
    for (let y = 0; y < rows; y++) {
      const row = base + y * cols;
      const down = base + ((y + 1) % rows) * cols;
      for (let x = 0; x < cols; x++) {
        const f = configs[row + x]!;
        const right = configs[row + (x + 1 === cols ? 0 : x + 1)]!;
        s += f * right;
        if (bondsPerSite === 2) s += f * configs[down + x]!;
      }
    }
    const nn = s / (N * bondsPerSite);
    out[c] = observable === 'energy' ? -bondsPerSite * nn : nn;
  }
  return out;
}

/** Options of {@link observableThermometer}. */
export interface ObservableThermometerOptions {
  /** Which observable the curve tabulates (default `'energy'`). */
  readonly observable?: ThermometerObservable;
  /** Jackknife blocks for the ensemble error (default min(32, n)). */
  readonly blocks?: number;
}

/** What {@link observableThermometer} reports besides the reading itself, in or out of range. */
export interface ObservableDetails {
  /**
   * Temperature of each configuration (the curve inverted at its own observable); NaN for a configuration
   * whose observable is at or beyond the curve's range (counted in `configurationsOutOfRange`).
   */
  readonly perConfiguration: Float64Array;
  /** Configurations whose own observable lies at or beyond the cold ('below') or hot ('above') end. */
  readonly configurationsOutOfRange: { readonly below: number; readonly above: number };
  /** Ensemble mean of the observable with its jackknife error (NaN error for one configuration). */
  readonly observable: { readonly mean: number; readonly error: number };
}

/**
 * Result of {@link observableThermometer}: the ensemble reading (the curve inverted at the ensemble mean
 * of the observable) with its details. In range, `error` is the statistical (jackknife) and curve errors
 * in quadrature; out of range there is no temperature, only the bound and the grid edge.
 */
export type ObservableTemperature =
  | (InRangeReading &
      ObservableDetails & {
        /** Jackknife error over blocks of configurations (NaN for a single configuration). */
        readonly statisticalError: number;
        /** Curve uncertainty at the estimate divided by the curve's slope. */
        readonly curveError: number;
      })
  | (OutOfRangeReading & ObservableDetails);

/**
 * Temperature of configurations by observable matching: measure the observable of each configuration,
 * invert the reference curve per configuration and at the ensemble mean, with a jackknife error over
 * blocks of configurations plus the curve's own uncertainty. When the ensemble mean lies at or beyond
 * either end of the curve the reading is `{ inRange: false, bound, edge }`: no temperature is invented.
 * A single small configuration has a broad energy distribution, so per-configuration temperatures scatter
 * by about sqrt(c T^2 / N) / slope. Cost O(n N + n log points).
 * @param configs n configurations of `shape`, row-major (+-1 spins or real fields), n x prod(shape) values.
 * @param shape [L] (periodic chain) or [rows, cols] (torus).
 * @param curve the reference curve of the chosen observable vs T (units of J).
 * @throws ShapeError / DomainError for bad configurations, shapes or options (argument named).
 * @example
 * ```ts
 * import { curveFromFunction, kaufmanTorus, observableThermometer, temperatureGrid } from 'coarsegrain';
 * const curve = curveFromFunction((T) => kaufmanTorus(8, T).energy, temperatureGrid(1, 4, 0.05));
 * observableThermometer(new Int8Array(64).fill(1), [8, 8], curve);
 * // { inRange: false, bound: 'below', edge: 1, ... }: all up is colder than T = 1, no temperature invented
 * ```
 */
export function observableThermometer(
  configs: ArrayLike<number>,
  shape: readonly number[],
  curve: ReferenceCurve,
  options: ObservableThermometerOptions = {},
): ObservableTemperature {
  const fn = 'observableThermometer';
  options = checkOptions(options, `${fn}: options`, ['observable', 'blocks']);
  if (!curve || !(curve.temperatures instanceof Float64Array) || curve.temperatures.length < 2) {
    throw domainError(`${fn}: curve`, 'a ReferenceCurve (see referenceCurve)', curve);
  }
  const observable = checkOneOf(options.observable ?? 'energy', `${fn}: options.observable`, [
    'energy',
    'nnCorrelator',
  ] as const);
  let values: Float64Array;
  try {
    values = configurationObservable(configs, shape, observable);
  } catch (e) {
    if (e instanceof Error) e.message = e.message.replace('configurationObservable', fn);
    throw e;
  }
  const n = values.length;
  const perConfiguration = new Float64Array(n);
  const configurationsOutOfRange = { below: 0, above: 0 };
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const inv = invertCurve(curve, values[c]!);
    if (inv.inRange) perConfiguration[c] = inv.temperature;
    else {
      perConfiguration[c] = Number.NaN;
      configurationsOutOfRange[inv.bound]++;
    }
    sum += values[c]!;
  }
  const meanValue = sum / n;
  const blocks = n >= 2 ? checkInteger(options.blocks ?? Math.min(32, n), `${fn}: options.blocks`, 2, n) : 0;
  const observableError = n >= 2 ? jackknife([values], (m) => m[0]!, blocks).error : Number.NaN;
  const details: ObservableDetails = {
    perConfiguration,
    configurationsOutOfRange,
    observable: { mean: meanValue, error: observableError },
  };
  const at = invertCurve(curve, meanValue);
  if (!at.inRange) return { ...at, ...details };
  const statisticalError =
    n >= 2 ? jackknife([values], (m) => extrapolatedTemperature(curve, m[0]!), blocks).error : Number.NaN;
  const curveError = at.error;
  const error = Math.sqrt((Number.isNaN(statisticalError) ? 0 : statisticalError ** 2) + curveError ** 2);
  return {
    ...inRangeReading(at.temperature, Number.isNaN(statisticalError) ? Number.NaN : error),
    ...details,
    statisticalError,
    curveError,
  };
}
