/**
 * Seeded train/test splits, minibatch index sets and row gathering (browser-safe).
 * @module
 */

import { permutation, type Rng, shuffleInPlace } from '../core/rng.js';
import { checkMatrix, type Matrix, type TypedArray } from '../core/tensor.js';
import {
  checkInteger,
  checkLimit,
  checkOptions,
  checkRange,
  domainError,
  shapeError,
} from '../core/validate.js';

/** Row indices of a train/test split, each in ascending order. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * Split 0..n-1 at random into a test set of round(n * testFraction) rows and a training set of the
 * rest. With `stratify` (one label per row), every class is split in the same proportion (per class
 * round(count * testFraction)). Both index lists are returned sorted; together they cover 0..n-1 once.
 * The same rng state gives the same split. O(n log n).
 * @throws DomainError for n < 0 or a fraction outside [0, 1]; ShapeError if `stratify` has not n labels.
 * @example
 * ```ts
 * import { createRng, gatherRows, matrix, trainTestSplit } from 'coarsegrain';
 * const { train, test } = trainTestSplit(createRng(1), 10, 0.2); // train: Int32Array(8), test: Int32Array(2), sorted
 * const data = matrix(Float64Array.from({ length: 10 * 3 }, (_, i) => i), 10, 3); // 10 rows x 3
 * const testRows = gatherRows(data, test); // 2 x 3 Matrix
 * ```
 */
export function trainTestSplit(
  rng: Rng,
  n: number,
  testFraction: number,
  options: { stratify?: ArrayLike<number> } = {},
): Split {
  options = checkOptions(options, 'trainTestSplit: options', ['stratify']);
  checkInteger(n, 'trainTestSplit: n', 0);
  checkLimit(n, 'trainTestSplit: n');
  checkRange(testFraction, 'trainTestSplit: testFraction', 0, 1);
  const isTest = new Uint8Array(n);
  const labels = options.stratify;
  if (labels !== undefined) {
    if (labels.length !== n)
      throw shapeError('trainTestSplit: stratify', `${n} labels`, `length ${labels.length}`);
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const l = labels[i]!;
      if (!Number.isFinite(l)) throw domainError(`trainTestSplit: stratify[${i}]`, 'a finite label', l);
      let list = byClass.get(l);
      if (!list) byClass.set(l, (list = []));
      list.push(i);
    }
    for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
      const members = shuffleInPlace(rng, byClass.get(key)!);
      const k = Math.round(members.length * testFraction);
      for (let j = 0; j < k; j++) isTest[members[j]!] = 1;
    }
  } else {
    const p = permutation(rng, n);
    const k = Math.round(n * testFraction);
    for (let j = 0; j < k; j++) isTest[p[j]!] = 1;
  }
  let nTest = 0;
  for (let i = 0; i < n; i++) nTest += isTest[i]!;
  const train = new Int32Array(n - nTest);
  const test = new Int32Array(nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (isTest[i]) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}

/**
 * The minibatches of one epoch: a random permutation of 0..n-1 cut into consecutive batches of
 * `batchSize` (views into one Int32Array). The last, smaller batch is kept unless `dropLast`.
 * O(n).
 * @throws DomainError for n < 0 or batchSize < 1.
 * @example
 * ```ts
 * import { createRng, minibatchIndices } from 'coarsegrain';
 * const batches = minibatchIndices(createRng(1), 10, 4); // 3 batches (4, 4, 2 indices) of a shuffled 0..9
 * ```
 */
export function minibatchIndices(
  rng: Rng,
  n: number,
  batchSize: number,
  options: { dropLast?: boolean } = {},
): Int32Array[] {
  options = checkOptions(options, 'minibatchIndices: options', ['dropLast']);
  checkInteger(n, 'minibatchIndices: n', 0);
  checkInteger(batchSize, 'minibatchIndices: batchSize', 1);
  const p = permutation(rng, n);
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    if (end - start < batchSize && options.dropLast) break;
    batches.push(p.subarray(start, end));
  }
  return batches;
}

/**
 * Copy rows `indices` of the {@link Matrix} `matrix` (e.g. a minibatch or a split of a data set) into
 * `out` (default a new array of the same type), in the order given. `out` must not alias the data.
 * O(indices.length * cols).
 * @returns the indices.length x cols Matrix whose data is `out`.
 * @throws DomainError if `matrix` is not a Matrix of a typed array or for an index outside 0..rows-1;
 *   ShapeError if `out` has the wrong length.
 * @example
 * ```ts
 * import { gatherRows, matrix } from 'coarsegrain';
 * const X = matrix(Float64Array.of(1, 2, 3, 4, 5, 6), 3, 2); // 3 rows x 2
 * gatherRows(X, [2, 0]); // 2 x 2, data Float64Array [5, 6, 1, 2]
 * ```
 */
export function gatherRows<T extends TypedArray>(
  matrix: Matrix<T>,
  indices: ArrayLike<number>,
  out?: T,
): Matrix<T> {
  const { data, rows, cols: d } = checkMatrix<T>(matrix, 'gatherRows: matrix');
  if (!ArrayBuffer.isView(data) || data instanceof DataView)
    throw domainError('gatherRows: matrix.data', 'a typed array', data);
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number')
    throw domainError('gatherRows: indices', 'an array of row indices', indices);
  const target = out ?? new (data.constructor as new (n: number) => T)(indices.length * d);
  if (target.length !== indices.length * d) {
    throw shapeError('gatherRows: out', `length ${indices.length * d}`, `length ${target.length}`);
  }
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= rows)
      throw domainError(`gatherRows: indices[${k}]`, `a row index in [0, ${rows - 1}]`, i);
    target.set(data.subarray(i * d, (i + 1) * d) as ArrayLike<number>, k * d);
  }
  return { data: target, rows: indices.length, cols: d };
}
