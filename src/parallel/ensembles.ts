/**
 * Monte Carlo ensembles at many temperatures on a worker pool: the parallel twin of `sampleEnsembles`.
 * @module
 */
import type { OnProgress } from '../core/progress.js';
import { deriveRng } from '../core/rng.js';
import {
  checkAbort,
  checkOptions,
  checkPositive,
  domainError,
  optionKeys,
  shapeError,
} from '../core/validate.js';
import { checkModel } from '../lattice/model.js';
import type { LatticeModel } from '../lattice/types.js';
import type { Ensemble, EnsemblesOptions } from '../sampling/ensemble.js';
import { checkWorkerPool, mapParallel, type TaskRunOptions, type WorkerPool } from './pool.js';
import type { EnsembleTaskInput } from './tasks.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const ENSEMBLES_PARALLEL_OPTIONS_KEYS = optionKeys<EnsemblesParallelOptions>({
  onProgress: true,
  sampler: true,
  samples: true,
  burnIn: true,
  thin: true,
  init: true,
  seed: true,
  signal: true,
});

/** Options of {@link sampleEnsemblesParallel}: those of `sampleEnsembles`, and a signal. */
export interface EnsemblesParallelOptions
  extends Omit<EnsemblesOptions, 'onProgress' | 'signal'>,
    TaskRunOptions {
  /** Called once per finished temperature: stage `'temperatures'`, `done` of `total`. */
  readonly onProgress?: OnProgress;
}

/**
 * One ensemble per temperature, one task per temperature on the pool. Temperature T draws from
 * `deriveRng(seed, 'sampleEnsembles', T)`, the stream `sampleEnsembles` uses, so the result is
 * bit-identical to `sampleEnsembles(model, temperatures, options)` on one thread, for any number of
 * workers. The ensembles' `model` is the caller's object. Cost: that of `sampleEnsembles`, divided over
 * the workers (tasks are whole temperatures: with 8 temperatures on 2 workers, 4 each), plus copying the
 * configurations back (samples x sites bytes per temperature).
 * @throws (rejects) ShapeError for an empty grid; DomainError for a bad model, temperature
 * (`sampleEnsemblesParallel: temperatures[k]`), seed or option (as `sampleEnsemble`); AbortError;
 * pool errors as {@link mapParallel}.
 * @example
 * const pool = createWorkerPool({ workers: 2 });
 * const ens = await sampleEnsemblesParallel(pool, createIsing2D({ L: 16 }), [2, 2.27, 2.5], { seed: 1, samples: 500 });
 * await destroyWorkerPool(pool);
 */
export async function sampleEnsemblesParallel(
  pool: WorkerPool,
  model: LatticeModel,
  temperatures: readonly number[],
  options: EnsemblesParallelOptions,
): Promise<Ensemble[]> {
  options = checkOptions(options, 'sampleEnsemblesParallel: options', ENSEMBLES_PARALLEL_OPTIONS_KEYS, true);
  checkWorkerPool(pool, 'sampleEnsemblesParallel');
  const fn = 'sampleEnsemblesParallel';
  checkModel(model, fn);
  if (!Array.isArray(temperatures) || temperatures.length === 0) {
    throw shapeError(`${fn}: temperatures`, 'a non-empty array of temperatures', String(temperatures));
  }
  for (let k = 0; k < temperatures.length; k++) checkPositive(temperatures[k], `${fn}: temperatures[${k}]`);
  if (options === null || typeof options !== 'object')
    throw domainError(`${fn}: options`, 'an object', options);
  const { seed, signal, onProgress, ...rest } = options;
  deriveRng(seed, fn); // validates the seed before any work
  checkAbort(signal, fn);
  const inputs: EnsembleTaskInput[] = temperatures.map((temperature) => ({
    ...rest,
    model,
    temperature,
    seed,
    streamPath: ['sampleEnsembles', temperature],
  }));
  let done = 0;
  const total = inputs.length;
  // one mapParallel call per temperature, to report progress as each finishes; results stay in order
  const runs = inputs.map((input) =>
    mapParallel<EnsembleTaskInput, Ensemble>(
      pool,
      'coarsegrain:sampleEnsemble',
      [input],
      signal ? { signal } : {},
    ).then(([ensemble]) => {
      done++;
      onProgress?.({ stage: 'temperatures', done, total });
      return { ...ensemble!, model };
    }),
  );
  return Promise.all(runs);
}
