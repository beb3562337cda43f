/**
 * The `--workers N` flag of the example scripts whose experiment splits into independent tasks (E4 by
 * sigma and ring size, E8 by data set x model, E10 by data source x model; see src/distributed/experiments.ts), and the run it
 * selects: the experiment as a plan of the distributed runner (`runPlan`), on N worker threads of this
 * machine. The result is bit-identical to the single-thread run for any N (only `seconds` differs).
 */
import type { OnProgress } from '../../src/core/progress.js';
import type { ExperimentId } from '../../src/distributed/experiments.js';
import { planSweep } from '../../src/distributed/plan.js';
import { runPlan } from '../../src/distributed/runners.js';
import type { ExperimentResult, PresetConfig } from '../../src/experiments/types.js';
import type { ExtraFlag } from './presetFlags.js';

/** The `--workers N` flag (presetCli `extraFlags`); reproduce-all passes it to the scripts that use it. */
export const WORKERS_FLAG = {
  workers: {
    type: 'number',
    default: 1,
    help: 'worker threads; the experiment runs as independent tasks, with the same result for any N',
  },
} as const satisfies Record<string, ExtraFlag>;

/** Options of {@link runOnWorkers}. */
export interface RunOnWorkersOptions {
  readonly seed: number;
  /** Worker threads; 1 (or less): the whole run in this thread, with the experiment's own progress. */
  readonly workers: number;
  /** Per finished task (stage 'tasks') on workers; the experiment's own stages in this thread. */
  readonly onProgress?: OnProgress;
}

/**
 * `runEN(config, { seed })` of experiment `id`, as a one-point plan run by `runPlan`: with `workers > 1`
 * split into its tasks on a pool of that many threads, otherwise one task in this thread. Data folders in
 * the config are read through `nodeLoaders` wherever a task runs.
 */
export async function runOnWorkers<C extends object, M extends object>(
  id: ExperimentId,
  config: PresetConfig<C>,
  options: RunOnWorkersOptions,
): Promise<ExperimentResult<C, M>> {
  const { seed, workers, onProgress } = options;
  const split = workers > 1;
  const plan = planSweep(id, config as Record<string, unknown>, {
    seeds: [seed],
    split: split ? 'auto' : 'none',
  });
  const { results } = await runPlan(plan, {
    workers: split ? workers : 0,
    ...(onProgress ? { onProgress } : {}),
  });
  return results[0] as unknown as ExperimentResult<C, M>;
}
