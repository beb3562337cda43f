/**
 * The matrix product with a 0/1 left factor, bit-identical to {@link gemmKernel}: binary RBM states
 * (data pixels, sampled visible units) times the weights, and their transposes times the hidden means.
 * @module
 */
import {
  GEMM_WASM_MIN_ROWS,
  GEMM_WASM_MIN_WORK,
  type GemmKernelFunction,
  gemmBackend,
  gemmKernel,
} from './gemm.js';
import type { FloatArray } from './tensor.js';
import { checkRange } from './validate.js';
import {
  gatherLoadSource,
  gatherLoadTransposed,
  gatherPrepare,
  gatherRun,
  gatherSourceMatches,
  gatherSourceMaxAbs,
} from './wasm/gatherWasm.js';

/**
 * Above this fraction of ones in op(A), {@link gemmBinaryKernel} declines and the dense product runs:
 * the sums of rows then cost about as much as the dense kernel (measured on the reference machine,
 * float64: a 100 x 784 x 500 product with 15% ones 5-8x faster than gemmKernel, with 50% about even).
 */
export const GEMM_BINARY_MAX_DENSITY = 0.4;

let maxDensity = GEMM_BINARY_MAX_DENSITY;

/**
 * Set the fraction of ones above which {@link gemmBinaryKernel} declines (default
 * {@link GEMM_BINARY_MAX_DENSITY}; 1 never declines for density). Process-wide, per thread (worker
 * threads keep their own). For tests and measurements: the results are the same bits either way.
 * @throws DomainError unless 0 <= fraction <= 1.
 */
export function setGemmBinaryMaxDensity(fraction: number): void {
  maxDensity = checkRange(fraction, 'setGemmBinaryMaxDensity: fraction', 0, 1);
}

/**
 * Unchecked C[m x n] = alpha * op(A) * op(B) + beta * C (row-major, transposes, offsets, leading
 * dimensions as in {@link gemmKernel}) when every element of op(A) is 0 or 1: the product is then a
 * sum of selected rows of op(B) (no multiplications, zeros skipped), grouped exactly as the WebAssembly
 * kernel of `gemmKernel` groups its sums, so C equals `gemmKernel`'s result bit for bit (float64 and
 * float32). B must be finite. B is copied into the resident slot `slot` (a small integer) unless
 * `reload` is false and the slot already holds this `b` with this shape: the caller then promises that
 * `b` has not changed since it was loaded (e.g. the weights, across the products of one minibatch).
 * Returns false, having written nothing to C, whenever `gemmKernel` would not use its WebAssembly
 * backend for these sizes (tiny products, backend set to TypeScript, no SIMD), when an element of op(A)
 * is not 0 or 1, when more than {@link GEMM_BINARY_MAX_DENSITY} of op(A) are ones (the dense kernel is
 * then as fast), or when memory cannot grow; the caller then calls `gemmKernel`. C must not alias A or B.
 * Cost O(m k) to find the ones, O(nnz(A) n) additions, and copies of C (and of B when loaded).
 * @param transA - if true, op(A) = A^T where A is stored k x m.
 * @param transB - if true, op(B) = B^T where B is stored n x k (it is then copied transposed when loaded).
 */
export function gemmBinaryKernel(
  slot: number,
  reload: boolean,
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
): boolean {
  return (
    gemmBinaryPrepare(slot, reload, transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, c) &&
    gemmBinaryRun(slot, m, n, k, alpha, beta, c, offC, ldc)
  );
}

/**
 * First half of {@link gemmBinaryKernel} (same arguments up to `c`): checks that the product qualifies,
 * loads B into the slot if needed and lists the ones of op(A). Returns false, having written nothing to
 * C, if the product does not qualify. A split product (threadedGemm) prepares before it hands parts out.
 * `transposeFrom` (a slot number, default none): when op(B) = B^T must be loaded and that slot holds B
 * untransposed (see {@link gemmBinaryLoadTransposed}, whose promise the caller then makes), the copy is
 * transposed from there instead of read from `b`.
 */
export function gemmBinaryPrepare(
  slot: number,
  reload: boolean,
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
  c: FloatArray,
  transposeFrom = -1,
): boolean {
  if (
    !(k > 0 && n > 0 && alpha !== 0 && m >= GEMM_WASM_MIN_ROWS && m * n * k >= GEMM_WASM_MIN_WORK) ||
    gemmBackend() !== 'wasm-simd'
  ) {
    return false;
  }
  // gemmKernel's rule: float32 arithmetic only when all three arrays are float32
  const single = a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array;
  // list the ones first: a product that declines (not 0/1, or too dense) loads nothing
  if (!gatherPrepare(slot, transA, m, n, k, single, a, offA, lda, Math.floor(maxDensity * m * k)))
    return false;
  if (reload || !gatherSourceMatches(slot, transB, b, offB, ldb, k, n, single)) {
    const copied =
      transB &&
      transposeFrom >= 0 &&
      gatherLoadTransposed(transposeFrom, slot, b, offB, ldb, k, n, single) !== null;
    if (!copied && !gatherLoadSource(slot, transB, b, offB, ldb, k, n, single)) return false;
  }
  return true;
}

/**
 * Second half of {@link gemmBinaryKernel}: the product prepared by the last {@link gemmBinaryPrepare}
 * of this thread (same slot, m, n, k). Returns false, having written nothing, if there is none.
 * `copyOut` false keeps C in the kernel's memory (nothing written to `c`) for the next run of this
 * thread, which takes it with `copyIn` false (a second product added with beta = 1): see gatherRun.
 */
export function gemmBinaryRun(
  slot: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  beta: number,
  c: FloatArray,
  offC: number,
  ldc: number,
  copyIn = true,
  copyOut = true,
): boolean {
  return gatherRun(slot, m, n, k, alpha, beta, c, offC, ldc, copyIn, copyOut);
}

/**
 * Fill the resident slot `toSlot` of this thread's {@link gemmBinaryKernel} with op(B) = B^T for `b`
 * (stored n x k, row stride `ldb`, from `offB`; float32 when `single`) from slot `fromSlot`, which holds
 * `b` untransposed from a product with op(B) = B (k' = n, n' = k) in the same precision: the transposed
 * copy is made inside the kernel's memory instead of from `b`. A later product with op(B) = B^T on
 * `toSlot` then passes `reload` false. The caller promises that `b` has not changed since `fromSlot` was
 * loaded. Returns false, having done nothing, if `fromSlot` does not hold `b` so, or without the
 * WebAssembly backend.
 */
export function gemmBinaryLoadTransposed(
  fromSlot: number,
  toSlot: number,
  b: FloatArray,
  offB: number,
  ldb: number,
  k: number,
  n: number,
  single: boolean,
): boolean {
  return (
    gemmBackend() === 'wasm-simd' &&
    gatherLoadTransposed(fromSlot, toSlot, b, offB, ldb, k, n, single) !== null
  );
}

/**
 * Load op(B) = B (k x n, row stride `ldb`, from `offB`; float32 when `single`) into the resident slot
 * `slot` of this thread's {@link gemmBinaryKernel}, as a product with op(B) = B would (a later one may
 * then pass `reload` false while B is unchanged), and return max |B_ij| (NaN if an element is NaN),
 * computed on the loaded copy: e.g. the weights after an update, loaded for the next minibatch and
 * checked for divergence in the same pass. With `transposedSlot` (>= 0), B^T is also loaded into that
 * slot from the copy (as {@link gemmBinaryLoadTransposed} does) and the maximum is found during that
 * transposition, with no separate pass. Null without the WebAssembly backend or memory (a slot may then
 * hold a partial load: reload both before use).
 */
export function gemmBinaryLoadMaxAbs(
  slot: number,
  b: FloatArray,
  offB: number,
  ldb: number,
  k: number,
  n: number,
  single: boolean,
  transposedSlot = -1,
): number | null {
  if (gemmBackend() !== 'wasm-simd' || !gatherLoadSource(slot, false, b, offB, ldb, k, n, single))
    return null;
  // (a failed transposed load returns null: the caller must then not count on either slot)
  if (transposedSlot >= 0) return gatherLoadTransposed(slot, transposedSlot, b, offB, ldb, n, k, single);
  return gatherSourceMaxAbs(slot);
}

/** A function with the contract of {@link gemmBinaryKernel} (e.g. one split over threads). */
export type GemmBinaryFunction = typeof gemmBinaryKernel;

const exactGemms = new WeakMap<GemmKernelFunction, GemmBinaryFunction>();

/**
 * Declare that `gemm` gives {@link gemmKernel}'s result bit for bit for every call (e.g. a product split
 * over threads by blocks of C, each block on `gemmKernel`), and name its 0/1 counterpart `binary` (same
 * contract as {@link gemmBinaryKernel}, which is the default). Training then runs its 0/1 products on
 * `binary` and the others on `gemm`.
 */
export function registerExactGemm(
  gemm: GemmKernelFunction,
  binary: GemmBinaryFunction = gemmBinaryKernel,
): void {
  exactGemms.set(gemm, binary);
}

/**
 * The 0/1 product that goes with `gemm`: {@link gemmBinaryKernel} for `gemmKernel`, the one given to
 * {@link registerExactGemm} for a declared product, null for any other function.
 */
export function binaryGemmFor(gemm: GemmKernelFunction): GemmBinaryFunction | null {
  return gemm === gemmKernel ? gemmBinaryKernel : (exactGemms.get(gemm) ?? null);
}
