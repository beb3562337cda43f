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
 * With 'rbm' in `models`, the same data sets (binarised unless Ising) also go through the RBM counterpart
 * (e10Rbm.ts): truncation of a trained RBM's weights to k singular modes measured by the held-out
 * log-likelihood (exact log Z or AIS), and on Ising the RBM trained on spin-flipped data.
 * Expected (thesis): a handful of modes carry the model, fewer tuned parameters than training samples,
 * reconstructions remove noise, and the criterion predicts which data sets a small network captures.
 * @module
 */

import { symmetricEigen, thinSvd } from '../core/decompose.js';
import { deriveRng, type Rng } from '../core/rng.js';
import { byRows, type Matrix, matrix } from '../core/tensor.js';
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
  shapeError,
} from '../core/validate.js';
import {
  type Autoencoder,
  type AutoencoderActivation,
  checkAutoencoder,
  cloneAutoencoder,
  createAutoencoder,
  reconstruct,
  reconstructionLoss,
  trainAutoencoder,
} from '../models/autoencoder.js';
import { orthonormalColumns, pca, subspaceOverlap } from '../spectral/pca.js';
import { weightSvd } from '../spectral/weights.js';
import { VERSION } from '../version.js';
import {
  type CovarianceDatasetName,
  checkDatasetSettings,
  type DatasetSettings,
  isingRows,
  loadRealRows,
  meanAndError,
  splitRows,
} from './datasets.js';
import { analyseRbm, type E10RawSet, type E10RbmDatasetResult, rbmComparisons } from './e10Rbm.js';
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

export type {
  E10LogPartition,
  E10RawSet,
  E10RbmDatasetResult,
  E10RbmNoiseLevel,
  E10RbmTruncation,
} from './e10Rbm.js';
export { biasOnlyLogLikelihood, e10LogPartition, rbmTruncationRanks, truncatedRbm } from './e10Rbm.js';

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

/** Truncation results on one data set (over seeds). */
export interface E10Truncation {
  /** k = 1..rank. */
  readonly k: number[];
  /** Held-out MSE of the trained model truncated to k modes, per k. */
  readonly loss: Measurement[];
  /** Held-out MSE of the covariance-built network with k code units, per k (no training). */
  readonly covarianceLoss: Measurement[];
  /** Held-out MSE of the untruncated trained model. */
  readonly fullLoss: Measurement;
  /** max over seeds of |loss(k = rank) - full loss| (0 up to rounding). */
  readonly fullRankDeviation: number;
  /** Smallest k within tolerance, per seed summarised. */
  readonly smallestK: Measurement;
  /** Tuned parameters 2 k (d + h) + d + h at the smallest k, and all parameters of the full model. */
  readonly tunedParameters: Measurement;
  readonly allParameters: number;
  /** tunedParameters / number of training samples. */
  readonly parametersPerSample: Measurement;
}

/** Noise rejection at one level. */
export interface E10NoiseLevel {
  readonly level: number;
  /** MSE of the noisy held-out input against the clean data. */
  readonly inputError: Measurement;
  /** MSE of the reconstruction of the noisy input against the clean data. */
  readonly outputError: Measurement;
  /** inputError / outputError (> 1: noise removed; 0 at level 0, where there is no noise to remove). */
  readonly gain: Measurement;
  /** Gain of an exact projection on the clean top-k' eigenvectors (k' = min(k_f, h)), from the clean
   * eigenvalues and the noise variance sigma^2: sigma^2 d / (k' sigma^2 + sum_{a>k'} lambda_a). */
  readonly predictedGain: Measurement;
  /** Fraction of the clean data's top-k' covariance eigenvectors (k' = min(k_f, h), k_f of the criterion)
   * inside the column space of the learned end-to-end map W_enc W_dec (h dimensions): subspaceOverlap;
   * random h-dimensional subspaces give h / d. */
  readonly overlap: Measurement;
}

/** Criterion from the clean covariance spectrum (first seed's training split). */
export interface E10Criterion {
  /** Eigenvalues as fractions of the total variance, descending (at most 100). */
  readonly spectrum: number[];
  /** Number of eigenvalues for `varianceFraction` of the variance. */
  readonly kFraction: number;
  /** kFraction / d. */
  readonly kFractionRelative: number;
  /** Position a (1-based) and size of the largest ratio lambda_a / lambda_{a+1} among a < d / 2. */
  readonly gapIndex: number;
  readonly gapRatio: number;
  /** kFraction <= hidden. */
  readonly predictsSmallNetwork: boolean;
  /** 1 - fullLoss / variance per element, of the trained model (mean over seeds). */
  readonly explainedVariance: Measurement;
}

/** Everything measured on one data set. */
export interface E10DatasetResult {
  readonly name: string;
  readonly description: string;
  readonly d: number;
  readonly nTrain: number;
  readonly hidden: number;
  readonly truncation: E10Truncation;
  readonly noise: E10NoiseLevel[];
  readonly criterion: E10Criterion;
}

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

/** Planted rank-r data: x = sum_a z_a b_a + noise, z_a ~ N(0, (1 - a / (2r))^2), b_a with N(0, 1) entries. */
export function plantedLowRank(n: number, d: number, r: number, noise: number, rng: Rng): Float64Array {
  const basis = new Float64Array(d * r);
  for (let i = 0; i < basis.length; i++) basis[i] = rng.normal();
  const x = new Float64Array(n * d);
  const z = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < r; a++) z[a] = rng.normal() * (1 - a / (2 * r));
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let a = 0; a < r; a++) s += basis[j * r + a]! * z[a]!;
      x[i * d + j] = s + noise * rng.normal();
    }
  }
  return x;
}

function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

/** Mean per-element variance of n x d rows (columns centred). */
function variancePerElement(x: ArrayLike<number>, n: number, d: number): number {
  let total = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j]!;
    m /= n;
    for (let i = 0; i < n; i++) total += (x[i * d + j]! - m) ** 2;
  }
  return total / (n * d);
}

/** Rank-k truncation of a rows x cols row-major matrix from its SVD (a new array). O(rows cols k). */
export function truncate(svd: ReturnType<typeof weightSvd>, k: number): Float64Array {
  const { nVisible: m, nHidden: n, rank, visible: u, hidden: v, values: s } = svd;
  const out = new Float64Array(m * n);
  const kk = Math.min(k, rank);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let a = 0; a < kk; a++) t += u[i * rank + a]! * s[a]! * v[j * rank + a]!;
      out[i * n + j] = t;
    }
  return out;
}

/**
 * The trained network truncated to k modes, for k = 1..rank: one model per k. With a linear code the
 * end-to-end map M = W_enc W_dec is truncated (encoder columns E_c, decoder rows D_c, the encoder bias
 * folded into the decoder's: the same affine map at k = rank). That is invariant under W_enc -> W_enc A,
 * W_dec -> A^-1 W_dec, which leaves a linear network unchanged; truncating W_enc and W_dec separately is
 * not, and paired the encoder's weak directions with the decoder's strong ones (a linear MNIST network
 * kept 0.0936 of a 0.094 variance at k = 8 that way, 0.048 end to end).
 *
 * Without `data` the modes are M's singular modes in order of singular value. With `data` (rows x d, the
 * training rows) they are ordered by the variance of the reconstruction they carry: the eigenvectors V of
 * Z^T Z, Z = (X - mean) P S, rotate M = P S Q^T into E = P S V, D = Q V, and a dropped mode stays at its
 * value at the data mean (its constant output added to the decoder bias). A converged linear network is a
 * projection with all singular values 1, so the singular-value order is arbitrary there (a planted rank-4
 * set read k = 32 of 32 after 45 epochs); the data order makes its rank-k truncation the k-component PCA.
 * With a nonlinear code there is no such continuous symmetry and both matrices are truncated to their
 * own top-k singular modes (biases unchanged; `data` unused). Exported for tests. Cost O(d h^2), plus
 * O(n d h) with data.
 * @throws DomainError unless the model is an untied one-layer autoencoder; ShapeError when `data` is not
 * rows x d.
 * @example
 * ```ts
 * import { createAutoencoder, createRng, matrix, reconstructionLoss, truncatedAutoencoders } from 'coarsegrain';
 * const ae = createAutoencoder({ layers: [16, 4], activations: 'linear', rng: createRng(1) }); // trained in practice
 * const data = matrix(createRng(2).fillNormal(new Float64Array(50 * 16)), 50, 16);
 * // k = 1..4 modes kept, ordered by the variance they carry on `data`
 * const losses = truncatedAutoencoders(ae, data).map((m) => reconstructionLoss(m, data));
 * ```
 */
export function truncatedAutoencoders(
  model: Autoencoder<Float64Array>,
  rows?: Matrix,
): Autoencoder<Float64Array>[] {
  checkAutoencoder(model, 'truncatedAutoencoders: model');
  if (model.layers.length !== 2 || model.tied)
    throw domainError('truncatedAutoencoders: model', 'an untied one-layer autoencoder [d, h]', model.layers);
  const d = model.layers[0]!;
  const h = model.layers[1]!;
  const rank = Math.min(d, h);
  const out: Autoencoder<Float64Array>[] = [];
  if (model.activations[0] === 'linear') {
    const { left, values, right, rank: r } = endToEndSvd(model);
    const bias = new Float64Array(d); // b_enc W_dec + b_dec
    for (let j = 0; j < d; j++) {
      let t = model.biases[1]![j]!;
      for (let a = 0; a < h; a++) t += model.biases[0]![a]! * model.weights[1]![a * d + j]!;
      bias[j] = t;
    }
    // encoder columns E = P S and decoder rows D = Q (d x r each), rotated by V with data
    let enc: Float64Array = new Float64Array(d * r);
    let dec: Float64Array = right;
    for (let i = 0; i < d; i++) for (let c = 0; c < r; c++) enc[i * r + c] = left[i * r + c]! * values[c]!;
    // value of each mode's code at the data mean (0 without rows: modes dropped as before)
    const atMean = new Float64Array(r);
    if (rows !== undefined) {
      if (rows === null || typeof rows !== 'object' || rows.cols !== d || !(rows.rows >= 1))
        throw shapeError(
          'truncatedAutoencoders: rows',
          `a matrix of rows x ${d}`,
          `${rows?.rows} x ${rows?.cols}`,
        );
      const data = rows.data;
      const n = rows.rows;
      const mean = new Float64Array(d);
      for (let q = 0; q < n; q++) for (let i = 0; i < d; i++) mean[i]! += data[q * d + i]! / n;
      const z = new Float64Array(n * r); // (X - mean) E
      const xc = new Float64Array(d);
      for (let q = 0; q < n; q++) {
        for (let i = 0; i < d; i++) xc[i] = data[q * d + i]! - mean[i]!;
        for (let i = 0; i < d; i++) {
          const xi = xc[i]!;
          if (xi === 0) continue;
          for (let c = 0; c < r; c++) z[q * r + c]! += xi * enc[i * r + c]!;
        }
      }
      const g = new Float64Array(r * r); // Z^T Z
      for (let q = 0; q < n; q++)
        for (let a = 0; a < r; a++) {
          const za = z[q * r + a]!;
          for (let b = 0; b < r; b++) g[a * r + b]! += za * z[q * r + b]!;
        }
      const v = symmetricEigen(g, r).vectors;
      const rotate = (m: Float64Array): Float64Array => {
        const o = new Float64Array(d * r);
        for (let i = 0; i < d; i++)
          for (let a = 0; a < r; a++) {
            const mia = m[i * r + a]!;
            for (let c = 0; c < r; c++) o[i * r + c]! += mia * v[a * r + c]!;
          }
        return o;
      };
      enc = rotate(enc);
      dec = rotate(dec);
      for (let c = 0; c < r; c++) {
        let t = 0;
        for (let i = 0; i < d; i++) t += mean[i]! * enc[i * r + c]!;
        atMean[c] = t;
      }
    }
    for (let k = 1; k <= rank; k++) {
      const m = cloneAutoencoder(model);
      m.weights[0]!.fill(0);
      m.weights[1]!.fill(0);
      m.biases[0]!.fill(0);
      m.biases[1]!.set(bias);
      for (let c = 0; c < Math.min(k, r); c++)
        for (let i = 0; i < d; i++) {
          m.weights[0]![i * h + c] = enc[i * r + c]!;
          m.weights[1]![c * d + i] = dec[i * r + c]!;
        }
      for (let c = Math.min(k, r); c < r; c++)
        for (let i = 0; i < d; i++) m.biases[1]![i]! += atMean[c]! * dec[i * r + c]!;
      out.push(m);
    }
    return out;
  }
  const enc = weightSvd(matrix(model.weights[0]!, d, h));
  const dec = weightSvd(matrix(model.weights[1]!, h, d));
  for (let k = 1; k <= rank; k++) {
    const m = cloneAutoencoder(model);
    m.weights[0]!.set(truncate(enc, k));
    m.weights[1]!.set(truncate(dec, k));
    out.push(m);
  }
  return out;
}

/**
 * SVD of the end-to-end linear map M = W_enc W_dec (d x d) of a one-layer autoencoder, M = P S Q^T with
 * P = left (d x rank), Q = right (d x rank), rank <= h. Via M = Q_e (Q_e^T W_enc) W_dec with Q_e an
 * orthonormal basis of the encoder's columns: O(d h^2).
 */
function endToEndSvd(model: Autoencoder<Float64Array>): {
  left: Float64Array;
  values: Float64Array;
  right: Float64Array;
  rank: number;
} {
  const d = model.layers[0]!;
  const h = model.layers[1]!;
  const q = orthonormalColumns(model.weights[0]!, d, h, 'endToEndModes: encoder weights');
  const r = new Float64Array(h * h); // Q^T W_enc
  for (let i = 0; i < d; i++)
    for (let a = 0; a < h; a++) {
      const qa = q[i * h + a]!;
      for (let b = 0; b < h; b++) r[a * h + b]! += qa * model.weights[0]![i * h + b]!;
    }
  const bmat = new Float64Array(h * d); // (Q^T W_enc) W_dec
  for (let a = 0; a < h; a++)
    for (let b = 0; b < h; b++) {
      const rab = r[a * h + b]!;
      for (let j = 0; j < d; j++) bmat[a * d + j]! += rab * model.weights[1]![b * d + j]!;
    }
  const svd = thinSvd(bmat, h, d);
  const left = new Float64Array(d * svd.rank);
  for (let i = 0; i < d; i++)
    for (let c = 0; c < svd.rank; c++) {
      let t = 0;
      for (let a = 0; a < h; a++) t += q[i * h + a]! * svd.u[a * svd.rank + c]!;
      left[i * svd.rank + c] = t;
    }
  return { left, values: svd.s, right: svd.v, rank: svd.rank };
}

/**
 * The top-k left singular vectors (d x k) of the end-to-end linear map M = W_enc W_dec (d x d) of a
 * one-layer autoencoder (exact for linear codes, the linearisation otherwise). Unlike the encoder's own
 * singular vectors it does not depend on how a mode's scale is split between encoder and decoder.
 * Cost O(d h^2).
 */
export function endToEndModes(model: Autoencoder<Float64Array>, k: number): Float64Array {
  const d = model.layers[0]!;
  const { left, rank } = endToEndSvd(model);
  const out = new Float64Array(d * k);
  for (let i = 0; i < d; i++)
    for (let c = 0; c < Math.min(k, rank); c++) out[i * k + c] = left[i * rank + c]!;
  return out;
}

/**
 * The covariance network with only the first k code units: each other unit is frozen at its value at the
 * data mean (encoder column zeroed, its bias raised by W_a^T mean), so its constant output is the one the
 * decoder bias compensates. For a linear code this is zeroing the unit; for a nonlinear code in its
 * linear regime (sigmoid offset 1/2, relu offset 1) zeroing the unit's weights alone would leave the
 * offset's compensation in the decoder bias uncancelled.
 */
function keepUnits(
  model: Autoencoder<Float64Array>,
  k: number,
  mean: Float64Array,
): Autoencoder<Float64Array> {
  const d = model.layers[0]!;
  const h = model.layers[1]!;
  const m = cloneAutoencoder(model);
  for (let a = k; a < h; a++) {
    let atMean = 0;
    for (let i = 0; i < d; i++) {
      atMean += m.weights[0]![i * h + a]! * mean[i]!;
      m.weights[0]![i * h + a] = 0;
    }
    m.biases[0]![a]! += atMean;
  }
  return m;
}

/**
 * The covariance network of a linear code built from a PCA already computed on the training rows (the
 * covariance init of createAutoencoder for linear layers, without a second covariance and
 * eigendecomposition): encoder U (d x h), bias -U^T mean, decoder U^T, bias mean. `shape` gives the
 * layers and activations (a one-layer linear autoencoder d -> h). Returns a new model. O(d h).
 */
function linearPcaNetwork(
  shape: Autoencoder<Float64Array>,
  p: { readonly components: Matrix; readonly mean: Float64Array },
): Autoencoder<Float64Array> {
  const d = shape.layers[0]!;
  const h = shape.layers[1]!;
  const m = cloneAutoencoder(shape);
  const u = p.components.data;
  m.weights[0]!.set(u);
  for (let a = 0; a < h; a++) {
    let t = 0;
    for (let i = 0; i < d; i++) {
      t += u[i * h + a]! * p.mean[i]!;
      m.weights[1]![a * d + i] = u[i * h + a]!;
    }
    m.biases[0]![a] = -t;
  }
  m.biases[1]!.set(p.mean);
  return m;
}

/**
 * A noisy copy of `clean`: each entry flipped in sign with probability `level` (spins) or plus
 * level * N(0, 1) (otherwise). O(length).
 */
export function addNoise(clean: Float64Array, level: number, spins: boolean, rng: Rng): Float64Array {
  const out = new Float64Array(clean.length);
  for (let i = 0; i < clean.length; i++)
    out[i] = spins ? (rng.uniform() < level ? -clean[i]! : clean[i]!) : clean[i]! + level * rng.normal();
  return out;
}

const m = (xs: number[]) => meanAndError(xs);

function analyse(
  raw: E10RawSet,
  c: E10Config,
  seed: number,
  signal?: AbortSignal,
  onSeed?: (s: number) => void,
): E10DatasetResult {
  const d = raw.d;
  const h = Math.min(c.hidden, d);
  const rank = h;
  const optimizer = { kind: 'adam' as const, learningRate: c.learningRate };
  const activations: AutoencoderActivation[] = [c.activation, 'linear'];
  const lossK: number[][] = Array.from({ length: rank }, () => []);
  const covK: number[][] = Array.from({ length: rank }, () => []);
  const full: number[] = [];
  const smallest: number[] = [];
  const explained: number[] = [];
  let fullRankDeviation = 0;
  let nTrain = 0;
  const noise = c.noiseLevels.map(() => ({
    input: [] as number[],
    output: [] as number[],
    gain: [] as number[],
    predicted: [] as number[],
    overlap: [] as number[],
  }));
  let criterion: Omit<E10Criterion, 'explainedVariance'> | undefined;
  for (let s = 0; s < c.seeds; s++) {
    checkAbort(signal, 'runE10');
    const split = splitRows(raw.data, raw.n, d, c.testFraction, deriveRng(seed, 'E10', raw.name, 'split', s));
    nTrain = split.nTrain;
    const variance = variancePerElement(split.test, split.nTest, d);
    const train = (data: Float64Array, tag: string) =>
      trainAutoencoder(
        createAutoencoder({
          layers: [d, h],
          activations,
          init: { kind: 'gaussian', sigma: c.initSigma },
          rng: deriveRng(seed, 'E10', raw.name, tag, 'init', s),
        }),
        byRows(data, d),
        {
          epochs: c.epochs,
          batchSize: c.batchSize,
          optimizer,
          rng: deriveRng(seed, 'E10', raw.name, tag, 'shuffle', s),
        },
        { signal },
      ).model;
    // Parameter reduction
    const model = train(split.train, 'clean');
    const fullLoss = reconstructionLoss(model, byRows(split.test, d));
    full.push(fullLoss);
    explained.push(1 - fullLoss / variance);
    const truncated = truncatedAutoencoders(model, matrix(split.train, split.nTrain, d));
    const p = pca(matrix(split.train, split.nTrain, d), h);
    const cov =
      c.activation === 'linear'
        ? linearPcaNetwork(model, p)
        : createAutoencoder({
            layers: [d, h],
            activations,
            init: { kind: 'covariance', data: byRows(split.train, d) },
          });
    let kStar = rank;
    for (let k = 1; k <= rank; k++) {
      const l = reconstructionLoss(truncated[k - 1]!, byRows(split.test, d));
      lossK[k - 1]!.push(l);
      covK[k - 1]!.push(reconstructionLoss(keepUnits(cov, k, p.mean), byRows(split.test, d)));
      if (kStar === rank && (l - fullLoss) / variance <= c.tolerance) kStar = k;
      if (k === rank) fullRankDeviation = Math.max(fullRankDeviation, Math.abs(l - fullLoss));
    }
    smallest.push(kStar);
    // Clean spectrum (training split): criterion and noise predictions
    const eig = p.eigenvalues;
    let total = 0;
    for (let a = 0; a < d; a++) total += Math.max(0, eig[a]!);
    let cum = 0;
    let kF = d;
    for (let a = 0; a < d; a++) {
      cum += Math.max(0, eig[a]!);
      if (cum >= c.varianceFraction * total * (1 - 1e-12)) {
        kF = a + 1;
        break;
      }
    }
    const kRel = Math.min(kF, h);
    let tailRel = 0;
    for (let a = kRel; a < d; a++) tailRel += Math.max(0, eig[a]!);
    const relevant = new Float64Array(d * kRel);
    for (let i = 0; i < d; i++)
      for (let a = 0; a < kRel; a++) relevant[i * kRel + a] = p.components.data[i * h + a]!;
    if (s === 0) {
      let gapIndex = 1;
      let gapRatio = 0;
      for (let a = 0; a < Math.max(1, Math.floor(d / 2)) && a + 1 < d; a++) {
        const ratio = Math.max(0, eig[a]!) / Math.max(Math.max(0, eig[a + 1]!), 1e-300);
        if (ratio > gapRatio) {
          gapRatio = ratio;
          gapIndex = a + 1;
        }
      }
      criterion = {
        spectrum: Array.from(eig.subarray(0, Math.min(d, 100)), (x) => Math.max(0, x) / total),
        kFraction: kF,
        kFractionRelative: kF / d,
        gapIndex,
        gapRatio,
        predictsSmallNetwork: kF <= h,
      };
    }
    // Noise rejection
    c.noiseLevels.forEach((level, li) => {
      checkAbort(signal, 'runE10');
      const rng = deriveRng(seed, 'E10', raw.name, 'noise', level, s);
      // level 0: the data themselves (no draws; each level has its own stream)
      const noisyTrain = level === 0 ? split.train : addNoise(split.train, level, raw.spins, rng);
      const noisyTest = level === 0 ? split.test : addNoise(split.test, level, raw.spins, rng);
      const noisyModel = level === 0 ? model : train(noisyTrain, `noise-${level}`);
      const input = mse(noisyTest, split.test);
      const output = mse(reconstruct(noisyModel, byRows(noisyTest, d)).data, split.test);
      const sigma2 = mse(noisyTrain, split.train);
      const predictedOutput = (kRel * sigma2 + tailRel) / d;
      const rec = noise[li]!;
      rec.input.push(input);
      rec.output.push(output);
      rec.gain.push(input > 0 ? input / output : 0);
      rec.predicted.push(sigma2 / predictedOutput);
      rec.overlap.push(
        h < d ? subspaceOverlap(matrix(endToEndModes(noisyModel, h), d, h), matrix(relevant, d, kRel)) : 1,
      );
    });
    onSeed?.(s);
  }
  const params = (k: number) => 2 * k * (d + h) + d + h;
  return {
    name: raw.name,
    description: raw.description,
    d,
    nTrain,
    hidden: h,
    truncation: {
      k: Array.from({ length: rank }, (_, i) => i + 1),
      loss: lossK.map(m),
      covarianceLoss: covK.map(m),
      fullLoss: m(full),
      fullRankDeviation,
      smallestK: m(smallest),
      tunedParameters: m(smallest.map(params)),
      allParameters: 2 * d * h + d + h,
      parametersPerSample: m(smallest.map((k) => params(k) / nTrain)),
    },
    noise: c.noiseLevels.map((level, li) => {
      const r = noise[li]!;
      return {
        level,
        inputError: m(r.input),
        outputError: m(r.output),
        gain: m(r.gain),
        predictedGain: m(r.predicted),
        overlap: m(r.overlap),
      };
    }),
    criterion: { ...criterion!, explainedVariance: m(explained) },
  };
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
        analyse(raw, c, seed, signal, (s) => options.onProgress?.({ stage, done: s + 1, total: c.seeds })),
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
