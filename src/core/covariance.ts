/**
 * Covariance of a data set stored as n samples x d features (row-major).
 * @module
 */
import { gemmKernel } from './gemm.js';
import { checkInteger, shapeError } from './validate.js';

/** Options of {@link covarianceMatrix}. */
export interface CovarianceOptions {
  /** Subtract the feature means first (default true). */
  readonly center?: boolean;
  /** Divide by n - 1 (default true) or by n. */
  readonly unbiased?: boolean;
}

/** Result of {@link covarianceMatrix}. */
export interface Covariance {
  /** d x d symmetric covariance, row-major. */
  readonly matrix: Float64Array;
  /** Feature means (length d); zeros if not centred. */
  readonly mean: Float64Array;
  readonly d: number;
}

/**
 * Sample covariance C = X_c^T X_c / (n - 1) of n samples of d features (X_c = X minus column means when
 * `center`). Cost O(n d^2).
 * @param data - n * d values, row-major (sample i is data[i*d .. i*d+d)).
 * @throws ShapeError if data.length !== n * d or n < 2 (unbiased).
 */
export function covarianceMatrix(
  data: ArrayLike<number>,
  n: number,
  d: number,
  options: CovarianceOptions = {},
): Covariance {
  checkInteger(n, 'covarianceMatrix: n', 1);
  checkInteger(d, 'covarianceMatrix: d', 1);
  if (data.length !== n * d) throw shapeError('covarianceMatrix: data', `${n * d} elements (n x d)`, `${data.length}`);
  const center = options.center ?? true;
  const unbiased = options.unbiased ?? true;
  if (unbiased && n < 2) throw shapeError('covarianceMatrix: n', 'at least 2 samples for the unbiased estimate', `${n}`);
  const mean = new Float64Array(d);
  if (center) {
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]!;
    for (let j = 0; j < d; j++) mean[j]! /= n;
  }
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred[i * d + j] = data[i * d + j]! - mean[j]!;
  const matrix = new Float64Array(d * d);
  gemmKernel(true, false, d, d, n, 1 / (unbiased ? n - 1 : n), centred, 0, d, centred, 0, d, 0, matrix, 0, d);
  return { matrix, mean, d };
}
