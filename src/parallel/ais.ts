/**
 * Annealed importance sampling on a worker pool: the chains are split into fixed-size blocks, each with
 * its own stream, run as tasks, and their weights combined.
 * @module
 */
import type { OnProgress } from '../core/progress.js';
import { deriveRng } from '../core/rng.js';
import type { FloatArray } from '../core/tensor.js';
import { checkAbort, checkInteger, domainError } from '../core/validate.js';
import {
  type AisOptions,
  type AisResult,
  type AisWeights,
  aisLogWeights,
  summarizeAisWeights,
} from '../models/partition.js';
import { checkRbm } from '../models/rbm.js';
import type { Rbm } from '../models/types.js';
import { mapParallel, type TaskRunOptions, type WorkerPool } from './pool.js';
import type { AisTaskInput } from './tasks.js';

/** Options of {@link aisLogPartitionParallel}: those of `aisLogPartition` with a seed for the blocks. */
export interface AisParallelOptions extends Omit<AisOptions, 'rng'>, TaskRunOptions {
  /** Seed of the run: block b of chains draws from `deriveRng(seed, 'aisLogPartition', b)`. */
  readonly seed: number | string;
  /** Chains per task (default 25; the last block may be smaller). Does not depend on the pool size. */
  readonly chainsPerTask?: number;
  /** Called once per finished block: stage `'ais-blocks'`, `done` of `total`. */
  readonly onProgress?: OnProgress;
}

/** Sizes of the chain blocks (all chainsPerTask but the last). */
function blockSizes(chains: number, perTask: number): number[] {
  const sizes: number[] = [];
  for (let c = 0; c < chains; c += perTask) sizes.push(Math.min(perTask, chains - c));
  return sizes;
}

/**
 * `aisLogPartition` with its chains split into blocks of `chainsPerTask`, one task each on the pool.
 * Block b uses the stream `deriveRng(seed, 'aisLogPartition', b)`, so the result depends on the seed and
 * the block size but not on the number of workers, and equals {@link aisLogPartitionBlocks} on one thread
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
  const fn = 'aisLogPartitionParallel';
  const { seed, chainsPerTask, chains, signal, onProgress, ais } = checkAisParallel(fn, rbm, options);
  checkAbort(signal, fn);
  const sizes = blockSizes(chains, chainsPerTask);
  const inputs: AisTaskInput[] = sizes.map((chains, b) => ({
    ...ais,
    rbm: rbm as Rbm<FloatArray>,
    chains,
    seed,
    streamPath: ['aisLogPartition', b],
  }));
  let done = 0;
  const runs = inputs.map((input) =>
    mapParallel<AisTaskInput, AisWeights>(
      pool,
      'coarsegrain:aisLogWeights',
      [input],
      signal ? { signal } : {},
    ).then(([weights]) => {
      done++;
      onProgress?.({ stage: 'ais-blocks', done, total: inputs.length });
      return weights!;
    }),
  );
  return combine(await Promise.all(runs));
}

/**
 * The single-thread twin of {@link aisLogPartitionParallel}: the same blocks and streams, run one after the
 * other (the reference the pool version is tested against). Cost that of `aisLogPartition`.
 * @throws DomainError / ShapeError as `aisLogPartition`.
 */
export function aisLogPartitionBlocks<T extends FloatArray>(
  rbm: Rbm<T>,
  options: Omit<AisParallelOptions, 'signal'>,
): AisResult {
  const fn = 'aisLogPartitionBlocks';
  const { seed, chainsPerTask, chains, onProgress, ais } = checkAisParallel(fn, rbm, options);
  const sizes = blockSizes(chains, chainsPerTask);
  const blocks = sizes.map((_, b) => {
    const rng = deriveRng(seed, 'aisLogPartition', b);
    const weights = aisLogWeights(rbm, { ...ais, chains: sizes[b]!, rng });
    onProgress?.({ stage: 'ais-blocks', done: b + 1, total: sizes.length });
    return weights;
  });
  return combine(blocks);
}

/** Validated options, with the schedule options (`ais`) that every block shares. */
function checkAisParallel(
  fn: string,
  rbm: Rbm<FloatArray>,
  options: Omit<AisParallelOptions, 'signal'> & { readonly signal?: AbortSignal },
): {
  seed: number | string;
  chains: number;
  chainsPerTask: number;
  signal: AbortSignal | undefined;
  onProgress: OnProgress | undefined;
  ais: Pick<AisOptions, 'betas' | 'baseVisibleBias'>;
} {
  checkRbm(rbm, `${fn}: rbm`);
  if (options === null || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object', options);
  const { seed, signal, onProgress, betas, baseVisibleBias } = options;
  deriveRng(seed, fn); // validates the seed
  return {
    seed,
    chains: checkInteger(options.chains ?? 100, `${fn}: options.chains`, 1),
    chainsPerTask: checkInteger(options.chainsPerTask ?? 25, `${fn}: options.chainsPerTask`, 1),
    signal,
    onProgress,
    ais: {
      ...(betas !== undefined ? { betas } : {}),
      ...(baseVisibleBias !== undefined ? { baseVisibleBias } : {}),
    },
  };
}

function combine(blocks: readonly AisWeights[]): AisResult {
  const total = blocks.reduce((n, b) => n + b.logWeights.length, 0);
  const logWeights = new Float64Array(total);
  let offset = 0;
  for (const b of blocks) {
    logWeights.set(b.logWeights, offset);
    offset += b.logWeights.length;
  }
  return summarizeAisWeights(logWeights, blocks[0]!.logZBase);
}
