/**
 * Experiment E11: supervised networks through the coarse-graining lens (the thesis's stated future work).
 * MLP classifiers d -> h -> C are trained on (i) a planted set whose relevant subspace is known exactly,
 * (ii) 2D Ising configurations labelled by phase (T below / above Tc, Wolff-sampled), (iii) E1's network
 * thermometer task (one class per temperature of E1's 60-temperature grid, on E1's own Wolff ensembles,
 * `thermometerEnsembles` of e1) and (iv) MNIST digits, over several seeds. Their first layer W (d x h) goes through the instruments of E7-E10 (see
 * `e11Probe`): singular spectrum and modes carrying 90% of sum s^2, Fourier low-pass content of the input
 * singular vectors (Ising), overlap of the top-k input singular vectors with the data covariance's and the
 * between-class covariance's top eigenvectors (and the planted subspace) beside the random level k/d,
 * truncation to the top-k modes against held-out accuracy, accuracy under noise (full vs truncated), and
 * covariance initialisation against random initialisation (epochs to reach random's final accuracy).
 * The unsupervised column is measured in the same run on the same rows at the same size (e11Unsupervised):
 * an autoencoder d -> h -> d through the same instruments (E10's truncation and noise rejection on its
 * reconstruction, E9's protocol for the covariance init) and, on spin data, a +-1 RBM (E7's recipe).
 * Data are drawn once per data set; the error bars are over training seeds (init, shuffling, noise).
 * MNIST is read through `options.loaders` (`nodeLoaders` of `coarsegrain/node`) when `mnistDir` is given.
 * @module
 */

import { deriveRng } from '../core/rng.js';
import { byRows, matrix } from '../core/tensor.js';
import { checkAbort, checkOptions, optionKeys } from '../core/validate.js';
import { createAutoencoder, trainAutoencoder } from '../models/autoencoder.js';
import { accuracy, createMlp, type Mlp, trainMlp } from '../models/mlp.js';
import { pca } from '../spectral/pca.js';
import { VERSION } from '../version.js';
import { meanAndError } from './datasets.js';
import { thermometerEnsembles } from './e1.js';
import { checkE11Config, E11_PRESETS, type E11Config } from './e11Config.js';
import {
  betweenClassAxes,
  isingPhaseRows,
  type LabelledSplit,
  plantedClassification,
  splitLabelled,
} from './e11Data.js';
import { type ProbeReferences, type ProbeSettings, probeClassifier, probeWeights } from './e11Probe.js';
import { type E11SetResult, plantedTolerance, type SeedRun, summariseSet } from './e11Summary.js';
import { autoencoderInit, probeAutoencoder, trainedRbmProbe } from './e11Unsupervised.js';
import { e11Comparisons } from './e11Verdicts.js';
import {
  type ExperimentOptions,
  type ExperimentResult,
  type PresetConfig,
  requireLoaders,
  resolvePreset,
} from './types.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const EXPERIMENT_OPTIONS_KEYS = optionKeys<ExperimentOptions>({
  seed: true,
  onProgress: true,
  signal: true,
  loaders: true,
});

export { E11_PRESETS, type E11Config, type E11Dataset } from './e11Config.js';
export type { E11SetResult } from './e11Summary.js';

/** Measured data of E11. */
export interface E11Measured {
  /** One entry per data set and hidden size. */
  readonly sets: E11SetResult[];
  /** Data sets not run, with the reason. */
  readonly skipped: { readonly dataset: string; readonly reason: string }[];
}

/** Result of {@link runE11}. */
export type E11Result = ExperimentResult<E11Config, E11Measured>;

/** A data set ready for training, with its reference subspaces. */
interface PreparedSet {
  readonly data: LabelledSplit;
  readonly hidden: readonly number[];
  readonly k: number;
  readonly refs: ProbeReferences;
  readonly spins: boolean;
  readonly noiseLevels: readonly number[];
  /** Covariance eigenvalues (descending) and the top eigenvectors (d x maxHidden) with the data mean. */
  readonly eigenvalues: Float64Array;
  readonly components: Float64Array;
  readonly mean: Float64Array;
  readonly maxHidden: number;
  /** Planted set: noise std and planted dimension (for the exact-check tolerance). */
  readonly planted?: { readonly noise: number; readonly k: number };
}

function prepare(
  data: LabelledSplit,
  hidden: readonly number[],
  k: number,
  spins: boolean,
  noiseLevels: readonly number[],
  planted?: { basis: Float64Array; noise: number },
): PreparedSet {
  const d = data.d;
  const maxHidden = Math.max(...hidden, k);
  const p = pca(matrix(data.train, data.nTrain, d), maxHidden);
  const covariance = new Float64Array(d * k);
  for (let i = 0; i < d; i++)
    for (let a = 0; a < k; a++) covariance[i * k + a] = p.components.data[i * maxHidden + a]!;
  const kBetween = Math.min(k, data.classes - 1);
  const between = betweenClassAxes(data.train, data.trainLabels, data.nTrain, d, data.classes, kBetween).axes;
  return {
    data,
    hidden,
    k,
    refs: { covariance, between, kBetween, ...(planted ? { planted: planted.basis } : {}) },
    spins,
    noiseLevels,
    eigenvalues: p.eigenvalues,
    components: p.components.data,
    mean: p.mean,
    maxHidden,
    ...(planted ? { planted: { noise: planted.noise, k } } : {}),
  };
}

/**
 * The covariance-initialised classifier: first-layer column a = e_a / sqrt(lambda_a) (the a-th principal
 * axis, whitened so each hidden pre-activation has unit variance on the training data), bias -mu . column
 * (centres the data); the output layer as drawn by the random init (same rng stream).
 */
export function covarianceInitMlp(
  random: Mlp<Float64Array>,
  components: Float64Array,
  eigenvalues: Float64Array,
  mean: Float64Array,
  stride: number,
): Mlp<Float64Array> {
  const d = random.layers[0]!;
  const h = random.layers[1]!;
  const w = random.weights[0]!.slice();
  const b = new Float64Array(h);
  const floor = 1e-8 * Math.max(eigenvalues[0]!, 1e-300);
  for (let a = 0; a < h; a++) {
    const scale = 1 / Math.sqrt(Math.max(eigenvalues[a]!, floor));
    let bias = 0;
    for (let i = 0; i < d; i++) {
      w[i * h + a] = components[i * stride + a]! * scale;
      bias -= mean[i]! * w[i * h + a]!;
    }
    b[a] = bias;
  }
  return { ...random, weights: [w, ...random.weights.slice(1)], biases: [b, ...random.biases.slice(1)] };
}

function firstEpochReaching(curve: readonly number[], target: number): number {
  for (let e = 0; e < curve.length; e++) if (curve[e]! >= target) return e;
  return Number.POSITIVE_INFINITY;
}

function runSeed(
  set: PreparedSet,
  h: number,
  c: E11Config,
  seed: number,
  rep: number,
  signal: AbortSignal | undefined,
): SeedRun {
  const { data } = set;
  const tag = [data.name, h, rep] as const;
  const random = createMlp({
    layers: [data.d, h, data.classes],
    activations: c.activation,
    init: { kind: 'gaussian', sigma: c.initSigma },
    rng: deriveRng(seed, 'E11', ...tag, 'init'),
  });
  const cov = covarianceInitMlp(random, set.components, set.eigenvalues, set.mean, set.maxHidden);
  const train = (m: Mlp<Float64Array>, stream: string) =>
    trainMlp(
      m,
      byRows(data.train, data.d),
      data.trainLabels,
      {
        epochs: set.planted ? c.plantedEpochs : c.epochs,
        batchSize: c.batchSize,
        optimizer: set.planted
          ? { kind: c.plantedOptimizer, learningRate: c.plantedLearningRate }
          : { kind: 'adam', learningRate: c.learningRate },
        rng: deriveRng(seed, 'E11', ...tag, stream),
        validation: { x: byRows(data.test, data.d), targets: data.testLabels },
      },
      signal ? { signal } : undefined,
    );
  const settings: ProbeSettings = {
    k: set.k,
    normFraction: c.normFraction,
    topModes: c.topModes,
    cutoff: c.cutoff,
    accuracyTolerance: c.accuracyTolerance,
    noiseLevels: set.noiseLevels,
    spins: set.spins,
  };
  const r = train(random, 'shuffle-random');
  const probe = probeClassifier(r.model, data, set.refs, settings, deriveRng(seed, 'E11', ...tag, 'noise'));
  const untrained = probeWeights(random.weights[0]!, data.d, h, data, set.refs, settings);
  checkAbort(signal, 'runE11');
  const autoencoder = trainedAutoencoder(set, h, c, seed, rep, settings, signal);
  checkAbort(signal, 'runE11');
  const autoencoderInitRun = autoencoderInit(
    data,
    h,
    { ...c, epochs: set.planted ? c.plantedEpochs : c.epochs },
    seed,
    rep,
    signal,
  );
  checkAbort(signal, 'runE11');
  const rbm = set.spins
    ? trainedRbmProbe(
        data,
        h,
        { epochs: c.rbmEpochs, batchSize: c.rbmBatchSize, learningRate: c.rbmLearningRate },
        set.refs,
        settings,
        seed,
        rep,
        signal,
      )
    : undefined;
  checkAbort(signal, 'runE11');
  const acc0 = (m: Mlp<Float64Array>) => probeAccuracy(m, data);
  const randomCurve = [acc0(random), ...r.history.map((e) => e.validationAccuracy!)];
  const t = train(cov, 'shuffle-covariance');
  const covarianceCurve = [acc0(cov), ...t.history.map((e) => e.validationAccuracy!)];
  const target = randomCurve[randomCurve.length - 1]!;
  return {
    probe,
    untrained,
    autoencoder,
    autoencoderInit: autoencoderInitRun,
    ...(rbm ? { rbm } : {}),
    randomCurve,
    covarianceCurve,
    epochsRandom: firstEpochReaching(randomCurve, target),
    epochsCovariance: firstEpochReaching(covarianceCurve, target),
  };
}

/**
 * The unsupervised counterpart: an autoencoder d -> h -> d trained like the classifier (same rows, h,
 * activation, init, Adam rate and epochs; linear output, MSE), its encoder through the weight instruments
 * and the whole network through E10's truncation and noise instruments.
 */
function trainedAutoencoder(
  set: PreparedSet,
  h: number,
  c: E11Config,
  seed: number,
  rep: number,
  settings: ProbeSettings,
  signal: AbortSignal | undefined,
): SeedRun['autoencoder'] {
  const { data } = set;
  const tag = [data.name, h, rep] as const;
  const model = createAutoencoder({
    layers: [data.d, h],
    activations: [c.activation, 'linear'],
    init: { kind: 'gaussian', sigma: c.initSigma },
    rng: deriveRng(seed, 'E11', ...tag, 'ae-init'),
  });
  const r = trainAutoencoder(
    model,
    byRows(data.train, data.d),
    {
      epochs: set.planted ? c.plantedEpochs : c.epochs,
      batchSize: c.batchSize,
      optimizer: { kind: 'adam', learningRate: c.learningRate },
      rng: deriveRng(seed, 'E11', ...tag, 'ae-shuffle'),
    },
    signal ? { signal } : undefined,
  );
  let variance = 0;
  for (const v of set.eigenvalues) variance += Math.max(0, v);
  return probeAutoencoder(
    r.model,
    probeWeights(r.model.weights[0]!, data.d, h, data, set.refs, settings),
    data,
    { reconstructionTolerance: c.reconstructionTolerance, noiseLevels: set.noiseLevels, spins: set.spins },
    variance / data.d,
    deriveRng(seed, 'E11', ...tag, 'ae-noise'),
  );
}

function probeAccuracy(m: Mlp<Float64Array>, data: LabelledSplit): number {
  return accuracy(m, byRows(data.test, data.d), data.testLabels);
}

async function prepareSets(
  c: E11Config,
  seed: number,
  skipped: E11Measured['skipped'],
  options: ExperimentOptions,
  signal?: AbortSignal,
) {
  const sets: PreparedSet[] = [];
  const split = (name: string) => deriveRng(seed, 'E11', name, 'split');
  if (c.datasets.includes('planted')) {
    const n = c.plantedSamples;
    const p = plantedClassification(
      n,
      c.plantedD,
      c.plantedK,
      c.plantedNoise,
      deriveRng(seed, 'E11', 'planted', 'data'),
    );
    const data: LabelledSplit = {
      name: 'planted',
      d: c.plantedD,
      classes: 2 * c.plantedK,
      ...splitLabelled(p.x, p.labels, n, c.plantedD, c.testFraction, split('planted')),
      description: `${n} rows x = Q z + ${c.plantedNoise} eps in R^${c.plantedD}, z ~ N(0, I_${c.plantedK}); label = sign and index of the largest |z_j| (${2 * c.plantedK} classes)`,
    };
    sets.push(
      prepare(data, [c.plantedHidden], c.plantedK, false, c.gaussianNoiseLevels, {
        basis: p.basis,
        noise: c.plantedNoise,
      }),
    );
  }
  if (c.datasets.includes('ising')) {
    for (const L of c.isingSizes) {
      checkAbort(signal, 'runE11');
      const name = `ising L=${L}`;
      const rows = isingPhaseRows(
        L,
        c.isingTemperatures,
        c.isingSamples,
        c.isingThin,
        (i) => deriveRng(seed, 'E11', name, 'data', i),
        signal,
      );
      const data: LabelledSplit = {
        name,
        d: L * L,
        classes: 2,
        ...splitLabelled(rows.x, rows.labels, rows.n, L * L, c.testFraction, split(name)),
        lattice: [L, L],
        description: `${rows.n} Wolff configurations of the ${L} x ${L} Ising torus at T = ${c.isingTemperatures.join(', ')} (${c.isingSamples} each), labelled T < Tc / T > Tc`,
      };
      sets.push(prepare(data, [c.isingHidden], c.isingK, true, c.spinFlipLevels));
    }
  }
  if (c.datasets.includes('thermometer')) {
    checkAbort(signal, 'runE11');
    const L = c.thermometerL;
    const temps = c.thermometerTemperatures;
    const name = `thermometer L=${L}`;
    const ensembles = thermometerEnsembles(
      L,
      temps,
      c.thermometerSamples,
      (k) => deriveRng(seed, 'E11', name, 'data', k),
      { signal, fn: 'runE11' },
    );
    const d = L * L;
    const n = temps.length * c.thermometerSamples;
    const x = new Float64Array(n * d);
    const labels = new Int32Array(n);
    ensembles.forEach((e, k) => {
      x.set(e.configs, k * c.thermometerSamples * d);
      labels.fill(k, k * c.thermometerSamples, (k + 1) * c.thermometerSamples);
    });
    const data: LabelledSplit = {
      name,
      d,
      classes: temps.length,
      ...splitLabelled(x, labels, n, d, c.testFraction, split(name)),
      lattice: [L, L],
      description: `E1's network thermometer task: ${temps.length} temperature classes T = ${temps[0]}..${temps[temps.length - 1]}, ${c.thermometerSamples} Wolff configurations of the ${L} x ${L} Ising torus each (E1's thermometerEnsembles: burn-in 100, thinning 2)`,
    };
    sets.push(prepare(data, [c.thermometerHidden], c.thermometerK, true, c.spinFlipLevels));
  }
  if (c.datasets.includes('mnist')) {
    if (c.mnistDir === undefined) skipped.push({ dataset: 'mnist', reason: 'mnistDir not given' });
    else {
      const m = await requireLoaders(options, 'runE11', 'mnistDir').loadMnist(c.mnistDir, {
        split: 'test',
        limit: c.mnistLimit,
        normalize: 'unit',
      });
      const d = m.rows * m.cols;
      const data: LabelledSplit = {
        name: 'mnist',
        d,
        classes: 10,
        ...splitLabelled(m.images, m.labels, m.n, d, c.testFraction, split('mnist')),
        description: `${m.n} MNIST t10k digits, pixels / 255`,
      };
      sets.push(prepare(data, c.mnistHidden, c.mnistK, false, c.gaussianNoiseLevels));
    }
  }
  return sets;
}

/**
 * Run E11. Progress: one report per data set, hidden size and seed (stage 'E11 <set> h=<h>').
 * Randomness: deriveRng(seed, 'E11', <set>, ...) for data, split, init, shuffling and noise.
 * Cost per run: 2 classifier trainings of `epochs` epochs (random and covariance init), 3 autoencoder
 * trainings (the probed one and E9's pair), on spin data an RBM of `rbmEpochs` epochs, plus about 2 x rank
 * held-out forward passes (truncation curves).
 * @throws DomainError naming the bad config field (or `options.loaders` missing while `mnistDir` is set);
 *   AbortError; loader errors for a bad MNIST folder.
 * @example
 * ```ts
 * import { runE11 } from 'coarsegrain';
 * const r = await runE11({ preset: 'quick', datasets: ['planted'] }, { seed: 1 });
 * r.measured.sets[0]!.fullAccuracy; // Measurement { mean, error } over seeds: held-out accuracy of the MLP
 * r.measured.sets[0]!.modesForFraction; // singular modes of the first layer W carrying normFraction of sum s^2
 * ```
 */
export async function runE11(
  config: PresetConfig<E11Config>,
  options: ExperimentOptions = {},
): Promise<E11Result> {
  options = checkOptions(options, 'runE11: options', EXPERIMENT_OPTIONS_KEYS);
  const t0 = performance.now();
  const resolved = resolvePreset('runE11', config, E11_PRESETS);
  const c = resolved.config;
  checkE11Config(c);
  const seed = options.seed ?? 1;
  const { onProgress, signal } = options;
  const skipped: E11Measured['skipped'] = [];
  const prepared = await prepareSets(c, seed, skipped, options, signal);
  const sets: E11SetResult[] = [];
  for (const set of prepared) {
    for (const h of set.hidden) {
      const stage = `E11 ${set.data.name} h=${h}`;
      const runs: SeedRun[] = [];
      for (let rep = 0; rep < c.seeds; rep++) {
        checkAbort(signal, 'runE11');
        onProgress?.({ stage, done: rep, total: c.seeds });
        runs.push(runSeed(set, h, c, seed, rep, signal));
      }
      onProgress?.({ stage, done: c.seeds, total: c.seeds });
      const tolerance = set.planted
        ? plantedTolerance(set.data, set.planted.k, set.planted.noise, c.initSigma, runs, h)
        : undefined;
      sets.push(
        summariseSet(
          set.data,
          h,
          set.k,
          set.refs.kBetween,
          set.eigenvalues,
          c,
          runs,
          meanAndError,
          tolerance,
        ),
      );
    }
  }
  const measured: E11Measured = { sets, skipped };
  return {
    id: 'E11',
    title: 'Supervised MLP classifiers through the coarse-graining lens (planted, 2D Ising phases, MNIST)',
    preset: resolved.preset,
    parameters: c,
    seed,
    version: VERSION,
    seconds: (performance.now() - t0) / 1000,
    measured,
    comparisons: e11Comparisons(measured),
  };
}
