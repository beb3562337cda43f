/**
 * Shared staging memory kept per pool between calls (internal to the parallel layer). Allocating a
 * SharedArrayBuffer zero-fills it and costs far more than copying into one (at 1000 x 784 x 500 float32,
 * fresh buffers took 17 ms of a 28 ms `gemmParallel` call), so operands are staged in one buffer per pool
 * that only grows. A call that finds it busy (concurrent calls on one pool) gets a fresh buffer instead.
 * @module
 */
import type { WorkerPool } from './pool.js';

const scratchByPool = new WeakMap<WorkerPool, { buffer: SharedArrayBuffer; busy: boolean }>();

/**
 * The pool's scratch buffer with at least `bytes` bytes (grown if needed), or a fresh buffer if another call
 * holds it. Call `release()` when the workers are done with it.
 */
export function takeScratch(pool: WorkerPool, bytes: number): { buffer: SharedArrayBuffer; release(): void } {
  let scratch = scratchByPool.get(pool);
  if (scratch?.busy) return { buffer: new SharedArrayBuffer(bytes), release() {} };
  if (!scratch || scratch.buffer.byteLength < bytes) {
    scratch = { buffer: new SharedArrayBuffer(bytes), busy: false };
    scratchByPool.set(pool, scratch);
  }
  const held = scratch;
  held.busy = true;
  return {
    buffer: held.buffer,
    release() {
      held.busy = false;
    },
  };
}
