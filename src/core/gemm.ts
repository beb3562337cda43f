/**
 * Dense matrix product C = alpha * op(A) * op(B) + beta * C on flat row-major arrays, the kernel that
 * RBM and autoencoder training spend their time in. `op(X)` is X or its transpose. Two tiers:
 * {@link gemmKernel} (unchecked, allocation-free, positional sizes) and {@link gemm} (validated, on
 * {@link Matrix} operands that carry their shapes). Two backends behind
 * {@link gemmKernel}: a WebAssembly SIMD kernel (packed panels, 4 x 8 float32 / 2 x 8 float64 register
 * tiles; at 1000 x 784 x 500 about 34 GFLOP/s float32 and 17-18 GFLOP/s float64 on one core of the
 * reference machine, copies included (`npm run bench`, 2026-12-05), against 1.4 GFLOP/s for ml-matrix's `mmul`) and the
 * blocked TypeScript kernel {@link gemmReferenceKernel}, used for tiny products, when WebAssembly SIMD is
 * unavailable, and as the reference in tests.
 * @module
 */
import { checkMatrix, type FloatArray, type Matrix, type MatrixExpectation } from './tensor.js';
import {
  checkFinite,
  checkLimit,
  checkOneOf,
  checkOptions,
  domainError,
  optionKeys,
  shapeError,
} from './validate.js';
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
  /** Use A^T: op(A) = A^T, so `a` is stored k x m. Default false. */
  readonly transA?: boolean;
  /** Use B^T: op(B) = B^T, so `b` is stored n x k. Default false. */
  readonly transB?: boolean;
  /** Scale of the product. Default 1. */
  readonly alpha?: number;
  /** Scale of the existing C (0 overwrites). Default 0. */
  readonly beta?: number;
}

/** A {@link Matrix} argument of a product whose entries are a Float64Array or Float32Array. */
function checkFloatMatrix<T extends FloatArray>(
  x: unknown,
  name: string,
  expect?: MatrixExpectation,
): Matrix<T> {
  const checked = checkMatrix<T>(x, name, expect);
  if (!(checked.data instanceof Float64Array || checked.data instanceof Float32Array))
    throw domainError(
      `${name}.data`,
      'a Float64Array or Float32Array (gemm is float arithmetic: convert other entries, e.g. Float64Array.from(spins))',
      checked.data,
    );
  return checked;
}

/** The checked operands, sizes and scales of a {@link gemm}-style product (see {@link checkGemmOperands}). */
export interface GemmOperands<T extends FloatArray> {
  readonly a: Matrix<T>;
  readonly b: Matrix<FloatArray>;
  /** `out` as given, or a new m x n matrix of the element type of `a`. */
  readonly c: Matrix<T>;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly alpha: number;
  readonly beta: number;
}

/**
 * Validate the arguments of a {@link Matrix} product `out = alpha op(a) op(b) + beta out` for `fn`
 * ({@link gemm}, and `gemmParallel` in `coarsegrain/parallel`): the operands first (so the flat
 * positional call is refused by name), then the already-checked options' scales and transposes, the
 * inner sizes, and `out` (allocated when null, else of shape m x n and not sharing memory with a or b).
 * Row strides of the kernel call are `a.cols`, `b.cols` and n. O(1), plus the allocation of `out`.
 * @internal
 */
export function checkGemmOperands<T extends FloatArray>(
  fn: string,
  out: unknown,
  a: unknown,
  b: unknown,
  options: GemmOptions,
): GemmOperands<T> {
  const A = checkFloatMatrix<T>(a, `${fn}: a`);
  const B = checkFloatMatrix(b, `${fn}: b`);
  const alpha = checkFinite(options.alpha ?? 1, `${fn}: alpha`);
  const beta = checkFinite(options.beta ?? 0, `${fn}: beta`);
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  if (typeof transA !== 'boolean') throw domainError(`${fn}: transA`, 'a boolean', transA);
  if (typeof transB !== 'boolean') throw domainError(`${fn}: transB`, 'a boolean', transB);
  const m = transA ? A.cols : A.rows;
  const k = transA ? A.rows : A.cols;
  const kB = transB ? B.cols : B.rows;
  const n = transB ? B.rows : B.cols;
  if (kB !== k)
    throw shapeError(
      `${fn}: b.${transB ? 'cols' : 'rows'}`,
      `${k} (the inner size, a.${transA ? 'rows' : 'cols'})`,
      `${kB}`,
    );
  let c: Matrix<T>;
  if (out === null || out === undefined) {
    checkLimit(m * n, `${fn}: out (m x n)`);
    c = { data: new (A.data.constructor as new (len: number) => T)(m * n), rows: m, cols: n };
  } else {
    c = checkFloatMatrix<T>(out, `${fn}: out`, {
      rows: m,
      rowsLabel: `the rows of op(a), a.${transA ? 'cols' : 'rows'}`,
      cols: n,
      colsLabel: `the columns of op(b), b.${transB ? 'rows' : 'cols'}`,
    });
    if (c.data.buffer === A.data.buffer || c.data.buffer === B.data.buffer)
      throw shapeError(`${fn}: out`, 'an array that does not share memory with a or b', 'an aliased array');
  }
  return { a: A, b: B, c, m, n, k, transA, transB, alpha, beta };
}

/**
 * Checked matrix product `out = alpha * op(A) * op(B) + beta * out` of {@link Matrix} operands, the
 * shapes read from the matrices: op(A) is m x k and op(B) k x n, so `out` is m x n. The inner sizes must
 * agree, so operands with swapped sizes throw instead of being misread. `out` (m x n) is allocated (same
 * element type as `a`) when `null`; it must not share memory with `a` or `b`. Float32Array or
 * Float64Array entries (float64 arithmetic unless all three are Float32Array, see {@link gemmKernel}).
 * Cost O(m n k). A pure arithmetic operation: the values are not checked, and NaN or Infinity in `a`,
 * `b` or `out` propagate to the result as IEEE arithmetic says (the shapes, element types and scales are
 * checked). The positional unchecked form is `gemmKernel` in `coarsegrain/kernels`.
 * @param out - m x n, or `null` to allocate; returned.
 * @param a - A, stored m x k (or k x m with `transA`), row-major.
 * @param b - B, stored k x n (or n x k with `transB`), row-major.
 * @returns `out`, the m x n product.
 * @throws ShapeError if the inner sizes of op(A) and op(B) differ, `out` is not m x n or shares memory
 *   with an operand, or a matrix's data length is not rows x cols; DomainError for a non-Matrix argument,
 *   entries that are not Float64Array/Float32Array, a product of more than 2^28 entries to allocate, bad
 *   scales or non-boolean transposes.
 * @example
 * ```ts
 * import { gemm, matrix } from 'coarsegrain';
 * const a = matrix(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3); // 2 x 3
 * const b = matrix(Float64Array.of(1, 0, 0, 1, 1, 1), 3, 2); // 3 x 2
 * const c = gemm(null, a, b); // { data: Float64Array [4, 5, 10, 11], rows: 2, cols: 2 }
 * const gram = gemm(null, a, a, { transA: true }); // A^T A: 3 x 3, data [17, 22, 27, 22, 29, 36, 27, 36, 45]
 * // gemm(null, a, a) throws ShapeError "gemm: b.rows: expected 3 (the inner size, a.cols), received 2"
 * ```
 */
export function gemm<T extends FloatArray>(
  out: Matrix<T> | null,
  a: Matrix<T>,
  b: Matrix<FloatArray>,
  options: GemmOptions = {},
): Matrix<T> {
  checkFloatMatrix<T>(a, 'gemm: a'); // the operands before the options: a flat positional call is named
  checkFloatMatrix(b, 'gemm: b');
  options = checkOptions(options, 'gemm: options', GEMM_OPTIONS_KEYS);
  const {
    a: A,
    b: B,
    c,
    m,
    n,
    k,
    transA,
    transB,
    alpha,
    beta,
  } = checkGemmOperands<T>('gemm', out, a, b, options);
  gemmKernel(transA, transB, m, n, k, alpha, A.data, 0, A.cols, B.data, 0, B.cols, beta, c.data, 0, n);
  return c;
}
