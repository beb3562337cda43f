/**
 * Labelled data sets of experiment E11 (supervised classifiers): a planted set whose relevant subspace is
 * known exactly, 2D Ising configurations labelled by phase (T below / above Tc, Wolff-sampled), and MNIST
 * digits (read by the caller and passed in). Every set is n x d row-major Float64Array rows with integer
 * labels, split into training and held-out rows by a seeded permutation.
 * @module
 */
import { symmetricEigen } from '../core/decompose.js';
import { permutation, type Rng } from '../core/rng.js';
import { ISING_TC } from '../lattice/exact2d.js';
import { orthonormalColumns } from '../spectral/pca.js';
import { isingRows } from './datasets.js';

/** A labelled data set split into training and held-out rows. */
export interface LabelledSplit {
  readonly name: string;
  /** Input dimension. */
  readonly d: number;
  /** Number of classes C (labels in 0..C-1). */
  readonly classes: number;
  readonly train: Float64Array;
  readonly trainLabels: Int32Array;
  readonly nTrain: number;
  readonly test: Float64Array;
  readonly testLabels: Int32Array;
  readonly nTest: number;
  /** Lattice shape [L, L] of an Ising input (Fourier analysis), undefined otherwise. */
  readonly lattice?: [number, number];
  /** How the rows were made, in words. */
  readonly description: string;
}

/**
 * Split labelled rows into train / held-out by a permutation from `rng` (nTest = round(n testFraction),
 * clamped to [1, n - 2]). O(n d).
 */
export function splitLabelled(
  x: ArrayLike<number>,
  labels: ArrayLike<number>,
  n: number,
  d: number,
  testFraction: number,
  rng: Rng,
): Pick<LabelledSplit, 'train' | 'trainLabels' | 'nTrain' | 'test' | 'testLabels' | 'nTest'> {
  const nTest = Math.max(1, Math.min(n - 2, Math.round(n * testFraction)));
  const nTrain = n - nTest;
  const order = permutation(rng, n);
  const train = new Float64Array(nTrain * d);
  const test = new Float64Array(nTest * d);
  const trainLabels = new Int32Array(nTrain);
  const testLabels = new Int32Array(nTest);
  for (let r = 0; r < n; r++) {
    const src = order[r]!;
    const isTrain = r < nTrain;
    const row = isTrain ? r : r - nTrain;
    const dst = isTrain ? train : test;
    for (let j = 0; j < d; j++) dst[row * d + j] = x[src * d + j]!;
    (isTrain ? trainLabels : testLabels)[row] = labels[src]!;
  }
  return { train, trainLabels, nTrain, test, testLabels, nTest };
}

/** The planted classification set of {@link plantedClassification}. */
export interface PlantedSet {
  /** n x d rows. */
  readonly x: Float64Array;
  /** n labels in 0..2k-1. */
  readonly labels: Int32Array;
  /** d x k orthonormal basis of the planted subspace (row-major, columns are the basis vectors). */
  readonly basis: Float64Array;
}

/**
 * Planted classification data: x = Q z + noise eps, z ~ N(0, I_k), eps ~ N(0, I_d), Q a random d x k
 * orthonormal basis. The label depends on z = Q^T (x - noise) only: label = 2j + (z_j < 0 ? 1 : 0) for
 * j = argmax_j |z_j| (2k classes, every planted direction relevant, the classes equally likely). The data
 * covariance is Q Q^T + noise^2 I, the between-class covariance has rank k and spans Q exactly.
 * O(n d k).
 */
export function plantedClassification(n: number, d: number, k: number, noise: number, rng: Rng): PlantedSet {
  const raw = new Float64Array(d * k);
  for (let i = 0; i < raw.length; i++) raw[i] = rng.normal();
  const basis = orthonormalColumns(raw, d, k, 'plantedClassification: basis');
  const x = new Float64Array(n * d);
  const labels = new Int32Array(n);
  const z = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let a = 0; a < k; a++) {
      z[a] = rng.normal();
      if (Math.abs(z[a]!) > Math.abs(z[best]!)) best = a;
    }
    labels[r] = 2 * best + (z[best]! < 0 ? 1 : 0);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += basis[j * k + a]! * z[a]!;
      x[r * d + j] = s + noise * rng.normal();
    }
  }
  return { x, labels, basis };
}

/**
 * 2D Ising configurations (+-1, n x L^2) Wolff-sampled at each temperature, labelled 0 (ordered, T < Tc)
 * or 1 (disordered, T > Tc); rows in temperature order. `rngFor(i)` gives the stream of temperature i.
 */
export function isingPhaseRows(
  L: number,
  temperatures: readonly number[],
  samplesPerTemperature: number,
  thin: number,
  rngFor: (i: number) => Rng,
  signal?: AbortSignal,
): { x: Float64Array; labels: Int32Array; n: number } {
  const d = L * L;
  const n = temperatures.length * samplesPerTemperature;
  const x = new Float64Array(n * d);
  const labels = new Int32Array(n);
  temperatures.forEach((T, i) => {
    x.set(isingRows(L, T, samplesPerTemperature, thin, rngFor(i), signal), i * samplesPerTemperature * d);
    labels.fill(T < ISING_TC ? 0 : 1, i * samplesPerTemperature, (i + 1) * samplesPerTemperature);
  });
  return { x, labels, n };
}

/**
 * Top-k eigenvectors (d x k row-major, columns) and all eigenvalues (descending) of the between-class
 * covariance S_B = sum_c (n_c / n) (mu_c - mu)(mu_c - mu)^T of labelled rows. Its rank is at most C - 1,
 * so only k <= C - 1 axes carry class information. O(n d + C d^2 + d^3).
 */
export function betweenClassAxes(
  x: ArrayLike<number>,
  labels: ArrayLike<number>,
  n: number,
  d: number,
  classes: number,
  k: number,
): { axes: Float64Array; eigenvalues: Float64Array } {
  const means = new Float64Array(classes * d);
  const counts = new Float64Array(classes);
  const mu = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const c = labels[r]!;
    counts[c]!++;
    for (let j = 0; j < d; j++) {
      means[c * d + j]! += x[r * d + j]!;
      mu[j]! += x[r * d + j]! / n;
    }
  }
  const sb = new Float64Array(d * d);
  const diff = new Float64Array(d);
  for (let c = 0; c < classes; c++) {
    if (counts[c] === 0) continue;
    const w = counts[c]! / n;
    for (let j = 0; j < d; j++) diff[j] = means[c * d + j]! / counts[c]! - mu[j]!;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sb[i * d + j]! += w * diff[i]! * diff[j]!;
  }
  const eig = symmetricEigen(sb, d);
  const axes = new Float64Array(d * k);
  for (let i = 0; i < d; i++) for (let a = 0; a < k; a++) axes[i * k + a] = eig.vectors[i * d + a]!;
  return { axes, eigenvalues: eig.values };
}
