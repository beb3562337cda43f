/**
 * Parallel tempering (replica exchange): one replica per temperature, each advanced by its own updater;
 * after every `sweepsPerExchange` steps, neighbouring temperatures propose to swap configurations, accepted
 * with probability min(1, exp((beta_i - beta_j)(E_i - E_j))), alternating even and odd pairs.
 * Reference: K. Hukushima and K. Nemoto, J. Phys. Soc. Jpn. 65, 1604 (1996).
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import { type Rng, splitRng } from '../core/rng.js';
import {
  checkAbort,
  checkInteger,
  checkNumericArray,
  checkObject,
  checkObjectList,
  checkOptions,
  checkPositive,
  checkRng,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { checkModel, createEnergyFunction, modelSites } from '../lattice/model.js';
import type { LatticeModel } from '../lattice/types.js';
import { type ChainInit, createChainState } from './chain.js';
import { type ObservableSummary, summarizeObservables } from './observables.js';
import { checkSamplerName, createUpdater, defaultSampler, type SamplerName } from './registry.js';
import type { Updater } from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const PARALLEL_TEMPERING_OPTIONS_KEYS = optionKeys<ParallelTemperingOptions>({
  sampler: true,
  sweepsPerExchange: true,
  samples: true,
  burnIn: true,
  rng: true,
  init: true,
  onProgress: true,
  signal: true,
});

/** Options of {@link parallelTempering}. */
export interface ParallelTemperingOptions extends RunOptions {
  /** Sampler name used at every temperature (default: the model's cluster sampler). */
  readonly sampler?: SamplerName;
  /** Updater steps of every replica between exchange rounds (default 1). */
  readonly sweepsPerExchange?: number;
  /** Exchange rounds recorded (one sample per temperature per round), integer >= 1. */
  readonly samples: number;
  /** Exchange rounds discarded first (default 100). */
  readonly burnIn?: number;
  /**
   * Generator of the run: each temperature slot k gets its own stream `splitRng(rng, k)` at the start,
   * and the exchanges draw from `rng` itself (advanced by the run).
   */
  readonly rng: Rng;
  /** Initial configuration of every replica (default `'random'`). */
  readonly init?: ChainInit;
}

/** Time series and exchange statistics of a parallel-tempering run. */
export interface ParallelTemperingResult {
  /** The temperature grid, as given. */
  readonly temperatures: number[];
  readonly sampler: string;
  /** energy[k][s]: energy per site at temperatures[k] after exchange round s. */
  readonly energy: Float64Array[];
  /** magnetization[k][s]: signed magnetisation per site at temperatures[k] after round s. */
  readonly magnetization: Float64Array[];
  /** Acceptance rate of swaps between temperatures k and k+1 (length K - 1), over all rounds. */
  readonly exchangeAcceptance: Float64Array;
  /** Final configuration at each temperature. */
  readonly finalSpins: Int8Array[];
}

/**
 * A parallel-tempering run in progress, shared by {@link parallelTempering} and its worker-pool twin
 * (`parallelTemperingParallel` in `coarsegrain/parallel`), which differ only in how the replicas are
 * advanced within a round. Slot k holds the configuration currently at temperatures[k]; it is advanced
 * with slot k's own generator `streams[k]` (split from the caller's rng at the start, `splitRng(rng, k)`),
 * while exchanges draw from the caller's rng. Not part of the stable API.
 * @internal
 */
export interface TemperingRun {
  readonly sampler: SamplerName;
  readonly betas: readonly number[];
  readonly sweepsPerExchange: number;
  /** burnIn + samples. */
  readonly rounds: number;
  /** Configuration of each slot (swapped between slots by exchanges). */
  readonly replicas: Int8Array[];
  /** Generator of each slot (replaceable: the pool version restores them from saved states). */
  readonly streams: Rng[];
  /** Energy of each slot's configuration, to be written by the caller each round before endRound. */
  readonly energies: Float64Array;
  /** Exchanges, records and progress after the replicas have been advanced in `round`. */
  endRound(round: number): void;
  result(): ParallelTemperingResult;
}

/**
 * Validate the arguments and set up a {@link TemperingRun}: per-slot streams, initial configurations
 * (drawn from each slot's stream, written into the arrays from `allocate` when given).
 * @internal
 */
export function startTemperingRun(
  fn: string,
  model: LatticeModel,
  temperatures: readonly number[],
  options: ParallelTemperingOptions,
  allocate?: (slots: number, sites: number) => Int8Array[],
): TemperingRun {
  options = checkOptions(options, `${fn}: options`, PARALLEL_TEMPERING_OPTIONS_KEYS, true);
  checkModel(model, fn);
  if (!Array.isArray(temperatures) || temperatures.length < 2) {
    throw shapeError(`${fn}: temperatures`, 'an array of at least 2 temperatures', String(temperatures));
  }
  for (let k = 0; k < temperatures.length; k++) checkPositive(temperatures[k], `${fn}: temperatures[${k}]`);
  if (options === null || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object', options);
  const sampler = checkSamplerName(model, options.sampler ?? defaultSampler(model), fn);
  const sweepsPerExchange = checkInteger(options.sweepsPerExchange ?? 1, `${fn}: sweepsPerExchange`, 1);
  const samples = checkInteger(options.samples, `${fn}: samples`, 1);
  const burnIn = checkInteger(options.burnIn ?? 100, `${fn}: burnIn`, 0);
  checkRng(options.rng, `${fn}: rng`);
  const { rng, onProgress } = options;
  const K = temperatures.length;
  const sites = modelSites(model);
  const betas = temperatures.map((t) => 1 / t);
  const streams = betas.map((_, k) => splitRng(rng, k));
  const replicas = allocate ? allocate(K, sites) : [];
  for (let k = 0; k < K; k++) {
    const spins = createChainState(model, { rng: streams[k]!, init: options.init ?? 'random' }).spins;
    if (allocate) replicas[k]!.set(spins);
    else replicas.push(spins);
  }
  const energies = new Float64Array(K);
  const attempts = new Float64Array(K - 1);
  const accepts = new Float64Array(K - 1);
  const energy = Array.from({ length: K }, () => new Float64Array(samples));
  const magnetization = Array.from({ length: K }, () => new Float64Array(samples));
  const rounds = burnIn + samples;
  const every = Math.max(1, Math.floor(rounds / 200));
  return {
    sampler,
    betas,
    sweepsPerExchange,
    rounds,
    replicas,
    streams,
    energies,
    endRound(round: number): void {
      for (let k = round & 1; k + 1 < K; k += 2) {
        const delta = (betas[k]! - betas[k + 1]!) * (energies[k]! - energies[k + 1]!);
        attempts[k]!++;
        if (delta >= 0 || rng.uniform() < Math.exp(delta)) {
          accepts[k]!++;
          const tmp = replicas[k]!;
          replicas[k] = replicas[k + 1]!;
          replicas[k + 1] = tmp;
          const e = energies[k]!;
          energies[k] = energies[k + 1]!;
          energies[k + 1] = e;
        }
      }
      if (round >= burnIn) {
        const s = round - burnIn;
        for (let k = 0; k < K; k++) {
          const spins = replicas[k]!;
          let m = 0;
          for (let i = 0; i < sites; i++) m += spins[i]!;
          energy[k]![s] = energies[k]! / sites;
          magnetization[k]![s] = m / sites;
        }
      }
      if (onProgress && ((round + 1) % every === 0 || round + 1 === burnIn || round + 1 === rounds)) {
        if (round < burnIn) onProgress({ stage: 'burn-in', done: round + 1, total: burnIn });
        else onProgress({ stage: 'sampling', done: round + 1 - burnIn, total: samples });
      }
    },
    result(): ParallelTemperingResult {
      const exchangeAcceptance = new Float64Array(K - 1);
      for (let k = 0; k < K - 1; k++)
        exchangeAcceptance[k] = attempts[k]! > 0 ? accepts[k]! / attempts[k]! : 0;
      return {
        temperatures: [...temperatures],
        sampler,
        energy,
        magnetization,
        exchangeAcceptance,
        finalSpins: replicas.map((spins) => spins.slice()),
      };
    },
  };
}

/**
 * Run parallel tempering over a temperature grid (any order; swaps are proposed between neighbours in the
 * given order, so give it sorted). Each round: every replica takes `sweepsPerExchange` steps, the energies
 * are computed, then pairs (k, k+1) with k even (odd rounds: k odd) propose a swap. Progress stages
 * `'burn-in'` and `'sampling'` in rounds. Works for either model. Random streams: temperature slot k draws
 * its initial configuration and its updates from `splitRng(rng, k)` (taken at the start, in slot order);
 * exchanges draw from `rng`. `parallelTemperingParallel` (coarsegrain/parallel) gives the same result bit
 * for bit on a worker pool.
 * Cost per round: K * (sweepsPerExchange steps + one energy evaluation, O(L^2) or O(N log N)).
 * @throws DomainError for a bad model, a temperature <= 0 or NaN (`temperatures[k]`), fewer than 2
 * temperatures, an unknown sampler, bad counts or rng; AbortError when aborted.
 * @example
 * ```ts
 * import { createIsing2D, createRng, parallelTempering, summarizeParallelTempering } from 'coarsegrain';
 * const temperatures = [2.0, 2.2, 2.4, 2.6]; // sorted: swaps between neighbours
 * const run = parallelTempering(createIsing2D({ L: 8 }), temperatures, { samples: 50, sampler: 'metropolis', rng: createRng(1) });
 * run.exchangeAcceptance; // Float64Array(3): swap acceptance of each neighbouring pair
 * const perT = summarizeParallelTempering(run, 64); // ObservableSummary per temperature
 * ```
 */
export function parallelTempering(
  model: LatticeModel,
  temperatures: readonly number[],
  options: ParallelTemperingOptions,
): ParallelTemperingResult {
  options = checkOptions(options, 'parallelTempering: options', PARALLEL_TEMPERING_OPTIONS_KEYS, true);
  const fn = 'parallelTempering';
  const run = startTemperingRun(fn, model, temperatures, options);
  const energyOf = createEnergyFunction(model);
  const updaters: Updater[] = run.betas.map((beta) => createUpdater(model, run.sampler, beta));
  const { replicas, streams, energies, sweepsPerExchange } = run;
  for (let round = 0; round < run.rounds; round++) {
    checkAbort(options.signal, fn);
    for (let k = 0; k < replicas.length; k++) {
      const spins = replicas[k]!;
      for (let s = 0; s < sweepsPerExchange; s++) updaters[k]!.step(spins, streams[k]!);
      energies[k] = energyOf(spins);
    }
    run.endRound(round);
  }
  return run.result();
}

/**
 * Observables with error bars at every temperature of a parallel-tempering run (see
 * {@link summarizeObservables}). `sites` is the model's number of sites.
 * @throws ShapeError if fewer than 16 samples were recorded.
 * @example
 * ```ts
 * import { createIsing2D, createRng, parallelTempering, summarizeParallelTempering } from 'coarsegrain';
 * const run = parallelTempering(createIsing2D({ L: 8 }), [2.2, 2.4], { samples: 32, rng: createRng(1) });
 * const [cold, hot] = summarizeParallelTempering(run, 64); // 64 sites; each { energy, binder, ... } with errors
 * ```
 */
export function summarizeParallelTempering(
  result: ParallelTemperingResult,
  sites: number,
): ObservableSummary[] {
  const fn = 'summarizeParallelTempering';
  checkObject(result, `${fn}: result`, 'a ParallelTemperingResult');
  checkNumericArray(result.temperatures, `${fn}: result.temperatures`);
  checkObjectList(
    result.energy as readonly object[],
    `${fn}: result.energy`,
    result.temperatures.length,
    'series',
  );
  checkObjectList(
    result.magnetization as readonly object[],
    `${fn}: result.magnetization`,
    result.temperatures.length,
    'series',
  );
  return result.temperatures.map((t, k) =>
    summarizeObservables(result.energy[k]!, result.magnetization[k]!, sites, 1 / t),
  );
}
