/**
 * Covariance of n samples x d features with the Gram product split over the workers of a pool: the
 * centred data and the Gram matrix live on SharedArrayBuffers, and each worker forms strips of the lower
 * triangle through the built-in `coarsegrain:gemmRows` task (the same WebAssembly GEMM as the main thread).
 * @module
 */
import { type Covariance, type CovarianceOptions, covarianceMatrix } from '../core/covariance.js';
import { checkMatrix, type Matrix } from '../core/tensor.js';
import {
  checkAllFinite,
  checkOneOf,
  checkOptions,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { checkWorkerPool, mapParallel, type TaskRunOptions, type WorkerPool } from './pool.js';
import { takeScratch } from './scratch.js';
import type { GemmRowsInput } from './tasks.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const COVARIANCE_OPTIONS_TASK_RUN_OPTIONS_KEYS = optionKeys<CovarianceOptions & TaskRunOptions>({
  center: true,
  unbiased: true,
  precision: true,
  signal: true,
});

/** Products with fewer multiply-adds (n d^2 / 2) than this run on the calling thread. */
export const COVARIANCE_PARALLEL_MIN_WORK = 1 << 24;

/** Rows of the Gram matrix per task (one strip of the lower triangle up to its diagonal block). */
const STRIP = 128;

/** Samples per float32 partial Gram matrix: the partials are summed in float64, as in the serial path. */
const PANEL32 = 2048;

/** sums[j] += column sums of rows [r0, r1) of the row-major x (d columns). */
function addColumns64(x: Float64Array, r0: number, r1: number, d: number, sums: Float64Array): void {
  for (let i = r0; i < r1; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) sums[j]! += x[row + j]!;
  }
}

function addColumns32(x: Float32Array, r0: number, r1: number, d: number, sums: Float64Array): void {
  for (let i = r0; i < r1; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) sums[j]! += x[row + j]!;
  }
}

/** out[i d + j] = x[i d + j] - mean[j] for rows [r0, r1), float64 arithmetic. */
function subtract64(
  x: Float64Array,
  r0: number,
  r1: number,
  d: number,
  mean: Float64Array,
  out: Float64Array | Float32Array,
): void {
  for (let i = r0; i < r1; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) out[row + j] = x[row + j]! - mean[j]!;
  }
}

function subtract32(
  x: Float32Array,
  r0: number,
  r1: number,
  d: number,
  mean: Float64Array,
  out: Float64Array | Float32Array,
): void {
  for (let i = r0; i < r1; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) out[row + j] = x[row + j]! - mean[j]!;
  }
}

/**
 * out (n x d) = data - mean (mean = exact column means in float64 when `center`, else left at zero):
 * two passes straight over Float64Array / Float32Array input, through a float64 copy otherwise.
 */
function centre(
  data: ArrayLike<number>,
  n: number,
  d: number,
  center: boolean,
  mean: Float64Array,
  out: Float64Array | Float32Array,
): void {
  let x: Float64Array | Float32Array;
  if (data instanceof Float64Array || data instanceof Float32Array) x = data;
  else {
    x = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) x[i] = data[i]!;
  }
  mean.fill(0);
  if (center) {
    if (x instanceof Float64Array) addColumns64(x, 0, n, d, mean);
    else addColumns32(x, 0, n, d, mean);
    for (let j = 0; j < d; j++) mean[j]! /= n;
  }
  if (x instanceof Float64Array) subtract64(x, 0, n, d, mean, out);
  else subtract32(x, 0, n, d, mean, out);
}

/**
 * Sample covariance C = X_c^T X_c / (n - 1) (as {@link covarianceMatrix}, same options and result) with
 * the Gram product split over the pool's workers. The mean is exact (two passes, float64); the centred
 * data are staged once on a SharedArrayBuffer kept per pool (n d floats: 63 MB for 10,000 x 784 float64,
 * half with `precision: 'float32'`), and strips of 128 rows of the lower triangle of X_c^T X_c, largest
 * first, run as `coarsegrain:gemmRows` tasks. With `'float32'` each task forms the Gram strip of a panel
 * of 2048 samples in float32 and the panels are summed in float64, as in the serial path (same error
 * bound). Runs {@link covarianceMatrix} on the calling thread when the pool has one worker or the product
 * is small (n d^2 / 2 < {@link COVARIANCE_PARALLEL_MIN_WORK}). One-shot: for data larger than memory use
 * the streaming `createCovarianceAccumulator`.
 * Cost n d^2 / workers flops of GEMM plus O(n d) staging on the calling thread.
 * @param data - the n x d data {@link Matrix} (n samples as rows, d features), as for covarianceMatrix.
 * @throws (rejects) DomainError if data is not a Matrix, has no row or column, has non-finite entries, or
 * for a bad option; ShapeError if data.data.length !== rows x cols or n < 2 (unbiased); pool errors as
 * {@link mapParallel} (AbortError when `signal` aborts).
 * @example
 * const pool = createWorkerPool({ workers: 2 });
 * const { matrix: cov } = await covarianceParallel(pool, matrix(images, 60000, 784), { precision: 'float32' });
 * await destroyWorkerPool(pool);
 */
export async function covarianceParallel(
  pool: WorkerPool,
  X: Matrix<ArrayLike<number>>,
  options: CovarianceOptions & TaskRunOptions = {},
): Promise<Covariance> {
  const fn = 'covarianceParallel';
  checkWorkerPool(pool, fn);
  const { data, rows: n, cols: d } = checkMatrix(X, `${fn}: data`, { minRows: 1, minCols: 1 });
  options = checkOptions(options, 'covarianceParallel: options', COVARIANCE_OPTIONS_TASK_RUN_OPTIONS_KEYS);
  const center = options.center ?? true;
  const unbiased = options.unbiased ?? true;
  if (typeof center !== 'boolean') throw domainError(`${fn}: center`, 'a boolean', center);
  if (typeof unbiased !== 'boolean') throw domainError(`${fn}: unbiased`, 'a boolean', unbiased);
  const precision = checkOneOf(options.precision ?? 'float64', `${fn}: precision`, [
    'float64',
    'float32',
  ] as const);
  if (unbiased && n < 2)
    throw shapeError(`${fn}: data.rows`, 'at least 2 samples for the unbiased estimate', `${n}`);
  if (!pool || typeof pool.size !== 'number') throw domainError(`${fn}: pool`, 'a WorkerPool', pool);
  if (pool.size < 2 || (n * d * d) / 2 < COVARIANCE_PARALLEL_MIN_WORK)
    return covarianceMatrix(X, { center, unbiased, precision });
  checkAllFinite(data, `${fn}: data.data`);
  const single = precision === 'float32';
  const panels = single ? Math.ceil(n / PANEL32) : 1;
  const elementBytes = single ? 4 : 8;
  const dataBytes = Math.ceil((n * d * elementBytes) / 8) * 8;
  const scratch = takeScratch(pool, dataBytes + panels * d * d * elementBytes);
  try {
    const x = single
      ? new Float32Array(scratch.buffer, 0, n * d)
      : new Float64Array(scratch.buffer, 0, n * d);
    const g = single
      ? new Float32Array(scratch.buffer, dataBytes, panels * d * d)
      : new Float64Array(scratch.buffer, dataBytes, d * d);
    // exact mean, then the centred data (float64 arithmetic, rounded to float32 for 'float32')
    const mean = new Float64Array(d);
    centre(data, n, d, center, mean, x);
    // strips of the lower triangle (rows i0..i1-1, columns 0..i1-1), per panel of samples, largest first
    const inputs: GemmRowsInput[] = [];
    for (let i0 = Math.floor((d - 1) / STRIP) * STRIP; i0 >= 0; i0 -= STRIP) {
      const i1 = Math.min(d, i0 + STRIP);
      for (let p = 0; p < panels; p++) {
        const s0 = p * PANEL32;
        const rows = single ? Math.min(PANEL32, n - s0) : n;
        inputs.push({
          transA: true,
          transB: false,
          i0,
          i1,
          n: i1,
          k: rows,
          alpha: 1,
          a: single ? x.subarray(s0 * d) : x,
          lda: d,
          b: single ? x.subarray(s0 * d) : x,
          ldb: d,
          beta: 0,
          c: g.subarray(p * d * d, (p + 1) * d * d),
          ldc: d,
        });
      }
    }
    await mapParallel(pool, 'coarsegrain:gemmRows', inputs, options.signal ? { signal: options.signal } : {});
    const matrix = new Float64Array(d * d);
    const scale = 1 / (unbiased ? n - 1 : n);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = 0;
        for (let p = 0; p < panels; p++) sum += g[p * d * d + i * d + j]!;
        const c = sum * scale;
        matrix[i * d + j] = c;
        matrix[j * d + i] = c;
      }
    }
    return { matrix, mean, d };
  } finally {
    scratch.release();
  }
}
