/**
 * Network thermometer: a supervised MLP classifier over a grid of temperatures, trained on Monte Carlo
 * ensembles (one per grid temperature), that assigns each configuration a probability per temperature
 * class. The temperature of a configuration is the expectation sum_k p_k T_k; of an ensemble, the mean of
 * those with a jackknife error. Built on models/mlp (H4's createMlp / trainMlp / predictProbabilities).
 * Reference: P1 (arXiv 1906.05212) and S. Iso, S. Shiba and S. Yokoo, Phys. Rev. E 97, 053304 (2018),
 * whose thermometer is an MLP classifier over temperature classes.
 * @module
 */
import type { RunOptions } from '../core/progress.js';
import { permutation, type Rng } from '../core/rng.js';
import { jackknife } from '../core/stats.js';
import { byRows } from '../core/tensor.js';
import {
  checkInteger,
  checkOptions,
  checkPositive,
  checkRange,
  checkTrainingWork,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import {
  accuracy,
  createMlp,
  type Mlp,
  type MlpActivation,
  predictProbabilities,
  trainMlp,
} from '../models/mlp.js';
import { type InRangeReading, inRangeReading, type OutOfRangeReading, outOfRangeReading } from './reading.js';

/**
 * Configurations sampled at one temperature: `configs` holds n x sites values (+-1 or real). The sites per
 * configuration come from `sites` or from `shape` = [samples, ...lattice] (so an `Ensemble` from
 * sampling/sampleEnsemble can be passed as is).
 */
export interface TemperatureEnsemble {
  readonly temperature: number;
  readonly configs: ArrayLike<number>;
  readonly sites?: number;
  readonly shape?: readonly number[];
}

function ensembleSites(e: TemperatureEnsemble, name: string): number {
  if (e.sites !== undefined) return checkInteger(e.sites, `${name}.sites`, 1);
  if (Array.isArray(e.shape) && e.shape.length >= 2) {
    let s = 1;
    for (let d = 1; d < e.shape.length; d++) s *= checkInteger(e.shape[d], `${name}.shape[${d}]`, 1);
    return s;
  }
  throw shapeError(name, 'a `sites` count or a `shape` [samples, ...lattice]', 'neither');
}

/** Options of {@link trainThermometer}. */
export interface TrainThermometerOptions {
  /** Hidden layer sizes (default [64]; Iso et al. use [512, 256, 64]). */
  readonly hidden?: readonly number[];
  /** Hidden activation (default 'relu'). */
  readonly activation?: MlpActivation;
  /** Training epochs (default 30). */
  readonly epochs?: number;
  /** Minibatch size (default 100). */
  readonly batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  readonly learningRate?: number;
  /** Fraction of each ensemble held out for the accuracy (default 0.2; in [0.05, 0.9]). */
  readonly heldOutFraction?: number;
  /** Initialisation, shuffling and the held-out split. */
  readonly rng: Rng;
}

/** A trained thermometer (plain data). */
export interface Thermometer {
  readonly kind: 'thermometer';
  readonly version: 1;
  /** The class temperatures, ascending. */
  readonly temperatures: Float64Array;
  /** Sites per configuration (input size). */
  readonly sites: number;
  /** The classifier: sites -> hidden... -> classes (softmax). */
  readonly model: Mlp;
  /** Fraction of held-out configurations assigned their exact temperature class. */
  readonly heldOutAccuracy: number;
  /** Fraction of held-out configurations whose most probable class is within one grid step. */
  readonly heldOutAccuracyWithinOne: number;
  /** Mean |expected T - true T| over the held-out configurations. */
  readonly heldOutMeanAbsError: number;
  /** Number of held-out configurations. */
  readonly heldOut: number;
}

const TRAIN_THERMOMETER_KEYS = optionKeys<TrainThermometerOptions>({
  hidden: true,
  activation: true,
  epochs: true,
  batchSize: true,
  learningRate: true,
  heldOutFraction: true,
  rng: true,
});

/**
 * Train a thermometer on ensembles at distinct temperatures (one class per ensemble, sorted by T). Each
 * ensemble is split at random into training and held-out parts; the held-out accuracy is reported.
 * Progress as trainMlp (stage 'epoch'). Cost: epochs * 6 * n_train * (MLP weights) flop.
 * @throws ShapeError for empty ensembles or configurations of different sizes; DomainError for duplicate
 *   or non-positive temperatures and bad options (argument named); AbortError when aborted.
 * @example
 * ```ts
 * import { createIsing2D, createRng, sampleEnsemble, trainThermometer } from 'coarsegrain';
 * const rng = createRng(1);
 * const model = createIsing2D({ L: 4 });
 * const ensembles = [1.5, 2.5, 3.5].map((temperature) => ({ temperature, sites: 16, configs: sampleEnsemble(model, { temperature, samples: 100, rng }).configs }));
 * const thermometer = trainThermometer(ensembles, { hidden: [16], epochs: 100, rng }); // an MLP, one class per T
 * thermometer.heldOutAccuracy; // 0.63: held-out 4 x 4 configurations given their own temperature (chance 1/3)
 * ```
 */
export function trainThermometer(
  ensembles: readonly TemperatureEnsemble[],
  options: TrainThermometerOptions,
  run: RunOptions = {},
): Thermometer {
  const fn = 'trainThermometer';
  if (!Array.isArray(ensembles) || ensembles.length < 2) {
    throw shapeError(
      `${fn}: ensembles`,
      'at least 2 ensembles (temperature classes)',
      `${ensembles?.length}`,
    );
  }
  options = checkOptions(options, `${fn}: options`, TRAIN_THERMOMETER_KEYS, true);
  run = checkOptions(run, `${fn}: run`, ['onProgress', 'signal']);
  const rng = options.rng;
  if (!rng || typeof rng.uniform !== 'function') throw domainError(`${fn}: options.rng`, 'an Rng', rng);
  const hidden = options.hidden ?? [64];
  if (!Array.isArray(hidden)) throw domainError(`${fn}: options.hidden`, 'a list of layer sizes', hidden);
  for (let i = 0; i < hidden.length; i++) checkInteger(hidden[i], `${fn}: options.hidden[${i}]`, 1);
  const epochs = checkInteger(options.epochs ?? 30, `${fn}: options.epochs`, 1);
  const batchSize = checkInteger(options.batchSize ?? 100, `${fn}: options.batchSize`, 1);
  const learningRate = checkPositive(options.learningRate ?? 1e-3, `${fn}: options.learningRate`);
  const heldOutFraction = checkRange(
    options.heldOutFraction ?? 0.2,
    `${fn}: options.heldOutFraction`,
    0.05,
    0.9,
  );
  const order = ensembles
    .map((_, i) => i)
    .sort((a, b) => ensembles[a]!.temperature - ensembles[b]!.temperature);
  const temperatures = Float64Array.from(order, (i) =>
    checkPositive(ensembles[i]!.temperature, `${fn}: ensembles[${i}].temperature`),
  );
  for (let k = 1; k < temperatures.length; k++) {
    if (temperatures[k] === temperatures[k - 1]) {
      throw domainError(
        `${fn}: ensembles`,
        'distinct temperatures',
        `two ensembles at T = ${temperatures[k]}`,
      );
    }
  }
  const sites = ensembleSites(ensembles[order[0]!]!, `${fn}: ensembles[${order[0]}]`);
  order.forEach((i) => {
    const e = ensembles[i]!;
    if (!e.configs || typeof e.configs.length !== 'number' || e.configs.length === 0) {
      throw shapeError(
        `${fn}: ensembles[${i}].configs`,
        'a non-empty array of configurations',
        `length ${e.configs?.length}`,
      );
    }
    const si = ensembleSites(e, `${fn}: ensembles[${i}]`);
    if (si !== sites) throw shapeError(`${fn}: ensembles[${i}]`, `${sites} sites per configuration`, `${si}`);
  });
  const classes = temperatures.length;
  let nTrain = 0;
  let nHeld = 0;
  const splits = order.map((i, k) => {
    const c = ensembles[i]!.configs;
    if (c.length % sites !== 0)
      throw shapeError(
        `${fn}: ensembles[${i}].configs`,
        `a multiple of ${sites} values`,
        `length ${c.length}`,
      );
    const n = c.length / sites;
    if (n < 2) throw shapeError(`${fn}: ensembles[${i}].configs`, 'at least 2 configurations', `${n}`);
    const held = Math.max(1, Math.min(n - 1, Math.round(n * heldOutFraction)));
    const perm = permutation(rng, n);
    nTrain += n - held;
    nHeld += held;
    return { i, k, n, held, perm };
  });
  let parameters = 0;
  for (let l = 0, fanIn = sites; l <= hidden.length; l++) {
    const fanOut = l < hidden.length ? hidden[l]! : classes;
    parameters += (fanIn + 1) * fanOut;
    fanIn = fanOut;
  }
  checkTrainingWork(fn, epochs, nTrain, parameters);
  const xTrain = new Float64Array(nTrain * sites);
  const yTrain = new Int32Array(nTrain);
  const xHeld = new Float64Array(nHeld * sites);
  const yHeld = new Int32Array(nHeld);
  const tHeld = new Float64Array(nHeld);
  let a = 0;
  let b = 0;
  for (const { i, k, n, held, perm } of splits) {
    const c = ensembles[i]!.configs;
    for (let j = 0; j < n; j++) {
      const src = perm[j]! * sites;
      if (j < held) {
        for (let s = 0; s < sites; s++) xHeld[b * sites + s] = c[src + s]!;
        yHeld[b] = k;
        tHeld[b] = temperatures[k]!;
        b++;
      } else {
        for (let s = 0; s < sites; s++) xTrain[a * sites + s] = c[src + s]!;
        yTrain[a] = k;
        a++;
      }
    }
  }
  const model = createMlp({
    layers: [sites, ...hidden, classes],
    activations: options.activation ?? 'relu',
    output: 'softmax',
    rng,
  });
  const trained = trainMlp(
    model,
    byRows(xTrain, sites),
    yTrain,
    {
      epochs,
      batchSize,
      optimizer: { kind: 'adam', learningRate },
      rng,
      validation: { x: byRows(xHeld, sites), targets: yHeld },
    },
    run,
  ).model;
  const heldOutAccuracy = accuracy(trained, byRows(xHeld, sites), yHeld);
  const p = predictProbabilities(trained, byRows(xHeld, sites)).data;
  let within = 0;
  let mae = 0;
  for (let r = 0; r < nHeld; r++) {
    let best = 0;
    let expected = 0;
    for (let k = 0; k < classes; k++) {
      const pk = p[r * classes + k]!;
      if (pk > p[r * classes + best]!) best = k;
      expected += pk * temperatures[k]!;
    }
    if (Math.abs(best - yHeld[r]!) <= 1) within++;
    mae += Math.abs(expected - tHeld[r]!);
  }
  return {
    kind: 'thermometer',
    version: 1,
    temperatures,
    sites,
    model: trained,
    heldOutAccuracy,
    heldOutAccuracyWithinOne: within / nHeld,
    heldOutMeanAbsError: mae / nHeld,
    heldOut: nHeld,
  };
}

/** What {@link estimateTemperatures} reports besides the ensemble reading, in or out of range. */
export interface NetworkDetails {
  /**
   * Expected temperature sum_k p_k T_k of each configuration; NaN where the configuration's most probable
   * class is the first or last class (at the grid's edge, so the expectation is only a bound).
   */
  readonly perConfiguration: Float64Array;
  /** Most probable class temperature of each configuration (a class label, not a measurement). */
  readonly mostProbable: Float64Array;
  /** Mean class probabilities over the configurations (length = classes). */
  readonly meanProbabilities: Float64Array;
  /** Configurations whose most probable class is the first ('below') or the last ('above') class. */
  readonly configurationsOutOfRange: { readonly below: number; readonly above: number };
  /**
   * Mean of the per-configuration expectations sum_k p_k T_k over all configurations with its jackknife
   * error: a diagnostic, always inside the grid and biased toward its centre near the ends, so it is not
   * the reading (use `temperature` of an in-range result).
   */
  readonly meanExpected: { readonly mean: number; readonly error: number };
}

/**
 * Result of {@link estimateTemperatures}. The ensemble reading is the maximum-likelihood temperature: the
 * classifier was trained with equal class sizes, so p(T_k | x) is proportional to p(x | T_k) and the
 * ensemble log-likelihood is sum_x log p(T_k | x); its maximum over the grid is refined by a parabola
 * through the three grid points around it. Unlike the mean expectation it is not pulled toward the middle
 * of the grid. When the maximum is the first or last class the reading is out of range
 * (`{ inRange: false, bound, edge }`): the likelihood still rises at the edge, so the temperature lies at
 * or beyond it. In range, `error` is the jackknife error (NaN for one configuration).
 */
export type NetworkTemperature = (InRangeReading | OutOfRangeReading) & NetworkDetails;

/** Class index of the maximum of the summed log-probabilities. */
function bestClass(logLik: Float64Array): number {
  let best = 0;
  for (let k = 1; k < logLik.length; k++) if (logLik[k]! > logLik[best]!) best = k;
  return best;
}

/**
 * Maximum-likelihood temperature from summed log-probabilities per class (see NetworkTemperature): the
 * vertex of the parabola through the best class and its neighbours. At an end class (only inside jackknife
 * resamples of an in-range reading) the parabola through the three end classes is used, so the resample
 * spreads honestly instead of sticking to the edge; the vertex is kept within one grid step of the grid.
 */
function maximumLikelihood(logLik: Float64Array, temperatures: Float64Array): number {
  const m = temperatures.length;
  const best = bestClass(logLik);
  if (m < 3) return temperatures[best]!;
  const mid = Math.min(m - 2, Math.max(1, best));
  const t0 = temperatures[mid - 1]!;
  const t1 = temperatures[mid]!;
  const t2 = temperatures[mid + 1]!;
  const y0 = logLik[mid - 1]!;
  const y1 = logLik[mid]!;
  const y2 = logLik[mid + 1]!;
  // vertex of the parabola through the three points
  const d0 = (y1 - y0) / (t1 - t0);
  const d1 = (y2 - y1) / (t2 - t1);
  const curvature = (d1 - d0) / (t2 - t0);
  if (!(curvature < 0)) return temperatures[best]!;
  // P(t) = y0 + d0 (t - t0) + c (t - t0)(t - t1); P'(t) = d0 + c (2t - t0 - t1) = 0
  const vertex = 0.5 * (t0 + t1) - d0 / (2 * curvature);
  const lowest = temperatures[0]! - (temperatures[1]! - temperatures[0]!);
  const highest = temperatures[m - 1]! + (temperatures[m - 1]! - temperatures[m - 2]!);
  return Math.min(highest, Math.max(lowest, vertex));
}

/**
 * Temperatures of n configurations (n x sites) by a trained thermometer. Cost O(n * MLP weights).
 * @throws StateError for a malformed thermometer; ShapeError if configs is empty or not a multiple of
 *   the thermometer's sites; DomainError for bad blocks.
 * @example
 * ```ts
 * import { createIsing2D, createRng, estimateTemperatures, sampleEnsemble, trainThermometer } from 'coarsegrain';
 * const rng = createRng(1);
 * const model = createIsing2D({ L: 4 });
 * const ensembles = [1.5, 2.5, 3.5].map((temperature) => ({ temperature, sites: 16, configs: sampleEnsemble(model, { temperature, samples: 100, rng }).configs }));
 * const thermometer = trainThermometer(ensembles, { hidden: [16], epochs: 100, rng });
 * const reading = estimateTemperatures(thermometer, ensembles[1]!.configs);
 * // { inRange: true, temperature: 2.40, error: 0.13, perConfiguration, ... } (true T = 2.5); the end
 * // ensembles read out of range ({ inRange: false, bound: 'below', edge: 1.5 }), never clamped
 * ```
 */
export function estimateTemperatures(
  thermometer: Thermometer,
  configs: ArrayLike<number>,
  options: { readonly blocks?: number } = {},
): NetworkTemperature {
  const fn = 'estimateTemperatures';
  options = checkOptions(options, `${fn}: options`, ['blocks']);
  if (thermometer?.kind !== 'thermometer' || thermometer.version !== 1) {
    throw domainError(
      `${fn}: thermometer`,
      'a Thermometer of version 1 (from trainThermometer)',
      thermometer,
    );
  }
  const { sites, temperatures } = thermometer;
  if (!configs || configs.length === 0 || configs.length % sites !== 0) {
    throw shapeError(
      `${fn}: configs`,
      `a non-empty multiple of ${sites} values`,
      `length ${configs?.length}`,
    );
  }
  const n = configs.length / sites;
  const classes = temperatures.length;
  const p = predictProbabilities(
    thermometer.model,
    byRows(configs instanceof Float64Array ? configs : Float64Array.from(configs), sites),
  ).data;
  const perConfiguration = new Float64Array(n);
  const mostProbable = new Float64Array(n);
  const meanProbabilities = new Float64Array(classes);
  const configurationsOutOfRange = { below: 0, above: 0 };
  const expected = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    let best = 0;
    let e = 0;
    for (let k = 0; k < classes; k++) {
      const pk = p[r * classes + k]!;
      e += pk * temperatures[k]!;
      meanProbabilities[k]! += pk / n;
      if (pk > p[r * classes + best]!) best = k;
    }
    expected[r] = e;
    if (best === 0) configurationsOutOfRange.below++;
    else if (best === classes - 1) configurationsOutOfRange.above++;
    perConfiguration[r] = best === 0 || best === classes - 1 ? Number.NaN : e;
    mostProbable[r] = temperatures[best]!;
    sum += e;
  }
  // per-configuration log-probabilities (floored to avoid -Infinity) as series for the jackknife
  const logSeries: Float64Array[] = [];
  for (let k = 0; k < classes; k++) {
    const series = new Float64Array(n);
    for (let r = 0; r < n; r++) series[r] = Math.log(Math.max(p[r * classes + k]!, 1e-300));
    logSeries.push(series);
  }
  const ml = (means: Float64Array): number => maximumLikelihood(means, temperatures);
  const logMeans = new Float64Array(classes);
  for (let k = 0; k < classes; k++) {
    let t = 0;
    for (let r = 0; r < n; r++) t += logSeries[k]![r]!;
    logMeans[k] = t / n;
  }
  const blocks = n >= 2 ? checkInteger(options.blocks ?? Math.min(32, n), `${fn}: options.blocks`, 2, n) : 0;
  const details: NetworkDetails = {
    perConfiguration,
    mostProbable,
    meanProbabilities,
    configurationsOutOfRange,
    meanExpected: {
      mean: sum / n,
      error: n >= 2 ? jackknife([expected], (m) => m[0]!, blocks).error : Number.NaN,
    },
  };
  const best = bestClass(logMeans);
  if (best === 0) return { ...outOfRangeReading('below', temperatures[0]!), ...details };
  if (best === classes - 1) return { ...outOfRangeReading('above', temperatures[classes - 1]!), ...details };
  const error = n >= 2 ? jackknife(logSeries, ml, blocks).error : Number.NaN;
  return { ...inRangeReading(ml(logMeans), error), ...details };
}
