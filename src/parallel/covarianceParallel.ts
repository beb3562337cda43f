/**
 * Covariance of n samples x d features with the Gram product split over the workers of a pool: the data
 * and the Gram matrix live on SharedArrayBuffers. In float64 each worker forms a range of rows of the
 * lower triangle, panel by panel, through the built-in `coarsegrain:covarianceRows` task (the kernels of
 * `covarianceMatrix`, so the result is bit-identical to it); in float32 through `coarsegrain:gemmRows`.
 * @module
 */
import {
  allFinite,
  COVARIANCE_ROW_PANEL,
  type Covariance,
  type CovarianceOptions,
  chanStepKernel,
  columnMeansKernel,
  covarianceFromGram,
  covarianceMatrix,
  panelMeansKernel,
} from '../core/covariance.js';
import { gemmBackend } from '../core/gemm.js';
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
import type { CovarianceRowsInput, GemmRowsInput } from './tasks.js';

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
  if (center) columnMeansKernel(x, 0, n, d, mean);
  else mean.fill(0);
  if (x instanceof Float64Array) subtract64(x, 0, n, d, mean, out);
  else subtract32(x, 0, n, d, mean, out);
}

/**
 * Sample covariance C = X_c^T X_c / (n - 1) (as {@link covarianceMatrix}, same options and result) with
 * the Gram product split over the pool's workers. In float64 (default) the result is bit-identical to
 * {@link covarianceMatrix}: the data go on a SharedArrayBuffer kept per pool (as given when they already
 * are on one, else one copy: n d values, 63 MB for 10,000 x 784 float64), the panel means and merge
 * factors are formed here, and each worker forms a range of rows of the lower triangle of equal work
 * (`coarsegrain:covarianceRows`, panel by panel with the same kernels and the same order of sums). For
 * centred Float64Array data the copy is pipelined: the workers start on a panel as soon as this thread
 * has copied it and published its means. With
 * `'float32'` the data are centred on the exact mean and rounded to float32, each `coarsegrain:gemmRows`
 * task forms a strip of 128 rows of the Gram matrix of a panel of 2048 samples in float32, and the panels
 * are summed in float64 (the error bound of the serial float32 path; not bit-identical to it). Runs
 * {@link covarianceMatrix} on the calling thread when the pool has one worker, the GEMM backend is
 * 'typescript' (float64), or the product is small (n d^2 / 2 < {@link COVARIANCE_PARALLEL_MIN_WORK}).
 * One-shot: for data larger than memory use the streaming `createCovarianceAccumulator`.
 * Cost about n d^2 / (2 workers) multiply-adds of GEMM per worker plus O(n d) reads on the calling thread.
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
  if (precision === 'float64') {
    // the workers run the WebAssembly kernels of covarianceMatrix; on the TypeScript backend it runs here
    if (gemmBackend() !== 'wasm-simd') return covarianceMatrix(X, { center, unbiased });
    return covarianceRows64(pool, data, n, d, center, unbiased, options.signal);
  }
  if (!allFinite(data)) checkAllFinite(data, `${fn}: data.data`);
  // float32: panels of 2048 samples centred on the exact mean, each panel's Gram strips in float32
  const panels = Math.ceil(n / PANEL32);
  const dataBytes = Math.ceil((n * d * 4) / 8) * 8;
  const scratch = takeScratch(pool, dataBytes + panels * d * d * 4);
  try {
    const x = new Float32Array(scratch.buffer, 0, n * d);
    const g = new Float32Array(scratch.buffer, dataBytes, panels * d * d);
    // exact mean, then the centred data (float64 arithmetic, rounded to float32)
    const mean = new Float64Array(d);
    centre(data, n, d, center, mean, x);
    // strips of the lower triangle (rows i0..i1-1, columns 0..i1-1), per panel of samples, largest first
    const inputs: GemmRowsInput[] = [];
    for (let i0 = Math.floor((d - 1) / STRIP) * STRIP; i0 >= 0; i0 -= STRIP) {
      const i1 = Math.min(d, i0 + STRIP);
      for (let p = 0; p < panels; p++) {
        const s0 = p * PANEL32;
        inputs.push({
          transA: true,
          transB: false,
          i0,
          i1,
          n: i1,
          k: Math.min(PANEL32, n - s0),
          alpha: 1,
          a: x.subarray(s0 * d),
          lda: d,
          b: x.subarray(s0 * d),
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

/**
 * Split rows [0, d) of the lower triangle into `parts` ranges of about equal work, at multiples of 4:
 * rows [a, b) cost about (b^2 - a^2) / 2 multiply-adds per sample, plus 16 per row (the diagonal
 * blocks) and about 2 per packed column (0 .. b). Returns the part boundaries, 0 first and d last.
 * @internal
 */
export function balancedRowSplit(d: number, parts: number): number[] {
  const cost = (a: number, b: number): number => (b * b - a * a) / 2 + 16 * (b - a) + 2 * b;
  const bounds = [0];
  let a = 0;
  for (let t = 0; t < parts - 1; t++) {
    // the first b (multiple of 4) at which [a, b) holds its share of the work that remains
    const share = cost(a, d) / (parts - t);
    let b = a + 4;
    while (b < d && cost(a, b) < share) b += 4;
    if (b > a + 4 && share - cost(a, b - 4) < cost(a, b) - share) b -= 4;
    if (b >= d) break;
    bounds.push(b);
    a = b;
  }
  bounds.push(d);
  return bounds;
}

/**
 * The float64 path: the data on shared memory (as given when it already is, else one copy of the same
 * element type), the panel means and merge factors of {@link covarianceMatrix} on this thread, then each
 * worker forms a balanced range of rows of the lower triangle, panel by panel, with the same kernels.
 */
async function covarianceRows64(
  pool: WorkerPool,
  data: ArrayLike<number>,
  n: number,
  d: number,
  center: boolean,
  unbiased: boolean,
  signal: AbortSignal | undefined,
): Promise<Covariance> {
  const float = data instanceof Float64Array || data instanceof Float32Array;
  // the panel means of float data straight from it (a non-finite entry makes its column sum non-finite,
  // so the sums replace a separate finiteness pass); other data are checked, then read from their copy
  const panels = Math.ceil(n / COVARIANCE_ROW_PANEL);
  const shared = float && data.buffer instanceof SharedArrayBuffer;
  if (center && !shared && data instanceof Float64Array)
    return covarianceRowsPipelined(pool, data, n, d, unbiased, signal);
  const elementBytes = data instanceof Float32Array ? 4 : 8;
  const dataBytes = shared ? 0 : Math.ceil((n * d * elementBytes) / 8) * 8;
  const scratch = takeScratch(pool, dataBytes + d * d * 8);
  try {
    let x: Float64Array | Float32Array;
    let panelMeans: Float64Array | null = null;
    if (shared) x = data as Float64Array | Float32Array;
    else
      x =
        data instanceof Float32Array
          ? new Float32Array(scratch.buffer, 0, n * d)
          : new Float64Array(scratch.buffer, 0, n * d);
    if (center && float) {
      panelMeans = panelMeansKernel(data, n, d, COVARIANCE_ROW_PANEL);
      if (!shared) x.set(data);
      if (!allFinite(panelMeans)) checkAllFinite(data, 'covarianceParallel: data.data');
    } else {
      if (!allFinite(data)) checkAllFinite(data, 'covarianceParallel: data.data');
      if (!shared) x.set(data);
    }
    const g = new Float64Array(scratch.buffer, dataBytes, d * d);
    // the running mean over panels exactly as createCovarianceAccumulator forms it in one accumulate call
    if (center && !panelMeans) panelMeans = panelMeansKernel(x, n, d, COVARIANCE_ROW_PANEL);
    const means = panelMeans ?? new Float64Array(panels * d);
    const deltas = new Float64Array(panels * d);
    const factors = new Float64Array(panels);
    const mean = new Float64Array(d);
    if (center) {
      for (let p = 0; p < panels; p++) {
        const r0 = p * COVARIANCE_ROW_PANEL;
        const step = means.slice(p * d, (p + 1) * d);
        factors[p] = chanStepKernel(mean, step, r0, Math.min(COVARIANCE_ROW_PANEL, n - r0));
        deltas.set(step, p * d);
      }
    }
    const inputs = rowTasks(pool, { x, n, d, center, panelMeans: means, deltas, factors, g });
    await mapParallel(pool, 'coarsegrain:covarianceRows', inputs, signal ? { signal } : {});
    return { matrix: covarianceFromGram(g, d, n, unbiased), mean, d };
  } finally {
    scratch.release();
  }
}

/** One `coarsegrain:covarianceRows` input per worker: balanced ranges of rows of the lower triangle. */
function rowTasks(pool: WorkerPool, common: Omit<CovarianceRowsInput, 'i0' | 'i1'>): CovarianceRowsInput[] {
  const bounds = balancedRowSplit(common.d, Math.min(pool.size, Math.floor(common.d / 4)));
  const inputs: CovarianceRowsInput[] = [];
  for (let t = 0; t + 1 < bounds.length; t++) inputs.push({ ...common, i0: bounds[t]!, i1: bounds[t + 1]! });
  return inputs;
}

/**
 * The centred float64 path for data not on shared memory, pipelined: the row tasks start at once and
 * wait on a shared count of published panels (`ready`), while this thread copies the data to shared
 * memory panel by panel (in the pass that sums it), forms each panel's means and merge factor (the same
 * kernels in the same order as the other paths, so the same bits) and publishes the panel. The workers'
 * Gram products thus overlap the copy (about 14 ms for 10,000 x 784 here) instead of waiting for all of
 * it. A panel with a non-finite entry stops the publication (`ready` = -1: the tasks return at once) and
 * the call rejects with checkAllFinite's DomainError.
 */
async function covarianceRowsPipelined(
  pool: WorkerPool,
  data: Float64Array,
  n: number,
  d: number,
  unbiased: boolean,
  signal: AbortSignal | undefined,
): Promise<Covariance> {
  const panels = Math.ceil(n / COVARIANCE_ROW_PANEL);
  const dataBytes = n * d * 8;
  const gBytes = d * d * 8;
  const panelBytes = panels * d * 8;
  const scratch = takeScratch(pool, dataBytes + gBytes + 2 * panelBytes + panels * 8 + 8);
  try {
    const { buffer } = scratch;
    const x = new Float64Array(buffer, 0, n * d);
    const g = new Float64Array(buffer, dataBytes, d * d);
    const means = new Float64Array(buffer, dataBytes + gBytes, panels * d);
    const deltas = new Float64Array(buffer, dataBytes + gBytes + panelBytes, panels * d);
    const factors = new Float64Array(buffer, dataBytes + gBytes + 2 * panelBytes, panels);
    const ready = new Int32Array(buffer, dataBytes + gBytes + 2 * panelBytes + panels * 8, 1);
    Atomics.store(ready, 0, 0);
    const inputs = rowTasks(pool, { x, n, d, center: true, panelMeans: means, deltas, factors, g, ready });
    const done = mapParallel(pool, 'coarsegrain:covarianceRows', inputs, signal ? { signal } : {});
    done.catch(() => undefined); // awaited below: a rejection while this thread publishes is not lost
    const mean = new Float64Array(d);
    let published = 0;
    try {
      for (let p = 0; p < panels; p++) {
        const r0 = p * COVARIANCE_ROW_PANEL;
        const nb = Math.min(COVARIANCE_ROW_PANEL, n - r0);
        const from = r0 * d;
        const to = (r0 + nb) * d;
        const step = panelMeansKernel(data.subarray(from, to), nb, d, nb, x.subarray(from, to));
        if (!allFinite(step)) break;
        means.set(step, p * d);
        factors[p] = chanStepKernel(mean, step, r0, nb);
        deltas.set(step, p * d);
        Atomics.store(ready, 0, ++published);
        Atomics.notify(ready, 0);
      }
    } finally {
      if (published < panels) {
        Atomics.store(ready, 0, -1);
        Atomics.notify(ready, 0);
      }
    }
    if (published < panels) {
      await done.catch(() => undefined);
      checkAllFinite(data, 'covarianceParallel: data.data');
    }
    await done;
    return { matrix: covarianceFromGram(g, d, n, unbiased), mean, d };
  } finally {
    scratch.release();
  }
}
