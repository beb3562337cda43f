/**
 * Matrix decompositions: symmetric eigen-decomposition (flat row-major n x n) and thin SVD (of a
 * {@link Matrix}).
 * {@link symmetricEigen} and {@link thinSvd} run the library's own solvers (src/core/linalg: Householder
 * tridiagonalisation + QL eigenvalues + inverse iteration or divide and conquer, Householder
 * bidiagonalisation + implicit-shift QR + inverse iteration);
 * {@link symmetricEigenReference} and {@link thinSvdReference} are the adapters over ml-matrix, kept as
 * the reference for tests and benchmarks (ml-matrix stores matrices as arrays of rows, so conversion
 * costs O(size) each way).
 * @module
 */
import { EigenvalueDecomposition, Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import { StateError } from './errors.js';
import { type GemmKernelFunction, gemmKernel } from './gemm.js';
import { thinSvdKernel } from './linalg/bidiagonal.js';
import { symmetricEigenKernel } from './linalg/tridiagonal.js';
import { checkMatrix, type Matrix } from './tensor.js';
import {
  checkAllFinite,
  checkInteger,
  checkOptions,
  domainError,
  optionKeys,
  shapeError,
} from './validate.js';

/** Eigen-decomposition of a symmetric n x n matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in descending order, length n. */
  readonly values: Float64Array;
  /** Eigenvectors as columns of a row-major n x n matrix: vector j is `vectors[i * n + j]`, i = 0..n-1. */
  readonly vectors: Float64Array;
  readonly n: number;
}

/** Options of {@link symmetricEigen}. */
export interface SymmetricEigenOptions {
  /**
   * The matrix product of the reduction's rank-2k updates, the back-transformation and the
   * divide-and-conquer merges (2/3 n^3 + 2 n^3 of its 4/3 n^3 + 2 n^3 flops), default `gemmKernel`. A
   * threaded one (`createThreadedGemm({ threads: 2 }).gemm` from `coarsegrain/parallel`) splits them over
   * cores with a bit-identical result (its products are exact splits of the same sums), and its worker
   * also finds the eigenvalues of the largest tridiagonal block and one half of the divide and conquer
   * while this thread does other work (the same operations, so the same bits).
   */
  readonly gemm?: GemmKernelFunction;
}

const SYMMETRIC_EIGEN_OPTIONS_KEYS = optionKeys<SymmetricEigenOptions>({ gemm: true });

/** Thin singular value decomposition A = U diag(s) V^T of an m x n matrix, r = min(m, n). */
export interface ThinSvd {
  /** U, an m x r {@link Matrix} with orthonormal columns (column j = left singular vector j). */
  readonly u: Matrix<Float64Array>;
  /** r singular values, descending, >= 0. */
  readonly s: Float64Array;
  /** V, an n x r {@link Matrix} with orthonormal columns (column j = right singular vector j). */
  readonly v: Matrix<Float64Array>;
  /** Rows of A (= u.rows). */
  readonly m: number;
  /** Columns of A (= v.rows). */
  readonly n: number;
  /** r = min(m, n) (= s.length = u.cols = v.cols). */
  readonly rank: number;
}

function toMatrix(a: ArrayLike<number>, rows: number, cols: number, transpose = false): MlMatrix {
  const out = transpose ? new MlMatrix(cols, rows) : new MlMatrix(rows, cols);
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
 * Eigenvalues (descending) and orthonormal eigenvectors of a symmetric n x n matrix (only the lower
 * triangle is read; the upper is taken as its mirror). Each eigenvector's largest-magnitude entry is made
 * positive. Blocked Householder tridiagonalisation (LAPACK dsytrd-style: half the flops in GEMM, the other
 * half in a WebAssembly SIMD symmetric matrix-vector product when the GEMM backend is WebAssembly), eigenvalues
 * by implicit QL on each unreduced block, eigenvectors by inverse iteration with re-orthogonalisation in
 * clusters (dstein-style) or, on a block whose clusters are too large (the many tiny eigenvalues of a
 * covariance matrix) or that fails its residual test, by Cuppen's divide and conquer (Gu-Eisenstat
 * eigenvectors, merges through GEMM; QL with vectors as the last fallback), and a blocked WY
 * back-transformation through GEMM (Golub & Van Loan, Matrix Computations, 4th ed., 8.3, 8.4 and 8.2.2).
 * Cost 4/3 n^3 + 2 n^3 flops + O(n^2) per vector (784 x 784: `npm run bench -- decompose-eigen` times it
 * beside numpy `eigh`); residuals ||A v - lambda v|| and ||V^T V - I|| are O(n eps ||A||) (tested against
 * n eps ||A||_F on random, graded, clustered and degenerate spectra). Same input, bit-identical output,
 * with or without `options.gemm`.
 * @param a - n x n row-major (not modified).
 * @param options - `gemm`: the product of the reduction's updates, the back-transformation and the
 * divide-and-conquer merges (default `gemmKernel`; `createThreadedGemm({ threads: 2 }).gemm` uses 2
 * cores, same result).
 * @returns values (n, descending) and vectors (n x n row-major, column j = eigenvector j).
 * @throws ShapeError if `a.length !== n * n`; DomainError on non-finite entries or bad options; StateError
 * if the QL iteration does not converge (not observed for finite input).
 * @example
 * ```ts
 * import { symmetricEigen } from 'coarsegrain';
 * const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
 * // values: Float64Array [3, 1]; vectors (2 x 2, column j = eigenvector j): [0.707, 0.707, 0.707, -0.707]
 * ```
 */
export function symmetricEigen(
  a: ArrayLike<number>,
  n: number,
  options: SymmetricEigenOptions = {},
): SymmetricEigen {
  checkInteger(n, 'symmetricEigen: n', 1);
  if (!a || a.length !== n * n)
    throw shapeError('symmetricEigen: a', `${n * n} elements (n x n)`, `${a?.length}`);
  checkAllFinite(a, 'symmetricEigen: a');
  options = checkOptions(options, 'symmetricEigen: options', SYMMETRIC_EIGEN_OPTIONS_KEYS);
  const gemm = options.gemm ?? gemmKernel;
  if (typeof gemm !== 'function')
    throw domainError('symmetricEigen: options.gemm', 'a function with the contract of gemmKernel', gemm);
  // the kernel reads the lower triangle only (and mirrors it itself): a plain copy is its workspace
  const work = new Float64Array(a);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  if (!symmetricEigenKernel(work, n, values, vectors, gemm))
    throw new StateError('symmetricEigen: the QL iteration did not converge in 60 sweeps per eigenvalue');
  return { values, vectors, n };
}

/**
 * Reference symmetric eigen-decomposition through ml-matrix's EigenvalueDecomposition (tred2/tql2), same
 * contract as {@link symmetricEigen}; slower, kept for tests and benchmarks. Cost O(n^3).
 * @throws ShapeError if `a.length !== n * n`; DomainError on non-finite entries.
 */
export function symmetricEigenReference(a: ArrayLike<number>, n: number): SymmetricEigen {
  checkInteger(n, 'symmetricEigenReference: n', 1);
  if (a.length !== n * n)
    throw shapeError('symmetricEigenReference: a', `${n * n} elements (n x n)`, `${a.length}`);
  checkAllFinite(a, 'symmetricEigenReference: a');
  const sym = new MlMatrix(n, n);
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
 * Thin SVD A = U diag(s) V^T of an m x n row-major matrix, r = min(m, n): blocked Householder
 * bidiagonalisation (LAPACK dgebrd; after a QR factorisation when m >= 5 n), singular values by
 * implicit-shift QR on the bidiagonal, and singular vectors of the bidiagonal by inverse iteration on its
 * Golub-Kahan tridiagonal, checked for orthonormality, with implicit-shift QR on the vectors as the
 * fallback for rank-deficient, ill-conditioned (smallest singular value below 1e-4 of the largest) or
 * failing cases (Golub & Kahan; Golub & Van Loan, Matrix Computations, 4th ed., 8.6). Wide matrices go
 * through A^T. Each left singular vector's largest-magnitude entry is made
 * positive (V's columns follow). Cost O(m n r); ||A - U S V^T|| and ||U^T U - I||, ||V^T V - I|| are
 * O(max(m, n) eps) relative. The shape is read from `a`, so the sizes cannot be swapped; the positional
 * unchecked form is `thinSvdKernel` in `coarsegrain/kernels`.
 * @param a - A, an m x n {@link Matrix} (rows x cols, any numeric entries; not modified).
 * @returns u (m x r Matrix), s (r, descending, >= 0), v (n x r Matrix), with m, n and rank = r.
 * @throws DomainError if `a` is not a Matrix, has no row or column, or has non-finite entries; ShapeError
 *   if `a.data.length !== a.rows * a.cols`.
 * @example
 * ```ts
 * import { matrix, thinSvd } from 'coarsegrain';
 * const { u, s, v } = thinSvd(matrix(Float64Array.of(3, 0, 0, 0, 4, 0), 2, 3)); // a 2 x 3 matrix
 * // s: Float64Array [4, 3] (descending); u: a 2 x 2 Matrix, v: a 3 x 2 Matrix, a = u diag(s) v^T
 * const vFirst = [0, 1, 2].map((i) => v.data[i * v.cols]); // column 0 of v: [0, 1, 0]
 * // thinSvd(Float64Array.of(3, 0, 0, 0, 4, 0), 2, 3) (the flat form) is refused: use matrix(data, rows, cols)
 * ```
 */
export function thinSvd(a: Matrix<ArrayLike<number>>): ThinSvd {
  const { data, rows: m, cols: n } = checkMatrix(a, 'thinSvd: a', { minRows: 1, minCols: 1, finite: true });
  const r = Math.min(m, n);
  const u = new Float64Array(m * r);
  const s = new Float64Array(r);
  const v = new Float64Array(n * r);
  thinSvdKernel(data, m, n, u, s, v);
  return { u: { data: u, rows: m, cols: r }, s, v: { data: v, rows: n, cols: r }, m, n, rank: r };
}

/**
 * Reference thin SVD through ml-matrix's SingularValueDecomposition, same contract as {@link thinSvd};
 * slower, kept for tests and benchmarks. Cost O(m n min(m, n)).
 * @throws as {@link thinSvd}.
 */
export function thinSvdReference(A: Matrix<ArrayLike<number>>): ThinSvd {
  const {
    data: a,
    rows: m,
    cols: n,
  } = checkMatrix(A, 'thinSvdReference: a', {
    minRows: 1,
    minCols: 1,
    finite: true,
  });
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
  return { u: { data: u, rows: m, cols: r }, s, v: { data: v, rows: n, cols: r }, m, n, rank: r };
}
