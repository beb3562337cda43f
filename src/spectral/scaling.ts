/**
 * Scaling-dimension fits of a two-point correlator: at a critical point G(r) ~ A r^(-2 Delta). Two forms:
 * `'power'` fits ln G = ln A - 2 Delta ln r by weighted linear least squares (weights from the errors
 * propagated to ln G); `'periodic'` fits the image-corrected form along an axis of a torus of side L,
 * G(r) = A [r^(-2 Delta) + (L - r)^(-2 Delta)], by weighted non-linear least squares (A profiled out
 * exactly, Delta by a grid scan refined with golden-section search). Both restrict to rMin <= r <= rMax.
 * `'chord'` and `'isingTorus'` are further finite-size-aware forms (see {@link ScalingForm}).
 * Errors are the one-sigma fit errors (Delta chi^2 = 1), not rescaled by chi^2/dof: a chi2PerDof well
 * above 1 says the form or the window does not describe the data (or that the points are correlated).
 * Reference: the thesis fits Delta_sigma and Delta_epsilon of the 2D Ising model (exact 1/8 and 1) and
 * Delta_sigma = (1 - sigma)/2 of the long-range chain this way.
 * @module
 */
import {
  checkAllFinite,
  checkFinite,
  checkNumericArray,
  checkOneOf,
  checkOptions,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import type { DistanceProfile } from './correlator.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const SCALING_FIT_OPTIONS_KEYS = optionKeys<ScalingFitOptions>({
  rMin: true,
  rMax: true,
  L: true,
  form: true,
  aspect: true,
});

/** Options of {@link fitScalingDimension}. */
export interface ScalingFitOptions {
  /** Smallest distance used (default: the smallest r > 0). */
  readonly rMin?: number;
  /** Largest distance used (default: the largest r; for `'periodic'` at most L/2). */
  readonly rMax?: number;
  /** System side L along the fitted axis; required for every form but `'power'`. */
  readonly L?: number;
  /** Fit form (default `'power'`); see {@link ScalingForm}. */
  readonly form?: ScalingForm;
  /**
   * Aspect ratio L_perpendicular / L of the torus for the `'isingTorus'` form (default 1, a square
   * lattice with the distance measured along an axis of side L).
   */
  readonly aspect?: number;
}

/**
 * Fit forms of {@link fitScalingDimension}:
 * - `'power'`: A r^(-2 Delta), linear in log space; for r << L.
 * - `'chord'`: A [(L / pi) sin(pi r / L)]^(-2 Delta), the conformal chord distance (exact for a periodic
 *   chain / an infinitely long cylinder of circumference L), linear in log space; needs L.
 * - `'periodic'`: A [r^(-2 Delta) + (L - r)^(-2 Delta)], the nearest periodic image added; needs L.
 * - `'isingTorus'`: A r^(-2 Delta) F(r / L) with F the exact finite-size scaling function of the 2D Ising
 *   spin correlator on a torus (conformal field theory, normalised F(0) = 1; see {@link isingTorusScaling}),
 *   linear in log space with Delta free; needs L. At Tc on L x L tori it removes the finite-size bend that
 *   biases the other forms (at L = 64, G(L/2) lies 26% above the infinite-lattice power law).
 */
export type ScalingForm = 'power' | 'chord' | 'periodic' | 'isingTorus';

/**
 * Jacobi theta functions theta_1..theta_4(u | q) for real u and nome 0 <= q < 1 (series to machine
 * precision; q = exp(-pi) for a square torus converges in 4 terms). Returns [th1, th2, th3, th4, th1'(0)].
 */
function jacobiThetas(u: number, q: number): [number, number, number, number, number] {
  let t1 = 0;
  let t2 = 0;
  let t3 = 1;
  let t4 = 1;
  let t1p = 0;
  for (let k = 0; k < 60; k++) {
    const half = q ** ((k + 0.5) ** 2);
    const sign = k % 2 === 0 ? 1 : -1;
    t1 += 2 * sign * half * Math.sin((2 * k + 1) * u);
    t2 += 2 * half * Math.cos((2 * k + 1) * u);
    t1p += 2 * sign * half * (2 * k + 1);
    if (k >= 1) {
      const full = q ** (k * k);
      t3 += 2 * full * Math.cos(2 * k * u);
      t4 += 2 * sign * full * Math.cos(2 * k * u);
    }
    if (half < 1e-18) break;
  }
  return [t1, t2, t3, t4, t1p];
}

/**
 * Finite-size scaling function of the 2D Ising spin-spin correlator at Tc on a periodic torus, for a
 * displacement x = r / L along an axis of side L (perpendicular side aspect * L):
 * F(x) = x^(1/4) |theta_1'(0) / theta_1(pi x)|^(1/4) sum_{nu=1..4} |theta_nu(pi x / 2)| / sum_{nu=2..4} |theta_nu(0)|,
 * nome q = exp(-pi * aspect); F(0) = 1 and G(r) ~ 0.70338 r^(-1/4) F(r / L) up to lattice corrections.
 * Reference: P. Di Francesco, H. Saleur and J.-B. Zuber, J. Stat. Phys. 49, 57 (1987).
 * @throws DomainError unless 0 < x < 1 and aspect > 0.
 * @example
 * ```ts
 * import { isingTorusScaling } from 'coarsegrain';
 * const F = isingTorusScaling(0.5); // the torus correction at r = L/2: G(r) ~ 0.70338 r^(-1/4) F(r / L)
 * ```
 */
export function isingTorusScaling(x: number, aspect = 1): number {
  if (typeof x !== 'number' || !(x > 0 && x < 1))
    throw domainError('isingTorusScaling: x', 'a number in (0, 1)', x);
  if (typeof aspect !== 'number' || !(aspect > 0 && Number.isFinite(aspect)))
    throw domainError('isingTorusScaling: aspect', 'a finite number > 0', aspect);
  const q = Math.exp(-Math.PI * aspect);
  const [t1, , , , t1p] = jacobiThetas(Math.PI * x, q);
  const [h1, h2, h3, h4] = jacobiThetas((Math.PI * x) / 2, q);
  const [, z2, z3, z4] = jacobiThetas(0, q);
  const pre = Math.abs((Math.PI * t1p) / t1) ** 0.25; // theta_1'(0) w.r.t. x = u / pi
  return (
    x ** 0.25 *
    pre *
    ((Math.abs(h1) + Math.abs(h2) + Math.abs(h3) + Math.abs(h4)) /
      (Math.abs(z2) + Math.abs(z3) + Math.abs(z4)))
  );
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
  readonly form: ScalingForm;
}

/**
 * Fit G(r) ~ A r^(-2 Delta) on a window of distances. See the module notes. O(points) for `'power'`,
 * O(points * 500) for `'periodic'`.
 * @param r - distances (lattice spacings, > 0 inside the window).
 * @param G - correlator values (> 0 inside the window).
 * @param errors - one-sigma errors of G (> 0 inside the window).
 * @throws ShapeError if the arrays differ in length or fewer than 3 points fall in the window;
 *   DomainError for non-positive values or errors in the window, a bad form or a missing/small L.
 * @example
 * ```ts
 * import { fitScalingDimension } from 'coarsegrain';
 * const r = [1, 2, 4, 8];
 * const G = r.map((x) => 0.7 * x ** -0.25); // G(r) = A r^(-2 Delta), Delta = 1/8
 * const fit = fitScalingDimension(r, G, [0.01, 0.01, 0.01, 0.01]); // { delta: 0.125, amplitude: 0.7, error, chi2PerDof, ... }
 * ```
 */
export function fitScalingDimension(
  r: ArrayLike<number>,
  G: ArrayLike<number>,
  errors: ArrayLike<number>,
  options: ScalingFitOptions = {},
): ScalingFit {
  options = checkOptions(options, 'fitScalingDimension: options', SCALING_FIT_OPTIONS_KEYS);
  const fn = 'fitScalingDimension';
  if (!r || !G || !errors) throw shapeError(`${fn}: r, G, errors`, 'three arrays', 'a missing array');
  checkNumericArray(r, `${fn}: r`);
  checkNumericArray(G, `${fn}: G`);
  checkNumericArray(errors, `${fn}: errors`);
  if (G.length !== r.length) throw shapeError(`${fn}: G`, `length ${r.length} (as r)`, `length ${G.length}`);
  if (errors.length !== r.length)
    throw shapeError(`${fn}: errors`, `length ${r.length} (as r)`, `length ${errors.length}`);
  checkAllFinite(r, `${fn}: r`); // a NaN distance would silently drop out of the window
  const form = checkOneOf(options.form ?? 'power', `${fn}: options.form`, [
    'power',
    'chord',
    'periodic',
    'isingTorus',
  ] as const);
  const aspect = options.aspect ?? 1;
  if (!(typeof aspect === 'number' && aspect > 0 && Number.isFinite(aspect))) {
    throw domainError(`${fn}: options.aspect`, 'a finite number > 0', aspect);
  }
  let L = Number.NaN;
  if (form !== 'power') {
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
    if (form !== 'power' && !(ri < L)) continue;
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
  if (form === 'periodic') return fitPeriodic(xs, ys, ss, L);
  if (form === 'chord')
    return fitPower(
      xs.map((x) => (L / Math.PI) * Math.sin((Math.PI * x) / L)),
      ys,
      ss,
      form,
    );
  if (form === 'isingTorus') {
    const f = xs.map((x) => isingTorusScaling(x / L, aspect));
    return fitPower(
      xs,
      ys.map((y, i) => y / f[i]!),
      ss.map((s, i) => s / f[i]!),
      form,
    );
  }
  return fitPower(xs, ys, ss, 'power');
}

function fitPower(xs: number[], ys: number[], ss: number[], form: ScalingForm): ScalingFit {
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
    form,
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

/** Result of {@link fitScalingDimensionJackknife}: the fit, with `error` the jackknife error. */
export interface JackknifeScalingFit extends ScalingFit {
  /** The plain fit error (ignores the correlation between distances); `error` is the jackknife one. */
  readonly fitError: number;
  /** Jackknife error of the amplitude. */
  readonly amplitudeJackknifeError: number;
}

/**
 * Fit a correlator profile (from spinCorrelator & co.) and take the error of Delta from the jackknife:
 * the same weighted fit is repeated on every leave-one-block-out profile. Unlike the plain fit error this
 * accounts for the strong correlation between G(r) at different r (the plain fit then shows chi2PerDof
 * << 1). Cost (blocks + 1) fits.
 * @throws DomainError if the profile carries fewer than 2 jackknife blocks; otherwise as
 *   {@link fitScalingDimension}.
 * @example
 * ```ts
 * import { createIsing2D, createRng, fitScalingDimensionJackknife, sampleEnsemble, spinCorrelator } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: 2.269, samples: 128, rng: createRng(1) });
 * const { axis } = spinCorrelator(ens.configs, [16, 16]);
 * const fit = fitScalingDimensionJackknife(axis, { rMin: 2, rMax: 8, form: 'periodic', L: 16 });
 * // fit.delta = 0.154 +- 0.023 (fit.error, jackknife over blocks of configurations); exact Delta_sigma = 1/8
 * ```
 */
export function fitScalingDimensionJackknife(
  profile: DistanceProfile,
  options: ScalingFitOptions = {},
): JackknifeScalingFit {
  options = checkOptions(options, 'fitScalingDimensionJackknife: options', SCALING_FIT_OPTIONS_KEYS);
  const fn = 'fitScalingDimensionJackknife';
  if (!profile || !(profile.r instanceof Float64Array))
    throw domainError(`${fn}: profile`, 'a DistanceProfile', profile);
  const B = profile.blocks;
  const K = profile.r.length;
  if (!(B >= 2) || profile.jackknife.length !== B * K) {
    throw domainError(
      `${fn}: profile.blocks`,
      'at least 2 jackknife blocks (an ensemble of >= 2 configurations)',
      B,
    );
  }
  const fit = fitScalingDimension(profile.r, profile.value, profile.error, options);
  const deltas = new Float64Array(B);
  const amps = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const row = profile.jackknife.subarray(b * K, (b + 1) * K);
    const f = fitScalingDimension(profile.r, row, profile.error, options);
    deltas[b] = f.delta;
    amps[b] = f.amplitude;
  }
  const spread = (x: Float64Array): number => {
    let m = 0;
    for (const v of x) m += v / B;
    let s = 0;
    for (const v of x) s += (v - m) ** 2;
    return Math.sqrt(((B - 1) / B) * s);
  };
  return { ...fit, error: spread(deltas), fitError: fit.error, amplitudeJackknifeError: spread(amps) };
}
