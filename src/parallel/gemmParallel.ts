/**
 * Matrix product split over the workers of a pool: each worker computes a block of rows of C with the
 * same kernel as the main thread ({@link gemmKernel}: WebAssembly SIMD), reading A and B from and writing
 * C to SharedArrayBuffers. Worth it for large products only (below {@link GEMM_PARALLEL_MIN_WORK}
 * multiply-adds it runs on the calling thread).
 * @module
 */
import { type GemmOptions, gemmKernel } from '../core/gemm.js';
import type { FloatArray } from '../core/tensor.js';
import {
  checkFinite,
  checkInteger,
  checkLimit,
  checkOneOf,
  checkOptions,
  optionKeys,
  shapeError,
} from '../core/validate.js';
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
 * `out = alpha * op(A) * op(B) + beta * out` (contiguous row-major, as `gemm`) with the rows of C split
 * evenly over the pool's workers. Each row block is computed by {@link gemmKernel}, so the result is the
 * same for any number of workers up to rounding of the backend (bit-identical when the blocks use the
 * same backend, which holds unless a block falls under the WebAssembly size threshold). Copies A, B and
 * C into a scratch SharedArrayBuffer kept per pool, unless they already live on a SharedArrayBuffer
 * (O(mk + kn + mn); pass shared arrays, e.g. from {@link sharedFloatArray}, to skip the copies).
 * Cost O(m n k / workers).
 * @throws (rejects) ShapeError or DomainError as `gemm`; pool errors as {@link mapParallel}.
 */
export async function gemmParallel<T extends FloatArray>(
  pool: WorkerPool,
  out: T | null,
  a: T,
  b: FloatArray,
  m: number,
  n: number,
  k: number,
  options: GemmOptions & TaskRunOptions = {},
): Promise<T> {
  options = checkOptions(options, 'gemmParallel: options', GEMM_OPTIONS_TASK_RUN_OPTIONS_KEYS);
  const fn = 'gemmParallel';
  checkWorkerPool(pool, fn);
  checkInteger(m, `${fn}: m`, 0);
  checkInteger(n, `${fn}: n`, 0);
  checkInteger(k, `${fn}: k`, 0);
  const alpha = checkFinite(options.alpha ?? 1, `${fn}: alpha`);
  const beta = checkFinite(options.beta ?? 0, `${fn}: beta`);
  if (!a || a.length !== m * k) throw shapeError(`${fn}: a`, `${m * k} elements (m*k)`, `${a?.length}`);
  if (!b || b.length !== k * n) throw shapeError(`${fn}: b`, `${k * n} elements (k*n)`, `${b?.length}`);
  const c = out ?? (new (a.constructor as new (len: number) => T)(m * n) as T);
  if (c.length !== m * n) throw shapeError(`${fn}: out`, `${m * n} elements (m*n)`, `${c.length}`);
  if (c.buffer === a.buffer || c.buffer === b.buffer) {
    throw shapeError(`${fn}: out`, 'an array that does not share memory with a or b', 'an aliased array');
  }
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const parts = Math.min(pool.size, Math.floor(m / 4));
  if (m * n * k < GEMM_PARALLEL_MIN_WORK || parts < 2) {
    gemmKernel(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, n);
    return c;
  }
  // stage the operands that are not already shared in the pool's scratch buffer
  const isShared = (x: FloatArray) => x.buffer instanceof SharedArrayBuffer;
  const stageA = isShared(a) ? null : a;
  const stageB = isShared(b) ? null : b;
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
    const sa = stageA ? view(stageA, true) : a;
    const sb = stageB ? view(stageB, true) : b;
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
  return c;
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
