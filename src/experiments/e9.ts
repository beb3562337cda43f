/**
 * Experiment E9: the covariance initial condition vs a random one. For each data set (2D Ising ensembles
 * sampled by the library; MNIST, flowers and SWIMSEG from folders given by path), an autoencoder
 * d -> code -> d is trained from a random (Xavier) init for a fixed number of epochs; its final held-out
 * loss is l*. The same network built from the data covariance (encoder = top eigenvectors, decoder its
 * transpose, biases from the mean, a nonlinear code scaled into its linear regime so that the untrained
 * network is the PCA projection: see `createAutoencoder`) is then trained with targetLoss = l*, and the
 * speed-up is epochs(random -> l*) / epochs(covariance -> l*), over several seeds (mean, standard error,
 * range). When the untrained covariance network is already at or below l*, the covariance run needs 0
 * epochs and the speed-up is only bounded below, by epochs(random -> l*): the comparison says so. The
 * epochs the random run needs to reach the untrained covariance network's loss are reported beside it
 * (often more than the run has, as a nonlinear code with a linear output cannot beat PCA on the training
 * set: Bourlard and Kamp 1988).
 * Also reported: the covariance network's loss with no training at all, relative to l*, and (linear
 * networks) how far that untrained loss is from the Baldi-Hornik optimum sum_{a>k} lambda_a / d.
 * Published (thesis): training to a given loss is 4x to 100x faster; the covariance network is almost as
 * good as a trained one with no training at all.
 * @module
 */

import { deriveRng } from '../core/rng.js';
import { byRows } from '../core/tensor.js';
import {
  checkAbort,
  checkInteger,
  checkOneOf,
  checkOptions,
  checkPositive,
  domainError,
  optionKeys,
} from '../core/validate.js';
import {
  type AutoencoderActivation,
  covarianceInitialWeights,
  createAutoencoder,
  reconstructionLoss,
  trainAutoencoder,
} from '../models/autoencoder.js';
import { VERSION } from '../version.js';
import {
  type CovarianceDatasetName,
  checkDatasetSettings,
  type DatasetSettings,
  isingRows,
  loadRealRows,
  meanAndError,
  type SplitDataset,
  splitRows,
} from './datasets.js';
import {
  type Comparison,
  type ExperimentOptions,
  type ExperimentResult,
  type Measurement,
  type PresetConfig,
  resolvePreset,
} from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const EXPERIMENT_OPTIONS_KEYS = optionKeys<ExperimentOptions>({
  seed: true,
  onProgress: true,
  signal: true,
  loaders: true,
});

/** Parameters of E9. */
export interface E9Config extends DatasetSettings {
  /** Data sets to run; real ones without a folder are skipped (listed in `measured.skipped`). */
  readonly datasets: readonly CovarianceDatasetName[];
  /** Ising temperatures (one data set each). */
  readonly isingTemperatures: readonly number[];
  /** Code size k of the autoencoder d -> k -> d. */
  readonly code: number;
  /**
   * Activation of the code layer (default tanh); the output layer is linear. 'linear' = the Baldi-Hornik
   * case, where the covariance network is exactly optimal on the training set. A nonlinear code is built in
   * its linear regime (createAutoencoder's covariance init), so it starts at the PCA loss too, up to
   * O(scale^4); either way the speed-up is then only a lower bound.
   */
  readonly activation: AutoencoderActivation;
  /** Epochs of the random-init run (its final held-out loss is l*). */
  readonly epochs: number;
  /** The covariance run may use at most this many epochs (multiples of `epochs`). */
  readonly maxEpochFactor: number;
  readonly batchSize: number;
  /** Adam learning rate. */
  readonly learningRate: number;
  /** Independent repetitions (random init, shuffling, split). */
  readonly seeds: number;
}

const BASE: Omit<E9Config, 'epochs' | 'seeds' | 'isingSamples' | 'mnistLimit' | 'patchesPerImage'> = {
  datasets: ['ising', 'mnist', 'flowers', 'swimseg'],
  isingTemperatures: [2.269],
  isingL: 10,
  isingThin: 2,
  mnistDir: undefined,
  flowersDir: undefined,
  swimsegDir: undefined,
  imageSize: 64,
  patchSize: 8,
  testFraction: 0.2,
  code: 16,
  activation: 'tanh',
  maxEpochFactor: 3,
  batchSize: 50,
  learningRate: 1e-3,
};

/**
 * Quick (minutes on 2 cores) and full (thesis-scale) presets.
 * @example
 * ```ts
 * import { E9_PRESETS } from 'coarsegrain';
 * const { code, epochs } = E9_PRESETS.quick; // the autoencoder's code size and the epoch budget
 * ```
 */
export const E9_PRESETS: { readonly quick: E9Config; readonly full: E9Config } = {
  quick: {
    ...BASE,
    epochs: 20,
    seeds: 3,
    isingSamples: 1000,
    mnistLimit: 1500,
    patchesPerImage: 16,
  },
  full: {
    ...BASE,
    isingTemperatures: [1.8, 2.269, 3.0],
    epochs: 100,
    seeds: 5,
    code: 32,
    isingSamples: 10000,
    mnistLimit: 10000,
    patchesPerImage: 64,
  },
};

/** One seed's numbers on one data set. */
export interface E9Run {
  readonly seed: number;
  /** Final held-out loss of the random run (l*). */
  readonly targetLoss: number;
  /** First epoch at which the random run's held-out loss was <= l*. */
  readonly epochsRandom: number;
  /** Epochs the covariance run needed to reach l* (0 = already there untrained). */
  readonly epochsCovariance: number;
  /** Whether the covariance run reached l* within maxEpochFactor * epochs. */
  readonly covarianceReached: boolean;
  /** epochsRandom / max(1, epochsCovariance): a lower bound when epochsCovariance = 0. */
  readonly speedUp: number;
  /** Held-out loss of the untrained covariance network. */
  readonly covarianceLoss0: number;
  /** Held-out loss of the untrained *linear* covariance network (the PCA projection on k components). */
  readonly linearCovarianceLoss0: number;
  /** Held-out loss of the untrained random network. */
  readonly randomLoss0: number;
  /**
   * First epoch at which the random run's held-out loss was <= covarianceLoss0 (what the covariance
   * init is worth in epochs of training), or null if it never got there within `epochs`.
   */
  readonly epochsRandomToCovariance0: number | null;
  /** Training loss of the untrained covariance network, and the Baldi-Hornik optimum on the training set. */
  readonly covarianceTrainLoss0: number;
  readonly baldiHornikOptimum: number;
  /** Held-out loss per epoch (index 0 = before training). */
  readonly randomCurve: number[];
  readonly covarianceCurve: number[];
}

/** Per-data-set summary over seeds. */
export interface E9DatasetResult {
  readonly name: string;
  readonly description: string;
  readonly d: number;
  readonly nTrain: number;
  readonly nTest: number;
  readonly speedUp: Measurement;
  readonly speedUpRange: readonly [number, number];
  readonly epochsRandom: Measurement;
  readonly epochsCovariance: Measurement;
  /** l*: the random run's final held-out loss. */
  readonly targetLoss: Measurement;
  /** Untrained covariance network's held-out loss. */
  readonly covarianceLoss0: Measurement;
  /** covarianceLoss0 / l* ("almost as good with no training": close to 1 or below). */
  readonly untrainedRatio: Measurement;
  /** Untrained linear covariance network (PCA projection) loss / l*. */
  readonly untrainedLinearRatio: Measurement;
  /** (covariance train loss - Baldi-Hornik optimum) / optimum. 0 for linear networks (exact). */
  readonly relativeGapToOptimum: Measurement;
  /** Seeds in which the covariance network needed no training (speed-up is then a lower bound). */
  readonly zeroEpochSeeds: number;
  /** Seeds in which the random run never reached the untrained covariance network's loss. */
  readonly randomNeverReachedCovariance0: number;
  readonly runs: E9Run[];
}

/** Measured part of the E9 result. */
export interface E9Measured {
  readonly datasets: E9DatasetResult[];
  /** Configured real data sets without a folder. */
  readonly skipped: string[];
}

/** Result of {@link runE9}. */
export type E9Result = ExperimentResult<E9Config, E9Measured>;

const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu'] as const;

function checkConfig(c: E9Config): void {
  const w = 'runE9: config';
  checkDatasetSettings(c, w);
  if (!Array.isArray(c.datasets) || c.datasets.length === 0)
    throw domainError(`${w}.datasets`, 'a non-empty list of ising, mnist, flowers, swimseg', c.datasets);
  for (const name of c.datasets)
    checkOneOf(name, `${w}.datasets[]`, ['ising', 'mnist', 'flowers', 'swimseg'] as const);
  if (!Array.isArray(c.isingTemperatures) || c.isingTemperatures.length === 0)
    throw domainError(`${w}.isingTemperatures`, 'a non-empty list of temperatures', c.isingTemperatures);
  for (const T of c.isingTemperatures) checkPositive(T, `${w}.isingTemperatures[]`);
  checkInteger(c.code, `${w}.code`, 1);
  checkOneOf(c.activation, `${w}.activation`, ACTIVATIONS);
  checkInteger(c.epochs, `${w}.epochs`, 1);
  checkPositive(c.maxEpochFactor, `${w}.maxEpochFactor`);
  checkInteger(c.batchSize, `${w}.batchSize`, 1);
  checkPositive(c.learningRate, `${w}.learningRate`);
  checkInteger(c.seeds, `${w}.seeds`, 1);
}

/** The E9 protocol on one split data set for one seed. Exported for tests and other experiments. */
export function compareInitialisations(
  ds: SplitDataset,
  c: Pick<E9Config, 'code' | 'activation' | 'epochs' | 'maxEpochFactor' | 'batchSize' | 'learningRate'>,
  seed: number,
  repetition: number,
  signal?: AbortSignal,
): E9Run {
  const d = ds.d;
  const k = Math.min(c.code, d);
  const activations: AutoencoderActivation[] = [c.activation, 'linear'];
  const optimizer = { kind: 'adam' as const, learningRate: c.learningRate };
  const random = createAutoencoder({
    layers: [d, k],
    activations,
    init: 'xavier',
    rng: deriveRng(seed, 'E9', ds.name, 'init', repetition),
  });
  const covariance = createAutoencoder({
    layers: [d, k],
    activations,
    init: { kind: 'covariance', data: byRows(ds.train, d) },
  });
  const randomLoss0 = reconstructionLoss(random, byRows(ds.test, d));
  const linearCovarianceLoss0 =
    c.activation === 'linear'
      ? Number.NaN
      : reconstructionLoss(
          createAutoencoder({
            layers: [d, k],
            activations: 'linear',
            init: { kind: 'covariance', data: byRows(ds.train, d) },
          }),
          byRows(ds.test, d),
        );
  const covarianceLoss0 = reconstructionLoss(covariance, byRows(ds.test, d));
  const covarianceTrainLoss0 = reconstructionLoss(covariance, byRows(ds.train, d));
  const eig = covarianceInitialWeights(byRows(ds.train, d), k).eigenvalues;
  let discarded = 0;
  for (let a = k; a < d; a++) discarded += Math.max(0, eig[a]!);
  const baldiHornikOptimum = discarded / d;

  const r = trainAutoencoder(
    random,
    byRows(ds.train, d),
    {
      epochs: c.epochs,
      batchSize: c.batchSize,
      optimizer,
      rng: deriveRng(seed, 'E9', ds.name, 'shuffle-random', repetition),
      validation: byRows(ds.test, d),
    },
    { signal },
  );
  const randomCurve = [randomLoss0, ...r.history.map((h) => h.validationLoss!)];
  const targetLoss = randomCurve[randomCurve.length - 1]!;
  let epochsRandom = c.epochs;
  for (let e = 1; e < randomCurve.length; e++) {
    if (randomCurve[e]! <= targetLoss) {
      epochsRandom = e;
      break;
    }
  }
  let epochsRandomToCovariance0: number | null = null;
  for (let e = 1; e < randomCurve.length; e++) {
    if (randomCurve[e]! <= covarianceLoss0) {
      epochsRandomToCovariance0 = e;
      break;
    }
  }
  let epochsCovariance = 0;
  let covarianceReached = true;
  let covarianceCurve = [covarianceLoss0];
  if (covarianceLoss0 > targetLoss) {
    const maxEpochs = Math.max(1, Math.ceil(c.maxEpochFactor * c.epochs));
    const t = trainAutoencoder(
      covariance,
      byRows(ds.train, d),
      {
        epochs: maxEpochs,
        batchSize: c.batchSize,
        optimizer,
        rng: deriveRng(seed, 'E9', ds.name, 'shuffle-covariance', repetition),
        validation: byRows(ds.test, d),
        targetLoss,
      },
      { signal },
    );
    covarianceCurve = [covarianceLoss0, ...t.history.map((h) => h.validationLoss!)];
    covarianceReached = t.reachedTarget;
    epochsCovariance = t.reachedTarget ? t.history[t.history.length - 1]!.epoch : maxEpochs;
  }
  return {
    seed: repetition,
    targetLoss,
    epochsRandom,
    epochsCovariance,
    covarianceReached,
    speedUp: epochsRandom / Math.max(1, epochsCovariance),
    covarianceLoss0,
    linearCovarianceLoss0: Number.isNaN(linearCovarianceLoss0) ? covarianceLoss0 : linearCovarianceLoss0,
    randomLoss0,
    epochsRandomToCovariance0,
    covarianceTrainLoss0,
    baldiHornikOptimum,
    randomCurve,
    covarianceCurve,
  };
}

function summarize(ds: SplitDataset, runs: E9Run[]): E9DatasetResult {
  const speed = runs.map((r) => r.speedUp);
  return {
    name: ds.name,
    description: ds.description,
    d: ds.d,
    nTrain: ds.nTrain,
    nTest: ds.nTest,
    speedUp: meanAndError(speed),
    speedUpRange: [Math.min(...speed), Math.max(...speed)],
    epochsRandom: meanAndError(runs.map((r) => r.epochsRandom)),
    epochsCovariance: meanAndError(runs.map((r) => r.epochsCovariance)),
    targetLoss: meanAndError(runs.map((r) => r.targetLoss)),
    covarianceLoss0: meanAndError(runs.map((r) => r.covarianceLoss0)),
    untrainedRatio: meanAndError(runs.map((r) => r.covarianceLoss0 / r.targetLoss)),
    untrainedLinearRatio: meanAndError(runs.map((r) => r.linearCovarianceLoss0 / r.targetLoss)),
    relativeGapToOptimum: meanAndError(
      runs.map((r) =>
        r.baldiHornikOptimum > 0
          ? (r.covarianceTrainLoss0 - r.baldiHornikOptimum) / r.baldiHornikOptimum
          : r.covarianceTrainLoss0,
      ),
    ),
    zeroEpochSeeds: runs.filter((r) => r.epochsCovariance === 0).length,
    randomNeverReachedCovariance0: runs.filter((r) => r.epochsRandomToCovariance0 === null).length,
    runs,
  };
}

/**
 * Run E9. Each seed draws its own split, random init and shuffling from deriveRng(seed, 'E9', ...); the
 * Ising samples come from deriveRng(seed, 'E9', 'ising', T). Progress: one report per data set and seed
 * (stage 'E9 <data set>'). Cost: seeds x (epochs + covariance epochs) x 4 n d k flops per data set.
 * @throws DomainError naming the bad config field; AbortError; loader errors for bad data folders.
 * @example
 * ```ts
 * import { runE9 } from 'coarsegrain';
 * const r = await runE9({ preset: 'quick', datasets: ['ising'] }, { seed: 1 });
 * r.measured.datasets[0]!.speedUp; // Measurement: how many times fewer epochs the covariance init needs
 * ```
 */
export async function runE9(
  config: PresetConfig<E9Config>,
  options: ExperimentOptions = {},
): Promise<E9Result> {
  options = checkOptions(options, 'runE9: options', EXPERIMENT_OPTIONS_KEYS);
  const t0 = performance.now();
  const seed = options.seed ?? 1;
  const { config: c, preset } = resolvePreset('runE9', config, E9_PRESETS);
  checkConfig(c);
  const signal = options.signal;
  const results: E9DatasetResult[] = [];
  const skipped: string[] = [];
  const sources: {
    name: string;
    make: () => Promise<{ data: Float64Array; n: number; d: number; description: string } | undefined>;
  }[] = [];
  for (const name of c.datasets) {
    if (name === 'ising') {
      for (const T of c.isingTemperatures) {
        sources.push({
          name: `ising T=${T}`,
          make: async () => ({
            data: isingRows(
              c.isingL,
              T,
              c.isingSamples,
              c.isingThin,
              deriveRng(seed, 'E9', 'ising', T),
              signal,
            ),
            n: c.isingSamples,
            d: c.isingL * c.isingL,
            description: `${c.isingSamples} Wolff samples of the ${c.isingL} x ${c.isingL} Ising torus at T = ${T} (spins +-1)`,
          }),
        });
      }
    } else {
      sources.push({
        name,
        make: () => loadRealRows(name, c, { loaders: options.loaders, fn: 'runE9' }, signal),
      });
    }
  }
  for (const source of sources) {
    checkAbort(signal, 'runE9');
    options.onProgress?.({ stage: `E9 ${source.name}`, done: 0, total: c.seeds });
    const raw = await source.make();
    if (!raw) {
      skipped.push(source.name);
      continue;
    }
    const runs: E9Run[] = [];
    let first: SplitDataset | undefined;
    for (let s = 0; s < c.seeds; s++) {
      checkAbort(signal, 'runE9');
      const split = splitRows(
        raw.data,
        raw.n,
        raw.d,
        c.testFraction,
        deriveRng(seed, 'E9', source.name, 'split', s),
      );
      const ds: SplitDataset = { name: source.name, d: raw.d, description: raw.description, ...split };
      first ??= ds;
      const run = compareInitialisations(ds, c, seed, s, signal);
      runs.push(run);
      options.onProgress?.({
        stage: `E9 ${source.name}`,
        done: s + 1,
        total: c.seeds,
        metrics: { speedUp: run.speedUp },
      });
    }
    results.push(summarize(first!, runs));
  }
  const comparisons: Comparison[] = [];
  for (const r of results) {
    const bound =
      r.zeroEpochSeeds > 0
        ? ` (a lower bound: the untrained covariance network was already <= l* in ${r.zeroEpochSeeds} of ${r.runs.length} seeds)`
        : '';
    comparisons.push({
      quantity: `speed-up epochs(random -> l*) / epochs(covariance -> l*), ${r.name}${bound}`,
      measured: r.speedUp,
      reference: Number.NaN,
      source: 'thesis: 4x to 100x across Ising, MNIST, flowers, SWIMSEG',
      expectation: 'speed-up between 4 and 100 (at least > 1)',
      agrees: r.speedUp.mean >= 4,
    });
    comparisons.push({
      quantity: `untrained covariance loss / trained random loss l*, ${r.name}`,
      measured: r.untrainedRatio,
      reference: 1,
      source: 'thesis: behaviour only',
      expectation:
        'the covariance network with no training is almost as good as the trained one (ratio near 1 or below)',
      agrees: r.untrainedRatio.mean <= 1.1,
    });
    if (c.activation !== 'linear') {
      comparisons.push({
        quantity: `untrained linear covariance network (PCA projection) loss / l*, ${r.name}`,
        measured: r.untrainedLinearRatio,
        reference: 1,
        source: 'thesis: behaviour only',
        expectation: 'the covariance-built network with no training is almost as good as the trained one',
        agrees: r.untrainedLinearRatio.mean <= 1.1,
      });
    }
    if (c.activation !== 'linear') {
      const gaps = r.runs.map((x) => x.covarianceLoss0 / x.linearCovarianceLoss0 - 1);
      comparisons.push({
        quantity: `untrained ${c.activation} covariance network vs the PCA projection (relative excess of held-out loss), ${r.name}`,
        measured: meanAndError(gaps),
        reference: 0,
        source:
          'exact: the covariance init in the linear regime computes the PCA projection (P3 construction)',
        expectation: 'within 1% of the PCA projection',
        agrees: Math.abs(meanAndError(gaps).mean) < 0.01,
      });
    }
    if (c.activation === 'linear') {
      comparisons.push({
        quantity: `untrained linear covariance network vs Baldi-Hornik optimum (relative gap, training set), ${r.name}`,
        measured: r.relativeGapToOptimum,
        reference: 0,
        source: 'exact (Baldi & Hornik 1989)',
        expectation: 'within 1% of the optimum sum_{a>k} lambda_a / d',
        agrees: Math.abs(r.relativeGapToOptimum.mean) < 0.01,
      });
    }
  }
  return {
    id: 'E9',
    title: 'Covariance initialisation vs random initialisation of autoencoders',
    preset,
    parameters: c,
    seed,
    version: VERSION,
    seconds: (performance.now() - t0) / 1000,
    measured: { datasets: results, skipped },
    comparisons,
  };
}
