/**
 * Task plans: an experiment, or a sweep over a grid of config values and seeds, as a list of independent,
 * JSON-serialisable tasks plus a merge. Each task is one in-process `runEN(config, { seed })` call (or,
 * for an experiment with a split, one piece of it, e.g. one U(T) curve of E4), so the merged result of a point
 * is bit-identical to the in-process run of that point whatever ran the tasks, where and in which order;
 * only the wall time `seconds` differs (a split point reports the sum over its tasks).
 *
 * A task's id is the SHA-256 of its content (library version, experiment, stage, config, seed): a task
 * whose output is already on disk is not run again, and a plan's hash covers all its tasks. Portable: no
 * Node imports.
 * @module
 */
import { DomainError, FormatError } from '../core/errors.js';
import { checkInteger, checkObjectList, checkOptions, domainError } from '../core/validate.js';
import type { ExperimentOptions } from '../experiments/types.js';
import { resolvePreset } from '../experiments/types.js';
import { VERSION } from '../version.js';
import { canonicalJson, decodeJson } from './codec.js';
import { type AnyResult, EXPERIMENT_IDS, EXPERIMENTS, type ExperimentId } from './experiments.js';
import { sha256Hex } from './sha256.js';

/** One independent piece of work: `runEN(config, { seed })` of experiment `experiment`. */
export interface PlanTask {
  /** Content hash (64 hex digits) of version, experiment, stage, config and seed. */
  readonly id: string;
  /** Position in the plan's task list. */
  readonly index: number;
  /** Index of the sweep point this task belongs to. */
  readonly point: number;
  readonly experiment: ExperimentId;
  /**
   * 'run' (a whole runEN call) or a stage of the experiment's split: E4 'sigma' (runE4 on one sigma and the
   * two largest sizes) and 'binder' (runE4Binder: the U(T) curve of one sigma and a smaller size), E8
   * 'dataset-model', E10 'source-model'.
   */
  readonly stage: string;
  /** The config given to runEN (fields of the experiment's config plus `preset`). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The seed given to runEN: every stream of the run is `deriveRng(seed, 'EN', ...)`. */
  readonly seed: number;
}

/** One point of a sweep: a config and a seed, whose result is the merge of its tasks. */
export interface PlanPoint {
  readonly config: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** Indices of its tasks in the plan's task list, in merge order. */
  readonly tasks: readonly number[];
}

/** A plan: sweep points, their tasks, and a hash of it all. JSON-serialisable (see {@link planToJson}). */
export interface Plan {
  readonly format: 'coarsegrain-plan';
  readonly formatVersion: 1;
  /** Library version that made the plan (results depend on it). */
  readonly version: string;
  readonly experiment: ExperimentId;
  readonly points: readonly PlanPoint[];
  readonly tasks: readonly PlanTask[];
  /** SHA-256 of everything above. */
  readonly hash: string;
}

/** Options of {@link planSweep}. */
export interface SweepOptions {
  /**
   * Config values to sweep: field -> list of values; the points are the cartesian product (first field
   * slowest). A list field's values are lists (`{ sizes: [[32, 64], [64, 128]] }`). Default: no grid.
   */
  readonly grid?: Readonly<Record<string, readonly unknown[]>>;
  /** Seeds, each an integer >= 0, distinct (default [1]); the seed loop is the innermost. */
  readonly seeds?: readonly number[];
  /**
   * 'auto' (default) splits the points of experiments that have a split (E4 by sigma and ring size, E8 by
   * data set x model, E10 by data source x model; see ./experiments.ts); 'none' never.
   */
  readonly split?: 'auto' | 'none';
}

function checkExperiment(experiment: unknown, name: string): ExperimentId {
  const id = typeof experiment === 'string' ? experiment.toUpperCase() : experiment;
  if (!EXPERIMENT_IDS.includes(id as ExperimentId))
    throw domainError(name, `one of ${EXPERIMENT_IDS.join(', ')}`, experiment);
  return id as ExperimentId;
}

function checkSeed(seed: unknown, name: string): number {
  return checkInteger(seed, name, 0, Number.MAX_SAFE_INTEGER);
}

/** The content hash of a task. */
export function taskId(experiment: ExperimentId, stage: string, config: object, seed: number): string {
  checkExperiment(experiment, 'taskId: experiment');
  if (typeof stage !== 'string' || stage.length === 0)
    throw domainError('taskId: stage', 'a non-empty string', stage);
  if (!isRecord(config)) throw domainError('taskId: config', 'a config object', config);
  checkInteger(seed, 'taskId: seed', 0);
  return sha256Hex(
    canonicalJson({ format: 'coarsegrain-task', version: VERSION, experiment, stage, config, seed }),
  );
}

function planHash(plan: Omit<Plan, 'hash'>): string {
  const { format, formatVersion, version, experiment, points, tasks } = plan;
  return sha256Hex(canonicalJson({ format, formatVersion, version, experiment, points, tasks }));
}

/** The tasks of one point (one 'run' task, or one per part of the experiment's split). */
function pointTasks(
  experiment: ExperimentId,
  config: Record<string, unknown>,
  split: boolean,
): { stage: string; config: Record<string, unknown> }[] {
  const entry = EXPERIMENTS[experiment];
  if (split && entry.split) {
    const resolved = resolvePreset(`planSweep: ${experiment}`, config, entry.presets).config;
    const parts = entry.split.parts(resolved as Record<string, unknown>);
    if (parts.length > 1)
      return parts.map((part) => ({ stage: part.stage, config: { ...config, ...part.overrides } }));
  }
  return [{ stage: 'run', config }];
}

/**
 * A plan for experiment `experiment` at config `base` (its `preset` plus overrides of its config fields, as
 * `runEN` takes it),
 * swept over `options.grid` and `options.seeds`. Cost O(points x tasks per point) hashes of the configs.
 * @throws DomainError for an unknown experiment, a config or grid field the experiment does not have, an
 *   empty or non-list grid entry, or bad seeds (the message names the field).
 * @example
 * const plan = planSweep('E4', { preset: 'full' }, { grid: { samples: [1000, 4000] }, seeds: [1, 2, 3] });
 * plan.points.length; // 6
 * plan.tasks.length; // 24 (4 sigmas each)
 */
export function planSweep(
  experiment: string,
  base: Readonly<Record<string, unknown>> = {},
  options: SweepOptions = {},
): Plan {
  const fn = 'planSweep';
  options = checkOptions(options, `${fn}: options`, ['grid', 'seeds', 'split']);
  const id = checkExperiment(experiment, `${fn}: experiment`);
  const entry = EXPERIMENTS[id];
  if (base === null || typeof base !== 'object' || Array.isArray(base))
    throw domainError(`${fn}: base`, 'a config object', base);
  resolvePreset(`${fn}: base`, base, entry.presets);
  const seeds = options.seeds ?? [1];
  if (!Array.isArray(seeds) || seeds.length === 0)
    throw domainError(`${fn}: options.seeds`, 'a non-empty array of integer seeds', seeds);
  for (let i = 0; i < seeds.length; i++) checkSeed(seeds[i], `${fn}: options.seeds[${i}]`);
  if (new Set(seeds).size !== seeds.length)
    throw domainError(`${fn}: options.seeds`, 'distinct seeds', seeds);
  const split = options.split ?? 'auto';
  if (split !== 'auto' && split !== 'none')
    throw domainError(`${fn}: options.split`, "'auto' or 'none'", split);
  const grid = Object.entries(options.grid ?? {});
  let configs: Record<string, unknown>[] = [{ ...base }];
  for (const [field, values] of grid) {
    if (!Array.isArray(values) || values.length === 0)
      throw domainError(`${fn}: options.grid.${field}`, 'a non-empty array of values', values);
    if (new Set(values.map((v) => canonicalJson(v))).size !== values.length)
      throw domainError(`${fn}: options.grid.${field}`, 'distinct values', values);
    configs = configs.flatMap((c) => values.map((v) => ({ ...c, [field]: v })));
  }
  const points: PlanPoint[] = [];
  const tasks: PlanTask[] = [];
  for (const config of configs) {
    // unknown fields are caught here, before anything runs
    resolvePreset(`${fn}: config`, config, entry.presets);
    canonicalJson(config, `${fn}: config`);
    for (const seed of seeds) {
      const pieces = pointTasks(id, config, split === 'auto');
      const indices: number[] = [];
      for (const piece of pieces) {
        indices.push(tasks.length);
        tasks.push({
          id: taskId(id, piece.stage, piece.config, seed),
          index: tasks.length,
          point: points.length,
          experiment: id,
          stage: piece.stage,
          config: piece.config,
          seed,
        });
      }
      points.push({ config, seed, tasks: indices });
    }
  }
  const body = {
    format: 'coarsegrain-plan',
    formatVersion: 1,
    version: VERSION,
    experiment: id,
    points,
    tasks,
  } as const;
  return { ...body, hash: planHash(body) };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * Check one task as it arrives from a file or a queue, before anything runs: its fields have the right
 * types, the experiment exists, its config has only that experiment's fields, and its id is the hash of
 * its content (so a task cannot be altered without changing its id). Job data is only ever read as data.
 * @throws DomainError naming the bad field; FormatError when the id does not match the content.
 */
export function checkPlanTask(task: unknown, name = 'checkPlanTask: task'): PlanTask {
  if (!isRecord(task)) throw domainError(name, 'a task object', task);
  const experiment = checkExperiment(task.experiment, `${name}.experiment`);
  if (typeof task.stage !== 'string') throw domainError(`${name}.stage`, 'a string', task.stage);
  const entry = EXPERIMENTS[experiment];
  const stages = ['run', ...Object.keys(entry.split?.stages ?? {})];
  if (!stages.includes(task.stage))
    throw domainError(`${name}.stage`, `one of ${stages.join(', ')}`, task.stage);
  if (!isRecord(task.config)) throw domainError(`${name}.config`, 'a config object', task.config);
  resolvePreset(`${name}.config`, task.config, entry.presets);
  const seed = checkSeed(task.seed, `${name}.seed`);
  const index = checkInteger(task.index, `${name}.index`, 0);
  const point = checkInteger(task.point, `${name}.point`, 0);
  if (typeof task.id !== 'string' || !/^[0-9a-f]{64}$/.test(task.id))
    throw domainError(`${name}.id`, '64 hex digits', task.id);
  const expected = taskId(experiment, task.stage, task.config, seed);
  if (expected !== task.id)
    throw new FormatError(
      `${name}.id: expected the hash of the task's content ${expected.slice(0, 12)}..., received ${task.id.slice(0, 12)}... (task ${index} was altered, or made by another coarsegrain version than ${VERSION})`,
    );
  return { id: task.id, index, point, experiment, stage: task.stage, config: task.config, seed };
}

/**
 * Check a plan read from JSON: every task (see {@link checkPlanTask}), the points' task lists, and the
 * plan hash.
 * @throws DomainError / FormatError naming what is wrong.
 */
export function checkPlan(plan: unknown, name = 'checkPlan: plan'): Plan {
  if (!isRecord(plan) || plan.format !== 'coarsegrain-plan')
    throw domainError(name, "a plan object with format 'coarsegrain-plan'", plan);
  if (plan.formatVersion !== 1) throw domainError(`${name}.formatVersion`, '1', plan.formatVersion);
  if (plan.version !== VERSION)
    throw new FormatError(
      `${name}.version: expected a plan made by coarsegrain ${VERSION}, received ${String(plan.version)} (make the plan again)`,
    );
  const experiment = checkExperiment(plan.experiment, `${name}.experiment`);
  if (!Array.isArray(plan.tasks) || plan.tasks.length === 0)
    throw domainError(`${name}.tasks`, 'a non-empty array of tasks', plan.tasks);
  if (!Array.isArray(plan.points) || plan.points.length === 0)
    throw domainError(`${name}.points`, 'a non-empty array of points', plan.points);
  const tasks = plan.tasks.map((t, i) => {
    const task = checkPlanTask(t, `${name}.tasks[${i}]`);
    if (task.index !== i) throw domainError(`${name}.tasks[${i}].index`, String(i), task.index);
    if (task.experiment !== experiment)
      throw domainError(`${name}.tasks[${i}].experiment`, experiment, task.experiment);
    return task;
  });
  const seen = new Set<number>();
  const points = plan.points.map((p, i) => {
    if (!isRecord(p) || !isRecord(p.config) || !Array.isArray(p.tasks) || p.tasks.length === 0)
      throw domainError(`${name}.points[${i}]`, 'a point { config, seed, tasks }', p);
    const seed = checkSeed(p.seed, `${name}.points[${i}].seed`);
    for (const t of p.tasks) {
      if (!Number.isInteger(t) || tasks[t as number]?.point !== i || seen.has(t as number))
        throw domainError(
          `${name}.points[${i}].tasks`,
          `indices of the tasks of point ${i}, each once`,
          p.tasks,
        );
      seen.add(t as number);
    }
    resolvePreset(`${name}.points[${i}].config`, p.config, EXPERIMENTS[experiment].presets);
    // the point's tasks must be exactly the pieces its config splits into
    const split = tasks[p.tasks[0] as number]!.stage !== 'run';
    const expected = pointTasks(experiment, p.config, split).map((t) =>
      taskId(experiment, t.stage, t.config, seed),
    );
    const given = (p.tasks as number[]).map((t) => tasks[t]!.id);
    if (canonicalJson(expected) !== canonicalJson(given))
      throw domainError(`${name}.points[${i}].tasks`, 'the tasks its config and seed split into', p.tasks);
    return { config: p.config, seed, tasks: p.tasks as number[] };
  });
  if (seen.size !== tasks.length)
    throw domainError(
      `${name}.points`,
      'points that list every task once',
      `${seen.size} of ${tasks.length}`,
    );
  const body = {
    format: 'coarsegrain-plan',
    formatVersion: 1,
    version: VERSION,
    experiment,
    points,
    tasks,
  } as const;
  const hash = planHash(body);
  if (plan.hash !== hash)
    throw new FormatError(
      `${name}.hash: expected ${hash.slice(0, 12)}... (the hash of the plan's content), received ${String(plan.hash).slice(0, 12)}...`,
    );
  return { ...body, hash };
}

/** A plan as JSON text (lossless; see ./codec.ts). */
export function planToJson(plan: Plan): string {
  checkPlan(plan, 'planToJson: plan');
  return `${canonicalJson(plan)}\n`;
}

/**
 * Read a plan from JSON text and check it ({@link checkPlan}).
 * @throws FormatError for invalid JSON; the errors of {@link checkPlan}.
 */
export function planFromJson(text: string): Plan {
  return checkPlan(decodeJson(text));
}

/**
 * Estimated relative cost of a task, in arbitrary units proportional to its run time, from its
 * experiment's cost model (E4: cluster steps x N log N; see ./experiments.ts); NaN for an experiment
 * without one. Only compare costs of one experiment.
 * @example taskCost(planSweep('E4', { preset: 'full' }).tasks[3]!); // the runE4 task of sigma 0.4, sizes 256 and 512: the largest
 */
export function taskCost(task: PlanTask): number {
  return costOf(task, 'taskCost: task');
}

function costOf(task: PlanTask, name: string): number {
  const t = checkPlanTask(task, name);
  const entry = EXPERIMENTS[t.experiment];
  if (!entry.cost) return Number.NaN;
  const config = resolvePreset(`${name}.config`, t.config, entry.presets).config;
  return entry.cost(t.stage, config as Record<string, unknown>);
}

/**
 * The tasks in the order a pool should start them: longest estimated cost first (LPT; see
 * {@link taskCost}), equal costs in the given order, tasks without an estimate last in the given order.
 * @throws DomainError / FormatError for a list that is not of valid plan tasks (naming the element).
 * With a pool that hands each task to the first free worker, LPT keeps the makespan within 4/3 of the
 * best possible.
 * @example longestFirst(plan.tasks).map((t) => t.index); // the E4 'sigma' tasks first, then the Binder ones from the largest ring down
 */
export function longestFirst(tasks: readonly PlanTask[]): PlanTask[] {
  if (!Array.isArray(tasks)) throw domainError('longestFirst: tasks', 'an array of plan tasks', tasks);
  const costs = tasks.map((t, i) => costOf(t, `longestFirst: tasks[${i}]`));
  const key = (i: number) => (Number.isNaN(costs[i]!) ? Number.NEGATIVE_INFINITY : costs[i]!);
  return tasks
    .map((_, i) => i)
    .sort((a, b) => key(b) - key(a) || a - b)
    .map((i) => tasks[i]!);
}

/**
 * Makespan of list scheduling: jobs of durations `times` (>= 0, any unit) taken in the given order, each by
 * the first free of `workers` workers (what the local pool runner does). sum(times) / makespan is the
 * ideal speed-up of those jobs on that many workers (no overhead). O(n x workers).
 * @throws DomainError for negative or non-finite times or a worker count outside 1..65536.
 * @example listMakespan([3, 3, 2, 2, 2], 2); // 7: one worker runs 3 + 2 + 2, the other 3 + 2 (speed-up 12/7)
 */
export function listMakespan(times: readonly number[], workers: number): number {
  checkInteger(workers, 'listMakespan: workers', 1, 1 << 16);
  if (!Array.isArray(times)) throw domainError('listMakespan: times', 'an array of durations', times);
  const free = new Array<number>(workers).fill(0);
  times.forEach((t, i) => {
    if (!(Number.isFinite(t) && t >= 0))
      throw domainError(`listMakespan: times[${i}]`, 'a finite duration >= 0', t);
    const w = free.indexOf(Math.min(...free));
    free[w] = free[w]! + t;
  });
  return Math.max(...free);
}

/**
 * Run one task in this thread: `runEN(task.config, { seed: task.seed, ...options })`. The task is checked
 * first ({@link checkPlanTask}). A task names its data folders in its config (E8-E10: `mnistDir`, ...),
 * never carries the data: `options.loaders` reads them (the Node runners of ./runners.ts, the pool and the
 * Redis workers pass `nodeLoaders`).
 */
export async function runPlanTask(
  task: PlanTask,
  options: Omit<ExperimentOptions, 'seed'> = {},
): Promise<AnyResult> {
  const t = checkPlanTask(task, 'runPlanTask: task');
  options = checkOptions(options, 'runPlanTask: options', ['onProgress', 'signal', 'loaders']);
  const entry = EXPERIMENTS[t.experiment];
  const run = (t.stage === 'run' ? null : entry.split?.stages[t.stage]) ?? entry.run;
  return run(t.config, { ...options, seed: t.seed });
}

/**
 * The result of one point from its tasks' outputs: the output itself for a 'run' task; for a split point,
 * the parts recombined in list order with the whole point's preset name and parameters (what runEN of the
 * whole point returns) and `seconds` the sum of the parts' wall times.
 * @throws DomainError when an output does not belong to the point (another experiment, seed or stage).
 */
export function mergePoint(plan: Plan, pointIndex: number, outputs: readonly AnyResult[]): AnyResult {
  checkPlan(plan, 'mergePoint: plan');
  checkInteger(pointIndex, 'mergePoint: pointIndex', 0, plan.points.length - 1);
  checkObjectList(outputs as readonly object[], 'mergePoint: outputs', 0, 'experiment results');
  const point = plan.points[pointIndex]!;
  const name = `mergePoint: point ${pointIndex}`;
  if (outputs.length !== point.tasks.length)
    throw domainError(`${name}: outputs`, `${point.tasks.length} outputs`, outputs.length);
  outputs.forEach((o, i) => {
    if (!isRecord(o) || o.id !== plan.experiment || o.seed !== point.seed)
      throw new DomainError(
        `${name}: outputs[${i}]: expected a result of ${plan.experiment} with seed ${point.seed}, received ${isRecord(o) ? `${String(o.id)} seed ${String(o.seed)}` : typeof o} (task ${point.tasks[i]})`,
      );
  });
  const first = plan.tasks[point.tasks[0]!]!;
  if (first.stage === 'run') return outputs[0]!;
  const entry = EXPERIMENTS[plan.experiment];
  const split = entry.split!;
  const whole = resolvePreset(`${name}: config`, point.config, entry.presets);
  const parts = split.parts(whole.config as Record<string, unknown>);
  return {
    ...outputs[0]!,
    preset: whole.preset,
    parameters: whole.config as Record<string, unknown>,
    seconds: outputs.reduce((s, o) => s + o.seconds, 0),
    measured: split.mergeMeasured(
      outputs.map((o) => o.measured),
      parts,
      { config: whole.config as Record<string, unknown>, seed: point.seed },
    ),
    comparisons: outputs.flatMap((o) => o.comparisons),
  };
}

/**
 * The results of every point of the plan, in point order, from the outputs of all tasks (indexed like
 * `plan.tasks`).
 * @throws DomainError for a wrong number of outputs or an output that does not belong to its point.
 */
export function mergePlan(plan: Plan, outputs: readonly AnyResult[]): AnyResult[] {
  checkPlan(plan, 'mergePlan: plan');
  checkObjectList(outputs as readonly object[], 'mergePlan: outputs', 0, 'experiment results');
  if (outputs.length !== plan.tasks.length)
    throw domainError('mergePlan: outputs', `${plan.tasks.length} outputs (one per task)`, outputs.length);
  return plan.points.map((p, i) =>
    mergePoint(
      plan,
      i,
      p.tasks.map((t) => outputs[t]!),
    ),
  );
}
