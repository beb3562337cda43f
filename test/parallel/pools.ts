import { afterAll, beforeAll } from 'vitest';
import { createWorkerPool, destroyWorkerPool, type WorkerPool } from '../../src/parallel/pool.js';

/** Pools of one and two workers for the enclosing describe block: started before its tests, destroyed after. */
export function usePools(): { readonly one: WorkerPool; readonly two: WorkerPool } {
  const pools = {} as { one: WorkerPool; two: WorkerPool };
  beforeAll(() => {
    pools.one = createWorkerPool({ workers: 1 });
    pools.two = createWorkerPool({ workers: 2 });
  });
  afterAll(async () => {
    await destroyWorkerPool(pools.one);
    await destroyWorkerPool(pools.two);
  });
  return pools;
}

/** Number of positions where two arrays differ (bitwise for floats; NaN equals NaN). */
export function mismatches(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let count = 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) count++;
  return count;
}

/** Mismatching elements over two lists of arrays (Infinity for a count or length mismatch). */
export function allMismatches(x: readonly ArrayLike<number>[], y: readonly ArrayLike<number>[]): number {
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  return x.reduce((sum, a, i) => sum + mismatches(a, y[i]!), 0);
}
