/**
 * Matrix product split over the workers of a pool: each worker computes a block of rows of C with the
 * same kernel as the main thread ({@link gemmKernel}: WebAssembly SIMD), reading A and B from and writing
 * C to SharedArrayBuffers. Worth it for large products only (below {@link GEMM_PARALLEL_MIN_WORK}
 * multiply-adds it runs on the calling thread).
 * @module
 */
import { checkGemmOperands, type GemmOptions, gemmKernel } from '../core/gemm.js';
import { checkMatrix, type FloatArray, type Matrix } from '../core/tensor.js';
import { checkInteger, checkLimit, checkOneOf, checkOptions, optionKeys } from '../core/validate.js';
import { checkWorkerPool, mapParallel, type TaskRunOptions, type WorkerPool } from './pool.js';
import { takeScratch } from './scratch.js';
import type { GemmRowsInput } from './tasks.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const GEMM_OPTIONS_TASK_RUN_OPTIONS_KEYS = optionKeys<GemmOptions & TaskRunOptions>({
  transA: true,
  transB: true,
  alpha: true,
  beta: true,
  signal: true,
});

/** Products with fewer multiply-adds (m n k) than this run on the calling thread. */
export const GEMM_PARALLEL_MIN_WORK = 1 << 23;

/** Bytes of `x` rounded up to 8 (so the next view stays aligned). */
function alignedBytes(x: FloatArray | null): number {
  return x ? Math.ceil(x.byteLength / 8) * 8 : 0;
}

/**
 * A zero-filled float array of `length` on a SharedArrayBuffer. Operands of {@link gemmParallel} that live
 * in shared memory reach the workers without copies, and an `out` on shared memory is written in place.
 * @throws DomainError if `dtype` is not 'float32' | 'float64' or `length` is not a non-negative integer.
 * @example
 * const c = sharedFloatArray('float32', 1000 * 500); // Float32Array on a SharedArrayBuffer
 */
export function sharedFloatArray(dtype: 'float32', length: number): Float32Array;
export function sharedFloatArray(dtype: 'float64', length: number): Float64Array;
export function sharedFloatArray(dtype: 'float32' | 'float64', length: number): FloatArray {
  checkOneOf(dtype, 'sharedFloatArray: dtype', ['float32', 'float64'] as const);
  checkInteger(length, 'sharedFloatArray: length', 0);
  checkLimit(length, 'sharedFloatArray: length');
  return dtype === 'float32'
    ? new Float32Array(new SharedArrayBuffer(length * 4))
    : new Float64Array(new SharedArrayBuffer(length * 8));
}

/**
 * `out = alpha * op(A) * op(B) + beta * out` on {@link Matrix} operands (as `gemm`: op(A) m x k, op(B)
 * k x n, shapes read from the matrices, swapped sizes throw) with the rows of C split
 * evenly over the pool's workers. Each row block is computed by {@link gemmKernel}, so the result is the
 * same for any number of workers up to rounding of the backend (bit-identical when the blocks use the
 * same backend, which holds unless a block falls under the WebAssembly size threshold). Copies A, B and
 * C into a scratch SharedArrayBuffer kept per pool, unless they already live on a SharedArrayBuffer
 * (O(mk + kn + mn); pass shared arrays, e.g. from {@link sharedFloatArray}, to skip the copies).
 * Cost O(m n k / workers).
 * @param out - m x n, or `null` to allocate (same element type as `a`); returned.
 * @param a - A, stored m x k (or k x m with `transA`).
 * @param b - B, stored k x n (or n x k with `transB`).
 * @throws (rejects) ShapeError or DomainError as `gemm`; pool errors as {@link mapParallel}.
 * @example
 * const pool = createWorkerPool({ workers: 2 });
 * const c = await gemmParallel(pool, null, matrix(a, 1000, 784), matrix(b, 784, 500)); // 1000 x 500
 * await destroyWorkerPool(pool);
 */
export async function gemmParallel<T extends FloatArray>(
  pool: WorkerPool,
  out: Matrix<T> | null,
  a: Matrix<T>,
  b: Matrix<FloatArray>,
  options: GemmOptions & TaskRunOptions = {},
): Promise<Matrix<T>> {
  const fn = 'gemmParallel';
  checkWorkerPool(pool, fn);
  checkMatrix(a, `${fn}: a`); // the operands before the options: a flat positional call is named
  checkMatrix(b, `${fn}: b`);
  options = checkOptions(options, 'gemmParallel: options', GEMM_OPTIONS_TASK_RUN_OPTIONS_KEYS);
  const g = checkGemmOperands<T>(fn, out, a, b, options);
  const { m, n, k, transA, transB, alpha, beta } = g;
  const lda = g.a.cols;
  const ldb = g.b.cols;
  const [A, B, c] = [g.a.data, g.b.data, g.c.data];
  const parts = Math.min(pool.size, Math.floor(m / 4));
  if (m * n * k < GEMM_PARALLEL_MIN_WORK || parts < 2) {
    gemmKernel(transA, transB, m, n, k, alpha, A, 0, lda, B, 0, ldb, beta, c, 0, n);
    return g.c;
  }
  // stage the operands that are not already shared in the pool's scratch buffer
  const isShared = (x: FloatArray) => x.buffer instanceof SharedArrayBuffer;
  const stageA = isShared(A) ? null : A;
  const stageB = isShared(B) ? null : B;
  const stageC = isShared(c) ? null : c;
  const bytes = alignedBytes(stageA) + alignedBytes(stageB) + alignedBytes(stageC);
  const scratch = bytes > 0 ? takeScratch(pool, bytes) : null;
  let offset = 0;
  const view = <X extends FloatArray>(x: X, copy: boolean): X => {
    const Ctor = x.constructor as new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => X;
    const y = new Ctor(scratch!.buffer, offset, x.length);
    offset += alignedBytes(x);
    if (copy) y.set(x);
    return y;
  };
  try {
    const sa = stageA ? view(stageA, true) : A;
    const sb = stageB ? view(stageB, true) : B;
    const target = stageC ? view(stageC, beta !== 0) : c; // with beta = 0, C is not read
    await runRowBlocks(
      pool,
      { transA, transB, n, k, alpha, a: sa, lda, b: sb, ldb, beta, c: target },
      m,
      parts,
      options,
    );
    if (target !== c) c.set(target);
  } finally {
    scratch?.release();
  }
  return g.c;
}

/** Split rows of C into `parts` blocks of whole 4-row micro-tiles and run them as `gemmRows` tasks. */
async function runRowBlocks(
  pool: WorkerPool,
  shared: Omit<GemmRowsInput, 'i0' | 'i1' | 'ldc'>,
  m: number,
  parts: number,
  options: TaskRunOptions,
): Promise<void> {
  const inputs: GemmRowsInput[] = [];
  // row blocks of multiples of 4 rows (the micro-tile height), as even as possible
  const quads = Math.ceil(m / 4);
  for (let p = 0; p < parts; p++) {
    const i0 = Math.min(m, Math.floor((quads * p) / parts) * 4);
    const i1 = Math.min(m, Math.floor((quads * (p + 1)) / parts) * 4);
    if (i1 > i0) inputs.push({ ...shared, i0, i1, ldc: shared.n });
  }
  await mapParallel(pool, 'coarsegrain:gemmRows', inputs, options.signal ? { signal: options.signal } : {});
}
