/**
 * The coarse-graining instruments of E7-E10 applied to the first layer W (d x h) of a trained MLP
 * classifier d -> h -> C: singular spectrum and modes carrying a fraction of sum s^2 (E7), Fourier
 * low-pass content of the input singular vectors on a lattice (E7), overlaps of the top-k input singular
 * vectors with reference subspaces (E8), accuracy of the network with W truncated to its top-k modes
 * (E10) and accuracy on noisy inputs, full vs truncated (E10).
 * @module
 */
import type { Rng } from '../core/rng.js';
import { byRows, matrix } from '../core/tensor.js';
import { accuracy, cloneMlp, type Mlp } from '../models/mlp.js';
import { lowRankWeights as truncate } from '../models/truncate.js';
import { subspaceOverlap } from '../spectral/pca.js';
import { lowPassFraction, matrixColumn, type WeightSvd, weightSvd } from '../spectral/weights.js';
import { modesFor } from './e7.js';
import { addNoise } from './e10Data.js';
import type { LabelledSplit } from './e11Data.js';

/** What {@link probeClassifier} measures and against what. */
export interface ProbeSettings {
  /** Dimension k of the overlaps (k <= rank of W). */
  readonly k: number;
  /** Fraction of sum s^2 whose carrying modes are counted (e.g. 0.9). */
  readonly normFraction: number;
  /** Leading input singular vectors whose low-pass fraction is averaged (lattice data only). */
  readonly topModes: number;
  /** Momentum cutoff (fraction of the band edge, max norm) of the low-pass fraction. */
  readonly cutoff: number;
  /** Truncation: smallest k with accuracy >= full accuracy - accuracyTolerance (absolute, e.g. 0.01). */
  readonly accuracyTolerance: number;
  /** Noise levels: spin-flip probabilities (spins) or Gaussian standard deviations. */
  readonly noiseLevels: readonly number[];
  readonly spins: boolean;
}

/** Reference subspaces (d x k_i row-major, columns) the top input singular vectors are compared with. */
export interface ProbeReferences {
  /** Top-k eigenvectors of the data covariance. */
  readonly covariance: Float64Array;
  /** Top-kB eigenvectors of the between-class covariance, kB = min(k, C - 1). */
  readonly between: Float64Array;
  readonly kBetween: number;
  /** The planted subspace (d x k), planted data only. */
  readonly planted?: Float64Array;
}

/** One trained classifier's first layer through the E7-E10 instruments. */
export interface ClassifierProbe {
  /** Singular values of W, descending. */
  readonly singular: number[];
  /** Modes carrying normFraction of sum s^2. */
  readonly modesForFraction: number;
  /** Overlap (mean cos^2 of principal angles) of the top-k input singular vectors with the references. */
  readonly overlapCovariance: number;
  /**
   * E8's overlap for h >= k: the fraction of the covariance's top-k subspace inside the column space of
   * the whole W (||Q_W^T Q_k||_F^2 / k); 1 if W spans it, h / d on average for a random W.
   */
  readonly spanCovariance: number;
  /** Overlap of the top-kB input singular vectors with the between-class axes. */
  readonly overlapBetween: number;
  readonly overlapPlanted: number;
  /** Mean low-pass fraction of the top `topModes` input singular vectors (NaN without a lattice). */
  readonly lowPass: number;
  /** Held-out accuracy of the full network. */
  readonly fullAccuracy: number;
  /** Kept modes of the truncation curve ({@link truncationGrid} of the rank). */
  readonly truncationK: number[];
  /** Held-out accuracy with W truncated to truncationK[i] modes. */
  readonly truncationAccuracy: number[];
  /** Smallest k of the grid within accuracyTolerance of the full accuracy (exact for k <= 32). */
  readonly smallestK: number;
  /** Parameters of the truncated network: k (d + h) + h + h C + C. */
  readonly tunedParameters: number;
  /** Accuracy on noisy held-out inputs at each noise level: full network and truncated to smallestK. */
  readonly noisyFull: number[];
  readonly noisyTruncated: number[];
}

/** The top-k input singular vectors (d x k) of an SVD. */
export function topInputVectors(svd: WeightSvd, k: number): Float64Array {
  const d = svd.nVisible;
  const out = new Float64Array(d * k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) out[i * k + j] = svd.visible[i * svd.rank + j]!;
  return out;
}

/** Mean low-pass fraction of the first `top` input singular vectors on a lattice of `shape`. */
export function meanLowPass(svd: WeightSvd, shape: [number, number], top: number, cutoff: number): number {
  let s = 0;
  for (let j = 0; j < top; j++)
    s += lowPassFraction(matrixColumn(svd.visible, svd.nVisible, svd.rank, j), shape, cutoff);
  return s / top;
}

/** Kept-mode counts of a truncation curve: every k <= 32, then steps of about 20%, and the rank. */
export function truncationGrid(rank: number): number[] {
  const ks: number[] = [];
  for (let k = 1; k <= Math.min(rank, 32); k++) ks.push(k);
  let k = 32;
  while (k < rank) {
    k = Math.min(rank, Math.ceil(k * 1.2));
    ks.push(k);
  }
  return ks;
}

/** The MLP with its first weight matrix replaced by `w` (other parameters shared by copy). */
function withFirstLayer(model: Mlp<Float64Array>, w: Float64Array): Mlp<Float64Array> {
  const m = cloneMlp(model);
  m.weights[0]!.set(w);
  return m;
}

/**
 * Measure a trained classifier [d, h, C] on the held-out rows of `data`. The truncation curve costs
 * rank forward passes of the held-out set; the noise part 2 per level. `rng` draws the noise.
 */
export function probeClassifier(
  model: Mlp<Float64Array>,
  data: LabelledSplit,
  refs: ProbeReferences,
  s: ProbeSettings,
  rng: Rng,
): ClassifierProbe {
  const d = model.layers[0]!;
  const h = model.layers[1]!;
  const C = model.layers[model.layers.length - 1]!;
  const svd = weightSvd(matrix(model.weights[0]!, d, h));
  const top = topInputVectors(svd, s.k);
  const planted = refs.planted;
  const fullAccuracy = accuracy(model, byRows(data.test, d), data.testLabels);
  const truncationK = truncationGrid(svd.rank);
  const truncationAccuracy: number[] = [];
  let smallestK = svd.rank;
  let found = false;
  for (const k of truncationK) {
    const acc = accuracy(withFirstLayer(model, truncate(svd, k)), byRows(data.test, d), data.testLabels);
    truncationAccuracy.push(acc);
    if (!found && acc >= fullAccuracy - s.accuracyTolerance) {
      smallestK = k;
      found = true;
    }
  }
  const truncated = withFirstLayer(model, truncate(svd, smallestK));
  const noisyFull: number[] = [];
  const noisyTruncated: number[] = [];
  for (const level of s.noiseLevels) {
    const noisy = addNoise(data.test, level, s.spins, rng);
    noisyFull.push(accuracy(model, byRows(noisy, d), data.testLabels));
    noisyTruncated.push(accuracy(truncated, byRows(noisy, d), data.testLabels));
  }
  return {
    singular: Array.from(svd.values),
    modesForFraction: modesFor(svd.values, s.normFraction),
    overlapCovariance: subspaceOverlap(matrix(top, d, s.k), matrix(refs.covariance, d, s.k)),
    spanCovariance: subspaceOverlap(matrix(model.weights[0]!, d, h), matrix(refs.covariance, d, s.k)),
    overlapBetween: subspaceOverlap(
      matrix(topInputVectors(svd, refs.kBetween), d, refs.kBetween),
      matrix(refs.between, d, refs.kBetween),
    ),
    overlapPlanted: planted ? subspaceOverlap(matrix(top, d, s.k), matrix(planted, d, s.k)) : Number.NaN,
    lowPass: data.lattice ? meanLowPass(svd, data.lattice, s.topModes, s.cutoff) : Number.NaN,
    fullAccuracy,
    truncationK,
    truncationAccuracy,
    smallestK,
    tunedParameters: smallestK * (d + h) + h + h * C + C,
    noisyFull,
    noisyTruncated,
  };
}

/** The weight-only numbers of {@link ClassifierProbe}. */
export type WeightProbe = Pick<
  ClassifierProbe,
  | 'singular'
  | 'modesForFraction'
  | 'overlapCovariance'
  | 'spanCovariance'
  | 'overlapBetween'
  | 'overlapPlanted'
  | 'lowPass'
>;

/**
 * The weight-only instruments (spectrum, modes for the fraction, overlaps, low-pass fraction) on any
 * d x h first layer: the untrained W0 (baseline) or an autoencoder's encoder (unsupervised counterpart).
 */
export function probeWeights(
  w0: Float64Array,
  d: number,
  h: number,
  data: LabelledSplit,
  refs: ProbeReferences,
  s: ProbeSettings,
): WeightProbe {
  const svd = weightSvd(matrix(w0, d, h));
  const top = topInputVectors(svd, s.k);
  return {
    singular: Array.from(svd.values),
    modesForFraction: modesFor(svd.values, s.normFraction),
    overlapCovariance: subspaceOverlap(matrix(top, d, s.k), matrix(refs.covariance, d, s.k)),
    spanCovariance: subspaceOverlap(matrix(w0, d, h), matrix(refs.covariance, d, s.k)),
    overlapBetween: subspaceOverlap(
      matrix(topInputVectors(svd, refs.kBetween), d, refs.kBetween),
      matrix(refs.between, d, refs.kBetween),
    ),
    overlapPlanted: refs.planted
      ? subspaceOverlap(matrix(top, d, s.k), matrix(refs.planted, d, s.k))
      : Number.NaN,
    lowPass: data.lattice ? meanLowPass(svd, data.lattice, s.topModes, s.cutoff) : Number.NaN,
  };
}
