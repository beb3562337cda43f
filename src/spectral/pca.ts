/**
 * Principal component analysis of a data set and overlaps of subspaces (E8: do the top covariance
 * eigenvectors span the same space as a trained network's weights?). Data sets and bases are
 * {@link Matrix} values; a basis of k vectors in R^d is a d x k matrix whose columns are the vectors.
 * @module
 */
import { covarianceMatrix } from '../core/covariance.js';
import { symmetricEigen } from '../core/decompose.js';
import { gemmKernel } from '../core/gemm.js';
import { orthonormalColumns } from '../core/gramSchmidt.js';
import { checkMatrix, type Matrix } from '../core/tensor.js';
import { checkInteger, shapeError } from '../core/validate.js';

export { orthonormalColumns };

/** Result of {@link pca}. */
export interface PcaResult {
  /** All d eigenvalues of the covariance (variances along the principal axes), descending. */
  readonly eigenvalues: Float64Array;
  /** The top k principal axes as the columns of a d x k matrix (orthonormal). */
  readonly components: Matrix<Float64Array>;
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
 * PCA of a data set of n samples (rows) of d features (columns): centre, form the covariance (divides by
 * n - 1), and diagonalise it. Any numeric element type (an Int8Array spin batch is read as is). Cost
 * O(n d^2 + d^3) (covarianceMatrix + symmetricEigen of core).
 * @param data - n x d {@link Matrix}.
 * @param k - number of principal axes kept, 1 <= k <= d.
 * @throws DomainError if `data` is not a Matrix, unless 1 <= k <= d, or on non-finite data; ShapeError if
 *   n < 2.
 * @example
 * ```ts
 * import { createRng, matrix, pca } from 'coarsegrain';
 * const rng = createRng(1);
 * const data = new Float64Array(500 * 3); // 500 samples x 3 features: variances 9, 1, 0.01
 * for (let i = 0; i < 500; i++) {
 *   data[3 * i] = 3 * rng.normal();
 *   data[3 * i + 1] = rng.normal();
 *   data[3 * i + 2] = 0.1 * rng.normal();
 * }
 * const { eigenvalues, components, explainedVarianceRatio } = pca(matrix(data, 500, 3), 2);
 * // eigenvalues [8.48, 1.01] (true 9, 1), components: 3 x 2 Matrix (close to the first two axes), ratio [0.89, 0.11]
 * ```
 */
export function pca(data: Matrix<ArrayLike<number>>, k: number): PcaResult {
  const { rows: n, cols: d } = checkMatrix(data, 'pca: data', { finite: true, minCols: 1 });
  if (n < 2) throw shapeError('pca: data.rows', 'at least 2 samples', `${n}`);
  checkInteger(k, 'pca: k', 1, d);
  const cov = covarianceMatrix(data);
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
    components: { data: components, rows: d, cols: k },
    explainedVarianceRatio,
    cumulativeRatio,
    mean: cov.mean,
    d,
    k,
  };
}

/**
 * Overlap of the subspaces spanned by the columns of the {@link Matrix} values A (d x kA) and B (d x kB),
 * e.g. `pca(X, k).components` and `matrix(rbm.weights, rbm.nVisible, rbm.nHidden)`:
 * O = ||Q_A^T Q_B||_F^2 / min(kA, kB), the mean squared cosine of the min(kA, kB) principal angles
 * (Q orthonormal bases of the column spaces). 1 when the smaller subspace lies inside the larger (e.g. a
 * basis with itself or any rotation of it), 0 for orthogonal subspaces; k/d on average for random ones.
 * Cost O(d (kA^2 + kB^2 + kA kB)).
 * @throws ShapeError if the row counts differ (`b.rows` must equal `a.rows`) or a matrix has more columns
 *   than rows; DomainError if an argument is not a Matrix or has linearly dependent columns.
 * @example
 * ```ts
 * import { matrix, subspaceOverlap } from 'coarsegrain';
 * // two 2-dimensional subspaces of R^3, bases as the columns of 3 x 2 matrices
 * const a = matrix(Float64Array.of(1, 0, 0, 1, 0, 0), 3, 2); // span(e1, e2)
 * const b = matrix(Float64Array.of(1, 0, 0, 0, 0, 1), 3, 2); // span(e1, e3)
 * subspaceOverlap(a, b); // 0.5: one shared direction of two
 * ```
 */
export function subspaceOverlap(a: Matrix<ArrayLike<number>>, b: Matrix<ArrayLike<number>>): number {
  const { rows: d, cols: kA } = checkMatrix(a, 'subspaceOverlap: a', { minRows: 1, minCols: 1 });
  const { cols: kB } = checkMatrix(b, 'subspaceOverlap: b', {
    rows: d,
    rowsLabel: 'a.rows, the dimension of the space',
    minCols: 1,
  });
  const qa = orthonormalColumns(a.data, d, kA, 'subspaceOverlap: a');
  const qb = orthonormalColumns(b.data, d, kB, 'subspaceOverlap: b');
  const m = new Float64Array(kA * kB);
  gemmKernel(true, false, kA, kB, d, 1, qa, 0, kA, qb, 0, kB, 0, m, 0, kB);
  let s = 0;
  for (let i = 0; i < m.length; i++) s += m[i]! ** 2;
  return s / Math.min(kA, kB);
}
