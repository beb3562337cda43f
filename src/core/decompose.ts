/**
 * Matrix decompositions on flat row-major Float64Arrays: symmetric eigen-decomposition and thin SVD.
 * This is the adapter over ml-matrix (the reference implementation); faster solvers plug in behind the
 * same signatures. ml-matrix stores matrices as arrays of rows, so conversion costs O(size) each way.
 * @module
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { checkAllFinite, checkInteger, shapeError } from './validate.js';

/** Eigen-decomposition of a symmetric n x n matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in descending order, length n. */
  readonly values: Float64Array;
  /** Eigenvectors as columns of a row-major n x n matrix: vector j is `vectors[i * n + j]`, i = 0..n-1. */
  readonly vectors: Float64Array;
  readonly n: number;
}

/** Thin singular value decomposition A = U diag(s) V^T of an m x n matrix, r = min(m, n). */
export interface ThinSvd {
  /** m x r, row-major, orthonormal columns. */
  readonly u: Float64Array;
  /** r singular values, descending, >= 0. */
  readonly s: Float64Array;
  /** n x r, row-major, orthonormal columns. */
  readonly v: Float64Array;
  readonly m: number;
  readonly n: number;
  readonly rank: number;
}

function toMatrix(a: ArrayLike<number>, rows: number, cols: number, transpose = false): Matrix {
  const out = transpose ? new Matrix(cols, rows) : new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (transpose) out.set(j, i, a[i * cols + j]!);
      else out.set(i, j, a[i * cols + j]!);
    }
  }
  return out;
}

/** Make each column's largest-magnitude entry positive, so results are deterministic. */
function fixSigns(
  columns: Float64Array,
  rows: number,
  cols: number,
  partner?: Float64Array,
  partnerRows = 0,
): void {
  for (let j = 0; j < cols; j++) {
    let best = 0;
    for (let i = 0; i < rows; i++)
      if (Math.abs(columns[i * cols + j]!) > Math.abs(best)) best = columns[i * cols + j]!;
    if (best < 0) {
      for (let i = 0; i < rows; i++) columns[i * cols + j] = -columns[i * cols + j]!;
      if (partner) for (let i = 0; i < partnerRows; i++) partner[i * cols + j] = -partner[i * cols + j]!;
    }
  }
}

/**
 * Eigenvalues (descending) and orthonormal eigenvectors of a symmetric n x n matrix (only symmetry of the
 * input is assumed; the upper triangle is mirrored from the lower). Each eigenvector's largest entry is
 * made positive. Cost O(n^3).
 * @throws ShapeError if `a.length !== n * n`; DomainError on non-finite entries.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  checkInteger(n, 'symmetricEigen: n', 1);
  if (a.length !== n * n) throw shapeError('symmetricEigen: a', `${n * n} elements (n x n)`, `${a.length}`);
  checkAllFinite(a, 'symmetricEigen: a');
  const sym = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a[i * n + j]!;
      sym.set(i, j, v);
      sym.set(j, i, v);
    }
  }
  const evd = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const order = raw.map((_, i) => i).sort((x, y) => raw[y]! - raw[x]!);
  const vectorMatrix = evd.eigenvectorMatrix;
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, j) => {
    values[j] = raw[src]!;
    for (let i = 0; i < n; i++) vectors[i * n + j] = vectorMatrix.get(i, src);
  });
  fixSigns(vectors, n, n);
  return { values, vectors, n };
}

/**
 * Thin SVD of an m x n row-major matrix. Wide matrices are transposed internally (ml-matrix warns on
 * them). Each left singular vector's largest entry is made positive (V's columns follow). Cost
 * O(m n min(m, n)).
 * @throws ShapeError if `a.length !== m * n`; DomainError on non-finite entries.
 */
export function thinSvd(a: ArrayLike<number>, m: number, n: number): ThinSvd {
  checkInteger(m, 'thinSvd: m', 1);
  checkInteger(n, 'thinSvd: n', 1);
  if (a.length !== m * n) throw shapeError('thinSvd: a', `${m * n} elements (m x n)`, `${a.length}`);
  checkAllFinite(a, 'thinSvd: a');
  const wide = m < n;
  const matrix = toMatrix(a, m, n, wide);
  const svd = new SingularValueDecomposition(matrix, {
    computeLeftSingularVectors: true,
    computeRightSingularVectors: true,
    autoTranspose: false,
  });
  const r = Math.min(m, n);
  const left = svd.leftSingularVectors; // rows(matrix) x r
  const right = svd.rightSingularVectors; // cols(matrix) x r
  const sv = svd.diagonal;
  const u = new Float64Array(m * r);
  const v = new Float64Array(n * r);
  const s = new Float64Array(r);
  for (let j = 0; j < r; j++) {
    s[j] = sv[j]!;
    for (let i = 0; i < m; i++) u[i * r + j] = wide ? right.get(i, j) : left.get(i, j);
    for (let i = 0; i < n; i++) v[i * r + j] = wide ? left.get(i, j) : right.get(i, j);
  }
  fixSigns(u, m, r, v, n);
  return { u, s, v, m, n, rank: r };
}
