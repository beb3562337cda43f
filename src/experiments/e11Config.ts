/**
 * Configuration of experiment E11: the parameters, the quick and full presets, and their validation.
 * @module
 */
import { checkInteger, checkOneOf, checkPositive, checkRange, domainError } from '../core/validate.js';
import type { MlpActivation } from '../models/mlp.js';
import { E1_PRESETS } from './e1.js';

/** Data sets of E11. */
export type E11Dataset = 'planted' | 'ising' | 'thermometer' | 'mnist';

/** Parameters of E11. */
export interface E11Config {
  /** Data sets to run; MNIST without `mnistDir` is skipped (listed in `measured.skipped`). */
  readonly datasets: readonly E11Dataset[];
  /** Independent trainings per data set and hidden size (init, shuffling, noise draws). */
  readonly seeds: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Adam learning rate. */
  readonly learningRate: number;
  /** Hidden activation of the MLP (output softmax). */
  readonly activation: MlpActivation;
  /** Random initialisation: weights ~ N(0, initSigma^2), biases 0. */
  readonly initSigma: number;
  /** Fraction of rows held out for accuracy, truncation and noise. */
  readonly testFraction: number;
  /** Planted set: input dimension, planted dimension k (2k classes), noise std, rows, hidden units. */
  readonly plantedD: number;
  readonly plantedK: number;
  readonly plantedNoise: number;
  readonly plantedSamples: number;
  readonly plantedHidden: number;
  /**
   * Optimizer of the planted runs. 'sgd' (plain minibatch gradient descent) keeps W - W0 in the span of
   * the training inputs, which the exact check's tolerance assumes; Adam's per-coordinate scaling does not.
   */
  readonly plantedOptimizer: 'sgd' | 'adam';
  readonly plantedLearningRate: number;
  /**
   * Epochs of the planted runs. The tolerance assumes the readout has not yet fitted the noise of
   * individual samples; measured (seed 1, n = 4000): held-out accuracy 0.657 after 5 epochs and after 15,
   * while 1 - O grows from 0.013 (5) to 0.044 (15) and 0.052 (30) as the network memorises noise.
   */
  readonly plantedEpochs: number;
  /** Ising lattice sides (one data set each). */
  readonly isingSizes: readonly number[];
  /** Temperatures of the Ising set; T < Tc is labelled ordered (0), T > Tc disordered (1). */
  readonly isingTemperatures: readonly number[];
  /** Wolff samples per temperature and Wolff updates between kept samples. */
  readonly isingSamples: number;
  readonly isingThin: number;
  readonly isingHidden: number;
  /** Overlap dimension for Ising (closes a momentum shell: 1, 5, 9, 13, 21). */
  readonly isingK: number;
  /**
   * E1's network thermometer as a data set: a classifier over `thermometerTemperatures` (one class per
   * temperature; E1's full grid 0.1..6.0, 60 classes) on the L x L Ising torus, trained on E1's own
   * ensembles (`thermometerEnsembles` of e1: Wolff, burn-in 100, thinning 2), `thermometerSamples` per
   * class, with one hidden layer of `thermometerHidden` units (E1's quick thermometer: [64]).
   */
  readonly thermometerL: number;
  readonly thermometerTemperatures: readonly number[];
  readonly thermometerSamples: number;
  readonly thermometerHidden: number;
  /** Overlap dimension of the thermometer set (5 closes the |q| <= 1 momentum shell). */
  readonly thermometerK: number;
  /** Folder with the MNIST IDX files (the t10k split is read and split into train / held-out). */
  readonly mnistDir?: string;
  readonly mnistLimit: number;
  readonly mnistHidden: readonly number[];
  /** Overlap dimension for MNIST (9 = rank of the between-class covariance of 10 classes). */
  readonly mnistK: number;
  /** Fraction of sum s^2 whose carrying modes are counted (E7), and of the variance for k_f (E10). */
  readonly normFraction: number;
  readonly topModes: number;
  /** Low-pass cutoff (fraction of the band edge; 0.5 = E7's in-band fraction for b = 2). */
  readonly cutoff: number;
  /**
   * RBM counterpart on the spin data sets (Ising phases, thermometer): +-1 RBM d -> h trained by E7's
   * recipe (CD-1, Adam with epsilon 1e-2, W ~ N(0, 0.05^2)) for rbmEpochs epochs.
   */
  readonly rbmEpochs: number;
  readonly rbmBatchSize: number;
  readonly rbmLearningRate: number;
  /**
   * Unsupervised counterpart (E10's criterion): smallest k whose held-out reconstruction MSE exceeds the
   * full autoencoder's by at most this fraction of the data's variance per element.
   */
  readonly reconstructionTolerance: number;
  /** Truncation tolerance on held-out accuracy (absolute; 0.01 = 1 percentage point). */
  readonly accuracyTolerance: number;
  readonly spinFlipLevels: readonly number[];
  /** Gaussian input-noise standard deviations (planted and MNIST pixels in [0, 1]). */
  readonly gaussianNoiseLevels: readonly number[];
}

const DATASETS = ['planted', 'ising', 'thermometer', 'mnist'] as const;

const BASE = {
  datasets: ['planted', 'ising', 'thermometer', 'mnist'],
  seeds: 3,
  batchSize: 50,
  learningRate: 3e-3,
  activation: 'relu',
  initSigma: 0.01,
  testFraction: 0.25,
  plantedD: 32,
  plantedK: 4,
  plantedNoise: 0.5,
  plantedHidden: 16,
  plantedOptimizer: 'sgd',
  plantedLearningRate: 0.1,
  plantedEpochs: 5,
  isingTemperatures: [1.6, 1.9, 2.1, 2.45, 2.7, 3.1],
  isingThin: 2,
  isingHidden: 32,
  isingK: 5,
  thermometerL: E1_PRESETS.full.L,
  thermometerTemperatures: E1_PRESETS.full.thermometerTemperatures,
  thermometerHidden: E1_PRESETS.quick.thermometerHidden[0]!,
  thermometerK: 5,
  mnistDir: undefined,
  mnistK: 9,
  normFraction: 0.9,
  topModes: 3,
  cutoff: 0.5,
  accuracyTolerance: 0.01,
  reconstructionTolerance: 0.01,
  rbmBatchSize: 100,
  rbmLearningRate: 1e-3,
  spinFlipLevels: [0.05, 0.1, 0.2],
  gaussianNoiseLevels: [0.25, 0.5, 1],
} as const;

/**
 * Quick and full presets. Quick: 35 s of CPU time, 121 s of wall time at load average 6-14 on the shared
 * 2-core machine (2026-12-05). Full: 251 s of CPU time, 804 s of wall time at load average 15-20
 * (2026-12-05; docs/results/full/e11).
 */
export const E11_PRESETS: { readonly quick: E11Config; readonly full: E11Config } = {
  quick: {
    ...BASE,
    epochs: 15,
    plantedSamples: 4000,
    isingSizes: [10],
    isingSamples: 600,
    thermometerSamples: 60,
    rbmEpochs: 10,
    mnistLimit: 2000,
    mnistHidden: [16],
  },
  full: {
    ...BASE,
    epochs: 15,
    plantedSamples: 8000,
    isingSizes: [10, 16],
    isingSamples: 1000,
    thermometerSamples: 200,
    rbmEpochs: 30,
    mnistLimit: 2500,
    mnistHidden: [16, 64, 256],
  },
};

/** Validate a merged E11 config. @throws DomainError naming the bad field. */
export function checkE11Config(c: E11Config): void {
  const w = 'runE11: config';
  if (!Array.isArray(c.datasets) || c.datasets.length === 0)
    throw domainError(`${w}.datasets`, `a non-empty list of ${DATASETS.join(', ')}`, c.datasets);
  for (let i = 0; i < c.datasets.length; i++) {
    const ds = c.datasets[i];
    checkOneOf(ds, `${w}.datasets[${i}]`, DATASETS);
  }
  checkInteger(c.seeds, `${w}.seeds`, 2);
  checkInteger(c.epochs, `${w}.epochs`, 1);
  checkInteger(c.batchSize, `${w}.batchSize`, 1);
  checkPositive(c.learningRate, `${w}.learningRate`);
  checkOneOf(c.activation, `${w}.activation`, ['linear', 'sigmoid', 'tanh', 'relu'] as const);
  checkPositive(c.initSigma, `${w}.initSigma`);
  checkRange(c.testFraction, `${w}.testFraction`, 0, 1);
  checkInteger(c.plantedD, `${w}.plantedD`, 2);
  checkInteger(c.plantedK, `${w}.plantedK`, 1, c.plantedD - 1);
  checkPositive(c.plantedNoise, `${w}.plantedNoise`);
  checkInteger(c.plantedSamples, `${w}.plantedSamples`, 8);
  checkInteger(c.plantedHidden, `${w}.plantedHidden`, c.plantedK, c.plantedD);
  checkOneOf(c.plantedOptimizer, `${w}.plantedOptimizer`, ['sgd', 'adam'] as const);
  checkPositive(c.plantedLearningRate, `${w}.plantedLearningRate`);
  checkInteger(c.plantedEpochs, `${w}.plantedEpochs`, 1);
  for (let i = 0; i < c.isingSizes.length; i++) {
    const L = c.isingSizes[i];
    checkInteger(L, `${w}.isingSizes[${i}]`, 2);
  }
  if (c.isingTemperatures.length < 2)
    throw domainError(`${w}.isingTemperatures`, 'at least 2 temperatures', c.isingTemperatures);
  for (let i = 0; i < c.isingTemperatures.length; i++) {
    const T = c.isingTemperatures[i];
    checkPositive(T, `${w}.isingTemperatures[${i}]`);
  }
  checkInteger(c.isingSamples, `${w}.isingSamples`, 2);
  checkInteger(c.isingThin, `${w}.isingThin`, 1);
  const minD = Math.min(...c.isingSizes.map((L) => L * L));
  checkInteger(c.isingHidden, `${w}.isingHidden`, 1, minD);
  checkInteger(c.isingK, `${w}.isingK`, 1, Math.min(c.isingHidden, minD));
  checkInteger(c.thermometerL, `${w}.thermometerL`, 2);
  if (!Array.isArray(c.thermometerTemperatures) || c.thermometerTemperatures.length < 2)
    throw domainError(`${w}.thermometerTemperatures`, 'at least 2 temperatures', c.thermometerTemperatures);
  for (let i = 0; i < c.thermometerTemperatures.length; i++) {
    const T = c.thermometerTemperatures[i];
    checkPositive(T, `${w}.thermometerTemperatures[${i}]`);
    if (i > 0 && !(T! > c.thermometerTemperatures[i - 1]!))
      throw domainError(`${w}.thermometerTemperatures[${i}]`, 'ascending temperatures', T);
  }
  checkInteger(c.thermometerSamples, `${w}.thermometerSamples`, 4);
  const dT = c.thermometerL * c.thermometerL;
  checkInteger(c.thermometerHidden, `${w}.thermometerHidden`, 1, dT);
  checkInteger(c.thermometerK, `${w}.thermometerK`, 1, Math.min(c.thermometerHidden, dT));
  if (c.mnistDir !== undefined && typeof c.mnistDir !== 'string')
    throw domainError(`${w}.mnistDir`, 'a folder path', c.mnistDir);
  checkInteger(c.mnistLimit, `${w}.mnistLimit`, 20);
  for (let i = 0; i < c.mnistHidden.length; i++) {
    const h = c.mnistHidden[i];
    checkInteger(h, `${w}.mnistHidden[${i}]`, c.mnistK, 784);
  }
  checkInteger(c.mnistK, `${w}.mnistK`, 1, 784);
  checkRange(c.normFraction, `${w}.normFraction`, 0, 1, true);
  checkInteger(c.topModes, `${w}.topModes`, 1, Math.min(c.isingHidden, minD));
  checkRange(c.cutoff, `${w}.cutoff`, 0, 1);
  checkRange(c.accuracyTolerance, `${w}.accuracyTolerance`, 0, 1);
  checkRange(c.reconstructionTolerance, `${w}.reconstructionTolerance`, 0, 1);
  checkInteger(c.rbmEpochs, `${w}.rbmEpochs`, 1);
  checkInteger(c.rbmBatchSize, `${w}.rbmBatchSize`, 1);
  checkPositive(c.rbmLearningRate, `${w}.rbmLearningRate`);
  for (let i = 0; i < c.spinFlipLevels.length; i++) {
    const p = c.spinFlipLevels[i];
    checkRange(p, `${w}.spinFlipLevels[${i}]`, 0, 0.5, true);
  }
  for (let i = 0; i < c.gaussianNoiseLevels.length; i++) {
    const s = c.gaussianNoiseLevels[i];
    checkPositive(s, `${w}.gaussianNoiseLevels[${i}]`);
  }
}
