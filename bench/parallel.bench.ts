import { Worker } from 'node:worker_threads';
import { createRng } from '../src/core/rng.js';
import { createIsing2D } from '../src/lattice/ising2d.js';
import { createRbm } from '../src/models/init.js';
import { aisLogPartitionBlocks } from '../src/models/partition.js';
import { aisLogPartitionParallel } from '../src/parallel/ais.js';
import { sampleEnsemblesParallel } from '../src/parallel/ensembles.js';
import { createWorkerPool, destroyWorkerPool, type WorkerPool } from '../src/parallel/pool.js';
import { parallelTemperingParallel } from '../src/parallel/tempering.js';
import { sampleEnsembles } from '../src/sampling/ensemble.js';
import { parallelTempering } from '../src/sampling/parallelTempering.js';
import { type Benchmark, type BenchRow, bestAsync, bySize } from './harness.js';

/** Wall time in seconds of `threads` plain worker threads each running the same scalar loop (no pool). */
async function plainThreads(threads: number): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads');
let x = 0; for (let i = 0; i < ${bySize(1e8, 1e6)}; i++) x = (x + i * 7) % 1000003; parentPort.postMessage(x);`;
  const t0 = performance.now();
  await Promise.all(
    Array.from(
      { length: threads },
      () => new Promise((resolve) => new Worker(code, { eval: true }).once('message', resolve)),
    ),
  );
  return (performance.now() - t0) / 1000;
}

/**
 * Every pool here is warmed up (workers started, first task done) before its timed runs: the pool's
 * start-up and message costs are their own rows in pool.bench.ts.
 *
 * Ensembles at 8 temperatures (2D Ising, L = 96, Metropolis, 21,000 sweeps each: about 0.2 s per
 * temperature on an idle core with the WebAssembly sweep) on 1 and 2 workers; each run is checked against
 * the single-thread `sampleEnsembles`.
 */
export const benchmarks: Benchmark[] = [
  {
    name: 'parallel',
    async run() {
      const model = createIsing2D({ L: bySize(96, 16) });
      const temperatures = [1.8, 2.0, 2.1, 2.2, 2.27, 2.35, 2.5, 3.0];
      const samples = bySize(1000, 20);
      const options = {
        seed: 7,
        sampler: 'metropolis',
        samples,
        burnIn: bySize(1000, 20),
        thin: bySize(20, 2),
      } as const;
      const serial = sampleEnsembles(model, temperatures, options);
      const times: number[] = [];
      for (const workers of [1, 2]) {
        const pool = createWorkerPool({ workers });
        try {
          times.push(
            await bestAsync(async () => {
              const result = await sampleEnsemblesParallel(pool, model, temperatures, options);
              // sanity: bit-identical to the single-thread run
              if (result[7]!.energy[samples - 1] !== serial[7]!.energy[samples - 1])
                throw new Error('parallel bench: results differ');
            }, 3),
          );
        } finally {
          await destroyWorkerPool(pool);
        }
      }
      // what the machine gives right now: the same loop on 2 plain threads vs 1 (ideal 2; other jobs lower it)
      const capacity = (await plainThreads(1)) / ((await plainThreads(2)) / 2);
      const rows: BenchRow[] = [
        {
          case: '8 temperatures, 2 workers vs 1 (speed-up)',
          ours: times[0]! / times[1]!,
          reference: capacity,
          referenceLabel: 'plain threads, same test (machine now)',
          unit: 'x',
          higherIsBetter: true,
          target: 1.8,
        },
        {
          case: '8 temperatures, 2 workers',
          ours: times[1]!,
          reference: times[0]!,
          referenceLabel: '1 worker',
          unit: 's',
          higherIsBetter: false,
        },
      ];
      return rows;
    },
  },
  {
    name: 'parallel-tempering',
    async run() {
      // 8 replicas of a 128^2 lattice, 20 Metropolis sweeps between exchanges (~2 ms per round), 200 rounds
      const model = createIsing2D({ L: bySize(128, 16) });
      const temperatures = [2.0, 2.1, 2.2, 2.25, 2.3, 2.35, 2.45, 2.6];
      const samples = bySize(150, 10);
      const options = {
        sampler: 'metropolis',
        sweepsPerExchange: bySize(20, 2),
        samples,
        burnIn: bySize(50, 5),
      } as const;
      const t0 = performance.now();
      const serial = parallelTempering(model, temperatures, { ...options, rng: createRng(1) });
      const serialSeconds = (performance.now() - t0) / 1000;
      const times = await onPools(async (pool) => {
        const r = await parallelTemperingParallel(pool, model, temperatures, {
          ...options,
          rng: createRng(1),
        });
        if (r.energy[3]![samples - 1] !== serial.energy[3]![samples - 1])
          throw new Error('parallel bench: tempering differs');
      });
      return speedupRows(
        `parallel tempering 8 x ${model.L}^2, ${options.sweepsPerExchange} sweeps/exchange`,
        times,
        serialSeconds,
      );
    },
  },
  {
    name: 'parallel-ais',
    async run() {
      // AIS on a 784 x 100 RBM: 100 chains in 4 blocks, 2000 temperatures
      const rbm = createRbm({ nVisible: bySize(784, 64), nHidden: bySize(100, 16), rng: createRng(2) });
      const options = {
        seed: 3,
        chains: bySize(100, 8),
        chainsPerTask: bySize(25, 4),
        betas: bySize(2000, 50),
      };
      const t0 = performance.now();
      const serial = aisLogPartitionBlocks(rbm, options);
      const serialSeconds = (performance.now() - t0) / 1000;
      const times = await onPools(async (pool) => {
        const r = await aisLogPartitionParallel(pool, rbm, options);
        if (r.logZ !== serial.logZ) throw new Error('parallel bench: AIS differs');
      });
      return speedupRows(
        `AIS ${rbm.nVisible}x${rbm.nHidden} RBM, ${options.chains} chains x ${options.betas} betas`,
        times,
        serialSeconds,
      );
    },
  },
];

/** Best time of `fn` on a pool of 1 and of 2 workers. */
async function onPools(fn: (pool: WorkerPool) => Promise<void>): Promise<[number, number]> {
  const times: number[] = [];
  for (const workers of [1, 2]) {
    const pool = createWorkerPool({ workers });
    try {
      times.push(await bestAsync(() => fn(pool), 2));
    } finally {
      await destroyWorkerPool(pool);
    }
  }
  return [times[0]!, times[1]!];
}

function speedupRows(what: string, [one, two]: [number, number], serialSeconds: number): BenchRow[] {
  return [
    {
      case: `${what}, 2 workers vs 1 (speed-up)`,
      ours: one / two,
      reference: 2,
      referenceLabel: 'ideal',
      unit: 'x',
      higherIsBetter: true,
    },
    {
      case: `${what}, 2 workers`,
      ours: two,
      reference: serialSeconds,
      referenceLabel: 'single-thread function (same result)',
      unit: 's',
      higherIsBetter: false,
    },
  ];
}
