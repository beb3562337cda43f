/**
 * Annealed importance sampling on a worker pool: the chains are split into fixed-size blocks, each with
 * its own stream, run as tasks, and their weights combined (the blocks of `aisLogPartitionBlocks`).
 * @module
 */
import type { FloatArray } from '../core/tensor.js';
import { checkAbort, checkOptions, optionKeys } from '../core/validate.js';
import {
  type AisBlocksOptions,
  type AisResult,
  type AisWeights,
  combineAisBlocks,
  planAisBlocks,
} from '../models/partition.js';
import type { Rbm } from '../models/types.js';
import { checkWorkerPool, mapParallel, type TaskRunOptions, type WorkerPool } from './pool.js';
import type { AisTaskInput } from './tasks.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const AIS_PARALLEL_OPTIONS_KEYS = optionKeys<AisParallelOptions>({
  seed: true,
  chainsPerTask: true,
  onProgress: true,
  chains: true,
  betas: true,
  baseVisibleBias: true,
  signal: true,
});

/** Options of {@link aisLogPartitionParallel}: those of `aisLogPartitionBlocks`, and a signal. */
export interface AisParallelOptions extends AisBlocksOptions, TaskRunOptions {}

/**
 * `aisLogPartition` with its chains split into blocks of `chainsPerTask`, one task each on the pool.
 * Block b uses the stream `deriveRng(seed, 'aisLogPartition', b)`, so the result depends on the seed and
 * the block size but not on the number of workers, and equals `aisLogPartitionBlocks` on one thread
 * bit for bit. Cost that of `aisLogPartition` divided over the workers, plus copying the model to each task.
 * @throws (rejects) as `aisLogPartition` (DomainError for a bad seed, chain count or chainsPerTask);
 * pool errors as {@link mapParallel}.
 * @example
 * const pool = createWorkerPool({ workers: 2 });
 * const { logZ, logZStdErr } = await aisLogPartitionParallel(pool, rbm, { seed: 1, chains: 100, betas: 10000 });
 * await destroyWorkerPool(pool);
 */
export async function aisLogPartitionParallel<T extends FloatArray>(
  pool: WorkerPool,
  rbm: Rbm<T>,
  options: AisParallelOptions,
): Promise<AisResult> {
  options = checkOptions(options, 'aisLogPartitionParallel: options', AIS_PARALLEL_OPTIONS_KEYS, true);
  checkWorkerPool(pool, 'aisLogPartitionParallel');
  const fn = 'aisLogPartitionParallel';
  const { seed, sizes, schedule, onProgress } = planAisBlocks(fn, rbm, options);
  const signal = options.signal;
  checkAbort(signal, fn);
  let done = 0;
  const runs = sizes.map((chains, b) =>
    mapParallel<AisTaskInput, AisWeights>(
      pool,
      'coarsegrain:aisLogWeights',
      [{ ...schedule, rbm: rbm as Rbm<FloatArray>, chains, seed, streamPath: ['aisLogPartition', b] }],
      signal ? { signal } : {},
    ).then(([weights]) => {
      done++;
      onProgress?.({ stage: 'ais-blocks', done, total: sizes.length });
      return weights!;
    }),
  );
  return combineAisBlocks(await Promise.all(runs));
}
