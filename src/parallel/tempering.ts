/**
 * Parallel tempering on a worker pool: the replicas of each round are advanced by the workers (slots
 * split into one contiguous group per worker), the exchanges are made on the calling thread.
 * @module
 */
import { restoreRng } from '../core/rng.js';
import { checkAbort, checkOptions, optionKeys } from '../core/validate.js';
import type { LatticeModel } from '../lattice/types.js';
import {
  type ParallelTemperingOptions,
  type ParallelTemperingResult,
  startTemperingRun,
} from '../sampling/parallelTempering.js';
import { checkWorkerPool, mapParallel, type TaskRunOptions, type WorkerPool } from './pool.js';
import type { TemperingTaskInput, TemperingTaskOutput } from './tasks.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const PARALLEL_TEMPERING_OPTIONS_TASK_RUN_OPTIONS_KEYS = optionKeys<
  ParallelTemperingOptions & TaskRunOptions
>({
  sampler: true,
  sweepsPerExchange: true,
  samples: true,
  burnIn: true,
  rng: true,
  init: true,
  onProgress: true,
  signal: true,
});

let runCounter = 0;

/**
 * `parallelTempering` with the replicas advanced on the pool's workers: the same arguments, and the same
 * result bit for bit for the same `rng` state, for any number of workers (each temperature slot has its
 * own stream, saved and restored around every round; the configurations live in one SharedArrayBuffer).
 * Each round costs one message round-trip per worker (about 0.1 ms) on top of the sweeps, so it pays off
 * when a round's sweeps take well over a millisecond: large lattices, long-range chains, or many
 * `sweepsPerExchange`. Progress and abort as `parallelTempering` (`signal` also cancels the round in flight).
 * Cost per round: K (sweepsPerExchange steps + one energy evaluation) / workers, plus O(K) messages.
 * @throws (rejects) as `parallelTempering`; pool errors as {@link mapParallel}.
 * @example
 * const pool = createWorkerPool({ workers: 2 });
 * const r = await parallelTemperingParallel(pool, createIsing2D({ L: 64 }), [2.1, 2.2, 2.3, 2.4],
 *   { samples: 1000, sweepsPerExchange: 10, rng: createRng(1) });
 * await destroyWorkerPool(pool);
 */
export async function parallelTemperingParallel(
  pool: WorkerPool,
  model: LatticeModel,
  temperatures: readonly number[],
  options: ParallelTemperingOptions & TaskRunOptions,
): Promise<ParallelTemperingResult> {
  options = checkOptions(
    options,
    'parallelTemperingParallel: options',
    PARALLEL_TEMPERING_OPTIONS_TASK_RUN_OPTIONS_KEYS,
    true,
  );
  checkWorkerPool(pool, 'parallelTemperingParallel');
  const fn = 'parallelTemperingParallel';
  let shared: Int8Array = new Int8Array(0);
  let sites = 0;
  const run = startTemperingRun(fn, model, temperatures, options, (slots, n) => {
    sites = n;
    shared = new Int8Array(new SharedArrayBuffer(slots * n));
    return Array.from({ length: slots }, (_, k) => shared.subarray(k * n, (k + 1) * n));
  });
  const K = run.betas.length;
  const groups = Math.min(pool.size, K);
  const runKey = `pt-${++runCounter}`;
  const taskOptions = options.signal ? { signal: options.signal } : {};
  for (let round = 0; round < run.rounds; round++) {
    checkAbort(options.signal, fn);
    const inputs: TemperingTaskInput[] = [];
    for (let g = 0; g < groups; g++) {
      const slots: number[] = [];
      for (let k = Math.floor((K * g) / groups); k < Math.floor((K * (g + 1)) / groups); k++) slots.push(k);
      inputs.push({
        runKey,
        model,
        sampler: run.sampler,
        sweepsPerExchange: run.sweepsPerExchange,
        slots,
        betas: slots.map((k) => run.betas[k]!),
        rows: slots.map((k) => run.replicas[k]!.byteOffset / sites),
        spins: shared,
        sites,
        rngStates: slots.map((k) => run.streams[k]!.save()),
      });
    }
    const outputs = await mapParallel<TemperingTaskInput, TemperingTaskOutput>(
      pool,
      'coarsegrain:temperingSweeps',
      inputs,
      taskOptions,
    );
    outputs.forEach((out, g) => {
      inputs[g]!.slots.forEach((k, q) => {
        run.energies[k] = out.energies[q]!;
        run.streams[k] = restoreRng(out.rngStates[q]!);
      });
    });
    run.endRound(round);
  }
  return run.result();
}
