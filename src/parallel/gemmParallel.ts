/**
 * Matrix product split over the workers of a pool: each worker computes a block of rows of C with the
 * same kernel as the main thread ({@link gemmKernel}: WebAssembly SIMD), reading A and B from and writing
 * C to SharedArrayBuffers. Worth it for large products only (below {@link GEMM_PARALLEL_MIN_WORK}
 * multiply-adds it runs on the calling thread).
 * @module
 */
import { type GemmOptions, gemmKernel } from '../core/gemm.js';
import type { FloatArray } from '../core/tensor.js';
import { checkFinite, checkInteger, shapeError } from '../core/validate.js';
import { mapParallel, type TaskRunOptions, type WorkerPool } from './pool.js';
import type { GemmRowsInput } from './tasks.js';

/** Products with fewer multiply-adds (m n k) than this run on the calling thread. */
export const GEMM_PARALLEL_MIN_WORK = 1 << 23;

/** A copy of `x` on a SharedArrayBuffer (or `x` itself if it already is one). */
function shared<T extends FloatArray>(x: T): T {
  if (x.buffer instanceof SharedArrayBuffer) return x;
  const Ctor = x.constructor as new (buffer: SharedArrayBuffer) => T;
  const y = new Ctor(new SharedArrayBuffer(x.byteLength));
  y.set(x);
  return y;
}

/**
 * `out = alpha * op(A) * op(B) + beta * out` (contiguous row-major, as {@link gemm}) with the rows of C split
 * evenly over the pool's workers. Each row block is computed by {@link gemmKernel}, so the result is the
 * same for any number of workers up to rounding of the backend (bit-identical when the blocks use the
 * same backend, which holds unless a block falls under the WebAssembly size threshold). Copies A, B and
 * C to shared memory unless they already live on a SharedArrayBuffer (O(mk + kn + mn)).
 * Cost O(m n k / workers).
 * @throws (rejects) ShapeError or DomainError as {@link gemm}; pool errors as {@link mapParallel}.
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
  const fn = 'gemmParallel';
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
  const sa = shared(a);
  const sb = shared(b);
  let target = c;
  if (!(c.buffer instanceof SharedArrayBuffer)) {
    target = new (c.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(c.byteLength));
    if (beta !== 0) target.set(c); // with beta = 0, C is not read
  }
  const inputs: GemmRowsInput[] = [];
  // row blocks of multiples of 4 rows (the micro-tile height), as even as possible
  const quads = Math.ceil(m / 4);
  for (let p = 0; p < parts; p++) {
    const i0 = Math.min(m, Math.floor((quads * p) / parts) * 4);
    const i1 = Math.min(m, Math.floor((quads * (p + 1)) / parts) * 4);
    if (i1 > i0)
      inputs.push({ transA, transB, i0, i1, n, k, alpha, a: sa, lda, b: sb, ldb, beta, c: target, ldc: n });
  }
  await mapParallel(pool, 'coarsegrain:gemmRows', inputs, options.signal ? { signal: options.signal } : {});
  if (target !== c) c.set(target);
  return c;
}
