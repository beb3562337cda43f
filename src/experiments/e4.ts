/**
 * Experiment E4: the critical temperature and the scaling dimension of the 1D long-range Ising ring
 * H = -sum_{i<j} s_i s_j / r^(1+sigma) (r = minimum-image distance).
 *
 * For every sigma, the Binder cumulant U(T) = 1 - <m^4> / (3 <m^2>^2) is measured with the Luijten-Bloete
 * cluster sampler (`'lr-cluster'`) for several ring sizes N over a temperature grid placed as fractions of
 * the mean-field bound 2 zeta(1 + sigma). The crossing of U(T) between consecutive sizes is found by
 * linear interpolation of U_{N2} - U_{N1} between grid points; its error comes from re-doing the crossing
 * on replicas of both curves resampled within their jackknife errors (a derived rng). Tc(sigma) is the
 * crossing of the two largest sizes. At that temperature the spin correlator of the largest ring is fitted
 * to A [(N/pi) sin(pi r / N)]^(-2 Delta) (chord form by default) with a jackknife error, and compared with
 * the exact Delta_sigma = (1 - sigma)/2; the error of Delta combines the jackknife error with half the
 * change of Delta between refits at Tc -+ its error (0 < sigma < 1; the long-range exponent eta = 2 - sigma is not
 * renormalised).
 *
 * References: Tc < 2 zeta(1 + sigma) (mean-field bound; 5.2248 at sigma = 0.5); mean-field behaviour for
 * sigma < 1/2 (where the Binder cumulant at Tc takes the mean-field value 1 - Gamma(1/4)^4 / (24 pi^2) =
 * 0.2705), non-trivial for 1/2 < sigma < 1.
 *
 * Every random stream is derived from names and values (('binder', sigma, N), ('crossing', sigma, N1, N2),
 * ('correlator', label, sigma, N)), so the run splits into independent pieces (coarsegrain/distributed):
 * {@link runE4Binder} measures U(T) curves alone, and {@link joinE4Binder} rebuilds a sigma of the whole
 * run from `runE4` on its two largest sizes plus the smaller sizes' curves, bit for bit.
 * @module
 */
import { deriveRng } from '../core/rng.js';
import {
  checkAbort,
  checkInteger,
  checkOneOf,
  checkOptions,
  checkRange,
  domainError,
  optionKeys,
} from '../core/validate.js';
import { createLongRangeChain } from '../lattice/longRangeChain.js';
import type { LongRangeChain } from '../lattice/types.js';
import { sampleEnsembles, summarizeEnsemble } from '../sampling/ensemble.js';
import { spinCorrelator } from '../spectral/correlator.js';
import { fitScalingDimensionJackknife } from '../spectral/scaling.js';
import { VERSION } from '../version.js';
import {
  agreesWithin,
  type Comparison,
  type ExperimentOptions,
  type ExperimentResult,
  type Measurement,
  type PresetConfig,
  resolvePreset,
} from './types.js';
import { fitComparison } from './verdicts.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const EXPERIMENT_OPTIONS_KEYS = optionKeys<ExperimentOptions>({
  seed: true,
  onProgress: true,
  signal: true,
  loaders: true,
});

/** Configuration of {@link runE4}. */
export interface E4Config {
  /** Decay exponents sigma, each in (0, 1). */
  readonly sigmas: readonly number[];
  /** Ring sizes N, strictly increasing, at least 2 sizes, each >= 8. */
  readonly sizes: readonly number[];
  /** Number of grid temperatures per sigma (>= 3). */
  readonly temperaturePoints: number;
  /** Lowest grid temperature as a fraction of the mean-field bound 2 zeta(1 + sigma), in (0, 1). */
  readonly tMinFraction: number;
  /** Highest grid temperature as a fraction of the mean-field bound, in (tMinFraction, 1.5]. */
  readonly tMaxFraction: number;
  /** Kept configurations per (sigma, N, T) for the Binder cumulant (>= 16). */
  readonly samples: number;
  /** Cluster steps discarded before sampling. */
  readonly burnIn: number;
  /** Cluster steps between kept samples (one step ~ one sweep's worth of flipped spins). */
  readonly thin: number;
  /** Replicas of the U(T) curves (resampled within their errors) for the crossing error (>= 10). */
  readonly resamples: number;
  /** Configurations of the largest ring at Tc for the spin correlator (>= 16). */
  readonly correlatorSamples: number;
  /** Jackknife blocks of the correlator (>= 2). */
  readonly blocks: number;
  /** Smallest distance in the scaling fit (>= 1). */
  readonly fitRMin: number;
  /**
   * Largest distance in the scaling fit as a fraction of N, in (0, 0.5]. Default 1/8: r << N, where the
   * finite-ring correlator is closest to the chord form (larger windows give chi2/dof >> 1).
   */
  readonly fitRMaxFraction: number;
  /** Fit form of the correlator (see `fitScalingDimension`). */
  readonly fitForm: 'power' | 'chord' | 'periodic';
  /**
   * Couplings of the ring. `'minimum-image'` (the library's ring, EXPERIMENTS.md): J(r) = 1/r^(1+sigma) for the
   * minimum-image distance r <= N/2, so the total coupling of a site, sum_r J(r), grows with N towards
   * 2 zeta(1 + sigma) and the Hamiltonian itself changes with N. `'periodic-images'` (Luijten and Bloete, Phys.
   * Rev. B 56, 8945 (1997)): J(r) = sum over all periodic images |r + nN|^-(1+sigma) (see
   * {@link periodicImageChain}), the total coupling 2 zeta(1 + sigma) up to O(N^-(1+sigma)) for every N.
   */
  readonly couplings: 'minimum-image' | 'periodic-images';
}

/** The crossing of U(T) of two consecutive sizes. */
export interface E4Crossing {
  readonly N1: number;
  readonly N2: number;
  /** Crossing temperature (NaN when no crossing was found on the grid). */
  readonly temperature: Measurement;
  /** U of the larger size at the crossing. */
  readonly binder: Measurement;
  /** Fraction of the resampled replicas in which a crossing was found. */
  readonly foundFraction: number;
}

/** Everything measured for one sigma. */
export interface E4SigmaResult {
  readonly sigma: number;
  /** The mean-field bound 2 zeta(1 + sigma). */
  readonly meanFieldBound: number;
  readonly temperatures: number[];
  /** U(T) per size with jackknife errors. */
  readonly binder: { readonly N: number; readonly mean: number[]; readonly error: number[] }[];
  readonly crossings: E4Crossing[];
  /** Tc estimate: the crossing of the two largest sizes. */
  readonly tc: Measurement;
  /** Binder cumulant at that crossing. */
  readonly binderAtTc: Measurement;
  /** Spin correlator of the largest ring at the Tc estimate and its scaling fit (null without a Tc). */
  readonly scaling: {
    readonly N: number;
    readonly temperature: number;
    readonly r: number[];
    readonly G: number[];
    readonly Gerror: number[];
    /** Delta with the jackknife error and the Tc-uncertainty error combined in quadrature. */
    readonly delta: Measurement;
    /** Jackknife error of Delta at the Tc estimate. */
    readonly deltaStatistical: number;
    /** Half the change of Delta between Tc - dTc and Tc + dTc (dTc = the crossing error). */
    readonly deltaFromTcError: number;
    readonly amplitude: Measurement;
    readonly chi2PerDof: number;
    /** Distances in the fit window (dof = points - 2). */
    readonly points: number;
    readonly rMin: number;
    readonly rMax: number;
    readonly exact: number;
  } | null;
}

/** Measured data of E4. */
export interface E4Measured {
  readonly perSigma: E4SigmaResult[];
}

/**
 * Quick (N = 32..256, one to two minutes on 2 cores) and full (N = 32..512, thesis scale) presets.
 * @example
 * ```ts
 * import { E4_PRESETS, runE4 } from 'coarsegrain';
 * E4_PRESETS.quick.sizes; // the ring sizes N of the Binder crossings
 * const config = { ...E4_PRESETS.quick, sigmas: [0.6] }; // a custom config starts from a preset
 * ```
 */
export const E4_PRESETS: { readonly quick: E4Config; readonly full: E4Config } = Object.freeze({
  quick: Object.freeze({
    sigmas: Object.freeze([0.4, 0.6, 0.75, 0.9]),
    sizes: Object.freeze([32, 64, 128, 256]),
    temperaturePoints: 14,
    tMinFraction: 0.5,
    tMaxFraction: 0.9,
    samples: 5000,
    burnIn: 200,
    thin: 1,
    resamples: 200,
    correlatorSamples: 10000,
    blocks: 20,
    fitRMin: 2,
    fitRMaxFraction: 0.125,
    fitForm: 'chord',
    couplings: 'minimum-image',
  }) as E4Config,
  full: Object.freeze({
    sigmas: Object.freeze([0.4, 0.6, 0.75, 0.9]),
    sizes: Object.freeze([32, 64, 128, 256, 512]),
    temperaturePoints: 28,
    tMinFraction: 0.5,
    tMaxFraction: 0.9,
    samples: 20000,
    burnIn: 1000,
    thin: 2,
    resamples: 500,
    correlatorSamples: 50000,
    blocks: 50,
    fitRMin: 2,
    fitRMaxFraction: 0.125,
    fitForm: 'chord',
    couplings: 'minimum-image',
  }) as E4Config,
});

/**
 * Riemann zeta(s) for real s > 1 by Euler-Maclaurin summation: sum_{n < M} n^-s plus the integral tail
 * M^(1-s)/(s-1) + M^-s/2 and the first two Bernoulli corrections, with M = 64 (relative error < 1e-13 for
 * s >= 1.01); for s >= 50 the first four terms of the series (relative error < 5^-50 ~ 1e-35), so the
 * limit zeta(s) -> 1 holds up to s = Number.MAX_VALUE.
 * @throws DomainError unless s > 1 and finite.
 * @example zeta(2) // 1.6449340668...
 */
export function zeta(s: number): number {
  checkRange(s, 'zeta: s', 1, Number.POSITIVE_INFINITY, true);
  // For large s the series itself converges at once (3^-s < 1e-24 for s >= 50), while the Euler-Maclaurin
  // tail terms below overflow to Infinity x 0 = NaN (s = 1e300).
  if (s >= 50) return 1 + 2 ** -s + 3 ** -s + 4 ** -s;
  const M = 64;
  let sum = 0;
  for (let n = 1; n < M; n++) sum += n ** -s;
  sum += M ** (1 - s) / (s - 1) + 0.5 * M ** -s + (s / 12) * M ** (-s - 1);
  sum -= ((s * (s + 1) * (s + 2)) / 720) * M ** (-s - 3);
  sum += ((s * (s + 1) * (s + 2) * (s + 3) * (s + 4)) / 30240) * M ** (-s - 5);
  return sum;
}

/**
 * Mean-field bound on Tc of the long-range ring with J(r) = 1/r^(1+sigma): 2 zeta(1 + sigma).
 * @example
 * ```ts
 * import { longRangeMeanFieldTc } from 'coarsegrain';
 * longRangeMeanFieldTc(1); // 2 zeta(2) = pi^2 / 3 = 3.2899: an upper bound on Tc of the ring with J(r) = 1/r^2
 * ```
 */
export function longRangeMeanFieldTc(sigma: number): number {
  checkRange(sigma, 'longRangeMeanFieldTc: sigma', 0, Number.POSITIVE_INFINITY, true);
  return 2 * zeta(1 + sigma);
}

/**
 * Hurwitz zeta(s, a) = sum_{n >= 0} (n + a)^-s for real s > 1 and a > 0, by Euler-Maclaurin summation
 * (64 terms, the integral tail and three Bernoulli corrections; relative error < 1e-12 for s >= 1.01).
 * @throws DomainError unless s > 1 and a > 0.
 * @example hurwitzZeta(2, 0.5) // 3 zeta(2) = pi^2 / 2
 */
export function hurwitzZeta(s: number, a: number): number {
  checkRange(s, 'hurwitzZeta: s', 1, Number.POSITIVE_INFINITY, true);
  checkRange(a, 'hurwitzZeta: a', 0, Number.POSITIVE_INFINITY, true);
  const M = 64;
  let sum = 0;
  for (let n = 0; n < M; n++) sum += (n + a) ** -s;
  const x = M + a;
  sum += x ** (1 - s) / (s - 1) + 0.5 * x ** -s + (s / 12) * x ** (-s - 1);
  sum -= ((s * (s + 1) * (s + 2)) / 720) * x ** (-s - 3);
  sum += ((s * (s + 1) * (s + 2) * (s + 3) * (s + 4)) / 30240) * x ** (-s - 5);
  return sum;
}

/**
 * The long-range ring with the couplings summed over all periodic images (Luijten and Bloete 1997):
 * J(r) = sum_{n in Z} |r + n N|^-(1+sigma) = N^-(1+sigma) [zeta(1+sigma, r/N) + zeta(1+sigma, 1 - r/N)]
 * for the minimum-image distance r = 1..floor(N/2), each pair counted once. Every site then has the total
 * coupling sum_{d=1}^{N-1} J(min(d, N - d)) = 2 zeta(1 + sigma) (1 - N^-(1+sigma)): the infinite chain's
 * 2 zeta(1 + sigma) less the couplings to its own images (a constant energy). The library's minimum-image
 * ring (createLongRangeChain) misses the tail sum_{|m| > N/2} |m|^-(1+sigma), about (2/sigma) (N/2)^-sigma
 * (1.65 of 6.21 at N = 32, sigma = 0.4). Same object shape as createLongRangeChain, so every lr sampler takes it. O(N).
 * @throws DomainError as createLongRangeChain (sigma must be in (0, 2]).
 * @example periodicImageChain(16, 0.4); // sum_d couplings[min(d, 16 - d)] = 2 zeta(1.4) (1 - 16^-1.4) = 6.0830
 */
export function periodicImageChain(N: number, sigma: number): LongRangeChain {
  const base = createLongRangeChain({ N, sigma });
  const s = 1 + sigma;
  const couplings = new Float64Array(base.couplings.length);
  for (let r = 1; r < couplings.length; r++)
    couplings[r] = N ** -s * (hurwitzZeta(s, r / N) + hurwitzZeta(s, 1 - r / N));
  return { ...base, couplings };
}

/** The ring of E4 for `couplings` (see {@link E4Config.couplings}). */
function e4Chain(N: number, sigma: number, couplings: E4Config['couplings']): LongRangeChain {
  return couplings === 'periodic-images' ? periodicImageChain(N, sigma) : createLongRangeChain({ N, sigma });
}

/**
 * Mean-field value of the Binder cumulant at Tc: 1 - Gamma(1/4)^4 / (24 pi^2).
 * @example
 * ```ts
 * import { MEAN_FIELD_BINDER } from 'coarsegrain';
 * MEAN_FIELD_BINDER; // 0.2705...: the Binder cumulant at Tc for sigma < 1/2 (mean-field regime)
 * ```
 */
export const MEAN_FIELD_BINDER = 1 - 3.625609908221908 ** 4 / (24 * Math.PI * Math.PI);

/**
 * Crossings of two curves a(T), b(T) on a common grid where b - a changes sign from > 0 to <= 0 (the
 * larger size above at low T, below at high T): linearly interpolated temperatures, with the step's drop
 * of b - a (the steepest crossing is the physical one; noise makes shallow spurious ones).
 */
function signChanges(
  T: readonly number[],
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { t: number; u: number; drop: number }[] {
  const out: { t: number; u: number; drop: number }[] = [];
  for (let k = 0; k + 1 < T.length; k++) {
    const d0 = b[k]! - a[k]!;
    const d1 = b[k + 1]! - a[k + 1]!;
    if (d0 > 0 && d1 <= 0) {
      const f = d0 / (d0 - d1);
      out.push({
        t: T[k]! + f * (T[k + 1]! - T[k]!),
        u: b[k]! + f * (b[k + 1]! - b[k]!),
        drop: d0 - d1,
      });
    }
  }
  return out;
}

function meanAndSpread(xs: readonly number[]): Measurement {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, error: Number.NaN };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { mean, error: Number.NaN };
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, error: Math.sqrt(v) };
}

function crossingOf(
  T: readonly number[],
  lo: { mean: number[]; error: number[] },
  hi: { mean: number[]; error: number[] },
  resamples: number,
  rng: ReturnType<typeof deriveRng>,
): { temperature: Measurement; binder: Measurement; foundFraction: number } {
  const nominal = signChanges(T, lo.mean, hi.mean);
  if (nominal.length === 0) {
    return {
      temperature: { mean: Number.NaN, error: Number.NaN },
      binder: { mean: Number.NaN, error: Number.NaN },
      foundFraction: 0,
    };
  }
  const best = nominal.reduce((p, q) => (q.drop > p.drop ? q : p));
  const a = new Float64Array(T.length);
  const b = new Float64Array(T.length);
  const ts: number[] = [];
  const us: number[] = [];
  for (let rep = 0; rep < resamples; rep++) {
    for (let k = 0; k < T.length; k++) {
      a[k] = lo.mean[k]! + lo.error[k]! * rng.normal();
      b[k] = hi.mean[k]! + hi.error[k]! * rng.normal();
    }
    const found = signChanges(T, a, b);
    if (found.length === 0) continue;
    const near = found.reduce((p, q) => (Math.abs(q.t - best.t) < Math.abs(p.t - best.t) ? q : p));
    ts.push(near.t);
    us.push(near.u);
  }
  return {
    temperature: { mean: best.t, error: meanAndSpread(ts).error },
    binder: { mean: best.u, error: meanAndSpread(us).error },
    foundFraction: ts.length / resamples,
  };
}

/**
 * Check a resolved config. `binderOnly` (the Binder stage of {@link runE4Binder}): one size is enough and
 * the fit window is not checked (no correlator is measured).
 */
function checkConfig(c: E4Config, fn = 'runE4: config', binderOnly = false): E4Config {
  if (!Array.isArray(c.sigmas) || c.sigmas.length === 0)
    throw domainError(`${fn}.sigmas`, 'a non-empty array of sigma in (0, 1)', c.sigmas);
  for (let i = 0; i < c.sigmas.length; i++) checkRange(c.sigmas[i], `${fn}.sigmas[${i}]`, 0, 1, true, true);
  const minSizes = binderOnly ? 1 : 2;
  if (!Array.isArray(c.sizes) || c.sizes.length < minSizes)
    throw domainError(
      `${fn}.sizes`,
      binderOnly ? 'a non-empty array of ring sizes' : 'an array of at least 2 ring sizes',
      c.sizes,
    );
  for (let i = 0; i < c.sizes.length; i++) {
    const N = c.sizes[i]!;
    checkInteger(N, `${fn}.sizes[${i}]`, 8, 1 << 16);
    if (i > 0 && !(N > c.sizes[i - 1]!))
      throw domainError(`${fn}.sizes[${i}]`, `a size > ${c.sizes[i - 1]} (strictly increasing)`, N);
  }
  checkInteger(c.temperaturePoints, `${fn}.temperaturePoints`, 3);
  checkRange(c.tMinFraction, `${fn}.tMinFraction`, 0, 1, true, true);
  checkRange(c.tMaxFraction, `${fn}.tMaxFraction`, c.tMinFraction, 1.5, true);
  checkInteger(c.samples, `${fn}.samples`, 16);
  checkInteger(c.burnIn, `${fn}.burnIn`, 0);
  checkInteger(c.thin, `${fn}.thin`, 1);
  checkInteger(c.resamples, `${fn}.resamples`, 10);
  checkInteger(c.correlatorSamples, `${fn}.correlatorSamples`, 16);
  checkInteger(c.blocks, `${fn}.blocks`, 2, c.correlatorSamples);
  checkRange(c.fitRMin, `${fn}.fitRMin`, 1, Number.POSITIVE_INFINITY);
  checkRange(c.fitRMaxFraction, `${fn}.fitRMaxFraction`, 0, 0.5, true);
  checkOneOf(c.fitForm, `${fn}.fitForm`, ['power', 'chord', 'periodic'] as const);
  checkOneOf(c.couplings, `${fn}.couplings`, ['minimum-image', 'periodic-images'] as const);
  const largest = c.sizes[c.sizes.length - 1]!;
  if (!binderOnly && !(c.fitRMaxFraction * largest >= c.fitRMin + 2))
    throw domainError(
      `${fn}.fitRMaxFraction`,
      `a window [fitRMin, fitRMaxFraction * N] of >= 3 distances for N = ${largest}`,
      c.fitRMaxFraction,
    );
  return c;
}

/**
 * Check a resolved E4 config as {@link runE4} does (a task split checks the whole config before it plans
 * parts that alone would pass). `name` prefixes the messages. Returns the config.
 * @throws DomainError naming the bad field.
 * @example checkE4Config({ ...E4_PRESETS.quick, sizes: [64, 32] }, 'plan: config'); // throws: plan: config.sizes[1]: expected a size > 64 ...
 */
export function checkE4Config(config: E4Config, name = 'checkE4Config: config'): E4Config {
  if (config === null || typeof config !== 'object') throw domainError(name, 'a resolved E4 config', config);
  return checkConfig(config, name);
}

function seedFrom(seed: number, ...path: (string | number)[]): number {
  return deriveRng(seed, 'E4', ...path).uint32();
}

/** The title of E4's results (of {@link runE4} and of its Binder stage {@link runE4Binder}). */
const E4_TITLE = 'Long-range Ising ring: Tc from Binder-cumulant crossings and the scaling dimension at Tc';

/** U(T) of one ring size with its jackknife errors, one value per grid temperature. */
export type E4BinderCurve = E4SigmaResult['binder'][number];

/** The grid temperatures of one sigma: `temperaturePoints` fractions tMinFraction..tMaxFraction of 2 zeta(1 + sigma). */
function gridTemperatures(c: E4Config, sigma: number): number[] {
  const nT = c.temperaturePoints;
  const bound = longRangeMeanFieldTc(sigma);
  return Array.from(
    { length: nT },
    (_, k) => bound * (c.tMinFraction + ((c.tMaxFraction - c.tMinFraction) * k) / (nT - 1)),
  );
}

/**
 * U(T) of the ring of N sites at every grid temperature: one lr-cluster ensemble per T, each seeded from
 * the stream ('binder', sigma, N) (so a curve depends on nothing else of the run). `tick(T)` after each.
 */
function binderCurve(
  c: E4Config,
  sigma: number,
  N: number,
  temperatures: readonly number[],
  seed: number,
  signal: AbortSignal | undefined,
  fn: string,
  tick: (T: number) => void,
): E4BinderCurve {
  const model = e4Chain(N, sigma, c.couplings);
  const ensembleSeed = seedFrom(seed, 'binder', sigma, N);
  const mean: number[] = [];
  const error: number[] = [];
  for (const T of temperatures) {
    checkAbort(signal, fn);
    const [ensemble] = sampleEnsembles(model, [T], {
      sampler: 'lr-cluster',
      samples: c.samples,
      burnIn: c.burnIn,
      thin: c.thin,
      seed: ensembleSeed,
      signal,
    });
    const u = summarizeEnsemble(ensemble!).binder;
    mean.push(u.mean);
    error.push(u.error);
    tick(T);
  }
  return { N, mean, error };
}

/** The crossing of the U(T) curves of two consecutive sizes, its error from the stream ('crossing', sigma, N1, N2). */
function crossingBetween(
  c: E4Config,
  sigma: number,
  temperatures: readonly number[],
  lo: E4BinderCurve,
  hi: E4BinderCurve,
  seed: number,
): E4Crossing {
  const rng = deriveRng(seed, 'E4', 'crossing', sigma, lo.N, hi.N);
  return { N1: lo.N, N2: hi.N, ...crossingOf(temperatures, lo, hi, c.resamples, rng) };
}

/**
 * Run experiment E4 (see the module notes). Cost: sigmas x sizes x temperaturePoints ensembles of
 * `samples` cluster steps (each ~ N log N), plus one correlator ensemble of the largest ring per sigma.
 * @throws DomainError naming the bad config field; AbortError when `options.signal` fires.
 * @example
 * ```ts
 * import { runE4 } from 'coarsegrain';
 * const result = runE4({ preset: 'quick', sigmas: [0.6] }, { seed: 1 });
 * result.measured.perSigma[0]!.tc; // Measurement { mean, error }: Tc of J(r) = 1/r^1.6 from Binder crossings
 * ```
 */
export function runE4(
  config: PresetConfig<E4Config>,
  options: ExperimentOptions = {},
): ExperimentResult<E4Config, E4Measured> {
  options = checkOptions(options, 'runE4: options', EXPERIMENT_OPTIONS_KEYS);
  const t0 = performance.now();
  const resolved = resolvePreset('runE4', config, E4_PRESETS);
  const c = checkConfig(resolved.config);
  const seed = options.seed ?? 1;
  deriveRng(seed, 'E4'); // validates the seed
  const { onProgress, signal } = options;
  const totalEnsembles = c.sigmas.length * c.sizes.length * c.temperaturePoints;
  let doneEnsembles = 0;
  const perSigma: E4SigmaResult[] = [];

  for (const sigma of c.sigmas) {
    const bound = longRangeMeanFieldTc(sigma);
    const temperatures = gridTemperatures(c, sigma);
    const binder = c.sizes.map((N) =>
      binderCurve(c, sigma, N, temperatures, seed, signal, 'runE4', (T) => {
        doneEnsembles++;
        onProgress?.({
          stage: 'binder',
          done: doneEnsembles,
          total: totalEnsembles,
          metrics: { sigma, N, T },
        });
      }),
    );

    checkAbort(signal, 'runE4');
    const crossings: E4Crossing[] = [];
    for (let i = 0; i + 1 < binder.length; i++)
      crossings.push(crossingBetween(c, sigma, temperatures, binder[i]!, binder[i + 1]!, seed));
    const last = crossings[crossings.length - 1]!;
    const tc = last.temperature;
    onProgress?.({ stage: 'crossings', done: perSigma.length + 1, total: c.sigmas.length });

    let scaling: E4SigmaResult['scaling'] = null;
    if (Number.isFinite(tc.mean)) {
      checkAbort(signal, 'runE4');
      const N = c.sizes[c.sizes.length - 1]!;
      const model = e4Chain(N, sigma, c.couplings);
      const rMax = Math.floor(c.fitRMaxFraction * N);
      const measureAt = (T: number, label: string) => {
        const [ensemble] = sampleEnsembles(model, [T], {
          sampler: 'lr-cluster',
          samples: c.correlatorSamples,
          burnIn: c.burnIn,
          thin: c.thin,
          seed: seedFrom(seed, 'correlator', label, sigma, N),
          signal,
        });
        const profile = spinCorrelator(ensemble!.configs, [N], { blocks: c.blocks }).distance;
        const fit = fitScalingDimensionJackknife(profile, { form: c.fitForm, L: N, rMin: c.fitRMin, rMax });
        return { profile, fit };
      };
      const { profile, fit } = measureAt(tc.mean, 'tc');
      // Propagate the uncertainty of Tc: refit at Tc -+ its error; half the spread is a systematic error.
      let tcSystematic = 0;
      const shift = Number.isFinite(tc.error) ? Math.min(tc.error, 0.5 * tc.mean) : 0;
      if (shift > 0) {
        checkAbort(signal, 'runE4');
        const below = measureAt(tc.mean - shift, 'below').fit.delta;
        checkAbort(signal, 'runE4');
        const above = measureAt(tc.mean + shift, 'above').fit.delta;
        tcSystematic = Math.abs(below - above) / 2;
      }
      scaling = {
        N,
        temperature: tc.mean,
        r: Array.from(profile.r),
        G: Array.from(profile.value),
        Gerror: Array.from(profile.error),
        delta: { mean: fit.delta, error: Math.hypot(fit.error, tcSystematic) },
        deltaStatistical: fit.error,
        deltaFromTcError: tcSystematic,
        amplitude: { mean: fit.amplitude, error: fit.amplitudeJackknifeError },
        chi2PerDof: fit.chi2PerDof,
        points: fit.points,
        rMin: c.fitRMin,
        rMax,
        exact: (1 - sigma) / 2,
      };
      onProgress?.({ stage: 'correlator', done: perSigma.length + 1, total: c.sigmas.length });
    }
    perSigma.push({
      sigma,
      meanFieldBound: bound,
      temperatures,
      binder,
      crossings,
      tc,
      binderAtTc: last.binder,
      scaling,
    });
  }

  const measured: E4Measured = { perSigma };
  return {
    id: 'E4',
    title: E4_TITLE,
    preset: resolved.preset,
    parameters: c,
    seed,
    version: VERSION,
    seconds: (performance.now() - t0) / 1000,
    measured,
    comparisons: e4Comparisons(measured),
  };
}

/** Measured data of {@link runE4Binder}: the U(T) curves of every sigma and size. */
export interface E4BinderMeasured {
  readonly perSigma: {
    readonly sigma: number;
    readonly temperatures: number[];
    /** One curve per size of the config, in size order. */
    readonly binder: E4BinderCurve[];
  }[];
}

/**
 * The Binder stage of E4 alone: the U(T) curves of every (sigma, N) of the config, exactly as {@link runE4}
 * measures them (same streams), without crossings or correlators, and no comparisons. A task split
 * (coarsegrain/distributed) runs the smaller sizes of a sigma this way, next to `runE4` on its two largest
 * sizes, and rebuilds the whole run with {@link joinE4Binder}. One size is enough; the fit window is not
 * checked. Cost: sigmas x sizes x temperaturePoints ensembles of `samples` cluster steps.
 * @throws DomainError naming the bad config field; AbortError when `options.signal` fires.
 * @example
 * ```ts
 * const part = runE4Binder({ preset: 'quick', sigmas: [0.6], sizes: [32] }, { seed: 1 });
 * part.measured.perSigma[0]!.binder[0]!.mean; // U(T) of N = 32: the same numbers as runE4 of the whole preset
 * ```
 */
export function runE4Binder(
  config: PresetConfig<E4Config>,
  options: ExperimentOptions = {},
): ExperimentResult<E4Config, E4BinderMeasured> {
  options = checkOptions(options, 'runE4Binder: options', EXPERIMENT_OPTIONS_KEYS);
  const t0 = performance.now();
  const resolved = resolvePreset('runE4Binder', config, E4_PRESETS);
  const c = checkConfig(resolved.config, 'runE4Binder: config', true);
  const seed = options.seed ?? 1;
  deriveRng(seed, 'E4'); // validates the seed
  const { onProgress, signal } = options;
  const total = c.sigmas.length * c.sizes.length * c.temperaturePoints;
  let done = 0;
  const perSigma = c.sigmas.map((sigma) => {
    const temperatures = gridTemperatures(c, sigma);
    const binder = c.sizes.map((N) =>
      binderCurve(c, sigma, N, temperatures, seed, signal, 'runE4Binder', (T) =>
        onProgress?.({ stage: 'binder', done: ++done, total, metrics: { sigma, N, T } }),
      ),
    );
    return { sigma, temperatures, binder };
  });
  return {
    id: 'E4',
    title: E4_TITLE,
    preset: resolved.preset,
    parameters: c,
    seed,
    version: VERSION,
    seconds: (performance.now() - t0) / 1000,
    measured: { perSigma },
    comparisons: [],
  };
}

/**
 * One sigma of a whole {@link runE4} run, from its parts: `top`, that sigma's result of `runE4` on the
 * config's two largest sizes only (their crossing, Tc, the correlator), and `lower`, the U(T) curves of
 * its smaller sizes from {@link runE4Binder} (in size order, any grouping). The crossings that involve a
 * smaller size are computed here from their own streams, so the result equals, bit for bit, that sigma of
 * `runE4(config, { seed })`: every stream of E4 is derived from names and values, never from the order of
 * the work. Cost: resamples x temperaturePoints per added crossing.
 * @param config The whole run's config, resolved (every field set).
 * @throws DomainError when the parts do not make up that sigma of this config (another sigma, other grid
 *   temperatures, sizes that are not the config's, or a `top` not on the two largest sizes).
 * @example
 * ```ts
 * const c = { ...E4_PRESETS.quick, sigmas: [0.6] };
 * const top = runE4({ ...c, sizes: c.sizes.slice(-2) }, { seed: 1 }).measured.perSigma[0]!;
 * const lower = runE4Binder({ ...c, sizes: c.sizes.slice(0, -2) }, { seed: 1 }).measured.perSigma;
 * joinE4Binder(c, 1, top, lower); // deep-equal to runE4(c, { seed: 1 }).measured.perSigma[0]
 * ```
 */
export function joinE4Binder(
  config: E4Config,
  seed: number,
  top: E4SigmaResult,
  lower: E4BinderMeasured['perSigma'],
): E4SigmaResult {
  const fn = 'joinE4Binder';
  const c = checkConfig(config, `${fn}: config`);
  checkInteger(seed, `${fn}: seed`, 0);
  if (top === null || typeof top !== 'object' || !Array.isArray(top.binder))
    throw domainError(`${fn}: top`, 'the runE4 result of one sigma', top);
  if (!Array.isArray(lower)) throw domainError(`${fn}: lower`, 'an array of Binder-stage results', lower);
  const { sigma } = top;
  const temperatures = gridTemperatures(c, sigma);
  const sameGrid = (ts: unknown) =>
    Array.isArray(ts) &&
    ts.length === temperatures.length &&
    ts.every((t, k) => Object.is(t, temperatures[k]));
  if (!sameGrid(top.temperatures))
    throw domainError(
      `${fn}: top.temperatures`,
      `the grid of sigma = ${sigma} of the config`,
      top.temperatures,
    );
  lower.forEach((part, i) => {
    if (part?.sigma !== sigma) throw domainError(`${fn}: lower[${i}].sigma`, String(sigma), part?.sigma);
    if (!sameGrid(part.temperatures))
      throw domainError(`${fn}: lower[${i}].temperatures`, `the grid of sigma = ${sigma}`, part.temperatures);
  });
  const binder = [...lower.flatMap((part) => part.binder), ...top.binder];
  const sizes = binder.map((b) => b?.N);
  if (
    top.binder.length !== 2 ||
    sizes.length !== c.sizes.length ||
    sizes.some((N, i) => N !== c.sizes[i]) ||
    binder.some((b) => b.mean.length !== temperatures.length || b.error.length !== temperatures.length)
  )
    throw domainError(
      `${fn}: lower, top`,
      `U(T) curves of the sizes ${c.sizes.join(', ')} (top: the two largest), ${temperatures.length} temperatures each`,
      `sizes ${sizes.join(', ')}`,
    );
  const crossings: E4Crossing[] = [];
  for (let i = 0; i + 2 < binder.length; i++)
    crossings.push(crossingBetween(c, sigma, temperatures, binder[i]!, binder[i + 1]!, seed));
  return { ...top, binder, crossings: [...crossings, ...top.crossings] };
}

/** The comparisons of E4 against the exact and mean-field references. */
function e4Comparisons(measured: E4Measured): Comparison[] {
  const out: Comparison[] = [];
  for (const s of measured.perSigma) {
    out.push({
      quantity: `Tc (Binder crossing N = ${s.crossings.at(-1)!.N1}/${s.crossings.at(-1)!.N2}), sigma = ${s.sigma}`,
      measured: s.tc,
      reference: s.meanFieldBound,
      source: 'mean-field bound 2 zeta(1 + sigma) (EXPERIMENTS.md)',
      expectation: 'Tc below the mean-field bound (by more than 3 sigma)',
      agrees:
        Number.isFinite(s.tc.mean) &&
        Number.isFinite(s.tc.error) &&
        s.tc.mean + 3 * s.tc.error < s.meanFieldBound,
    });
    if (s.scaling) {
      const exact = s.scaling.exact;
      out.push(
        fitComparison(
          {
            quantity: `Delta_sigma from G(r) at Tc, N = ${s.scaling.N}, sigma = ${s.sigma}`,
            measured: s.scaling.delta,
            reference: exact,
            source: 'exact: Delta_sigma = (1 - sigma)/2 for 0 < sigma < 1',
          },
          [s.scaling],
          (m) => agreesWithin(m, exact),
        ),
      );
    }
    if (s.sigma < 0.5) {
      out.push({
        quantity: `Binder cumulant at the crossing, sigma = ${s.sigma}`,
        measured: s.binderAtTc,
        reference: MEAN_FIELD_BINDER,
        source: 'mean-field regime sigma < 1/2: U* = 1 - Gamma(1/4)^4 / (24 pi^2)',
        agrees: agreesWithin(s.binderAtTc, MEAN_FIELD_BINDER),
      });
    }
  }
  return out;
}
