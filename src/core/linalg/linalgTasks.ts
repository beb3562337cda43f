/**
 * The steps of ./spawn.ts, run by name: what a worker thread (src/parallel/threadedGemmWorker.ts) or,
 * without one, the calling thread does for a spawned step.
 * @module
 */
import { divideConquerBlockKernel, mergeRowsKernel, secularRootsKernel } from './divideConquer.js';
import type { LinalgTasks } from './spawn.js';
import { applyReflectorBlocksKernel, rank2kStripsKernel, tridiagonalQlKernel } from './tridiagonal.js';

/** Run step `task` of {@link LinalgTasks} on `args` in this thread; returns the step's result. */
export function runLinalgTask<K extends keyof LinalgTasks>(task: K, args: LinalgTasks[K]): boolean {
  if (task === 'divideConquer') {
    const [d, e, n, zt] = args as LinalgTasks['divideConquer'];
    return divideConquerBlockKernel(d, e, n, zt);
  }
  if (task === 'rank2k') {
    rank2kStripsKernel(...(args as LinalgTasks['rank2k']));
    return true;
  }
  if (task === 'applyReflectors') {
    const [blocks, z, cols, c0, c1] = args as LinalgTasks['applyReflectors'];
    applyReflectorBlocksKernel(blocks, z, cols, c0, c1);
    return true;
  }
  if (task === 'secularRoots') return secularRootsKernel(...(args as LinalgTasks['secularRoots']));
  if (task === 'mergeRows') {
    mergeRowsKernel(...(args as LinalgTasks['mergeRows']));
    return true;
  }
  const [d, e, n] = args as LinalgTasks['qlValues'];
  return tridiagonalQlKernel(d, e, null, n);
}
