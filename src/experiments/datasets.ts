/**
 * Data sets shared by experiments E9 and E10: 2D Ising ensembles sampled by the library (Wolff), and
 * MNIST, flowers and SWIMSEG read from folders given by path (never a fixed location). Every data set
 * is an n x d Float64Array, row-major, split into a training and a held-out part by a seeded permutation.
 * Files are read through the `DataLoaders` the caller passes (`nodeLoaders` of `coarsegrain/node`).
 * @module
 */
import { permutation, type Rng } from '../core/rng.js';
import { checkInteger, checkPositive, domainError } from '../core/validate.js';
import { type DataLoaders, requireLoaders } from '../data/loaders.js';
import { createIsing2D } from '../lattice/ising2d.js';
import { sampleEnsemble } from '../sampling/ensemble.js';

/** Names of the data sets E9/E10 know. */
export type CovarianceDatasetName = 'ising' | 'mnist' | 'flowers' | 'swimseg';

/** A named n x d data set, split into train and held-out rows. */
export interface SplitDataset {
  /** e.g. 'ising T=2.269', 'mnist'. */
  readonly name: string;
  readonly d: number;
  readonly train: Float64Array;
  readonly nTrain: number;
  readonly test: Float64Array;
  readonly nTest: number;
  /** How the rows were made, in words. */
  readonly description: string;
}

/** Where the real-data folders are and how big the data sets are. */
export interface DatasetSettings {
  /** Ising lattice side (d = L^2). */
  readonly isingL: number;
  /** Kept Wolff samples per temperature. */
  readonly isingSamples: number;
  /** Wolff cluster updates between kept samples. */
  readonly isingThin: number;
  /** Folder with the MNIST IDX files (undefined: MNIST is skipped). */
  readonly mnistDir?: string;
  /** Number of MNIST test-split digits used. */
  readonly mnistLimit: number;
  /** Folder of flowers class subfolders (undefined: skipped). */
  readonly flowersDir?: string;
  /** Folder of SWIMSEG images (undefined: skipped). */
  readonly swimsegDir?: string;
  /** Images are resized to imageSize x imageSize grayscale and cut into patchSize x patchSize patches. */
  readonly imageSize: number;
  readonly patchSize: number;
  /** At most this many patches per image. */
  readonly patchesPerImage: number;
  /** Fraction of rows held out. */
  readonly testFraction: number;
}

/** Validate the data-set fields of a config (names prefixed with `where`). */
export function checkDatasetSettings(s: DatasetSettings, where: string): void {
  checkInteger(s.isingL, `${where}: isingL`, 2);
  checkInteger(s.isingSamples, `${where}: isingSamples`, 4);
  checkInteger(s.isingThin, `${where}: isingThin`, 1);
  checkInteger(s.mnistLimit, `${where}: mnistLimit`, 4);
  checkInteger(s.imageSize, `${where}: imageSize`, 2);
  checkInteger(s.patchSize, `${where}: patchSize`, 1, s.imageSize);
  checkInteger(s.patchesPerImage, `${where}: patchesPerImage`, 1);
  checkPositive(s.testFraction, `${where}: testFraction`);
  if (!(s.testFraction < 1))
    throw domainError(`${where}: testFraction`, 'a number in (0, 1)', s.testFraction);
  for (const key of ['mnistDir', 'flowersDir', 'swimsegDir'] as const) {
    const v = s[key];
    if (v !== undefined && typeof v !== 'string') throw domainError(`${where}: ${key}`, 'a folder path', v);
  }
}

/** Split n x d rows into train/test by a permutation from `rng`. */
export function splitRows(
  data: ArrayLike<number>,
  n: number,
  d: number,
  testFraction: number,
  rng: Rng,
): { train: Float64Array; nTrain: number; test: Float64Array; nTest: number } {
  const nTest = Math.max(1, Math.min(n - 2, Math.round(n * testFraction)));
  const nTrain = n - nTest;
  const order = permutation(rng, n);
  const train = new Float64Array(nTrain * d);
  const test = new Float64Array(nTest * d);
  for (let r = 0; r < n; r++) {
    const src = order[r]! * d;
    const dst = r < nTrain ? train : test;
    const off = (r < nTrain ? r : r - nTrain) * d;
    for (let j = 0; j < d; j++) dst[off + j] = data[src + j]!;
  }
  return { train, nTrain, test, nTest };
}

/** Wolff-sampled 2D Ising configurations (+-1) at temperature T, as an n x L^2 Float64Array. */
export function isingRows(
  L: number,
  temperature: number,
  samples: number,
  thin: number,
  rng: Rng,
  signal?: AbortSignal,
): Float64Array {
  const ensemble = sampleEnsemble(createIsing2D({ L }), {
    temperature,
    sampler: 'wolff',
    samples,
    burnIn: 200,
    thin,
    rng,
    signal,
  });
  return Float64Array.from(ensemble.configs);
}

/**
 * Load one real data set as rows: MNIST digits in [0, 1] (d = 784), or grayscale patches in [0, 1] of
 * flowers / SWIMSEG images. Returns undefined when its folder is not configured.
 * @param options - `loaders` reads the files (required when the folder is set); `fn` names the caller in errors.
 */
export async function loadRealRows(
  name: Exclude<CovarianceDatasetName, 'ising'>,
  s: DatasetSettings,
  options: { readonly loaders?: DataLoaders; readonly fn: string },
  signal?: AbortSignal,
): Promise<{ data: Float64Array; n: number; d: number; description: string } | undefined> {
  if (name === 'mnist') {
    if (s.mnistDir === undefined) return undefined;
    const m = await requireLoaders(options, options.fn, 'mnistDir').loadMnist(s.mnistDir, {
      split: 'test',
      limit: s.mnistLimit,
      normalize: 'unit',
    });
    return {
      data: Float64Array.from(m.images),
      n: m.n,
      d: m.rows * m.cols,
      description: `${m.n} MNIST test digits, pixels / 255`,
    };
  }
  const dir = name === 'flowers' ? s.flowersDir : s.swimsegDir;
  if (dir === undefined) return undefined;
  const patches =
    s.patchSize < s.imageSize
      ? { size: s.patchSize, stride: s.patchSize, maxPerImage: s.patchesPerImage }
      : undefined;
  const field = name === 'flowers' ? 'flowersDir' : 'swimsegDir';
  const img = await requireLoaders(options, options.fn, field).loadImageFolder(dir, {
    size: s.imageSize,
    grayscale: true,
    normalize: 'unit',
    patches,
    signal,
  });
  return {
    data: img.data,
    n: img.n,
    d: img.d,
    description: `${img.n} grayscale ${s.patchSize} x ${s.patchSize} patches of ${img.paths.length} images resized to ${s.imageSize} x ${s.imageSize}, pixels / 255`,
  };
}

/** Mean and standard error of the mean (NaN error for fewer than 2 values). */
export function meanAndError(xs: readonly number[]): { mean: number; error: number } {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, error: Number.NaN };
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  if (n < 2) return { mean: m, error: Number.NaN };
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return { mean: m, error: Math.sqrt(v / (n - 1) / n) };
}
