/**
 * The worker pool's own costs, kept out of every other timed loop (the parallel rows warm their pool up
 * first): start-up (create a pool of 2 and get the first answer), one task's round trip, tasks per second
 * through 2 workers, and a 1 MB Float64Array sent and returned. The reference is a bare `node:worker_threads`
 * Worker doing the same (no task registry, no loader). From TypeScript sources (tsx) each pool worker also
 * registers tsx's loader and compiles the worker entry, which the built dist/ does not.
 */
import { Worker } from 'node:worker_threads';
import { createWorkerPool, destroyWorkerPool, mapParallel, runTask } from '../src/parallel/pool.js';
import { type Benchmark, type BenchRow, bySize, reps } from './harness.js';

const taskModules = [new URL('./poolTasks.ts', import.meta.url)];

/** A bare worker that echoes every message. */
function bareWorker(): Worker {
  return new Worker(
    "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));",
    { eval: true },
  );
}

function echo(worker: Worker, message: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(message);
  });
}

/** Best of `repeats` (1 in smoke mode) of the async `fn`, which returns its own time in seconds. */
async function best(fn: () => Promise<number>, repeats: number): Promise<number> {
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps(repeats); r++) t = Math.min(t, await fn());
  return t;
}

function row(c: string, ours: number, reference: number, unit: string): BenchRow {
  return {
    case: c,
    ours,
    reference,
    referenceLabel: 'bare Worker, same messages',
    unit,
    higherIsBetter: false,
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'pool',
    async run() {
      const calls = bySize(500, 20);
      const tasks = bySize(4000, 40);
      const big = new Float64Array(1 << 17); // 1 MB
      big[big.length - 1] = 1;
      // start-up: create a pool of 2 workers and get the first task's answer
      const startPool = await best(async () => {
        const t0 = performance.now();
        const pool = createWorkerPool({ workers: 2, taskModules });
        await runTask(pool, 'bench:echo', 1);
        const t = (performance.now() - t0) / 1000;
        await destroyWorkerPool(pool);
        return t;
      }, 3);
      const startBare = await best(async () => {
        const t0 = performance.now();
        const workers = [bareWorker(), bareWorker()];
        await echo(workers[0]!, 1);
        const t = (performance.now() - t0) / 1000;
        await Promise.all(workers.map((w) => w.terminate()));
        return t;
      }, 3);
      // message costs on started, warmed-up workers
      const pool = createWorkerPool({ workers: 2, taskModules });
      const bare = bareWorker();
      try {
        await mapParallel(
          pool,
          'bench:echo',
          Array.from({ length: 100 }, (_, i) => i),
        );
        await echo(bare, 0);
        const roundTrip = await best(async () => {
          const t0 = performance.now();
          for (let i = 0; i < calls; i++) await runTask(pool, 'bench:echo', i);
          return (performance.now() - t0) / 1000 / calls;
        }, 3);
        const roundTripBare = await best(async () => {
          const t0 = performance.now();
          for (let i = 0; i < calls; i++) await echo(bare, i);
          return (performance.now() - t0) / 1000 / calls;
        }, 3);
        const inputs = Array.from({ length: tasks }, (_, i) => i);
        const perTask = await best(async () => {
          const t0 = performance.now();
          const out = await mapParallel<number, number>(pool, 'bench:echo', inputs);
          if (out[tasks - 1] !== tasks - 1) throw new Error('pool bench: wrong echo');
          return (performance.now() - t0) / 1000 / tasks;
        }, 3);
        const transfer = await best(async () => {
          const t0 = performance.now();
          const out = await runTask<Float64Array, Float64Array>(pool, 'bench:echo', big);
          if (out.length !== big.length || out[big.length - 1] !== 1) throw new Error('pool bench: bad copy');
          return (performance.now() - t0) / 1000;
        }, 5);
        const transferBare = await best(async () => {
          const t0 = performance.now();
          const out = (await echo(bare, big)) as Float64Array;
          if (out[big.length - 1] !== 1) throw new Error('pool bench: bad copy');
          return (performance.now() - t0) / 1000;
        }, 5);
        return [
          row(
            'start-up: 2 workers created, first task answered (sources via tsx)',
            startPool * 1e3,
            startBare * 1e3,
            'ms',
          ),
          row('one task round trip (runTask, small input)', roundTrip * 1e6, roundTripBare * 1e6, 'us'),
          row(
            `${tasks} small tasks through 2 workers (mapParallel), per task`,
            perTask * 1e6,
            roundTripBare * 1e6,
            'us',
          ),
          row(
            '1 MB Float64Array there and back (structured clone)',
            transfer * 1e3,
            transferBare * 1e3,
            'ms',
          ),
        ];
      } finally {
        await bare.terminate();
        await destroyWorkerPool(pool);
      }
    },
  },
];
