/**
 * The pool task that runs one plan task in a worker thread (loaded by the local runner's worker pool as a
 * task module; see ../parallel/pool.ts) and by the Redis workers (./bullmq.ts). The task is checked before it
 * runs ({@link checkPlanTask}).
 * @module
 */
import { nodeLoaders } from '../node/index.js';
import type { TaskModule } from '../parallel/pool.js';
import { runPlanTask } from './plan.js';

/**
 * `coarsegrain:planTask`: input a PlanTask, output its runEN result. Data folders named in the task's
 * config are read in the worker, through `nodeLoaders`.
 */
export const tasks: TaskModule = {
  'coarsegrain:planTask': (input: unknown) => runPlanTask(input as never, { loaders: nodeLoaders }),
};
