import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, DomainError, StateError } from '../../src/core/errors.js';
import {
  createWorkerPool,
  destroyWorkerPool,
  mapParallel,
  runTask,
  type WorkerPool,
  WorkerTaskError,
} from '../../src/parallel/pool.js';

const taskModules = [new URL('./fixtures/tasks.ts', import.meta.url)];

describe('worker pool', () => {
  let one: WorkerPool;
  let two: WorkerPool;
  beforeAll(() => {
    one = createWorkerPool({ workers: 1, taskModules });
    two = createWorkerPool({ workers: 2, taskModules });
  });
  afterAll(async () => {
    await destroyWorkerPool(one);
    await destroyWorkerPool(two);
  });

  it('returns outputs in submission order, identical for 1 and 2 workers', async () => {
    const inputs = Array.from({ length: 12 }, (_, index) => ({
      seed: 9,
      index,
      count: 2000 + 500 * (index % 3),
    }));
    const a = await mapParallel<unknown, { index: number; sum: number }>(one, 'test:rngSum', inputs);
    const b = await mapParallel<unknown, { index: number; sum: number }>(two, 'test:rngSum', inputs);
    expect(a.map((r) => r.index)).toEqual(inputs.map((x) => x.index));
    expect(b).toEqual(a);
    expect(new Set(a.map((r) => r.sum)).size).toBe(12); // independent streams
    expect(await runTask(two, 'test:square', 7)).toBe(49);
    expect(await mapParallel(two, 'test:async', ['x', 'y', 'z'])).toEqual(['done x', 'done y', 'done z']);
    expect(await mapParallel(two, 'test:square', [])).toEqual([]);
  });

  it('propagates errors: coarsegrain errors keep their class, others become WorkerTaskError', async () => {
    await expect(runTask(two, 'test:domainError', null)).rejects.toThrow(DomainError);
    await expect(runTask(two, 'test:domainError', null)).rejects.toThrow(
      /x: expected a number > 0, received -1/,
    );
    const error = await runTask(two, 'test:typeError', null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerTaskError);
    expect((error as WorkerTaskError).originalName).toBe('TypeError');
    expect((error as Error).message).toMatch(
      /task "test:typeError" failed in a worker: TypeError: something/,
    );
    await expect(runTask(two, 'test:nope', null)).rejects.toThrow(
      /taskName: expected one of .*received "test:nope"/,
    );
    await expect(mapParallel(two, '', [])).rejects.toThrow(DomainError);
    // a worker that dies is replaced; its task rejects, the others of the call still complete
    const calls = [
      runTask(two, 'test:exit', null),
      runTask(two, 'test:square', 5),
      runTask(two, 'test:square', 6),
    ];
    await expect(calls[0]).rejects.toThrow(/worker pool: the worker running task "test:exit" exited/);
    await expect(calls[0]).rejects.toThrow(StateError);
    expect(await Promise.all(calls.slice(1))).toEqual([25, 36]);
    // the pool still works after failures
    expect(await mapParallel(two, 'test:square', [3, 4, 5, 6])).toEqual([9, 16, 25, 36]);
  });

  it('aborts: queued tasks are dropped, running workers replaced, the pool stays usable', async () => {
    const controller = new AbortController();
    const run = mapParallel(two, 'test:busy', [3000, 3000, 3000, 3000], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(run).rejects.toThrow(AbortError);
    await expect(mapParallel(two, 'test:square', [1], { signal: controller.signal })).rejects.toThrow(
      AbortError,
    );
    expect(await mapParallel(two, 'test:square', [2, 3])).toEqual([4, 9]);
  });

  it('rejects bad options and use after destroy', async () => {
    expect(() => createWorkerPool({ workers: 0 })).toThrow(
      /createWorkerPool: workers: expected an integer in \[1, 256\], received 0/,
    );
    const pool = createWorkerPool({ workers: 1 });
    await destroyWorkerPool(pool);
    await destroyWorkerPool(pool);
    expect(pool.destroyed).toBe(true);
    await expect(mapParallel(pool, 'test:square', [1])).rejects.toThrow(StateError);
  });
});
