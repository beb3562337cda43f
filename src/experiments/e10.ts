/**
 * Experiment E10: irrelevant parameters, noise rejection and a solvability criterion from the covariance
 * spectrum. On each data set (a planted low-rank synthetic set, 2D Ising ensembles at several
 * temperatures, MNIST, flowers and SWIMSEG by path):
 * - Parameter reduction: an autoencoder d -> h -> d is trained; both weight matrices are truncated to their
 *   top-k singular modes (k = 1..rank) and the held-out MSE is measured against k. The smallest k whose
 *   excess loss over the full model is within `tolerance` of the data's variance per element gives the
 *   count of tuned parameters (2 k (d + h) + d + h), set against the number of training samples. Beside
 *   it: the network built from the covariance alone (no training) with k code units.
 * - Noise rejection: the same network trained on noisy data (spin flips with probability p for Ising,
 *   Gaussian noise of standard deviation sigma otherwise) at each noise level; error of the reconstruction
 *   of noisy held-out data against the clean data vs the error of the noisy input (gain = ratio), the gain
 *   predicted from the clean covariance eigenvalues for a projection on the top-k' subspace (k' = min(k_f, h)),
 *   sigma^2 / ((k' sigma^2 + sum_{a>k'} lambda_a) / d), and the fraction of the clean data's top-k'
 *   covariance eigenvectors inside the span of the learned map W_enc W_dec (random subspaces: h / d).
 * - Solvability criterion, from the clean covariance spectrum alone: k_f = number of eigenvalues holding
 *   the fraction f of the variance, and the largest gap ratio lambda_a / lambda_{a+1}; a network of h code
 *   units is predicted to capture the data when k_f <= h, set beside the measured explained variance.
 * The autoencoder part is e10Autoencoder.ts (the truncation itself is `truncatedAutoencoders` of
 * models/truncate), the synthetic data e10Data.ts. With 'rbm' in `models`, the same data sets (binarised
 * unless Ising) also go through the RBM counterpart (e10Rbm.ts, with `truncatedRbm`): truncation of a trained RBM's weights to k singular modes measured by the held-out
 * log-likelihood (exact log Z or AIS), and on Ising the RBM trained on spin-flipped data.
 * Expected (thesis): a handful of modes carry the model, fewer tuned parameters than training samples,
 * reconstructions remove noise, and the criterion predicts which data sets a small network captures.
 * @module
 */

import { deriveRng } from '../core/rng.js';
import {
  checkAbort,
  checkInteger,
  checkLimit,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkPositive,
  domainError,
  optionKeys,
} from '../core/validate.js';
import type { AutoencoderActivation } from '../models/autoencoder.js';
import { VERSION } from '../version.js';
import {
  type CovarianceDatasetName,
  checkDatasetSettings,
  type DatasetSettings,
  isingRows,
  loadRealRows,
} from './datasets.js';
import { analyseAutoencoder, type E10DatasetResult } from './e10Autoencoder.js';
import { plantedLowRank } from './e10Data.js';
import { analyseRbm, type E10RawSet, type E10RbmDatasetResult, rbmComparisons } from './e10Rbm.js';
import {
  type Comparison,
  type ExperimentOptions,
  type ExperimentResult,
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

export type { E10Criterion, E10DatasetResult, E10NoiseLevel, E10Truncation } from './e10Autoencoder.js';
export type {
  E10LogPartition,
  E10RawSet,
  E10RbmDatasetResult,
  E10RbmNoiseLevel,
  E10RbmTruncation,
} from './e10Rbm.js';

/** E10 models: the autoencoder (MSE) analysis and the RBM (log-likelihood) analysis. */
export type E10ModelName = 'autoencoder' | 'rbm';

/** E10 data sets: the E9 ones plus a planted low-rank synthetic set. */
export type E10DatasetName = CovarianceDatasetName | 'planted';

/** Parameters of E10. */
export interface E10Config extends DatasetSettings {
  readonly datasets: readonly E10DatasetName[];
  /** Ising temperatures (one data set each; the criterion is compared across them). */
  readonly isingTemperatures: readonly number[];
  /** Planted set: n samples of dimension d = plantedD with rank plantedRank signal plus white noise plantedNoise. */
  readonly plantedSamples: number;
  readonly plantedD: number;
  readonly plantedRank: number;
  readonly plantedNoise: number;
  /** Code size h of the trained autoencoder d -> h -> d (capped at d). */
  readonly hidden: number;
  /** Code activation (output linear). 'linear' makes the predictions exact for converged training. */
  readonly activation: AutoencoderActivation;
  /** Standard deviation of the Gaussian initial weights (small, like the thesis' N(0, 0.05^2) RBM init,
   * so that modes training does not use stay small and irrelevant). */
  readonly initSigma: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seeds: number;
  /** Excess held-out MSE, as a fraction of the data's variance per element, allowed for a truncation. */
  readonly tolerance: number;
  /** Noise levels: spin-flip probabilities for Ising, Gaussian standard deviations otherwise. 0 allowed. */
  readonly noiseLevels: readonly number[];
  /** Variance fraction f of the criterion k_f. */
  readonly varianceFraction: number;
  /** Which analyses run on every data set: the autoencoder part, the RBM part, or both. */
  readonly models: readonly E10ModelName[];
  /** RBM hidden units (+-1 for Ising, 0/1 otherwise; the visible layer is the data dimension). */
  readonly rbmHidden: number;
  readonly rbmEpochs: number;
  /** RBM minibatch size (P1: 100). */
  readonly rbmBatchSize: number;
  /** Adam learning rate of the RBM (P1: 1e-3 with epsilon 1e-2; epsilon is kept at 1e-2). */
  readonly rbmLearningRate: number;
  /** 'cd' (presets) or 'pcd' (P1). PCD-1 with few updates left its chains in one magnetised sector at
   * T = 1.8 (held-out log-likelihood below the bias-only model's), CD-1 did not. */
  readonly rbmMethod: 'cd' | 'pcd';
  /** Gibbs steps per update (P1: 1). */
  readonly rbmGibbsSteps: number;
  /** Allowed log-likelihood shortfall of a truncation, as a fraction of the full model's gain over the
   * bias-only model LL(full) - LL(k = 0) (never below 2 AIS standard errors). */
  readonly rbmTolerance: number;
  /** log Z exactly when the smaller RBM layer has at most this many units, else by AIS. */
  readonly rbmMaxExactUnits: number;
  /** AIS: number of chains and of uniformly spaced inverse temperatures. One log Z of a 64 x 24 RBM with
   * 100 chains and 1000 temperatures took about 3 s on the development machine (cost ~ chains steps nV nH). */
  readonly aisChains: number;
  readonly aisSteps: number;
}

const BASE = {
  datasets: ['planted', 'ising', 'mnist', 'flowers', 'swimseg'] as const,
  isingTemperatures: [1.8, 2.269, 3.5],
  isingL: 10,
  isingThin: 2,
  mnistDir: undefined,
  flowersDir: undefined,
  swimsegDir: undefined,
  imageSize: 64,
  patchSize: 8,
  testFraction: 0.2,
  plantedD: 64,
  plantedRank: 4,
  plantedNoise: 0.1,
  activation: 'linear' as const,
  initSigma: 0.01,
  batchSize: 50,
  learningRate: 3e-3,
  tolerance: 0.01,
  noiseLevels: [0, 0.05, 0.1, 0.2],
  varianceFraction: 0.9,
  models: ['autoencoder', 'rbm'] as const,
  rbmBatchSize: 100,
  rbmMethod: 'cd' as const,
  rbmGibbsSteps: 1,
  rbmTolerance: 0.05,
  rbmMaxExactUnits: 20,
  aisChains: 100,
};

/**
 * Quick (minutes on 2 cores) and full presets. The full preset is sized for 2 idle cores with
 * `--workers 2` (published run: 1,093 s of CPU, 607 s of wall time on the idle machine): 3 Ising temperatures (below, at and above Tc), 3
 * seeds, 4 noise levels, 20 autoencoder epochs, 50 RBM epochs (4,000 updates at P1's lr 1e-3) and AIS
 * with 1,000 temperatures. Each cut is justified by a measurement in docs/experiments.md (E10, "Full
 * preset"): the autoencoder's held-out MSE moves by < 1% after 10-20 epochs, the RBM's held-out
 * log-likelihood by 0.15 nats (0.4% of its gain over the bias-only model) from 50 to 100 epochs, and
 * 1,000 AIS steps give log Z within 0.04 of a 10,000-step run with a standard error of ~0.1 nats, 14x
 * below the smallest-k tolerance.
 * @example
 * ```ts
 * import { E10_PRESETS } from 'coarsegrain';
 * const { hidden, plantedRank } = E10_PRESETS.quick; // the code size and the rank of the planted data
 * ```
 */
export const E10_PRESETS: { readonly quick: E10Config; readonly full: E10Config } = {
  quick: {
    ...BASE,
    isingSamples: 800,
    mnistLimit: 1000,
    patchesPerImage: 16,
    plantedSamples: 1000,
    hidden: 16,
    epochs: 15,
    seeds: 2,
    rbmHidden: 12,
    rbmEpochs: 60,
    rbmLearningRate: 1e-2,
    aisSteps: 1000,
  },
  full: {
    ...BASE,
    isingTemperatures: [1.8, 2.269, 3.5],
    isingSamples: 10000,
    mnistLimit: 10000,
    patchesPerImage: 64,
    plantedSamples: 10000,
    hidden: 32,
    epochs: 20,
    seeds: 3,
    noiseLevels: [0, 0.1, 0.2, 0.3],
    rbmHidden: 64,
    rbmEpochs: 50,
    rbmLearningRate: 1e-3,
    aisSteps: 1000,
  },
};

/**
 * What {@link runE10} measured: one result per autoencoder data set, the RBM part, and the data sets
 * skipped (with why).
 */
export interface E10Measured {
  /** Autoencoder analysis per data set (empty without 'autoencoder' in `models`). */
  readonly datasets: E10DatasetResult[];
  /** RBM analysis per data set (empty without 'rbm' in `models`). */
  readonly rbm: E10RbmDatasetResult[];
  readonly skipped: string[];
}

/** Result of {@link runE10}. */
export type E10Result = ExperimentResult<E10Config, E10Measured>;

function checkConfig(c: E10Config): void {
  const w = 'runE10: config';
  checkDatasetSettings(c, w);
  if (!Array.isArray(c.datasets) || c.datasets.length === 0)
    throw domainError(
      `${w}.datasets`,
      'a non-empty list of planted, ising, mnist, flowers, swimseg',
      c.datasets,
    );
  for (const name of c.datasets)
    checkOneOf(name, `${w}.datasets[]`, ['planted', 'ising', 'mnist', 'flowers', 'swimseg'] as const);
  if (!Array.isArray(c.isingTemperatures) || c.isingTemperatures.length === 0)
    throw domainError(`${w}.isingTemperatures`, 'a non-empty list of temperatures', c.isingTemperatures);
  for (const T of c.isingTemperatures) checkPositive(T, `${w}.isingTemperatures[]`);
  checkInteger(c.plantedSamples, `${w}.plantedSamples`, 4);
  checkInteger(c.plantedD, `${w}.plantedD`, 2);
  checkLimit(c.plantedSamples * c.plantedD, `${w}.plantedSamples x plantedD`);
  checkLimit(c.plantedD * c.plantedD, `${w}.plantedD x plantedD (covariance)`);
  checkInteger(c.plantedRank, `${w}.plantedRank`, 1, c.plantedD);
  checkNonNegative(c.plantedNoise, `${w}.plantedNoise`);
  checkInteger(c.hidden, `${w}.hidden`, 1);
  checkOneOf(c.activation, `${w}.activation`, ['linear', 'sigmoid', 'tanh', 'relu'] as const);
  checkPositive(c.initSigma, `${w}.initSigma`);
  checkInteger(c.epochs, `${w}.epochs`, 1);
  checkInteger(c.batchSize, `${w}.batchSize`, 1);
  checkPositive(c.learningRate, `${w}.learningRate`);
  checkInteger(c.seeds, `${w}.seeds`, 1);
  checkNonNegative(c.tolerance, `${w}.tolerance`);
  if (!Array.isArray(c.noiseLevels) || c.noiseLevels.length === 0)
    throw domainError(`${w}.noiseLevels`, 'a non-empty list of noise levels', c.noiseLevels);
  for (const p of c.noiseLevels) checkNonNegative(p, `${w}.noiseLevels[]`);
  checkPositive(c.varianceFraction, `${w}.varianceFraction`);
  if (!(c.varianceFraction <= 1))
    throw domainError(`${w}.varianceFraction`, 'a number in (0, 1]', c.varianceFraction);
  if (!Array.isArray(c.models) || c.models.length === 0)
    throw domainError(`${w}.models`, 'a non-empty list of autoencoder, rbm', c.models);
  for (const name of c.models) checkOneOf(name, `${w}.models[]`, ['autoencoder', 'rbm'] as const);
  checkInteger(c.rbmHidden, `${w}.rbmHidden`, 1);
  checkInteger(c.rbmEpochs, `${w}.rbmEpochs`, 1);
  checkInteger(c.rbmBatchSize, `${w}.rbmBatchSize`, 1);
  checkPositive(c.rbmLearningRate, `${w}.rbmLearningRate`);
  checkOneOf(c.rbmMethod, `${w}.rbmMethod`, ['cd', 'pcd'] as const);
  checkInteger(c.rbmGibbsSteps, `${w}.rbmGibbsSteps`, 1);
  checkNonNegative(c.rbmTolerance, `${w}.rbmTolerance`);
  checkInteger(c.rbmMaxExactUnits, `${w}.rbmMaxExactUnits`, 0, 30);
  checkInteger(c.aisChains, `${w}.aisChains`, 2);
  checkInteger(c.aisSteps, `${w}.aisSteps`, 2);
}

/**
 * Run E10. All randomness from deriveRng(seed, 'E10', ...). Progress: one report per data set and seed
 * (stage 'E10 <data set>', and 'E10 RBM <data set>' for the RBM part). Cost per data set: seeds x
 * (1 + noise levels) trainings of epochs x 4 n d h flops, plus h truncated evaluations and one
 * O(n d^2 + d^3) PCA per seed; the RBM part adds seeds x (1 + noise levels > 0 on Ising) RBM trainings
 * and one log Z per kept-mode count, exact O(2^min(d, rbmHidden) d rbmHidden) or AIS
 * O(aisChains aisSteps d rbmHidden).
 * @throws DomainError naming the bad config field; AbortError; loader errors for bad data folders.
 * @example
 * ```ts
 * import { runE10 } from 'coarsegrain';
 * const r = await runE10({ preset: 'quick', datasets: ['planted'] }, { seed: 1 });
 * r.measured.datasets[0]!.truncation; // held-out loss when the trained network keeps k = 1..rank singular modes
 * ```
 */
export async function runE10(
  config: PresetConfig<E10Config>,
  options: ExperimentOptions = {},
): Promise<E10Result> {
  options = checkOptions(options, 'runE10: options', EXPERIMENT_OPTIONS_KEYS);
  const t0 = performance.now();
  const seed = options.seed ?? 1;
  const { config: c, preset } = resolvePreset('runE10', config, E10_PRESETS);
  checkConfig(c);
  const signal = options.signal;
  const sources: { name: string; make: () => Promise<E10RawSet | undefined> }[] = [];
  for (const name of c.datasets) {
    if (name === 'planted') {
      sources.push({
        name: 'planted',
        make: async () => ({
          name: 'planted',
          data: plantedLowRank(
            c.plantedSamples,
            c.plantedD,
            c.plantedRank,
            c.plantedNoise,
            deriveRng(seed, 'E10', 'planted'),
          ),
          n: c.plantedSamples,
          d: c.plantedD,
          description: `${c.plantedSamples} samples, d = ${c.plantedD}, planted rank ${c.plantedRank}, white noise sd ${c.plantedNoise}`,
          spins: false,
          threshold: 0,
        }),
      });
    } else if (name === 'ising') {
      for (const T of c.isingTemperatures) {
        const label = `ising T=${T}`;
        sources.push({
          name: label,
          make: async () => ({
            name: label,
            data: isingRows(
              c.isingL,
              T,
              c.isingSamples,
              c.isingThin,
              deriveRng(seed, 'E10', 'ising', T),
              signal,
            ),
            n: c.isingSamples,
            d: c.isingL * c.isingL,
            description: `${c.isingSamples} Wolff samples of the ${c.isingL} x ${c.isingL} Ising torus at T = ${T}`,
            spins: true,
            threshold: 0,
          }),
        });
      }
    } else {
      sources.push({
        name,
        make: async () => {
          const r = await loadRealRows(name, c, { loaders: options.loaders, fn: 'runE10' }, signal);
          return r ? { ...r, name, spins: false, threshold: 0.5 } : undefined;
        },
      });
    }
  }
  const datasets: E10DatasetResult[] = [];
  const rbm: E10RbmDatasetResult[] = [];
  const skipped: string[] = [];
  for (const source of sources) {
    checkAbort(signal, 'runE10');
    const stage = `E10 ${source.name}`;
    options.onProgress?.({ stage, done: 0, total: c.seeds });
    const raw = await source.make();
    if (!raw) {
      skipped.push(source.name);
      continue;
    }
    if (c.models.includes('autoencoder'))
      datasets.push(
        analyseAutoencoder(raw, c, seed, signal, (s) =>
          options.onProgress?.({ stage, done: s + 1, total: c.seeds }),
        ),
      );
    if (c.models.includes('rbm')) {
      const rbmStage = `E10 RBM ${source.name}`;
      options.onProgress?.({ stage: rbmStage, done: 0, total: c.seeds });
      rbm.push(
        analyseRbm(raw, c, seed, signal, (s) =>
          options.onProgress?.({ stage: rbmStage, done: s + 1, total: c.seeds }),
        ),
      );
    }
  }
  const comparisons: Comparison[] = [];
  for (const r of datasets) {
    const t = r.truncation;
    comparisons.push({
      quantity: `smallest k within tolerance (of ${r.hidden} code units), ${r.name}`,
      measured: t.smallestK,
      reference: r.name === 'planted' ? c.plantedRank : Number.NaN,
      source: r.name === 'planted' ? 'planted rank (exact)' : 'thesis: behaviour only',
      expectation:
        r.name === 'planted'
          ? 'the truncation finds the planted rank'
          : `a handful of modes carry the model (k <= ${Math.floor(r.hidden / 2)}, at most half the code units, as the RBM part's rule)`,
      agrees:
        r.name === 'planted'
          ? Math.abs(t.smallestK.mean - c.plantedRank) < 0.5
          : t.smallestK.mean <= Math.floor(r.hidden / 2),
    });
    comparisons.push({
      quantity: `tuned parameters / training samples, ${r.name}`,
      measured: t.parametersPerSample,
      reference: 1,
      source: 'thesis: behaviour only',
      expectation: 'fewer tuned parameters than training samples (ratio < 1)',
      agrees: t.parametersPerSample.mean < 1,
    });
    const noisy = r.noise.filter((x) => x.level > 0);
    if (noisy.length > 0) {
      const worst = noisy[noisy.length - 1]!;
      comparisons.push({
        quantity: `denoising gain at noise level ${worst.level}, ${r.name}`,
        measured: worst.gain,
        reference: worst.predictedGain.mean,
        source: 'prediction from the clean covariance eigenvalues (projection on the top-h subspace)',
        expectation: 'reconstructions remove noise (gain > 1), close to the eigenvalue prediction',
        agrees: worst.gain.mean > 1,
      });
      comparisons.push({
        quantity: `overlap of the learned subspace with the clean relevant eigenvectors at noise level ${worst.level}, ${r.name}`,
        measured: worst.overlap,
        reference: r.hidden / r.d,
        source: 'random-subspace baseline h / d',
        expectation: 'the relevant subspace survives the noise (overlap far above h / d)',
        agrees: worst.overlap.mean > Math.min(0.9, 2 * (r.hidden / r.d)),
      });
    }
    comparisons.push({
      quantity: `criterion k_${c.varianceFraction} = ${r.criterion.kFraction} (<= h = ${r.hidden}: ${r.criterion.predictsSmallNetwork ? 'small network suffices' : 'not captured'}) vs explained variance of the trained model, ${r.name}`,
      measured: r.criterion.explainedVariance,
      reference: c.varianceFraction,
      source: 'criterion from the covariance spectrum alone',
      expectation: 'the criterion predicts whether a small network captures the data',
      agrees:
        r.criterion.predictsSmallNetwork === r.criterion.explainedVariance.mean >= 0.95 * c.varianceFraction,
    });
  }
  comparisons.push(...rbmComparisons(rbm, c));
  return {
    id: 'E10',
    title: 'Irrelevant parameters, noise rejection and a covariance-spectrum solvability criterion',
    preset,
    parameters: c,
    seed,
    version: VERSION,
    seconds: (performance.now() - t0) / 1000,
    measured: { datasets, rbm, skipped },
    comparisons,
  };
}
