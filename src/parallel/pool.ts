/**
 * A small pool of worker threads (Node only: `node:worker_threads`) for independent, coarse tasks:
 * ensembles at many temperatures, replicas, chains, row blocks of a large matrix product. A task is a
 * function registered under a name in a task module that every worker loads (the built-in tasks of
 * ./tasks.ts plus the `taskModules` given at creation); inputs and outputs are structured-cloned (typed
 * arrays on a SharedArrayBuffer are shared, not copied). Results come back in submission order, so a
 * computation whose tasks seed their own generators (`deriveRng(seed, ..., taskIndex)`) gives the same
 * result with any number of workers.
 * @module
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  AbortError,
  CoarseGrainError,
  DivergenceError,
  DomainError,
  FormatError,
  ShapeError,
  StateError,
} from '../core/errors.js';
import { checkAbort, checkInteger, checkOptions, domainError, optionKeys } from '../core/validate.js';

/** The keys accepted by the options objects of this module (checked by the compiler against their types). */
const WORKER_POOL_OPTIONS_KEYS = optionKeys<WorkerPoolOptions>({ workers: true, taskModules: true });
const TASK_RUN_OPTIONS_KEYS = optionKeys<TaskRunOptions>({ signal: true });

/** A task body: runs in a worker on one structured-cloned input; may be async. */
export type TaskFunction<I = unknown, O = unknown> = (input: I) => O | Promise<O>;

/** What a task module exports: `export const tasks: TaskModule = { name: fn, ... }`. */
export type TaskModule = Readonly<Record<string, TaskFunction>>;

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Number of worker threads, integer >= 1 (default: the machine's available parallelism). */
  readonly workers?: number;
  /**
   * Extra task modules (file URLs or absolute paths) each exporting `tasks` ({@link TaskModule}). Loaded by
   * every worker after the built-in tasks; a name registered twice keeps the later function.
   */
  readonly taskModules?: readonly (string | URL)[];
}

/** Options of {@link runTask} and {@link mapParallel}. */
export interface TaskRunOptions {
  /**
   * Cancels the call: queued tasks are dropped, workers running its tasks are terminated (and replaced),
   * and the promise rejects with an AbortError.
   */
  readonly signal?: AbortSignal;
}

/** A task failed with an error that is not a coarsegrain error (its name and message are kept). */
export class WorkerTaskError extends CoarseGrainError {
  override name = 'WorkerTaskError';
  /** Name of the task that failed. */
  readonly taskName: string;
  /** `name` of the original error (e.g. 'TypeError'). */
  readonly originalName: string;
  constructor(message: string, taskName: string, originalName: string) {
    super(message);
    this.taskName = taskName;
    this.originalName = originalName;
  }
}

/** A pool handle: pass it to {@link runTask}, {@link mapParallel} and the parallel algorithms. */
export interface WorkerPool {
  /** Number of worker threads. */
  readonly size: number;
  /** True after {@link destroyWorkerPool}. */
  readonly destroyed: boolean;
}

interface SerializedError {
  readonly name: string;
  readonly message: string;
}

type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly output: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

interface Job {
  readonly id: number;
  readonly name: string;
  readonly input: unknown;
  readonly owner: object;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Jobs sent to this worker and not answered yet, oldest first (at most {@link IN_FLIGHT}). */
  jobs: Job[];
  ready: boolean;
}

/**
 * Jobs sent ahead to each worker: with two, a worker starts its next task without waiting for the main
 * thread to wake up and dispatch it (which can take many milliseconds on a loaded machine).
 */
const IN_FLIGHT = 2;

interface PoolState extends WorkerPool {
  destroyed: boolean;
  readonly slots: Slot[];
  readonly queue: Job[];
  readonly workerData: { entry: string; tsxApi: string | null; taskModules: string[] };
  nextId: number;
  broken: Error | null;
}

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  CoarseGrainError,
  ShapeError,
  DomainError,
  StateError,
  FormatError,
  AbortError,
  DivergenceError,
};

/** Rebuild an error thrown in a worker: coarsegrain errors keep their class, others become WorkerTaskError. */
function reviveError(error: SerializedError, taskName: string): Error {
  const Ctor = ERROR_CLASSES[error.name];
  if (Ctor) return new Ctor(error.message);
  return new WorkerTaskError(
    `task ${JSON.stringify(taskName)} failed in a worker: ${error.name}: ${error.message}`,
    taskName,
    error.name,
  );
}

/**
 * The worker bootstrap. From the built library (dist/, .js) it imports the compiled worker entry; from
 * TypeScript sources (tsx, vitest) it first registers tsx's ESM loader (a dev dependency) so that the
 * worker can import .ts files.
 */
export const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const load = workerData.tsxApi
  ? import(workerData.tsxApi).then((api) => { api.register(); return import(workerData.entry); })
  : import(workerData.entry);
load.catch((error) => { setImmediate(() => { throw error; }); });
`;

/**
 * The `workerData` fields that {@link BOOTSTRAP} reads to start the worker entry `name` of this folder
 * (`'worker'` for the pool): the entry's URL (.ts from sources, .js from the built library) and, from
 * sources, tsx's ESM API to register first.
 */
export function workerEntry(name: string): { entry: string; tsxApi: string | null } {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const entry = new URL(fromSource ? `./${name}.ts` : `./${name}.js`, here).href;
  let tsxApi: string | null = null;
  if (fromSource) {
    // tsx's ESM API (its CommonJS build cannot register from the bootstrap script)
    const cjs = createRequire(here).resolve('tsx/esm/api');
    tsxApi = pathToFileURL(cjs.replace(/index\.cjs$/, 'index.mjs')).href;
  }
  return { entry, tsxApi };
}

function workerSetup(taskModules: readonly (string | URL)[]): PoolState['workerData'] {
  const { entry, tsxApi } = workerEntry('worker');
  const modules = taskModules.map((m, i) => {
    if (m instanceof URL) return m.href;
    if (typeof m === 'string' && m.startsWith('file:')) return m;
    if (typeof m === 'string' && m.length > 0) return pathToFileURL(m).href;
    throw domainError(`createWorkerPool: taskModules[${i}]`, 'a file URL or an absolute path', m);
  });
  return { entry, tsxApi, taskModules: modules };
}

function spawn(state: PoolState, index: number): Slot {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: state.workerData });
  const slot: Slot = { worker, jobs: [], ready: false };
  worker.unref();
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'ready') {
      slot.ready = true;
      if (state.slots[index] === slot) dispatch(state);
      return;
    }
    const at = slot.jobs.findIndex((j) => j.id === message.id);
    if (at < 0) return;
    const job = slot.jobs.splice(at, 1)[0]!;
    if (message.type === 'result') job.resolve(message.output);
    else job.reject(reviveError(message.error, job.name));
    dispatch(state);
  });
  worker.on('error', (error: Error) => {
    if (state.slots[index] !== slot || state.destroyed) return;
    const jobs = slot.jobs.splice(0);
    if (!slot.ready) {
      // the worker could not start (bad task module, ...): every call fails the same way
      state.broken = new StateError(`worker pool: a worker failed to start: ${error.message}`);
      failAll(state, state.broken);
      return;
    }
    // the failing task is the one running (the oldest); the others go back to the queue
    const job = jobs.shift();
    job?.reject(reviveError({ name: error.name, message: error.message }, job.name));
    state.queue.unshift(...jobs);
    replace(state, index);
  });
  worker.on('exit', () => {
    if (state.slots[index] !== slot || state.destroyed || state.broken) return;
    const jobs = slot.jobs.splice(0);
    const job = jobs.shift();
    job?.reject(new StateError(`worker pool: the worker running task ${JSON.stringify(job.name)} exited`));
    state.queue.unshift(...jobs);
    replace(state, index);
  });
  return slot;
}

function replace(state: PoolState, index: number): void {
  const old = state.slots[index]!;
  state.slots[index] = spawn(state, index);
  void old.worker.terminate();
  dispatch(state);
}

function failAll(state: PoolState, error: Error): void {
  for (const slot of state.slots) {
    for (const job of slot.jobs.splice(0)) job.reject(error);
  }
  for (const job of state.queue.splice(0)) job.reject(error);
}

function dispatch(state: PoolState): void {
  // fill the least loaded ready workers first, up to IN_FLIGHT jobs each
  for (let depth = 1; depth <= IN_FLIGHT && state.queue.length > 0; depth++) {
    for (const slot of state.slots) {
      if (state.queue.length === 0) break;
      if (!slot.ready || slot.jobs.length >= depth) continue;
      const job = state.queue.shift()!;
      slot.jobs.push(job);
      slot.worker.postMessage({ id: job.id, name: job.name, input: job.input });
    }
  }
  // idle workers must not keep the process alive; starting ones must while tasks wait for them
  const waiting = state.queue.length > 0;
  for (const slot of state.slots) {
    if (slot.jobs.length > 0 || (waiting && !slot.ready)) slot.worker.ref();
    else slot.worker.unref();
  }
}

/**
 * Assert that `pool` is a live pool made by {@link createWorkerPool} (not `{}`, not destroyed). Parallel
 * functions call it first, before any work or copy, so a bad pool fails fast even when no task would
 * be dispatched.
 * @throws DomainError for something that is not a pool; StateError for a destroyed one.
 */
export function checkWorkerPool(pool: WorkerPool, fn: string): void {
  asState(pool, fn);
}

function asState(pool: WorkerPool, fn: string): PoolState {
  const state = pool as PoolState;
  if (pool === null || typeof pool !== 'object' || !Array.isArray(state.slots)) {
    throw domainError(`${fn}: pool`, 'a pool made by createWorkerPool', pool);
  }
  if (state.destroyed) throw new StateError(`${fn}: pool: expected a live pool, received a destroyed one`);
  if (state.broken) throw state.broken;
  return state;
}

/**
 * Start a pool of worker threads. Workers start in the background; tasks submitted meanwhile wait.
 * Idle workers do not keep the process alive, but call {@link destroyWorkerPool} when done.
 * @throws DomainError for a bad `workers` count or task module.
 * @example
 * const pool = createWorkerPool({ workers: 2 });
 * const ensembles = await sampleEnsemblesParallel(pool, model, [2, 2.27, 2.5], { seed: 1, samples: 1000 });
 * await destroyWorkerPool(pool);
 */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  options = checkOptions(options, 'createWorkerPool: options', WORKER_POOL_OPTIONS_KEYS);
  const size = checkInteger(options.workers ?? availableParallelism(), 'createWorkerPool: workers', 1, 256);
  if (options.taskModules !== undefined && !Array.isArray(options.taskModules))
    throw domainError('createWorkerPool: taskModules', 'a list of module paths or URLs', options.taskModules);
  const state: PoolState = {
    size,
    destroyed: false,
    slots: [],
    queue: [],
    workerData: workerSetup(options.taskModules ?? []),
    nextId: 0,
    broken: null,
  };
  for (let i = 0; i < size; i++) state.slots.push(spawn(state, i));
  return state;
}

/** Terminate the workers. Tasks still queued or running reject with a StateError. Idempotent. */
export async function destroyWorkerPool(pool: WorkerPool): Promise<void> {
  const state = pool as PoolState;
  if (pool === null || typeof pool !== 'object' || !Array.isArray(state.slots))
    throw domainError('destroyWorkerPool: pool', 'a pool made by createWorkerPool', pool);
  if (state.destroyed) return;
  state.destroyed = true;
  failAll(state, new StateError('worker pool: destroyed while the task was pending'));
  // keep the event loop alive until every worker has exited (an idle, unref'ed worker being terminated
  // does not, and the process would end with this promise pending)
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await Promise.all(state.slots.map((slot) => slot.worker.terminate()));
  } finally {
    clearInterval(keepAlive);
  }
}

function submit(state: PoolState, name: string, input: unknown, owner: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    state.queue.push({ id: state.nextId++, name, input, owner, resolve, reject });
    dispatch(state);
  });
}

/**
 * Run every input through the task `taskName` on the pool; resolves to the outputs in input order (not
 * completion order), so the result does not depend on the number of workers when the task is a pure
 * function of its input. The first failing task rejects the call (its error class kept for coarsegrain
 * errors; others arrive as {@link WorkerTaskError}); the other tasks of the call still run.
 * @throws (rejects) DomainError for a bad pool, task name or inputs; StateError for a destroyed pool or one
 * whose workers failed to start; AbortError when `signal` aborts; the task's error.
 */
export async function mapParallel<I, O>(
  pool: WorkerPool,
  taskName: string,
  inputs: readonly I[],
  options: TaskRunOptions = {},
): Promise<O[]> {
  options = checkOptions(options, 'mapParallel: options', TASK_RUN_OPTIONS_KEYS);
  const fn = 'mapParallel';
  const state = asState(pool, fn);
  if (typeof taskName !== 'string' || taskName.length === 0) {
    throw domainError(`${fn}: taskName`, 'a non-empty string', taskName);
  }
  if (!Array.isArray(inputs)) throw domainError(`${fn}: inputs`, 'an array', inputs);
  const { signal } = options;
  checkAbort(signal, fn);
  if (inputs.length === 0) return [];
  const owner = {};
  const all = Promise.all(inputs.map((input) => submit(state, taskName, input, owner))) as Promise<O[]>;
  if (!signal) return all;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      const error = new AbortError(`${fn}: aborted`);
      for (let i = state.queue.length - 1; i >= 0; i--) {
        if (state.queue[i]!.owner === owner) state.queue.splice(i, 1)[0]!.reject(error);
      }
      state.slots.forEach((slot, index) => {
        if (slot.jobs.some((j) => j.owner === owner)) {
          // stop the worker; jobs of other calls sent to it go back to the queue
          const jobs = slot.jobs.splice(0);
          for (const job of jobs) if (job.owner === owner) job.reject(error);
          state.queue.unshift(...jobs.filter((job) => job.owner !== owner));
          replace(state, index);
        }
      });
      reject(error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([all, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** Run one task on the pool (see {@link mapParallel}). */
export async function runTask<I, O>(
  pool: WorkerPool,
  taskName: string,
  input: I,
  options: TaskRunOptions = {},
): Promise<O> {
  options = checkOptions(options, 'runTask: options', TASK_RUN_OPTIONS_KEYS);
  const [output] = await mapParallel<I, O>(pool, taskName, [input], options);
  return output as O;
}
