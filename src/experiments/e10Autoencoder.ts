/**
 * Experiment E10, autoencoder part: on one data set, per seed, train a one-layer autoencoder, truncate it
 * to k = 1..h modes (models/truncate) and set the held-out loss against the covariance network with k
 * code units; the noise rejection of networks trained on noisy data; the solvability criterion from the
 * clean covariance spectrum.
 * @module
 */
import { deriveRng } from '../core/rng.js';
import { byRows, type Matrix, matrix } from '../core/tensor.js';
import { checkAbort } from '../core/validate.js';
import {
  type Autoencoder,
  type AutoencoderActivation,
  cloneAutoencoder,
  createAutoencoder,
  reconstruct,
  reconstructionLoss,
  trainAutoencoder,
} from '../models/autoencoder.js';
import { endToEndModes, truncatedAutoencoders } from '../models/truncate.js';
import { pca, subspaceOverlap } from '../spectral/pca.js';
import { meanAndError, splitRows } from './datasets.js';
import type { E10Config } from './e10.js';
import { addNoise } from './e10Data.js';
import type { E10RawSet } from './e10Rbm.js';
import type { Measurement } from './types.js';

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

const m = (xs: number[]) => meanAndError(xs);

export function analyseAutoencoder(
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
