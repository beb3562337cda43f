/**
 * Dense matrix product C = alpha * op(A) * op(B) + beta * C on flat row-major arrays, the kernel that
 * RBM and autoencoder training spend their time in. `op(X)` is X or its transpose, handled by index
 * arithmetic without copies. Two tiers: {@link gemmKernel} (unchecked, allocation-free) and {@link gemm}
 * (validated).
 * @module
 */
import type { FloatArray } from './tensor.js';
import { checkFinite, checkInteger, shapeError } from './validate.js';

/**
 * Unchecked GEMM: C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C. Row-major with leading
 * dimensions `lda`, `ldb`, `ldc` (row strides) and element offsets. With `beta = 0`, C is overwritten (NaN in
 * C is not propagated). `C` must not alias `A` or `B`. Cost O(m n k).
 * @param transA - if true, op(A) = A^T where A is stored k x m.
 * @param transB - if true, op(B) = B^T where B is stored n x k.
 */
export function gemmKernel(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  offA: number,
  lda: number,
  b: FloatArray,
  offB: number,
  ldb: number,
  beta: number,
  c: FloatArray,
  offC: number,
  ldc: number,
): void {
  // scale C by beta
  for (let i = 0; i < m; i++) {
    const row = offC + i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[row + j]! *= beta;
  }
  if (alpha === 0 || k === 0) return;
  if (!transB) {
    // C[i, :] += alpha * A(i, p) * B[p, :]  (inner loop contiguous over B rows and C rows)
    for (let i = 0; i < m; i++) {
      const rowC = offC + i * ldc;
      for (let p = 0; p < k; p++) {
        const aip = alpha * (transA ? a[offA + p * lda + i]! : a[offA + i * lda + p]!);
        if (aip === 0) continue;
        const rowB = offB + p * ldb;
        for (let j = 0; j < n; j++) c[rowC + j]! += aip * b[rowB + j]!;
      }
    }
  } else {
    // C[i, j] += alpha * dot(A(i, :), B[j, :])
    for (let i = 0; i < m; i++) {
      const rowC = offC + i * ldc;
      for (let j = 0; j < n; j++) {
        const rowB = offB + j * ldb;
        let s = 0;
        if (transA) for (let p = 0; p < k; p++) s += a[offA + p * lda + i]! * b[rowB + p]!;
        else {
          const rowA = offA + i * lda;
          for (let p = 0; p < k; p++) s += a[rowA + p]! * b[rowB + p]!;
        }
        c[rowC + j]! += alpha * s;
      }
    }
  }
}

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** Use A^T (A stored k x m). Default false. */
  readonly transA?: boolean;
  /** Use B^T (B stored n x k). Default false. */
  readonly transB?: boolean;
  /** Scale of the product. Default 1. */
  readonly alpha?: number;
  /** Scale of the existing C (0 overwrites). Default 0. */
  readonly beta?: number;
}

/**
 * Checked matrix product `out = alpha * op(A) * op(B) + beta * out` for contiguous row-major matrices.
 * `out` (m x n) is allocated (same type as `a`) when omitted; it must not alias `a` or `b`.
 * Cost O(m n k).
 * @param a - op(A) is m x k: A is stored m x k, or k x m when `transA`.
 * @param b - op(B) is k x n: B is stored k x n, or n x k when `transB`.
 * @throws ShapeError if the array lengths do not match the sizes; DomainError for bad sizes or scales.
 * @example
 * gemm(null, Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 0, 0, 1), 2, 2, 2); // Float64Array [1, 2, 3, 4]
 */
export function gemm<T extends FloatArray>(
  out: T | null,
  a: T,
  b: FloatArray,
  m: number,
  n: number,
  k: number,
  options: GemmOptions = {},
): T {
  checkInteger(m, 'gemm: m', 0);
  checkInteger(n, 'gemm: n', 0);
  checkInteger(k, 'gemm: k', 0);
  const alpha = checkFinite(options.alpha ?? 1, 'gemm: alpha');
  const beta = checkFinite(options.beta ?? 0, 'gemm: beta');
  if (!a || a.length !== m * k) throw shapeError('gemm: a', `${m * k} elements (m*k)`, `${a?.length}`);
  if (!b || b.length !== k * n) throw shapeError('gemm: b', `${k * n} elements (k*n)`, `${b?.length}`);
  const c = out ?? (new (a.constructor as new (len: number) => T)(m * n) as T);
  if (c.length !== m * n) throw shapeError('gemm: out', `${m * n} elements (m*n)`, `${c.length}`);
  if (c.buffer === a.buffer || c.buffer === b.buffer) {
    throw shapeError('gemm: out', 'an array that does not share memory with a or b', 'an aliased array');
  }
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  gemmKernel(transA, transB, m, n, k, alpha, a, 0, transA ? m : k, b, 0, transB ? k : n, beta, c, 0, n);
  return c;
}
