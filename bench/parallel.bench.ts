import { createIsing2D } from '../src/lattice/ising2d.js';
import { sampleEnsemblesParallel } from '../src/parallel/ensembles.js';
import { createWorkerPool, destroyWorkerPool } from '../src/parallel/pool.js';
import { sampleEnsembles } from '../src/sampling/ensemble.js';
import type { Benchmark, BenchRow } from './harness.js';

/** Best wall time in seconds over `repeats` runs after one warm-up (shared machine: best, not median). */
async function bestAsync(fn: () => Promise<void>, repeats: number): Promise<number> {
  await fn();
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

/** Ensembles at 8 temperatures (2D Ising, L = 32, Metropolis) on 1 and 2 workers, and on the main thread. */
export const benchmarks: Benchmark[] = [
  {
    name: 'parallel',
    async run() {
      const model = createIsing2D({ L: 32 });
      const temperatures = [1.8, 2.0, 2.1, 2.2, 2.27, 2.35, 2.5, 3.0];
      const options = { seed: 7, sampler: 'metropolis', samples: 2000, burnIn: 200, thin: 1 } as const;
      const serial = sampleEnsembles(model, temperatures, options);
      const times: number[] = [];
      for (const workers of [1, 2]) {
        const pool = createWorkerPool({ workers });
        try {
          times.push(
            await bestAsync(async () => {
              const result = await sampleEnsemblesParallel(pool, model, temperatures, options);
              // sanity: bit-identical to the single-thread run
              if (result[7]!.energy[1999] !== serial[7]!.energy[1999])
                throw new Error('parallel bench: results differ');
            }, 3),
          );
        } finally {
          await destroyWorkerPool(pool);
        }
      }
      const rows: BenchRow[] = [
        {
          case: '8 temperatures, 2 workers vs 1 (speed-up)',
          ours: times[0]! / times[1]!,
          reference: 1,
          referenceLabel: '1 worker',
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
];
