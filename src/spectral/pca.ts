/**
 * Principal component analysis of a data set and overlaps of subspaces (E8: do the top covariance
 * eigenvectors span the same space as a trained network's weights?). Matrices are flat row-major
 * Float64Arrays; a basis of k vectors in R^d is a d x k matrix whose columns are the vectors.
 * @module
 */
import { covarianceMatrix } from '../core/covariance.js';
import { symmetricEigen } from '../core/decompose.js';
import { gemmKernel } from '../core/gemm.js';
import { checkAllFinite, checkInteger, domainError, shapeError } from '../core/validate.js';

/** Result of {@link pca}. */
export interface PcaResult {
  /** All d eigenvalues of the covariance (variances along the principal axes), descending. */
  readonly eigenvalues: Float64Array;
  /** The top k principal axes as the columns of a d x k row-major matrix (orthonormal). */
  readonly components: Float64Array;
  /** Fraction of the total variance along each of the top k axes. */
  readonly explainedVarianceRatio: Float64Array;
  /** Cumulative fraction of the variance captured by the first 1..k axes. */
  readonly cumulativeRatio: Float64Array;
  /** Feature means subtracted before the analysis (length d). */
  readonly mean: Float64Array;
  readonly d: number;
  readonly k: number;
}

/**
 * PCA of n samples of d features (row-major n x d): centre, form the covariance (divides by n - 1), and
 * diagonalise it. Cost O(n d^2 + d^3) (covarianceMatrix + symmetricEigen of core).
 * @throws ShapeError if data.length !== n * d or n < 2; DomainError unless 1 <= k <= d or on non-finite data.
 * @example
 * ```ts
 * import { createRng, pca } from 'coarsegrain';
 * const rng = createRng(1);
 * const data = new Float64Array(500 * 3); // 500 samples x 3 features: variances 9, 1, 0.01
 * for (let i = 0; i < 500; i++) {
 *   data[3 * i] = 3 * rng.normal();
 *   data[3 * i + 1] = rng.normal();
 *   data[3 * i + 2] = 0.1 * rng.normal();
 * }
 * const { eigenvalues, components, explainedVarianceRatio } = pca(data, 500, 3, 2);
 * // eigenvalues [8.48, 1.01] (true 9, 1), components: 3 x 2 (close to the first two axes), ratio [0.89, 0.11]
 * ```
 */
export function pca(data: ArrayLike<number>, n: number, d: number, k: number): PcaResult {
  checkInteger(n, 'pca: n', 2);
  checkInteger(d, 'pca: d', 1);
  checkInteger(k, 'pca: k', 1, d);
  if (!data || data.length !== n * d)
    throw shapeError('pca: data', `${n * d} values (n x d)`, `length ${data?.length}`);
  checkAllFinite(data, 'pca: data');
  const cov = covarianceMatrix(data, n, d);
  const eig = symmetricEigen(cov.matrix, d);
  const components = new Float64Array(d * k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) components[i * k + j] = eig.vectors[i * d + j]!;
  let total = 0;
  for (let i = 0; i < d; i++) total += Math.max(0, eig.values[i]!);
  const explainedVarianceRatio = new Float64Array(k);
  const cumulativeRatio = new Float64Array(k);
  let cum = 0;
  for (let j = 0; j < k; j++) {
    explainedVarianceRatio[j] = total > 0 ? Math.max(0, eig.values[j]!) / total : 0;
    cum += explainedVarianceRatio[j]!;
    cumulativeRatio[j] = cum;
  }
  return {
    eigenvalues: eig.values,
    components,
    explainedVarianceRatio,
    cumulativeRatio,
    mean: cov.mean,
    d,
    k,
  };
}

/**
 * Orthonormal basis of the column space of a d x k matrix by modified Gram-Schmidt applied twice
 * (numerically orthogonal to rounding). Returns a new d x k matrix. O(d k^2).
 * @throws ShapeError on a bad length or k > d; DomainError if the columns are linearly dependent
 *   (a column's norm drops below 1e-10 of its original norm).
 */
export function orthonormalColumns(
  a: ArrayLike<number>,
  d: number,
  k: number,
  name = 'orthonormalColumns: a',
): Float64Array {
  checkInteger(d, 'orthonormalColumns: d', 1);
  checkInteger(k, 'orthonormalColumns: k', 1);
  if (k > d) throw shapeError(name, `at most d = ${d} columns`, `${k} columns`);
  if (!a || a.length !== d * k) throw shapeError(name, `${d * k} values (d x k)`, `length ${a?.length}`);
  checkAllFinite(a, name);
  const q = Float64Array.from(a);
  for (let j = 0; j < k; j++) {
    let norm0 = 0;
    for (let i = 0; i < d; i++) norm0 += q[i * k + j]! ** 2;
    norm0 = Math.sqrt(norm0);
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += q[i * k + p]! * q[i * k + j]!;
        for (let i = 0; i < d; i++) q[i * k + j]! -= dot * q[i * k + p]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += q[i * k + j]! ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 1e-10 * norm0) || norm0 === 0) {
      throw domainError(`${name} column ${j}`, 'linearly independent columns', 'a dependent column');
    }
    for (let i = 0; i < d; i++) q[i * k + j]! /= norm;
  }
  return q;
}

/**
 * Overlap of the subspaces spanned by the columns of A (d x kA) and B (d x kB):
 * O = ||Q_A^T Q_B||_F^2 / min(kA, kB), the mean squared cosine of the min(kA, kB) principal angles
 * (Q orthonormal bases of the column spaces). 1 when the smaller subspace lies inside the larger (e.g. a
 * basis with itself or any rotation of it), 0 for orthogonal subspaces; k/d on average for random ones.
 * Cost O(d (kA^2 + kB^2 + kA kB)).
 * @throws ShapeError / DomainError on bad sizes or linearly dependent columns (argument named).
 * @example
 * ```ts
 * import { subspaceOverlap } from 'coarsegrain';
 * // two 2-dimensional subspaces of R^3, bases as columns of 3 x 2 row-major matrices
 * const a = Float64Array.of(1, 0, 0, 1, 0, 0); // span(e1, e2)
 * const b = Float64Array.of(1, 0, 0, 0, 0, 1); // span(e1, e3)
 * subspaceOverlap(a, b, 3, 2, 2); // 0.5: one shared direction of two
 * ```
 */
export function subspaceOverlap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  d: number,
  kA: number,
  kB: number,
): number {
  checkInteger(d, 'subspaceOverlap: d', 1);
  checkInteger(kA, 'subspaceOverlap: kA', 1, d);
  checkInteger(kB, 'subspaceOverlap: kB', 1, d);
  const qa = orthonormalColumns(a, d, kA, 'subspaceOverlap: a');
  const qb = orthonormalColumns(b, d, kB, 'subspaceOverlap: b');
  const m = new Float64Array(kA * kB);
  gemmKernel(true, false, kA, kB, d, 1, qa, 0, kA, qb, 0, kB, 0, m, 0, kB);
  let s = 0;
  for (let i = 0; i < m.length; i++) s += m[i]! ** 2;
  return s / Math.min(kA, kB);
}
