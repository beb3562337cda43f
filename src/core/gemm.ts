/**
 * Dense matrix product C = alpha * op(A) * op(B) + beta * C on flat row-major arrays, the kernel that
 * RBM and autoencoder training spend their time in. `op(X)` is X or its transpose. Two tiers:
 * {@link gemmKernel} (unchecked, allocation-free) and {@link gemm} (validated). Two backends behind
 * {@link gemmKernel}: a WebAssembly SIMD kernel (packed panels, 4 x 8 float32 / 4 x 4 float64 register
 * tiles; at 1000 x 784 x 500 about 36-40 GFLOP/s float32 and 20-22 GFLOP/s float64 on one core of the
 * reference machine, copies included, against 1.4 GFLOP/s for ml-matrix's `mmul`) and the
 * blocked TypeScript kernel {@link gemmReferenceKernel}, used for tiny products, when WebAssembly SIMD is
 * unavailable, and as the reference in tests.
 * @module
 */
import type { FloatArray } from './tensor.js';
import { checkFinite, checkInteger, checkOneOf, checkOptions, optionKeys, shapeError } from './validate.js';
import { gemmWasmAvailable, gemmWasmTry, scaleRows } from './wasm/gemmWasm.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const GEMM_OPTIONS_KEYS = optionKeys<GemmOptions>({ transA: true, transB: true, alpha: true, beta: true });

export { gemmWasmAvailable, gemmWasmKernel } from './wasm/gemmWasm.js';

/**
 * Products with fewer than this many multiply-adds (m n k), or with fewer than `GEMM_WASM_MIN_ROWS`
 * rows, stay in TypeScript, where copying into the WebAssembly memory costs more than it saves (measured
 * on the reference machine: the WebAssembly kernel wins from about 8 x 8 x 8 on; for 1 or 2 rows packing
 * all of op(B) dominates).
 */
export const GEMM_WASM_MIN_WORK = 512;

/** See `GEMM_WASM_MIN_WORK`. */
export const GEMM_WASM_MIN_ROWS = 4;

/** The backends of {@link gemmKernel}. */
export type GemmBackend = 'wasm-simd' | 'typescript';

let preferred: 'auto' | 'typescript' = 'auto';

/**
 * Choose the backend of {@link gemmKernel}: `'auto'` (default: WebAssembly SIMD when available and the
 * product is not tiny) or `'typescript'` (always the reference kernel, e.g. to compare). Process-wide.
 * The backends agree to rounding (float32 relative error below 1e-5, float64 below 1e-12), not bit for bit.
 * @throws DomainError for another value.
 * @example
 * ```ts
 * import { setGemmBackend } from 'coarsegrain/kernels';
 * setGemmBackend('typescript'); // the reference kernel, e.g. to compare against WebAssembly SIMD
 * setGemmBackend('auto'); // back to the default
 * ```
 */
export function setGemmBackend(choice: 'auto' | 'typescript'): void {
  preferred = checkOneOf(choice, 'setGemmBackend: choice', ['auto', 'typescript'] as const);
}

/** The backend {@link gemmKernel} uses for products that are not tiny. */
export function gemmBackend(): GemmBackend {
  return preferred === 'auto' && gemmWasmAvailable() ? 'wasm-simd' : 'typescript';
}

/**
 * Unchecked GEMM: C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C. Row-major with leading
 * dimensions `lda`, `ldb`, `ldc` (row strides) and element offsets. With `beta = 0`, C is overwritten (NaN in
 * C is not propagated). `C` must not alias `A` or `B`. Runs on WebAssembly SIMD when available,
 * m >= `GEMM_WASM_MIN_ROWS` and m n k >= `GEMM_WASM_MIN_WORK` (float32 arithmetic when a, b
 * and c are all Float32Array, else float64), else on {@link gemmReferenceKernel}. Cost O(m n k) flops plus O(mk + kn + mn) copies.
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
  if (
    preferred === 'auto' &&
    k > 0 &&
    alpha !== 0 &&
    m >= GEMM_WASM_MIN_ROWS &&
    m * n * k >= GEMM_WASM_MIN_WORK &&
    gemmWasmTry(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc)
  ) {
    return;
  }
  gemmReferenceKernel(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
}

/**
 * A function with the contract of {@link gemmKernel}, e.g. a version that splits the product over threads
 * (`createThreadedGemm` in `coarsegrain/parallel`). Models take one as an option to use more cores.
 */
export type GemmKernelFunction = typeof gemmKernel;

/** Depth block of the TypeScript kernel. */
const TS_KB = 256;

/**
 * The TypeScript GEMM, same contract as {@link gemmKernel}: the fallback backend and the reference in
 * tests. Arithmetic in float64; C is updated once per depth element (transB false, so a float32 C
 * rounds at each step) or once per dot product (transB true). Blocked: four rows of C at a time take a
 * depth block of rows of op(B) (or, for transposed B, four dot products share each row of A).
 * About 1.5-3 GFLOP/s. Cost O(m n k).
 */
export function gemmReferenceKernel(
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
  if (m <= 0 || n <= 0) return;
  scaleRows(m, n, beta, c, offC, ldc);
  if (alpha === 0 || k <= 0) return;
  // A(i, p) = a[offA + i * sAi + p * sAp]
  const sAi = transA ? 1 : lda;
  const sAp = transA ? lda : 1;
  if (!transB) {
    // C[i + r, :] += alpha * A(i + r, p) * B[p, :] for r < 4 and p in a depth block
    for (let p0 = 0; p0 < k; p0 += TS_KB) {
      const p1 = Math.min(k, p0 + TS_KB);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const c0 = offC + i * ldc;
        const c1 = c0 + ldc;
        const c2 = c1 + ldc;
        const c3 = c2 + ldc;
        const a0 = offA + i * sAi;
        for (let p = p0; p < p1; p++) {
          const ap = a0 + p * sAp;
          const x0 = alpha * a[ap]!;
          const x1 = alpha * a[ap + sAi]!;
          const x2 = alpha * a[ap + 2 * sAi]!;
          const x3 = alpha * a[ap + 3 * sAi]!;
          const rowB = offB + p * ldb;
          for (let j = 0; j < n; j++) {
            const bj = b[rowB + j]!;
            c[c0 + j]! += x0 * bj;
            c[c1 + j]! += x1 * bj;
            c[c2 + j]! += x2 * bj;
            c[c3 + j]! += x3 * bj;
          }
        }
      }
      for (; i < m; i++) {
        const rowC = offC + i * ldc;
        for (let p = p0; p < p1; p++) {
          const x = alpha * a[offA + i * sAi + p * sAp]!;
          const rowB = offB + p * ldb;
          for (let j = 0; j < n; j++) c[rowC + j]! += x * b[rowB + j]!;
        }
      }
    }
  } else {
    // C[i, j + q] += alpha * dot(A(i, :), B[j + q, :]) for q < 4
    for (let i = 0; i < m; i++) {
      const rowC = offC + i * ldc;
      const a0 = offA + i * sAi;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const b0 = offB + j * ldb;
        const b1 = b0 + ldb;
        const b2 = b1 + ldb;
        const b3 = b2 + ldb;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let p = 0; p < k; p++) {
          const x = a[a0 + p * sAp]!;
          s0 += x * b[b0 + p]!;
          s1 += x * b[b1 + p]!;
          s2 += x * b[b2 + p]!;
          s3 += x * b[b3 + p]!;
        }
        c[rowC + j]! += alpha * s0;
        c[rowC + j + 1]! += alpha * s1;
        c[rowC + j + 2]! += alpha * s2;
        c[rowC + j + 3]! += alpha * s3;
      }
      for (; j < n; j++) {
        const rowB = offB + j * ldb;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[a0 + p * sAp]! * b[rowB + p]!;
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
 * Cost O(m n k). A pure arithmetic operation: the values are not checked, and NaN or Infinity in `a`,
 * `b` or `out` propagate to the result as IEEE arithmetic says (the sizes, shapes and scales are checked).
 * @param a - op(A) is m x k: A is stored m x k, or k x m when `transA`.
 * @param b - op(B) is k x n: B is stored k x n, or n x k when `transB`.
 * @throws ShapeError if the array lengths do not match the sizes; DomainError for bad sizes or scales.
 * @example
 * ```ts
 * import { gemm } from 'coarsegrain';
 * // out (2 x 2) = A (2 x 2) * B (2 x 2); null allocates out
 * const c = gemm(null, Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 0, 0, 1), 2, 2, 2); // Float64Array [1, 2, 3, 4]
 * // out = A^T A through the transA flag
 * const gram = gemm(null, Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4), 2, 2, 2, { transA: true }); // [10, 14, 14, 20]
 * ```
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
  options = checkOptions(options, 'gemm: options', GEMM_OPTIONS_KEYS);
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
