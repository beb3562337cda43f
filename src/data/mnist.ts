/**
 * MNIST images and labels from decoded IDX arrays (browser-safe; `loadMnist` in `node/files.ts` reads the
 * files).
 * @module
 */
import { FormatError } from '../core/errors.js';
import {
  checkInteger,
  checkObject,
  checkOneOf,
  checkOptions,
  domainError,
  optionKeys,
} from '../core/validate.js';
import type { IdxArray } from './idx.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const MNIST_OPTIONS_KEYS = optionKeys<MnistOptions>({
  split: true,
  limit: true,
  normalize: true,
  dtype: true,
});

/** How pixel bytes 0..255 become numbers: `unit` x/255 in [0, 1]; `binary` 1 if x >= 128 else 0;
 * `spin` +1 if x >= 128 else -1; `none` the raw 0..255. */
export type MnistNormalize = 'unit' | 'binary' | 'spin' | 'none';

/** Options of {@link mnistFromIdx} and `loadMnist`. */
export interface MnistOptions {
  /** Which files to read: `t10k-*` (test) or `train-*`. Default 'test'. */
  readonly split?: 'test' | 'train';
  /** Keep only the first `limit` images (default all). */
  readonly limit?: number;
  /** Pixel mapping, default 'unit'. */
  readonly normalize?: MnistNormalize;
  /** Element type of `images`, default 'float64'. */
  readonly dtype?: 'float64' | 'float32';
}

/** MNIST digits: `images` is n x (rows*cols), row-major, one image per row. */
export interface MnistData<T extends Float32Array | Float64Array = Float32Array | Float64Array> {
  readonly images: T;
  /** Digit labels 0..9, length n. */
  readonly labels: Uint8Array;
  readonly n: number;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Combine decoded IDX images ([n, rows, cols] uint8) and labels ([n] uint8) into normalised MNIST data.
 * O(n * rows * cols).
 * @throws FormatError if the arrays are not uint8 images/labels of matching counts or a label exceeds 9;
 * DomainError for bad options.
 * @example
 * ```ts
 * import { encodeIdx, decodeIdx, mnistFromIdx } from 'coarsegrain';
 * // in practice from loadIdx (coarsegrain/node) or decodeIdxAsync on the MNIST files
 * const images = decodeIdx(encodeIdx(new Uint8Array(2 * 28 * 28).fill(255), [2, 28, 28]));
 * const labels = decodeIdx(encodeIdx(Uint8Array.of(3, 7), [2]));
 * const { images: x, labels: y, n } = mnistFromIdx(images, labels); // x: 2 x 784 in [0, 1], y: [3, 7], n: 2
 * ```
 */
export function mnistFromIdx(images: IdxArray, labels: IdxArray, options: MnistOptions = {}): MnistData {
  options = checkOptions(options, 'mnistFromIdx: options', MNIST_OPTIONS_KEYS);
  const fn = 'mnistFromIdx';
  const normalize = checkOneOf(options.normalize ?? 'unit', `${fn}: normalize`, [
    'unit',
    'binary',
    'spin',
    'none',
  ] as const);
  const dtype = checkOneOf(options.dtype ?? 'float64', `${fn}: dtype`, ['float64', 'float32'] as const);
  checkObject(images, `${fn}: images`, 'an IdxArray (from decodeIdx)');
  checkObject(labels, `${fn}: labels`, 'an IdxArray (from decodeIdx)');
  for (const [name, a] of [
    ['images', images],
    ['labels', labels],
  ] as const)
    if (!Array.isArray(a.shape) || !ArrayBuffer.isView(a.data))
      throw domainError(`${fn}: ${name}`, 'an IdxArray (from decodeIdx)', a);
  if (images.dtype !== 'uint8' || !Array.isArray(images.shape) || images.shape.length !== 3) {
    throw new FormatError(
      `${fn}: images: expected uint8 IDX of 3 dimensions (magic 0x00000803), received ${images.dtype} of shape [${images.shape.join(', ')}]`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new FormatError(
      `${fn}: labels: expected uint8 IDX of 1 dimension (magic 0x00000801), received ${labels.dtype} of shape [${labels.shape.join(', ')}]`,
    );
  }
  const [count, rows, cols] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new FormatError(
      `${fn}: labels: expected ${count} labels (one per image), received ${labels.shape[0]}`,
    );
  }
  const n =
    options.limit === undefined ? count : Math.min(count, checkInteger(options.limit, `${fn}: limit`, 0));
  const d = rows * cols;
  const src = images.data as Uint8Array;
  const out = dtype === 'float32' ? new Float32Array(n * d) : new Float64Array(n * d);
  const table = new Float64Array(256);
  for (let x = 0; x < 256; x++) {
    table[x] =
      normalize === 'unit'
        ? x / 255
        : normalize === 'binary'
          ? x >= 128
            ? 1
            : 0
          : normalize === 'spin'
            ? x >= 128
              ? 1
              : -1
            : x;
  }
  for (let i = 0; i < n * d; i++) out[i] = table[src[i]!]!;
  const lab = new Uint8Array(n);
  lab.set((labels.data as Uint8Array).subarray(0, n));
  for (let i = 0; i < n; i++) {
    if (lab[i]! > 9) throw new FormatError(`${fn}: labels[${i}]: expected a digit 0..9, received ${lab[i]}`);
  }
  return { images: out, labels: lab, n, rows, cols };
}
