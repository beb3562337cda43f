/**
 * Running a plan on one machine (Node only): in this thread, or on a local pool of worker threads, one
 * task per worker at a time, the longest estimated first (LPT, so that the workers finish together). With an output folder, each finished task is written as a shard
 * (./shards.ts) and tasks whose valid shard is already there are skipped, so an interrupted run resumes.
 * Results do not depend on the runner, the number of workers or the order tasks finish in: each task
 * seeds its own streams, and the merge reads outputs in plan order. Tasks read the data folders their
 * config names through `nodeLoaders`, in whichever thread runs them.
 * @module
 */
import type { Progress } from '../core/progress.js';
import { checkAbort, checkInteger, checkOptions, checkPath, domainError } from '../core/validate.js';
import { nodeLoaders } from '../node/index.js';
import { createWorkerPool, destroyWorkerPool, runTask, type WorkerPool } from '../parallel/pool.js';
import type { AnyResult } from './experiments.js';
import { checkPlan, longestFirst, mergePlan, type Plan, type PlanTask, runPlanTask } from './plan.js';
import { hasShard, readShard, ShardError, shardPath, writeShard } from './shards.js';

/** Options of {@link runPlan}. */
export interface RunPlanOptions {
  /**
   * Worker threads: 0 (default) runs the tasks one after the other in this thread, in plan order; N >= 1
   * runs them on a pool of N workers, longest estimated first ({@link longestFirst}), each task handed to
   * the first free worker.
   */
  readonly workers?: number;
  /** Shard folder: finished tasks are written there and tasks already there are not run again. */
  readonly out?: string;
  /**
   * Progress: stage 'tasks' (done / total tasks, skipped ones counted as done) and, in this thread, the
   * running task's own stages, prefixed with its index when the plan has several tasks ('task 3: binder').
   */
  readonly onProgress?: (progress: Progress) => void;
  /** Stops before the next task (in this thread) or cancels the pool's tasks. */
  readonly signal?: AbortSignal;
}

/** What {@link runPlan} returns. */
export interface RunPlanResult {
  /** One result per plan point, in point order. */
  readonly results: AnyResult[];
  /** Indices of the tasks run now. */
  readonly ran: number[];
  /** Indices of the tasks whose shard was already in `out`. */
  readonly skipped: number[];
  /** Wall time of each task in seconds, indexed like `plan.tasks` (the `seconds` of its output). */
  readonly taskSeconds: number[];
}

/**
 * Run every task of the plan and merge. Cost: the tasks' own, spread over `workers` threads.
 * @throws (rejects) DomainError for a bad plan or worker count; the first failing task's error;
 *   AbortError on `signal`.
 * @example
 * const plan = planSweep('E4', { preset: 'full' });
 * const { results } = await runPlan(plan, { workers: 2, out: 'shards/e4' });
 */
export async function runPlan(plan: Plan, options: RunPlanOptions = {}): Promise<RunPlanResult> {
  const fn = 'runPlan';
  const checked = checkPlan(plan, `${fn}: plan`);
  options = checkOptions(options, `${fn}: options`, ['workers', 'out', 'onProgress', 'signal']);
  const workers = checkInteger(options.workers ?? 0, `${fn}: options.workers`, 0, 256);
  const { out, onProgress, signal } = options;
  if (out !== undefined && (typeof out !== 'string' || out.length === 0))
    throw domainError(`${fn}: options.out`, 'a folder path', out);
  const outputs: (AnyResult | undefined)[] = new Array(checked.tasks.length);
  const skipped: number[] = [];
  const pending: PlanTask[] = [];
  for (const task of checked.tasks) {
    if (out !== undefined && hasShard(out, checked, task)) {
      outputs[task.index] = readShard(out, checked, task);
      skipped.push(task.index);
    } else pending.push(task);
  }
  const total = checked.tasks.length;
  let done = skipped.length;
  const finish = (task: PlanTask, output: AnyResult) => {
    if (out !== undefined) writeShard(out, checked, task, output);
    outputs[task.index] = output;
    done++;
    onProgress?.({ stage: 'tasks', done, total, metrics: { task: task.index } });
  };
  onProgress?.({ stage: 'tasks', done, total });
  if (workers === 0) {
    for (const task of pending) {
      checkAbort(signal, fn);
      const output = await runPlanTask(task, {
        signal,
        loaders: nodeLoaders,
        onProgress:
          onProgress &&
          (total === 1 ? onProgress : (p) => onProgress({ ...p, stage: `task ${task.index}: ${p.stage}` })),
      });
      finish(task, output);
    }
  } else if (pending.length > 0) {
    // list scheduling: one pool of one worker per lane, each lane taking the next task (longest first) as
    // soon as its worker is free; one shared pool would send a second task ahead to the first worker that
    // starts, behind a long task, while the other workers are still loading
    const pools = Array.from({ length: Math.min(workers, pending.length) }, () =>
      createWorkerPool({ workers: 1, taskModules: [poolTaskModule()] }),
    );
    const queue = longestFirst(pending);
    let failed = false;
    const lane = async (pool: WorkerPool) => {
      while (queue.length > 0 && !failed) {
        const task = queue.shift()!;
        try {
          const output = await runTask<PlanTask, AnyResult>(pool, 'coarsegrain:planTask', task, { signal });
          finish(task, output);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    try {
      await Promise.all(pools.map(lane));
    } finally {
      await Promise.all(pools.map((pool) => destroyWorkerPool(pool)));
    }
  }
  const all = outputs as AnyResult[];
  return {
    results: mergePlan(checked, all),
    ran: pending.map((t) => t.index),
    skipped,
    taskSeconds: all.map((o) => o.seconds),
  };
}

/** The pool task module beside this file (TypeScript source under tsx/vitest, JavaScript when built). */
function poolTaskModule(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './poolTasks.ts' : './poolTasks.js', here);
}

/**
 * Run task `index` of the plan into the shard folder `out` (the unit of work of a Slurm array job), unless
 * its valid shard is already there. Returns whether it ran.
 * @throws DomainError for a bad index; the task's error.
 */
export async function runPlanTaskToShard(
  plan: Plan,
  index: number,
  out: string,
  options: Omit<RunPlanOptions, 'workers' | 'out'> = {},
): Promise<{ ran: boolean; path: string }> {
  const checked = checkPlan(plan, 'runPlanTaskToShard: plan');
  options = checkOptions(options, 'runPlanTaskToShard: options', ['onProgress', 'signal']);
  checkPath(out, 'runPlanTaskToShard: out');
  checkInteger(index, 'runPlanTaskToShard: index', 0, checked.tasks.length - 1);
  const task = checked.tasks[index]!;
  if (hasShard(out, checked, task)) return { ran: false, path: shardPath(out, task) };
  const output = await runPlanTask(task, { ...options, loaders: nodeLoaders });
  return { ran: true, path: writeShard(out, checked, task, output) };
}

/**
 * Merge the shards of every task of the plan found in `dir`.
 * @throws ShardError naming every task whose shard is missing, truncated, corrupt or foreign (the first
 *   such task's index in `taskIndex`).
 */
export function mergeShards(plan: Plan, dir: string): AnyResult[] {
  const checked = checkPlan(plan, 'mergeShards: plan');
  checkPath(dir, 'mergeShards: dir');
  const outputs: AnyResult[] = [];
  const problems: ShardError[] = [];
  for (const task of checked.tasks) {
    try {
      outputs.push(readShard(dir, checked, task));
    } catch (error) {
      if (!(error instanceof ShardError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((p) => `  ${p.message}`);
    const more = problems.length > 10 ? [`  ... and ${problems.length - 10} more`] : [];
    throw new ShardError(
      `mergeShards: dir: expected a usable shard of each of the ${checked.tasks.length} tasks, received ` +
        `${problems.length} of ${checked.tasks.length} shards not usable:\n${[...shown, ...more].join('\n')}`,
      problems[0]!.taskIndex,
      problems[0]!.reason,
    );
  }
  return mergePlan(checked, outputs);
}
