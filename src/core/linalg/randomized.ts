/**
 * Randomized top-k eigen- and singular decompositions by subspace (power) iteration on a Gaussian sketch
 * (Halko, Martinsson & Tropp, "Finding structure with randomness", SIAM Review 53, 2011: algorithms 4.4
 * and 5.1 with QR re-orthonormalisation between products), followed by a small dense eigen/SVD solve of
 * the projected matrix. The large products run through {@link gemmKernel}.
 * @module
 */
import { gemmKernel } from '../gemm.js';
import type { Rng } from '../rng.js';
import { checkMatrix, type Matrix } from '../tensor.js';
import {
  checkAllFinite,
  checkInteger,
  checkOptions,
  domainError,
  optionKeys,
  shapeError,
} from '../validate.js';
import { thinSvdKernel } from './bidiagonal.js';
import { qrOrthonormalizeKernel } from './qr.js';
import { symmetricEigenKernel } from './tridiagonal.js';
import { fixColumnSigns } from './util.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const RANDOMIZED_OPTIONS_KEYS = optionKeys<RandomizedOptions>({
  rng: true,
  oversample: true,
  powerIterations: true,
});

/** Options of {@link topEigenpairs} and {@link topSingularTriplets}. */
export interface RandomizedOptions {
  /** Source of the Gaussian test matrix (required: same seed, same result). */
  readonly rng: Rng;
  /** Extra sketch columns beyond k (default 10). */
  readonly oversample?: number;
  /** Subspace iterations after the first product (default 2); more sharpens slowly decaying spectra. */
  readonly powerIterations?: number;
}

/** Result of {@link topEigenpairs}. */
export interface TopEigenpairs {
  /** k Ritz values, descending. */
  readonly values: Float64Array;
  /** n x k row-major: column j is the unit eigenvector estimate of values[j] (largest entry positive). */
  readonly vectors: Float64Array;
  /** ||A v_j - values[j] v_j||_2 for each pair: the stated accuracy (an eigenvalue of A lies within it). */
  readonly residuals: Float64Array;
  readonly n: number;
  readonly k: number;
}

/** Result of {@link topSingularTriplets}: A ~ u diag(s) v^T on the top k singular directions. */
export interface TopSingularTriplets {
  /** U, m x k, orthonormal columns (column j = left singular vector j, its largest entry positive). */
  readonly u: Matrix<Float64Array>;
  /** k singular value estimates, descending. */
  readonly s: Float64Array;
  /** V, n x k, orthonormal columns (column j = right singular vector j). */
  readonly v: Matrix<Float64Array>;
  /**
   * ||A v_j - s_j u_j||_2 per triplet (A^T u_j = s_j v_j holds to rounding by construction): the
   * stated accuracy; |s_j - sigma| <= residual for some singular value sigma of A.
   */
  readonly residuals: Float64Array;
  /** Rows of A (= u.rows). */
  readonly m: number;
  /** Columns of A (= v.rows). */
  readonly n: number;
  /** Number of triplets (= s.length = u.cols = v.cols). */
  readonly k: number;
}

function readOptions(options: RandomizedOptions, where: string): { oversample: number; power: number } {
  if (!options || typeof options.rng?.fillNormal !== 'function') {
    throw domainError(`${where}: options.rng`, 'an Rng from createRng', options?.rng);
  }
  const oversample = checkInteger(options.oversample ?? 10, `${where}: oversample`, 0);
  const power = checkInteger(options.powerIterations ?? 2, `${where}: powerIterations`, 0, 1000);
  return { oversample, power };
}

/**
 * Top-k eigenpairs of a symmetric positive semi-definite n x n matrix (e.g. a covariance) by randomized
 * subspace iteration with l = min(n, k + oversample) columns. For an indefinite matrix it returns the
 * pairs of largest |lambda| found by the iteration, sorted by value. Each pair comes with its residual.
 * Cost (powerIterations + 2) products of 2 n^2 l flops plus O(n l^2).
 * @param a - n x n row-major, symmetric (not checked beyond finiteness).
 * @throws ShapeError if a.length !== n * n; DomainError for k outside [1, n], bad options or non-finite a.
 * @example
 * ```ts
 * import { covarianceMatrix, createRng, matrix, topEigenpairs } from 'coarsegrain';
 * const rng = createRng(1);
 * const data = rng.fillNormal(new Float64Array(200 * 20)); // 200 samples x 20 features
 * const cov = covarianceMatrix(matrix(data, 200, 20)).matrix; // 20 x 20
 * const { values, vectors } = topEigenpairs(cov, 20, 3, { rng });
 * // values: the 3 largest variances (about 1.4-1.6 for white noise at n = 200), vectors: 20 x 3
 * ```
 */
export function topEigenpairs(
  a: ArrayLike<number>,
  n: number,
  k: number,
  options: RandomizedOptions,
): TopEigenpairs {
  options = checkOptions(options, 'topEigenpairs: options', RANDOMIZED_OPTIONS_KEYS, true);
  checkInteger(n, 'topEigenpairs: n', 1);
  checkInteger(k, 'topEigenpairs: k', 1, n);
  if (!a || a.length !== n * n)
    throw shapeError('topEigenpairs: a', `${n * n} elements (n x n)`, `${a?.length}`);
  const { oversample, power } = readOptions(options, 'topEigenpairs');
  checkAllFinite(a, 'topEigenpairs: a');
  const mat = a instanceof Float64Array ? a : Float64Array.from(a);
  const l = Math.min(n, k + oversample);
  const omega = options.rng.fillNormal(new Float64Array(n * l));
  const y = new Float64Array(n * l);
  const q = new Float64Array(n * l);
  gemmKernel(false, false, n, l, n, 1, mat, 0, n, omega, 0, l, 0, y, 0, l);
  for (let it = 0; it < power; it++) {
    qrOrthonormalizeKernel(y, n, l, q);
    gemmKernel(false, false, n, l, n, 1, mat, 0, n, q, 0, l, 0, y, 0, l);
  }
  qrOrthonormalizeKernel(y, n, l, q);
  const z = y; // Z = A Q
  gemmKernel(false, false, n, l, n, 1, mat, 0, n, q, 0, l, 0, z, 0, l);
  const b = new Float64Array(l * l);
  gemmKernel(true, false, l, l, n, 1, q, 0, l, z, 0, l, 0, b, 0, l);
  for (let i = 0; i < l; i++)
    for (let j = i + 1; j < l; j++) {
      const avg = 0.5 * (b[i * l + j]! + b[j * l + i]!);
      b[i * l + j] = avg;
      b[j * l + i] = avg;
    }
  const theta = new Float64Array(l);
  const w = new Float64Array(l * l);
  symmetricEigenKernel(b, l, theta, w);
  const vectors = new Float64Array(n * k);
  const av = new Float64Array(n * k);
  gemmKernel(false, false, n, k, l, 1, q, 0, l, w, 0, l, 0, vectors, 0, k);
  gemmKernel(false, false, n, k, l, 1, z, 0, l, w, 0, l, 0, av, 0, k);
  const values = theta.slice(0, k);
  const residuals = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const r = av[i * k + j]! - values[j]! * vectors[i * k + j]!;
      residuals[j] += r * r;
    }
  }
  for (let j = 0; j < k; j++) residuals[j] = Math.sqrt(residuals[j]!);
  fixColumnSigns(vectors, n, k);
  return { values, vectors, residuals, n, k };
}

/**
 * Top-k singular triplets of an m x n {@link Matrix} by randomized subspace iteration with l = min(m, n,
 * k + oversample) columns, alternating products with A and A^T and re-orthonormalising each time; then a
 * dense SVD of the l x n projection Q^T A. Cost (2 powerIterations + 3) products of 2 m n l flops plus
 * O((m + n) l^2). The shape is read from `a`, so the sizes cannot be swapped; the positional unchecked
 * form is {@link topSingularTripletsKernel} in `coarsegrain/kernels`.
 * @param a - A, m x n (rows x cols, any numeric entries; not modified).
 * @param k - Number of triplets, integer in [1, min(m, n)].
 * @returns u (m x k Matrix), s (k, descending), v (n x k Matrix), residuals (k), with m, n, k.
 * @throws DomainError if `a` is not a Matrix or has non-finite entries, for k outside [1, min(m, n)] or
 *   bad options; ShapeError if `a.data.length !== a.rows * a.cols`.
 * @example
 * ```ts
 * import { createRng, matrix, topSingularTriplets } from 'coarsegrain';
 * const rng = createRng(1);
 * const a = matrix(rng.fillNormal(new Float64Array(50 * 30)), 50, 30); // a 50 x 30 matrix
 * const { u, s, v } = topSingularTriplets(a, 5, { rng });
 * // s: the 5 largest singular values (descending); u: a 50 x 5 Matrix, v: a 30 x 5 Matrix
 * ```
 */
export function topSingularTriplets(
  a: Matrix<ArrayLike<number>>,
  k: number,
  options: RandomizedOptions,
): TopSingularTriplets {
  const { data, rows: m, cols: n } = checkMatrix(a, 'topSingularTriplets: a', { minRows: 1, minCols: 1 });
  options = checkOptions(options, 'topSingularTriplets: options', RANDOMIZED_OPTIONS_KEYS, true);
  checkInteger(k, 'topSingularTriplets: k', 1, Math.min(m, n));
  const { oversample, power } = readOptions(options, 'topSingularTriplets');
  checkAllFinite(data, 'topSingularTriplets: a.data');
  const mat = data instanceof Float64Array ? data : Float64Array.from(data);
  const l = Math.min(m, n, k + oversample);
  const u = new Float64Array(m * k);
  const s = new Float64Array(k);
  const v = new Float64Array(n * k);
  const residuals = new Float64Array(k);
  topSingularTripletsKernel(mat, m, n, k, l, power, options.rng, u, s, v, residuals);
  return { u: { data: u, rows: m, cols: k }, s, v: { data: v, rows: n, cols: k }, residuals, m, n, k };
}

/**
 * Unchecked top-k singular triplets of the row-major m x n matrix `a` (not modified) by randomized
 * subspace iteration with `l` sketch columns (k <= l <= min(m, n)) and `power` subspace iterations, the
 * Gaussian sketch drawn from `rng`: writes U (m x k, row-major) to `u`, the k singular values
 * (descending) to `s`, V (n x k) to `v` and ||A v_j - s_j u_j||_2 to `residuals`. Each column of U has
 * its largest-magnitude entry positive (V's columns follow). Allocates its O((m + n) l) workspace;
 * outputs must not alias `a`. Cost (2 power + 3) products of 2 m n l flops plus O((m + n) l^2).
 */
export function topSingularTripletsKernel(
  a: Float64Array,
  m: number,
  n: number,
  k: number,
  l: number,
  power: number,
  rng: Rng,
  u: Float64Array,
  s: Float64Array,
  v: Float64Array,
  residuals: Float64Array,
): void {
  const omega = rng.fillNormal(new Float64Array(n * l));
  const y = new Float64Array(m * l);
  const q = new Float64Array(m * l);
  const zt = new Float64Array(n * l);
  const qz = new Float64Array(n * l);
  gemmKernel(false, false, m, l, n, 1, a, 0, n, omega, 0, l, 0, y, 0, l);
  qrOrthonormalizeKernel(y, m, l, q);
  for (let it = 0; it < power; it++) {
    gemmKernel(true, false, n, l, m, 1, a, 0, n, q, 0, l, 0, zt, 0, l);
    qrOrthonormalizeKernel(zt, n, l, qz);
    gemmKernel(false, false, m, l, n, 1, a, 0, n, qz, 0, l, 0, y, 0, l);
    qrOrthonormalizeKernel(y, m, l, q);
  }
  // B = Q^T A (l x n)
  const b = new Float64Array(l * n);
  gemmKernel(true, false, l, n, m, 1, q, 0, l, a, 0, n, 0, b, 0, n);
  const ub = new Float64Array(l * l);
  const sb = new Float64Array(l);
  const vb = new Float64Array(n * l);
  thinSvdKernel(b, l, n, ub, sb, vb);
  gemmKernel(false, false, m, k, l, 1, q, 0, l, ub, 0, l, 0, u, 0, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) v[i * k + j] = vb[i * l + j]!;
  for (let j = 0; j < k; j++) s[j] = sb[j]!;
  const av = new Float64Array(m * k);
  gemmKernel(false, false, m, k, n, 1, a, 0, n, v, 0, k, 0, av, 0, k);
  residuals.fill(0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < k; j++) {
      const r = av[i * k + j]! - s[j]! * u[i * k + j]!;
      residuals[j] += r * r;
    }
  for (let j = 0; j < k; j++) residuals[j] = Math.sqrt(residuals[j]!);
  fixColumnSigns(u, m, k, v, n);
}
