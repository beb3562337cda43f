/**
 * Scaling-dimension fits of a two-point correlator: at a critical point G(r) ~ A r^(-2 Delta). Two forms:
 * `'power'` fits ln G = ln A - 2 Delta ln r by weighted linear least squares (weights from the errors
 * propagated to ln G); `'periodic'` fits the image-corrected form along an axis of a torus of side L,
 * G(r) = A [r^(-2 Delta) + (L - r)^(-2 Delta)], by weighted non-linear least squares (A profiled out
 * exactly, Delta by a grid scan refined with golden-section search). Both restrict to rMin <= r <= rMax.
 * Errors are the one-sigma fit errors (Delta chi^2 = 1), not rescaled by chi^2/dof: a chi2PerDof well
 * above 1 says the form or the window does not describe the data (or that the points are correlated).
 * Reference: the thesis fits Delta_sigma and Delta_epsilon of the 2D Ising model (exact 1/8 and 1) and
 * Delta_sigma = (1 - sigma)/2 of the long-range chain this way.
 * @module
 */
import { checkFinite, checkOneOf, domainError, shapeError } from '../core/validate.js';

/** Options of {@link fitScalingDimension}. */
export interface ScalingFitOptions {
  /** Smallest distance used (default: the smallest r > 0). */
  readonly rMin?: number;
  /** Largest distance used (default: the largest r; for `'periodic'` at most L/2). */
  readonly rMax?: number;
  /** System side L along the fitted axis; required for the `'periodic'` form. */
  readonly L?: number;
  /** `'power'` (default) or `'periodic'`. */
  readonly form?: 'power' | 'periodic';
}

/** Result of {@link fitScalingDimension}. */
export interface ScalingFit {
  /** Fitted scaling dimension Delta (G ~ r^(-2 Delta)). */
  readonly delta: number;
  /** One-sigma error of Delta from the fit. */
  readonly error: number;
  /** Fitted amplitude A. */
  readonly amplitude: number;
  /** One-sigma error of A. */
  readonly amplitudeError: number;
  /** chi^2 / (points - 2). */
  readonly chi2PerDof: number;
  /** Degrees of freedom (points - 2). */
  readonly dof: number;
  /** Number of points in the window. */
  readonly points: number;
  readonly form: 'power' | 'periodic';
}

/**
 * Fit G(r) ~ A r^(-2 Delta) on a window of distances. See the module notes. O(points) for `'power'`,
 * O(points * 500) for `'periodic'`.
 * @param r - distances (lattice spacings, > 0 inside the window).
 * @param G - correlator values (> 0 inside the window).
 * @param errors - one-sigma errors of G (> 0 inside the window).
 * @throws ShapeError if the arrays differ in length or fewer than 3 points fall in the window;
 *   DomainError for non-positive values or errors in the window, a bad form or a missing/small L.
 * @example fitScalingDimension([1, 2, 4], [1, 2 ** -0.25, 4 ** -0.25], [0.01, 0.01, 0.01]).delta // 0.125
 */
export function fitScalingDimension(
  r: ArrayLike<number>,
  G: ArrayLike<number>,
  errors: ArrayLike<number>,
  options: ScalingFitOptions = {},
): ScalingFit {
  const fn = 'fitScalingDimension';
  if (!r || !G || !errors) throw shapeError(`${fn}: r, G, errors`, 'three arrays', 'a missing array');
  if (G.length !== r.length) throw shapeError(`${fn}: G`, `length ${r.length} (as r)`, `length ${G.length}`);
  if (errors.length !== r.length)
    throw shapeError(`${fn}: errors`, `length ${r.length} (as r)`, `length ${errors.length}`);
  const form = checkOneOf(options.form ?? 'power', `${fn}: options.form`, ['power', 'periodic'] as const);
  let L = Number.NaN;
  if (form === 'periodic') {
    L = checkFinite(options.L, `${fn}: options.L`);
    if (!(L > 0)) throw domainError(`${fn}: options.L`, 'a system size > 0', L);
  }
  const rMin = options.rMin === undefined ? 0 : checkFinite(options.rMin, `${fn}: options.rMin`);
  const rMax =
    options.rMax === undefined ? Number.POSITIVE_INFINITY : checkFinite(options.rMax, `${fn}: options.rMax`);
  const xs: number[] = [];
  const ys: number[] = [];
  const ss: number[] = [];
  for (let i = 0; i < r.length; i++) {
    const ri = r[i]!;
    if (!(ri >= rMin && ri <= rMax && ri > 0)) continue;
    if (form === 'periodic' && !(ri < L)) continue;
    const g = G[i]!;
    const e = errors[i]!;
    if (!(Number.isFinite(g) && (form === 'periodic' || g > 0)))
      throw domainError(`${fn}: G[${i}]`, 'a finite value > 0 in the window', g);
    if (!(Number.isFinite(e) && e > 0))
      throw domainError(`${fn}: errors[${i}]`, 'a finite error > 0 in the window', e);
    xs.push(ri);
    ys.push(g);
    ss.push(e);
  }
  const m = xs.length;
  if (m < 3) throw shapeError(`${fn}: r`, `at least 3 points in [${rMin}, ${rMax}]`, `${m} points`);
  return form === 'power' ? fitPower(xs, ys, ss) : fitPeriodic(xs, ys, ss, L);
}

function fitPower(xs: number[], ys: number[], ss: number[]): ScalingFit {
  const m = xs.length;
  // ln G = c + slope * ln r, sigma_lnG = sigma_G / G
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < m; i++) {
    const x = Math.log(xs[i]!);
    const y = Math.log(ys[i]!);
    const w = (ys[i]! / ss[i]!) ** 2;
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    sxy += w * x * y;
  }
  const det = sw * sxx - sx * sx;
  if (!(det > 0))
    throw domainError('fitScalingDimension: r', 'at least two distinct distances in the window', 'one');
  const slope = (sw * sxy - sx * sy) / det;
  const intercept = (sxx * sy - sx * sxy) / det;
  const slopeVar = sw / det;
  const interceptVar = sxx / det;
  let chi2 = 0;
  for (let i = 0; i < m; i++) {
    const w = (ys[i]! / ss[i]!) ** 2;
    chi2 += w * (Math.log(ys[i]!) - intercept - slope * Math.log(xs[i]!)) ** 2;
  }
  const amplitude = Math.exp(intercept);
  return {
    delta: -slope / 2,
    error: Math.sqrt(slopeVar) / 2,
    amplitude,
    amplitudeError: amplitude * Math.sqrt(interceptVar),
    chi2PerDof: chi2 / (m - 2),
    dof: m - 2,
    points: m,
    form: 'power',
  };
}

function fitPeriodic(xs: number[], ys: number[], ss: number[], L: number): ScalingFit {
  const m = xs.length;
  const lr = xs.map((x) => Math.log(x));
  const lrImage = xs.map((x) => Math.log(L - x));
  // chi^2 with the amplitude profiled out: A = sum(G f / s^2) / sum(f^2 / s^2)
  const profile = (delta: number): { chi2: number; amplitude: number; sff: number } => {
    let sgf = 0;
    let sff = 0;
    for (let i = 0; i < m; i++) {
      const f = Math.exp(-2 * delta * lr[i]!) + Math.exp(-2 * delta * lrImage[i]!);
      const w = 1 / ss[i]! ** 2;
      sgf += w * ys[i]! * f;
      sff += w * f * f;
    }
    const amplitude = sgf / sff;
    let chi2 = 0;
    for (let i = 0; i < m; i++) {
      const f = Math.exp(-2 * delta * lr[i]!) + Math.exp(-2 * delta * lrImage[i]!);
      chi2 += ((ys[i]! - amplitude * f) / ss[i]!) ** 2;
    }
    return { chi2, amplitude, sff };
  };
  const lo = 0;
  const hi = 5;
  const steps = 500;
  let best = lo;
  let bestChi2 = Number.POSITIVE_INFINITY;
  for (let k = 0; k <= steps; k++) {
    const delta = lo + ((hi - lo) * k) / steps;
    const c = profile(delta).chi2;
    if (c < bestChi2) {
      bestChi2 = c;
      best = delta;
    }
  }
  // golden-section refinement on the bracketing cell
  let a = Math.max(lo, best - (hi - lo) / steps);
  let b = Math.min(hi, best + (hi - lo) / steps);
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = b - phi * (b - a);
  let x2 = a + phi * (b - a);
  let f1 = profile(x1).chi2;
  let f2 = profile(x2).chi2;
  for (let it = 0; it < 100 && b - a > 1e-13; it++) {
    if (f1 < f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - phi * (b - a);
      f1 = profile(x1).chi2;
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + phi * (b - a);
      f2 = profile(x2).chi2;
    }
  }
  const delta = 0.5 * (a + b);
  const at = profile(delta);
  // curvature of the profiled chi^2: Delta chi^2 = 1 at delta +- error
  const h = Math.max(1e-5, 1e-4 * Math.abs(delta));
  const curvature = (profile(delta + h).chi2 - 2 * at.chi2 + profile(delta - h).chi2) / (h * h);
  const error = curvature > 0 ? Math.sqrt(2 / curvature) : Number.POSITIVE_INFINITY;
  return {
    delta,
    error,
    amplitude: at.amplitude,
    amplitudeError: 1 / Math.sqrt(at.sff),
    chi2PerDof: at.chi2 / (m - 2),
    dof: m - 2,
    points: m,
    form: 'periodic',
  };
}
