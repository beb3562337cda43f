/**
 * Worker-pool task module of the example scripts (src/parallel `taskModules`): `examples:runExperiment`
 * runs one part of a split experiment (see ./split.ts) in a worker thread and returns its plain-data
 * result. Progress is not streamed from the workers; the caller reports each part as it finishes.
 */
import type { OnProgress } from '../../src/core/progress.js';
import { runE4 } from '../../src/experiments/e4.js';
import { runE8 } from '../../src/experiments/e8.js';
import { runE10 } from '../../src/experiments/e10.js';
import { nodeLoaders } from '../../src/node/index.js';
import type { TaskModule } from '../../src/parallel/pool.js';

/** Input of `examples:runExperiment`: which experiment, the part's config and the seed. */
export interface ExperimentTaskInput {
  readonly id: 'E4' | 'E8' | 'E10';
  readonly config: Record<string, unknown>;
  readonly seed: number;
}

/** Run one experiment (or part), here or in a worker: `runEN(config, { seed, onProgress })`. */
export async function runExperiment(input: ExperimentTaskInput, onProgress?: OnProgress): Promise<unknown> {
  const { id, config, seed } = input;
  const options = onProgress ? { seed, onProgress } : { seed };
  if (id === 'E4') return runE4(config, options);
  // the scripts' data loaders (files and folders, Node only): functions, so each thread imports its own
  if (id === 'E8') return runE8(config, { ...options, loaders: nodeLoaders });
  if (id === 'E10') return runE10(config, { ...options, loaders: nodeLoaders });
  throw new Error(`examples:runExperiment: id: expected E4, E8 or E10, received ${JSON.stringify(id)}`);
}

export const tasks: TaskModule = {
  'examples:runExperiment': (input: unknown) => runExperiment(input as ExperimentTaskInput),
};
