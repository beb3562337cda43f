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
  checkOneOf,
  checkShape,
  domainError,
  shapeError,
} from '../core/validate.js';

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
 */
export function referenceCurve(
  temperatures: ArrayLike<number>,
  values: ArrayLike<number>,
  errors?: ArrayLike<number>,
): ReferenceCurve {
  const fn = 'referenceCurve';
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
 */
export function curveFromFunction(
  f: (temperature: number) => number,
  temperatures: ArrayLike<number>,
): ReferenceCurve {
  if (typeof f !== 'function') throw domainError('curveFromFunction: f', 'a function of the temperature', f);
  const values = Float64Array.from(temperatures, (T) => f(T));
  return referenceCurve(temperatures, values);
}

/**
 * Build a reference curve from Monte Carlo ensembles: the mean observable of each ensemble (energy per
 * site or nearest-neighbour correlator, see {@link configurationObservable}) with its jackknife error over
 * `blocks` blocks of configurations (make blocks longer than the autocorrelation time). O(total sites).
 * @throws ShapeError / DomainError for bad ensembles (fewer than 2, empty, unsorted-after-sorting duplicates)
 *   or a non-monotone result (argument named).
 */
export function curveFromEnsembles(
  ensembles: readonly { readonly temperature: number; readonly configs: ArrayLike<number> }[],
  shape: readonly number[],
  options: { readonly observable?: ThermometerObservable; readonly blocks?: number } = {},
): ReferenceCurve {
  const fn = 'curveFromEnsembles';
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
 * Invert a reference curve at `value` by linear interpolation; values beyond the curve's range give the
 * end temperature (clamped). O(log points).
 */
export function invertCurve(
  curve: ReferenceCurve,
  value: number,
): { temperature: number; clamped: boolean; slope: number; curveError: number } {
  const { temperatures: T, values: v, errors: e } = curve;
  const m = T.length;
  const increasing = v[m - 1]! > v[0]!;
  const lowV = increasing ? v[0]! : v[m - 1]!;
  const highV = increasing ? v[m - 1]! : v[0]!;
  const slopeAt = (i: number): number => (v[i + 1]! - v[i]!) / (T[i + 1]! - T[i]!);
  if (value <= lowV || value >= highV) {
    const atStart = increasing ? value <= lowV : value >= highV;
    const i = atStart ? 0 : m - 2;
    const exact = value === lowV || value === highV;
    return {
      temperature: atStart ? T[0]! : T[m - 1]!,
      clamped: !exact,
      slope: slopeAt(i),
      curveError: atStart ? e[0]! : e[m - 1]!,
    };
  }
  // binary search for the segment [i, i + 1] containing value
  let lo = 0;
  let hi = m - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (increasing ? v[mid]! <= value : v[mid]! >= value) lo = mid;
    else hi = mid;
  }
  const t = (value - v[lo]!) / (v[hi]! - v[lo]!);
  return {
    temperature: T[lo]! + t * (T[hi]! - T[lo]!),
    clamped: false,
    slope: slopeAt(lo),
    curveError: (1 - t) * e[lo]! + t * e[hi]!,
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

/** Result of {@link observableThermometer}. */
export interface ObservableTemperature {
  /** Temperature of each configuration (curve inverted at its own observable; clamped to the curve range). */
  readonly perConfiguration: Float64Array;
  /** Number of configurations whose observable fell outside the curve (clamped). */
  readonly clamped: number;
  /** Ensemble temperature: the curve inverted at the ensemble mean of the observable. */
  readonly temperature: number;
  /** Total one-sigma error: statistical and curve errors in quadrature. */
  readonly error: number;
  /** Jackknife error over blocks of configurations (NaN for a single configuration). */
  readonly statisticalError: number;
  /** Curve uncertainty at the estimate divided by the curve's slope. */
  readonly curveError: number;
  /** Ensemble mean of the observable with its jackknife error. */
  readonly observable: { readonly mean: number; readonly error: number };
}

/**
 * Temperature of configurations by observable matching: measure the observable of each configuration,
 * invert the reference curve per configuration and at the ensemble mean, with a jackknife error over
 * blocks of configurations plus the curve's own uncertainty. A single small configuration has a broad
 * energy distribution, so per-configuration temperatures scatter by about sqrt(c T^2 / N) / slope.
 * Cost O(n N + n log points).
 * @throws ShapeError / DomainError for bad configurations, shapes or options (argument named).
 */
export function observableThermometer(
  configs: ArrayLike<number>,
  shape: readonly number[],
  curve: ReferenceCurve,
  options: ObservableThermometerOptions = {},
): ObservableTemperature {
  const fn = 'observableThermometer';
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
  let clamped = 0;
  let sum = 0;
  for (let c = 0; c < n; c++) {
    const inv = invertCurve(curve, values[c]!);
    perConfiguration[c] = inv.temperature;
    if (inv.clamped) clamped++;
    sum += values[c]!;
  }
  const meanValue = sum / n;
  const at = invertCurve(curve, meanValue);
  let statisticalError = Number.NaN;
  let observableError = Number.NaN;
  if (n >= 2) {
    const blocks = checkInteger(options.blocks ?? Math.min(32, n), `${fn}: options.blocks`, 2, n);
    statisticalError = jackknife([values], (m) => invertCurve(curve, m[0]!).temperature, blocks).error;
    observableError = jackknife([values], (m) => m[0]!, blocks).error;
  }
  const curveError = at.slope !== 0 ? Math.abs(at.curveError / at.slope) : 0;
  const error = Math.sqrt((Number.isNaN(statisticalError) ? 0 : statisticalError ** 2) + curveError ** 2);
  return {
    perConfiguration,
    clamped,
    temperature: at.temperature,
    error: Number.isNaN(statisticalError) ? Number.NaN : error,
    statisticalError,
    curveError,
    observable: { mean: meanValue, error: observableError },
  };
}
