/**
 * Ensembles: run a chain at one temperature (burn-in, then samples every `thin` steps) and keep the
 * configurations as one contiguous Int8Array [samples, ...shape] with per-sample energy and magnetisation.
 * @module
 */
import type { NdArray } from 'ndarray';
import type { OnProgress, RunOptions } from '../core/progress.js';
import { deriveRng, type Rng, type Seed } from '../core/rng.js';
import { integratedAutocorrelationTime } from '../core/stats.js';
import { type Matrix, toNdarray } from '../core/tensor.js';
import {
  checkAbort,
  checkInteger,
  checkLimit,
  checkObject,
  checkOptions,
  checkPositive,
  checkRng,
  domainError,
  MAX_ELEMENTS,
  MAX_WORK,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { checkModel, createEnergyFunction, modelShape, modelSites } from '../lattice/model.js';
import type { LatticeModel } from '../lattice/types.js';
import { type ChainInit, createChainState } from './chain.js';
import { type ObservableSummary, summarizeObservables } from './observables.js';
import { checkSamplerName, createUpdater, defaultSampler, type SamplerName } from './registry.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const ENSEMBLE_OPTIONS_KEYS = optionKeys<EnsembleOptions>({
  temperature: true,
  sampler: true,
  samples: true,
  burnIn: true,
  thin: true,
  rng: true,
  init: true,
  onProgress: true,
  signal: true,
});
const ENSEMBLES_OPTIONS_KEYS = optionKeys<EnsemblesOptions>({
  seed: true,
  onProgress: true,
  signal: true,
  sampler: true,
  samples: true,
  burnIn: true,
  thin: true,
  init: true,
});

/** Options of {@link sampleEnsemble}. */
export interface EnsembleOptions extends RunOptions {
  /** Temperature T > 0 (units of J). */
  readonly temperature: number;
  /** Sampler name (see `samplerNames`); default: the model's cluster sampler (Metropolis with a field). */
  readonly sampler?: SamplerName;
  /** Number of configurations to keep, integer >= 1. */
  readonly samples: number;
  /** Updater steps discarded before sampling (default 100). */
  readonly burnIn?: number;
  /**
   * Steps between kept samples: an integer >= 1 (default 1), or `'auto'`: measure the integrated
   * autocorrelation time tau of the energy over the second half of the burn-in (needs burnIn >= 32) and
   * thin by ceil(2 tau).
   */
  readonly thin?: number | 'auto';
  /** The chain's generator (advanced by the run). */
  readonly rng: Rng;
  /** Initial configuration (default `'random'`). */
  readonly init?: ChainInit;
}

/**
 * A sampled ensemble at one temperature.
 * @example
 * ```ts
 * import { createIsing2D, createRng, sampleEnsemble, type Ensemble } from 'coarsegrain';
 * const ens: Ensemble = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 20, rng: createRng(1) });
 * const sites = ens.shape[0]! * ens.shape[1]!; // 64
 * const sample3 = ens.configs.subarray(3 * sites, 4 * sites); // configuration 3, row-major (y * 8 + x)
 * const e3 = ens.energy[3]!; // its energy per site; ens.magnetization[3]: its m per site
 * ```
 */
export interface Ensemble {
  /** The model sampled. */
  readonly model: LatticeModel;
  /** Temperature T. */
  readonly temperature: number;
  /** Sampler name. */
  readonly sampler: string;
  /** Steps between samples actually used. */
  readonly thin: number;
  /** Burn-in steps. */
  readonly burnIn: number;
  /** Configurations, samples x sites, row-major (+-1). */
  readonly configs: Int8Array;
  /** [samples, ...modelShape(model)]. */
  readonly shape: number[];
  /** Energy per site of each sample. */
  readonly energy: Float64Array;
  /** Signed magnetisation per site of each sample. */
  readonly magnetization: Float64Array;
}

function checkEnsembleOptions(model: LatticeModel, options: EnsembleOptions, fn: string) {
  checkModel(model, fn);
  if (options === null || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object', options);
  const temperature = checkPositive(options.temperature, `${fn}: temperature`);
  const sampler = checkSamplerName(model, options.sampler ?? defaultSampler(model), fn);
  const samples = checkInteger(options.samples, `${fn}: samples`, 1);
  const burnIn = checkInteger(options.burnIn ?? 100, `${fn}: burnIn`, 0);
  const thin = options.thin ?? 1;
  if (thin === 'auto') {
    if (burnIn < 32) throw domainError(`${fn}: burnIn`, "an integer >= 32 when thin is 'auto'", burnIn);
  } else {
    checkInteger(thin, `${fn}: thin`, 1);
  }
  const sites = modelSites(model);
  checkLimit(samples * sites, `${fn}: samples x sites`, MAX_ELEMENTS);
  checkLimit(
    (burnIn + samples * (thin === 'auto' ? 1 : thin)) * sites,
    `${fn}: (burnIn + samples x thin) x sites`,
    MAX_WORK,
    'spin updates',
  );
  return { temperature, sampler, samples, burnIn, thin };
}

/**
 * Sample an ensemble: build the named updater at beta = 1/T, start a chain (`init`), run `burnIn` steps,
 * then keep `samples` configurations, one every `thin` steps. Progress stages `'burn-in'` and
 * `'sampling'` (units: steps and samples), about 100 reports each; `signal` is checked between steps.
 * Same model, options and rng seed => bit-identical ensemble.
 * Cost: (burnIn + samples * thin) updater steps + samples energy evaluations (O(L^2), or O(N log N) for the chain).
 * Memory: samples * sites bytes for the configurations.
 * @throws DomainError naming the argument for a bad model, temperature (<= 0, NaN), sampler name,
 * samples < 1, burnIn, thin, or rng; AbortError when aborted.
 * @example
 * ```ts
 * import { createIsing2D, createRng, sampleEnsemble, summarizeEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 16 }), { temperature: 2.27, samples: 200, rng: createRng(1) });
 * // ens.configs: Int8Array of 200 x 256 spins (+-1), ens.shape: [16, 16]; Wolff by default
 * const { energy, absMagnetization } = summarizeEnsemble(ens); // { mean, error } per site, energy ~ -1.42 +- 0.02
 * ```
 */
export function sampleEnsemble(model: LatticeModel, options: EnsembleOptions): Ensemble {
  options = checkOptions(options, 'sampleEnsemble: options', ENSEMBLE_OPTIONS_KEYS, true);
  const fn = 'sampleEnsemble';
  const {
    temperature,
    sampler,
    samples,
    burnIn,
    thin: thinOption,
  } = checkEnsembleOptions(model, options, fn);
  checkRng(options.rng, `${fn}: rng`);
  const { onProgress, signal } = options;
  const beta = 1 / temperature;
  const sites = modelSites(model);
  const updater = createUpdater(model, sampler, beta);
  const energyOf = createEnergyFunction(model);
  const state = createChainState(model, { rng: options.rng, init: options.init ?? 'random' });
  const { spins, rng } = state;

  const burnEnergy = thinOption === 'auto' ? new Float64Array(burnIn) : null;
  const burnEvery = Math.max(1, Math.floor(burnIn / 100));
  for (let k = 0; k < burnIn; k++) {
    checkAbort(signal, fn);
    updater.step(spins, rng);
    if (burnEnergy) burnEnergy[k] = energyOf(spins) / sites;
    if (onProgress && ((k + 1) % burnEvery === 0 || k + 1 === burnIn)) {
      onProgress({ stage: 'burn-in', done: k + 1, total: burnIn });
    }
  }
  let thin = thinOption === 'auto' ? 1 : thinOption;
  if (burnEnergy) {
    const tau = integratedAutocorrelationTime(burnEnergy.subarray(burnIn >> 1)).tauInt;
    thin = Math.max(1, Math.ceil(2 * tau));
  }

  const configs = new Int8Array(samples * sites);
  const energy = new Float64Array(samples);
  const magnetization = new Float64Array(samples);
  const every = Math.max(1, Math.floor(samples / 100));
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < thin; k++) {
      checkAbort(signal, fn);
      updater.step(spins, rng);
    }
    configs.set(spins, s * sites);
    energy[s] = energyOf(spins) / sites;
    let m = 0;
    for (let i = 0; i < sites; i++) m += spins[i]!;
    magnetization[s] = m / sites;
    if (onProgress && ((s + 1) % every === 0 || s + 1 === samples)) {
      onProgress({ stage: 'sampling', done: s + 1, total: samples, metrics: { thin } });
    }
  }
  return {
    model,
    temperature,
    sampler,
    thin,
    burnIn,
    configs,
    shape: [samples, ...modelShape(model)],
    energy,
    magnetization,
  };
}

/** Options of {@link sampleEnsembles}: those of {@link sampleEnsemble} with a seed instead of an rng. */
export interface EnsemblesOptions extends Omit<EnsembleOptions, 'temperature' | 'rng' | 'onProgress'> {
  /** Seed; temperature T uses the stream `deriveRng(seed, 'sampleEnsembles', T)`. */
  readonly seed: Seed;
  /** Progress of each temperature; `metrics.temperature` and `metrics.index` say which. */
  readonly onProgress?: OnProgress;
}

/**
 * One ensemble per temperature. Each temperature draws from its own stream derived from (seed, T), so an
 * ensemble does not depend on the other temperatures of the grid or their order.
 * Cost: sum of the {@link sampleEnsemble} costs.
 * @throws DomainError for an empty grid or a bad temperature (`sampleEnsembles: temperatures[k]`), and
 * whatever {@link sampleEnsemble} throws.
 * @example
 * ```ts
 * import { createIsing2D, sampleEnsembles } from 'coarsegrain';
 * const temperatures = [2.0, 2.27, 2.6];
 * const ensembles = sampleEnsembles(createIsing2D({ L: 8 }), temperatures, { samples: 50, seed: 1 });
 * // one Ensemble per temperature, each from its own stream derived from (seed, T)
 * ```
 */
export function sampleEnsembles(
  model: LatticeModel,
  temperatures: readonly number[],
  options: EnsemblesOptions,
): Ensemble[] {
  options = checkOptions(options, 'sampleEnsembles: options', ENSEMBLES_OPTIONS_KEYS, true);
  const fn = 'sampleEnsembles';
  if (!Array.isArray(temperatures) || temperatures.length === 0) {
    throw shapeError(`${fn}: temperatures`, 'a non-empty array of temperatures', String(temperatures));
  }
  for (let k = 0; k < temperatures.length; k++) checkPositive(temperatures[k], `${fn}: temperatures[${k}]`);
  if (options === null || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object', options);
  const { seed, onProgress, ...rest } = options;
  deriveRng(seed, fn); // validates the seed before any work
  return temperatures.map((temperature, index) =>
    sampleEnsemble(model, {
      ...rest,
      temperature,
      rng: deriveRng(seed, fn, temperature),
      onProgress: onProgress
        ? (p) => onProgress({ ...p, metrics: { ...p.metrics, temperature, index } })
        : undefined,
    }),
  );
}

/**
 * The configurations as a samples x sites {@link Matrix} of +-1: the batch that the models (`trainRbm`,
 * `hiddenMeans`, `sampleHidden`, `stackUp`, ...) and spectral functions take; those that need
 * floating-point entries convert it themselves. One ensemble gives a view of its configurations (no copy);
 * a list gives its configurations pooled in order (a copy, e.g. training data over several temperatures).
 * @throws DomainError if an entry is not an Ensemble; ShapeError if the list is empty or the ensembles
 *   have different numbers of sites.
 * @example
 * ```ts
 * import { createIsing2D, createRbm, createRng, ensembleMatrix, hiddenMeans, sampleEnsemble } from 'coarsegrain';
 * const e = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 100, rng: createRng(1) });
 * const v = ensembleMatrix(e); // { data: Int8Array(6400), rows: 100, cols: 64 }, a view
 * // ensembleMatrix([e1, e2]) pools several ensembles of one model into one matrix
 * const h = hiddenMeans(createRbm({ nVisible: 64, nHidden: 16, rng: createRng(2) }), v); // 100 x 16
 * ```
 */
export function ensembleMatrix(ensembles: Ensemble | readonly Ensemble[]): Matrix<Int8Array> {
  const one = (e: Ensemble, name: string): Matrix<Int8Array> => {
    if (e === null || typeof e !== 'object' || !(e.configs instanceof Int8Array) || !Array.isArray(e.shape))
      throw domainError(name, 'an Ensemble', e);
    const rows = e.shape[0]!;
    return { data: e.configs, rows, cols: rows > 0 ? e.configs.length / rows : 0 };
  };
  if (!Array.isArray(ensembles)) return one(ensembles as Ensemble, 'ensembleMatrix: ensembles');
  if (ensembles.length === 0) throw shapeError('ensembleMatrix: ensembles', 'at least one Ensemble', 'none');
  const parts = ensembles.map((e, k) => one(e, `ensembleMatrix: ensembles[${k}]`));
  const cols = parts[0]!.cols;
  parts.forEach((m, k) => {
    if (m.cols !== cols) throw shapeError(`ensembleMatrix: ensembles[${k}]`, `${cols} sites`, `${m.cols}`);
  });
  const rows = parts.reduce((a, m) => a + m.rows, 0);
  const data = new Int8Array(rows * cols);
  let offset = 0;
  for (const m of parts) {
    data.set(m.data, offset);
    offset += m.data.length;
  }
  return { data, rows, cols };
}

/**
 * An `ndarray` view [samples, ...shape] of the configurations (no copy).
 * @example
 * ```ts
 * import { createIsing2D, createRng, ensembleView, sampleEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 2.5, samples: 20, rng: createRng(1) });
 * const view = ensembleView(ens); // ndarray [20, 8, 8] over ens.configs, no copy
 * const spin = view.get(0, 3, 5); // sample 0, row y = 3, column x = 5: +1 or -1
 * ```
 */
export function ensembleView(ensemble: Ensemble): NdArray<Int8Array> {
  checkObject(ensemble, 'ensembleView: ensemble', 'an Ensemble (from sampleEnsemble)');
  if (!(ensemble.configs instanceof Int8Array) || !Array.isArray(ensemble.shape))
    throw domainError('ensembleView: ensemble', 'an Ensemble (from sampleEnsemble)', ensemble);
  return toNdarray(ensemble.configs, ensemble.shape);
}

/**
 * Observables of an ensemble with error bars (see {@link summarizeObservables} for the conventions).
 * @throws ShapeError if the ensemble has fewer than 16 samples.
 * @example
 * ```ts
 * import { createIsing2D, createRng, sampleEnsemble, summarizeEnsemble } from 'coarsegrain';
 * const ens = sampleEnsemble(createIsing2D({ L: 8 }), { temperature: 3, samples: 100, rng: createRng(1) });
 * const { energy, specificHeat, binder, tauInt } = summarizeEnsemble(ens);
 * // each an Estimate { mean, error }, per site; energy.mean ~ -0.8 at T = 3
 * ```
 */
export function summarizeEnsemble(ensemble: Ensemble): ObservableSummary {
  if (ensemble === null || typeof ensemble !== 'object' || !(ensemble.energy instanceof Float64Array)) {
    throw domainError('summarizeEnsemble: ensemble', 'an Ensemble', ensemble);
  }
  return summarizeObservables(
    ensemble.energy,
    ensemble.magnetization,
    modelSites(ensemble.model),
    1 / ensemble.temperature,
  );
}
