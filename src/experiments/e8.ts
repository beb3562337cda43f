/**
 * Experiment E8: does a trained network's weight matrix span the subspace of the data covariance's top
 * eigenvectors? For each data set (2D Ising configurations sampled here; MNIST, flowers and SWIMSEG read
 * from folders given by path) we compute the top-k principal axes (spectral `pca`) and train, over several
 * seeds, RBMs with k hidden units (`trainRbm`, thesis recipe) and one-hidden-layer autoencoders d -> k -> d
 * (`trainAutoencoder`). The overlap O = ||Q_A^T Q_B||_F^2 / k (mean cos^2 of the principal angles,
 * spectral `subspaceOverlap`) between the PCA subspace and the column space of the d x k weights is
 * reported with its spread over seeds, beside the overlap of random k-dimensional subspaces (k / d on
 * average; measured from Gaussian draws). Expected (thesis, P3): strong overlap.
 * On a periodic lattice the covariance is circulant and its eigenvectors are plane waves, degenerate in
 * shells of equal |q|; the Ising k (`isingK`) should close a shell (1, 5, 9, 13, 21, ... on L x L, L >= 6)
 * or the PCA subspace is arbitrary inside the cut shell.
 * Node-only when a real-data folder is given (files are read through src/data).
 * @module
 */
import { deriveRng, type Rng } from '../core/rng.js';
import { byRows, matrix } from '../core/tensor.js';
import {
  checkAbort,
  checkInteger,
  checkOneOf,
  checkOptions,
  checkPositive,
  domainError,
  optionKeys,
} from '../core/validate.js';
import { requireLoaders } from '../data/loaders.js';
import { ISING_TC } from '../lattice/exact2d.js';
import { createIsing2D } from '../lattice/ising2d.js';
import { createAutoencoder, trainAutoencoder } from '../models/autoencoder.js';
import { createRbm } from '../models/init.js';
import { THESIS_ADAM } from '../models/optim.js';
import { reconstructionError } from '../models/rbm.js';
import { trainRbm } from '../models/rbmTrain.js';
import { sampleEnsemble } from '../sampling/ensemble.js';
import { pca, subspaceOverlap } from '../spectral/pca.js';
import { VERSION } from '../version.js';
import { meanAndError } from './datasets.js';
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

/** Data sets of E8. */
export type E8Dataset = 'ising' | 'mnist' | 'flowers' | 'swimseg';
/** Trained models of E8. */
export type E8Model = 'rbm' | 'autoencoder';

/** Parameters of E8. Folders left undefined skip their data set (recorded in `measured.skipped`). */
export interface E8Config {
  readonly datasets: readonly E8Dataset[];
  readonly models: readonly E8Model[];
  /** Subspace dimension (= hidden units) for the image data sets. */
  readonly k: number;
  /** Subspace dimension for Ising (close a momentum shell: 13 or 21 for L = 10). */
  readonly isingK: number;
  /** Independent trainings per data set and model (the spread of O is over these). */
  readonly seeds: number;
  /** Random Gaussian k-dim subspaces drawn for the baseline. */
  readonly randomDraws: number;
  readonly isingL: number;
  readonly isingTemperature: number;
  readonly isingSamples: number;
  readonly isingBurnIn: number;
  /** Wolff steps between kept Ising configurations. */
  readonly isingThin: number;
  /** Folder with the MNIST IDX files (test split is used). */
  readonly mnistDir?: string;
  readonly mnistLimit: number;
  /** Folder of flower class subfolders. */
  readonly flowersDir?: string;
  /** Flowers are centre-cropped and resized to flowersSize^2 grayscale. */
  readonly flowersSize: number;
  readonly flowersPerClass: number;
  /** Folder of SWIMSEG images (flat). */
  readonly swimsegDir?: string;
  /** SWIMSEG images are resized to swimsegSize^2 grayscale and cut into swimsegPatch^2 patches. */
  readonly swimsegSize: number;
  readonly swimsegPatch: number;
  readonly swimsegPatchesPerImage: number;
  readonly swimsegMaxImages: number;
  /** Parameter updates per RBM training (epochs = ceil(updates * batchSize / n); the thesis used 1e4-5e4). */
  readonly rbmUpdates: number;
  /** Parameter updates per autoencoder training. */
  readonly aeUpdates: number;
  readonly batchSize: number;
  readonly rbmLearningRate: number;
  readonly aeLearningRate: number;
  /**
   * RBM hidden units: `'matched'` (default) = the visible type (+-1 for Ising as in the thesis, 0/1 for the
   * images, whose visible units are 0/1), or `'spin'` / `'binary'` everywhere.
   */
  readonly rbmHiddenUnits: 'matched' | 'spin' | 'binary';
  /** Encoder activation of the autoencoder (the decoder is linear, the loss MSE). */
  readonly aeActivation: 'linear' | 'tanh' | 'sigmoid' | 'relu';
  /** Tied autoencoder weights (decoder = encoder^T), so that one weight matrix is compared. */
  readonly aeTied: boolean;
  /**
   * Floating-point type of the trained RBMs' and autoencoders' parameters and training arithmetic
   * ('float32' as in P1's code, TensorFlow float32 tensors in ellendmk/DL_and_RG RBM/rbm.py; about 1.4-1.6x
   * faster training than 'float64' here, measured on flowers, d = 1,024). The data,
   * PCA and overlaps are always float64.
   */
  readonly dtype: 'float32' | 'float64';
}

const DATASETS = ['ising', 'mnist', 'flowers', 'swimseg'] as const;
/** Rows whose reconstruction error is the RBM's final loss (trainRbm's default monitor size). */
const MONITOR_ROWS = 500;
const MODELS = ['rbm', 'autoencoder'] as const;

/**
 * Quick (minutes on 2 cores) and full presets. Data folders are undefined: the caller passes them. The full
 * preset trains 3 seeds x 8,000 updates per model and data set (P1's code: 10,000-50,000 updates) in float32
 * (as P1's TensorFlow code). Measured CPU per 1,000 updates in float32 (2026-12-04, 1 seed): RBM flowers 12 s,
 * MNIST 9.4 s, SWIMSEG 4.4 s, Ising 1.2 s; autoencoder 8.9, 5.5, 2.2 and 0.6 s (flowers before the changes:
 * RBM 25.7 s in float64 with trainRbm's per-epoch monitor, autoencoder 12.1 s in float64). The full run took
 * 983 s of CPU, two thirds of it RBM training, as 8 tasks (data set x model, the 'dataset-model' stage of
 * src/distributed/experiments.ts) on 2 workers (docs/results/full/e8/run.json).
 * @example
 * ```ts
 * import { E8_PRESETS } from 'coarsegrain';
 * E8_PRESETS.quick.k; // the number of principal components compared with the model's weights
 * ```
 */
export const E8_PRESETS: { readonly quick: E8Config; readonly full: E8Config } = Object.freeze({
  quick: Object.freeze({
    datasets: ['ising', 'mnist', 'flowers', 'swimseg'],
    models: ['rbm', 'autoencoder'],
    k: 16,
    isingK: 13,
    seeds: 3,
    randomDraws: 20,
    isingL: 10,
    isingTemperature: ISING_TC,
    isingSamples: 2000,
    isingBurnIn: 200,
    isingThin: 2,
    mnistLimit: 2000,
    flowersSize: 16,
    flowersPerClass: 40,
    swimsegSize: 64,
    swimsegPatch: 16,
    swimsegPatchesPerImage: 16,
    swimsegMaxImages: 60,
    rbmUpdates: 1000,
    aeUpdates: 1000,
    batchSize: 100,
    rbmLearningRate: 1e-2,
    aeLearningRate: 1e-2,
    aeActivation: 'tanh',
    aeTied: true,
    rbmHiddenUnits: 'matched',
    dtype: 'float64',
    mnistDir: undefined,
    flowersDir: undefined,
    swimsegDir: undefined,
  } as E8Config),
  full: Object.freeze({
    datasets: ['ising', 'mnist', 'flowers', 'swimseg'],
    models: ['rbm', 'autoencoder'],
    k: 64,
    isingK: 21,
    seeds: 3,
    randomDraws: 100,
    isingL: 10,
    isingTemperature: ISING_TC,
    isingSamples: 10000,
    isingBurnIn: 1000,
    isingThin: 5,
    mnistLimit: 10000,
    flowersSize: 32,
    flowersPerClass: 40,
    swimsegSize: 128,
    swimsegPatch: 16,
    swimsegPatchesPerImage: 64,
    swimsegMaxImages: 60,
    rbmUpdates: 8000,
    aeUpdates: 8000,
    batchSize: 100,
    rbmLearningRate: 1e-3,
    aeLearningRate: 1e-3,
    aeActivation: 'tanh',
    aeTied: true,
    rbmHiddenUnits: 'matched',
    dtype: 'float32',
    mnistDir: undefined,
    flowersDir: undefined,
    swimsegDir: undefined,
  } as E8Config),
});

/** Overlap of one data set and model. */
export interface E8Row {
  readonly dataset: E8Dataset;
  readonly model: E8Model;
  readonly d: number;
  readonly k: number;
  /** O(PCA top-k, weight columns): mean and standard error over seeds. */
  readonly overlap: Measurement;
  /** Standard deviation of O over seeds. */
  readonly spread: number;
  /** O of each seed. */
  readonly perSeed: number[];
  /** Autoencoders: O of the decoder's rows (k x d transposed); NaN error for RBMs (not applicable). */
  readonly decoderOverlap?: Measurement;
  /** O of the untrained initial weights (mean over seeds). */
  readonly initialOverlap: Measurement;
  /**
   * Final training metric per seed, mean over seeds: RBMs the mean-field reconstruction MSE on the first
   * min(n, 500) rows, autoencoders the last epoch's training loss.
   */
  readonly finalLoss: Measurement;
}

/** Per data set: size, PCA summary and the random-subspace baseline. */
export interface E8DatasetSummary {
  readonly dataset: E8Dataset;
  readonly description: string;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  /** Fraction of the variance in the top k principal axes. */
  readonly explainedVariance: number;
  /** Leading covariance eigenvalues (up to 2k). */
  readonly eigenvalues: number[];
  /** Overlap of random Gaussian k-dim subspaces with the PCA subspace (mean, standard error). */
  readonly randomOverlap: Measurement;
  /** The expectation value k / d of the random overlap. */
  readonly randomExpected: number;
}

/**
 * What {@link runE8} measured: per data set the PCA summary, one row per (data set, model) with its
 * overlap, and the data sets skipped (with why).
 */
export interface E8Measured {
  readonly datasets: E8DatasetSummary[];
  readonly rows: E8Row[];
  /** Data sets left out, with the reason (e.g. no folder given). */
  readonly skipped: { readonly dataset: E8Dataset; readonly reason: string }[];
}

interface Loaded {
  data: Float64Array;
  n: number;
  d: number;
  units: 'spin' | 'binary';
  description: string;
}

function stdDev(values: readonly number[]): number {
  const m = meanAndError(values);
  return Number.isFinite(m.error) ? m.error * Math.sqrt(values.length) : Number.NaN;
}

function checkConfig(c: E8Config): E8Config {
  const fn = 'runE8: config';
  if (!Array.isArray(c.datasets) || c.datasets.length === 0)
    throw domainError(`${fn}.datasets`, `a non-empty array of ${DATASETS.join(', ')}`, c.datasets);
  c.datasets.forEach((x, i) => {
    checkOneOf(x, `${fn}.datasets[${i}]`, DATASETS);
  });
  if (!Array.isArray(c.models) || c.models.length === 0)
    throw domainError(`${fn}.models`, `a non-empty array of ${MODELS.join(', ')}`, c.models);
  c.models.forEach((x, i) => {
    checkOneOf(x, `${fn}.models[${i}]`, MODELS);
  });
  checkInteger(c.k, `${fn}.k`, 1);
  checkInteger(c.isingL, `${fn}.isingL`, 2);
  checkInteger(c.isingK, `${fn}.isingK`, 1, c.isingL * c.isingL);
  checkInteger(c.seeds, `${fn}.seeds`, 1);
  checkInteger(c.randomDraws, `${fn}.randomDraws`, 1);
  checkPositive(c.isingTemperature, `${fn}.isingTemperature`);
  checkInteger(c.isingSamples, `${fn}.isingSamples`, 2);
  checkInteger(c.isingBurnIn, `${fn}.isingBurnIn`, 0);
  checkInteger(c.isingThin, `${fn}.isingThin`, 1);
  checkInteger(c.mnistLimit, `${fn}.mnistLimit`, 2);
  checkInteger(c.flowersSize, `${fn}.flowersSize`, 1);
  checkInteger(c.flowersPerClass, `${fn}.flowersPerClass`, 1);
  checkInteger(c.swimsegSize, `${fn}.swimsegSize`, 1);
  checkInteger(c.swimsegPatch, `${fn}.swimsegPatch`, 1, c.swimsegSize);
  checkInteger(c.swimsegPatchesPerImage, `${fn}.swimsegPatchesPerImage`, 1);
  checkInteger(c.swimsegMaxImages, `${fn}.swimsegMaxImages`, 1);
  checkInteger(c.rbmUpdates, `${fn}.rbmUpdates`, 1);
  checkInteger(c.aeUpdates, `${fn}.aeUpdates`, 1);
  if (typeof c.aeTied !== 'boolean') throw domainError(`${fn}.aeTied`, 'a boolean', c.aeTied);
  checkInteger(c.batchSize, `${fn}.batchSize`, 1);
  checkPositive(c.rbmLearningRate, `${fn}.rbmLearningRate`);
  checkPositive(c.aeLearningRate, `${fn}.aeLearningRate`);
  checkOneOf(c.rbmHiddenUnits, `${fn}.rbmHiddenUnits`, ['matched', 'spin', 'binary'] as const);
  checkOneOf(c.aeActivation, `${fn}.aeActivation`, ['linear', 'tanh', 'sigmoid', 'relu'] as const);
  checkOneOf(c.dtype, `${fn}.dtype`, ['float32', 'float64'] as const);
  for (const key of ['mnistDir', 'flowersDir', 'swimsegDir'] as const) {
    const v = c[key];
    if (v !== undefined && typeof v !== 'string') throw domainError(`${fn}.${key}`, 'a folder path', v);
  }
  return c;
}

async function loadDataset(
  name: E8Dataset,
  c: E8Config,
  seed: number,
  options: ExperimentOptions,
): Promise<Loaded | string> {
  const { signal } = options;
  switch (name) {
    case 'ising': {
      const L = c.isingL;
      const ensemble = sampleEnsemble(createIsing2D({ L }), {
        temperature: c.isingTemperature,
        sampler: 'wolff',
        samples: c.isingSamples,
        burnIn: c.isingBurnIn,
        thin: c.isingThin,
        rng: deriveRng(seed, 'E8', 'ising', 'data'),
        ...(options.onProgress
          ? { onProgress: (p) => options.onProgress!({ ...p, stage: `ising: ${p.stage}` }) }
          : {}),
        ...(signal ? { signal } : {}),
      });
      return {
        data: Float64Array.from(ensemble.configs),
        n: c.isingSamples,
        d: L * L,
        units: 'spin',
        description: `${c.isingSamples} Wolff configurations of the ${L}x${L} Ising torus at T = ${c.isingTemperature.toFixed(4)}`,
      };
    }
    case 'mnist': {
      if (c.mnistDir === undefined) return 'no mnistDir given';
      const m = await requireLoaders(options, 'runE8', 'mnistDir').loadMnist(c.mnistDir, {
        split: 'test',
        limit: c.mnistLimit,
        normalize: 'unit',
      });
      return {
        data: Float64Array.from(m.images),
        n: m.n,
        d: m.rows * m.cols,
        units: 'binary',
        description: `first ${m.n} MNIST test digits, ${m.rows}x${m.cols}, pixels / 255`,
      };
    }
    case 'flowers': {
      if (c.flowersDir === undefined) return 'no flowersDir given';
      const f = await requireLoaders(options, 'runE8', 'flowersDir').loadImageFolder(c.flowersDir, {
        size: c.flowersSize,
        grayscale: true,
        maxPerClass: c.flowersPerClass,
        normalize: 'unit',
        ...(signal ? { signal } : {}),
      });
      return {
        data: clampUnit(f.data),
        n: f.n,
        d: f.d,
        units: 'binary',
        description: `${f.n} flower photos (${f.classes.length} classes), grayscale ${c.flowersSize}x${c.flowersSize}, pixels / 255`,
      };
    }
    case 'swimseg': {
      if (c.swimsegDir === undefined) return 'no swimsegDir given';
      const s = await requireLoaders(options, 'runE8', 'swimsegDir').loadImageFolder(c.swimsegDir, {
        size: c.swimsegSize,
        grayscale: true,
        maxPerClass: c.swimsegMaxImages,
        patches: { size: c.swimsegPatch, stride: c.swimsegPatch, maxPerImage: c.swimsegPatchesPerImage },
        normalize: 'unit',
        ...(signal ? { signal } : {}),
      });
      return {
        data: clampUnit(s.data),
        n: s.n,
        d: s.d,
        units: 'binary',
        description: `${s.n} grayscale ${c.swimsegPatch}x${c.swimsegPatch} patches of ${s.paths.length} SWIMSEG sky images resized to ${c.swimsegSize}x${c.swimsegSize}, pixels / 255`,
      };
    }
  }
}

/** Clamp resampled pixels into [0, 1] (area averaging can overshoot by rounding, e.g. 1 + 2e-16). */
function clampUnit(data: Float64Array): Float64Array {
  for (let i = 0; i < data.length; i++) data[i] = Math.min(1, Math.max(0, data[i]!));
  return data;
}

function randomOverlap(components: Float64Array, d: number, k: number, draws: number, rng: Rng): Measurement {
  const values: number[] = [];
  const a = new Float64Array(d * k);
  for (let t = 0; t < draws; t++) {
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    values.push(subspaceOverlap(matrix(components, d, k), matrix(a, d, k)));
  }
  return meanAndError(values);
}

function transpose(m: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) out[q * rows + r] = m[r * cols + q]!;
  return out;
}

/**
 * Run E8. Progress stages: `<dataset>: load`, `<dataset>: pca`, `<dataset> <model> seed i/n` (per epoch);
 * `options.signal` is checked between stages. Randomness: deriveRng(seed, 'E8', dataset, ...).
 * Data sets whose folder is not given are skipped and listed in `measured.skipped`.
 * @throws DomainError naming the bad config field; errors of the loaders for unreadable folders; AbortError.
 * @example
 * ```ts
 * import { runE8 } from 'coarsegrain';
 * const r = await runE8({ preset: 'quick', datasets: ['ising'] }, { seed: 1 });
 * r.measured.rows[0]!.overlap; // Measurement { mean, error }: subspace overlap of the weights with the top-k PCA
 * ```
 */
export async function runE8(
  config: PresetConfig<E8Config>,
  options: ExperimentOptions = {},
): Promise<ExperimentResult<E8Config, E8Measured>> {
  options = checkOptions(options, 'runE8: options', EXPERIMENT_OPTIONS_KEYS);
  const t0 = performance.now();
  const resolved = resolvePreset('runE8', config, E8_PRESETS);
  const c = checkConfig(resolved.config);
  const seed = options.seed ?? 1;
  const { onProgress, signal } = options;
  const summaries: E8DatasetSummary[] = [];
  const rows: E8Row[] = [];
  const skipped: { dataset: E8Dataset; reason: string }[] = [];
  for (const name of c.datasets) {
    checkAbort(signal, 'runE8');
    onProgress?.({ stage: `${name}: load`, done: 0, total: 1 });
    const loaded = await loadDataset(name, c, seed, options);
    if (typeof loaded === 'string') {
      skipped.push({ dataset: name, reason: loaded });
      continue;
    }
    onProgress?.({ stage: `${name}: load`, done: 1, total: 1 });
    const { data, n, d } = loaded;
    const k = name === 'ising' ? c.isingK : c.k;
    if (k > d)
      throw domainError(
        `runE8: config.${name === 'ising' ? 'isingK' : 'k'}`,
        `at most d = ${d} for ${name}`,
        k,
      );
    checkAbort(signal, 'runE8');
    onProgress?.({ stage: `${name}: pca`, done: 0, total: 1 });
    const p = pca(matrix(data, n, d), k);
    onProgress?.({ stage: `${name}: pca`, done: 1, total: 1 });
    summaries.push({
      dataset: name,
      description: loaded.description,
      n,
      d,
      k,
      explainedVariance: p.cumulativeRatio[k - 1]!,
      eigenvalues: Array.from(p.eigenvalues.subarray(0, Math.min(d, 2 * k))),
      randomOverlap: randomOverlap(
        p.components.data,
        d,
        k,
        c.randomDraws,
        deriveRng(seed, 'E8', name, 'random'),
      ),
      randomExpected: k / d,
    });
    for (const modelName of c.models) {
      const overlaps: number[] = [];
      const decoder: number[] = [];
      const initial: number[] = [];
      const losses: number[] = [];
      for (let run = 0; run < c.seeds; run++) {
        checkAbort(signal, 'runE8');
        const stage = `${name} ${modelName} seed ${run + 1}/${c.seeds}`;
        const progress = onProgress
          ? {
              onProgress: (q: { done: number; total: number; metrics?: Readonly<Record<string, number>> }) =>
                onProgress({ ...q, stage }),
            }
          : {};
        const runOptions = { ...progress, ...(signal ? { signal } : {}) };
        if (modelName === 'rbm') {
          const rbm = createRbm({
            nVisible: d,
            nHidden: k,
            visibleUnits: loaded.units,
            hiddenUnits: c.rbmHiddenUnits === 'matched' ? loaded.units : c.rbmHiddenUnits,
            rng: deriveRng(seed, 'E8', name, 'rbm', run, 'init'),
            dtype: c.dtype,
          });
          initial.push(subspaceOverlap(p.components, matrix(rbm.weights, d, k)));
          const trained = trainRbm(
            rbm,
            matrix(data, n, d),
            {
              epochs: Math.ceil((c.rbmUpdates * Math.min(c.batchSize, n)) / n),
              batchSize: c.batchSize,
              rng: deriveRng(seed, 'E8', name, 'rbm', run, 'train'),
              optimizer: { ...THESIS_ADAM, learningRate: c.rbmLearningRate },
              // no per-epoch monitor: with few rows an epoch is 2 updates (flowers), and the monitor pass
              // cost as much as the training; the final loss below is the same number (trainRbm's default
              // monitor: mean-field reconstruction MSE on the first min(n, 500) rows)
              monitorSize: 0,
            },
            runOptions,
          );
          overlaps.push(subspaceOverlap(p.components, matrix(trained.model.weights, d, k)));
          losses.push(
            reconstructionError(
              trained.model,
              matrix(data.subarray(0, Math.min(n, MONITOR_ROWS) * d), Math.min(n, MONITOR_ROWS), d),
            ),
          );
        } else {
          const ae = createAutoencoder({
            layers: [d, k],
            activations: [c.aeActivation, 'linear'],
            tied: c.aeTied,
            rng: deriveRng(seed, 'E8', name, 'autoencoder', run, 'init'),
            dtype: c.dtype,
          });
          initial.push(subspaceOverlap(p.components, matrix(ae.weights[0]!, d, k)));
          const trained = trainAutoencoder(
            ae,
            byRows(data, d),
            {
              epochs: Math.ceil((c.aeUpdates * Math.min(c.batchSize, n)) / n),
              batchSize: c.batchSize,
              rng: deriveRng(seed, 'E8', name, 'autoencoder', run, 'train'),
              optimizer: { kind: 'adam', learningRate: c.aeLearningRate },
            },
            runOptions,
          );
          overlaps.push(subspaceOverlap(p.components, matrix(trained.model.weights[0]!, d, k)));
          const dec = trained.model.tied
            ? trained.model.weights[0]!
            : transpose(trained.model.weights[1]!, k, d);
          decoder.push(subspaceOverlap(p.components, matrix(dec, d, k)));
          const last = trained.history[trained.history.length - 1];
          losses.push(last ? last.trainLoss : Number.NaN);
        }
      }
      rows.push({
        dataset: name,
        model: modelName,
        d,
        k,
        overlap: meanAndError(overlaps),
        spread: stdDev(overlaps),
        perSeed: overlaps,
        ...(modelName === 'autoencoder' ? { decoderOverlap: meanAndError(decoder) } : {}),
        initialOverlap: meanAndError(initial),
        finalLoss: meanAndError(losses),
      });
    }
  }
  const measured: E8Measured = { datasets: summaries, rows, skipped };
  return {
    id: 'E8',
    title: 'Data-covariance subspace vs trained-weight subspace (RBMs and autoencoders)',
    preset: resolved.preset,
    parameters: c,
    seed,
    version: VERSION,
    seconds: (performance.now() - t0) / 1000,
    measured,
    comparisons: e8Comparisons(measured),
  };
}

function e8Comparisons(m: E8Measured): Comparison[] {
  return m.rows.map((row) => {
    const base = m.datasets.find((s) => s.dataset === row.dataset)!;
    const gap = row.overlap.mean - base.randomOverlap.mean;
    const err = Math.hypot(
      Number.isFinite(row.overlap.error) ? row.overlap.error : 0,
      base.randomOverlap.error,
    );
    return {
      quantity: `${row.dataset} ${row.model}: overlap O (mean cos^2 of principal angles), k = ${row.k} of d = ${row.d}`,
      measured: row.overlap,
      reference: base.randomExpected,
      source: 'reference = random k-dim subspaces (k/d); thesis/P3: behaviour "strong overlap"',
      expectation: `strong overlap, far above k/d = ${base.randomExpected.toFixed(4)} (criterion: O >= 0.5 and O - O_random > 5 sigma)`,
      agrees: Number.isFinite(row.overlap.error) && row.overlap.mean >= 0.5 && gap > 5 * Math.max(err, 1e-12),
    };
  });
}
