/**
 * Steps of the symmetric eigen-decomposition that can run on another thread beside its matrix product: a
 * registry keyed by the product function, so that core code (which starts no threads) finds a worker
 * through the `gemm` it was given (`createThreadedGemm(...).gemm` registers its first worker). The
 * steps themselves are in ./linalgTasks.ts.
 * @module
 */
import { gemmBackend } from '../gemm.js';
import type { ReflectorBlock } from './tridiagonal.js';

/** The steps a spawn can run, with their arguments (every array on a SharedArrayBuffer). */
export interface LinalgTasks {
  /** `divideConquerBlockKernel(d, e, n, zt)` (./divideConquer.ts): one half of a split. */
  readonly divideConquer: readonly [d: Float64Array, e: Float64Array, n: number, zt: Float64Array];
  /** `tridiagonalQlKernel(d, e, null, n)` (./tridiagonal.ts): the eigenvalues of one block. */
  readonly qlValues: readonly [d: Float64Array, e: Float64Array, n: number];
  /** `rank2kStripsKernel(...)` (./tridiagonal.ts, with gemmKernel): rows of a reduction's update (always true). */
  readonly rank2k: readonly [
    mem: Float64Array,
    n: number,
    nb: number,
    k1: number,
    r0: number,
    r1: number,
    vAt: number,
    wAt: number,
    aAt: number,
  ];
  /**
   * `applyReflectorBlocksKernel(blocks, z, cols, c0, c1)` (./tridiagonal.ts, with gemmKernel): the
   * back-transformation of a range of columns (always true).
   */
  readonly applyReflectors: readonly [
    blocks: readonly ReflectorBlock[],
    z: Float64Array,
    cols: number,
    c0: number,
    c1: number,
  ];
  /** `secularRootsKernel(...)` (./divideConquer.ts): a range of roots of a merge. */
  readonly secularRoots: readonly [
    k: number,
    d: Float64Array,
    z: Float64Array,
    rho: number,
    j0: number,
    j1: number,
    origin: Int32Array,
    shift: Float64Array,
  ];
  /** `mergeRowsKernel(...)` (./divideConquer.ts): a range of rows of a merge matrix (always true). */
  readonly mergeRows: readonly [
    k: number,
    d: Float64Array,
    origin: Int32Array,
    shift: Float64Array,
    w: Float64Array,
    slot: Int32Array,
    v: Float64Array,
    i0: number,
    i1: number,
  ];
}

/**
 * Starts step `task` on another thread and returns a function that waits for it and returns the step's
 * result (false: did not converge). The caller must not use the same thread's product meanwhile.
 */
export type LinalgSpawnFunction = <K extends keyof LinalgTasks>(
  task: K,
  args: LinalgTasks[K],
) => () => boolean;

const spawners = new WeakMap<object, LinalgSpawnFunction>();

/**
 * Declare `spawn` as the way to run eigen steps on another thread beside the matrix product `gemm`.
 * `symmetricEigen` with that `gemm` then gives that thread half of each rank-2k update of its reduction,
 * runs the eigenvalues of its largest block there while it prepares the back-transformation, and half
 * the columns of the back-transformation, and divide and conquer solves the two halves of its top split at
 * once and shares the roots and rows of the merge that follows: the same operations as in one thread,
 * so the same result.
 */
export function registerLinalgSpawn(gemm: object, spawn: LinalgSpawnFunction): void {
  spawners.set(gemm, spawn);
}

/**
 * The spawn declared for `gemm` with {@link registerLinalgSpawn}, else undefined; undefined too when
 * this thread's GEMM backend is not WebAssembly (`setGemmBackend('typescript')`), since the other
 * thread's products would then round differently from this thread's.
 */
export function linalgSpawnFor(gemm: object): LinalgSpawnFunction | undefined {
  return gemmBackend() === 'wasm-simd' ? spawners.get(gemm) : undefined;
}
