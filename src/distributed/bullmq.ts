/**
 * Running a plan on BullMQ over Redis (Node only), for many machines without a shared scheduler. A plan
 * becomes one flow (`FlowProducer`): each task is a child job on the queue `coarsegrain-tasks`, the merge
 * is the parent job on `coarsegrain-merge`. Workers (`coarsegrain worker --redis URL`, or
 * {@link startRedisWorker}) take jobs from both queues. A task job retries with exponential backoff; a
 * worker that dies mid-task stops renewing the job's lock, and BullMQ moves the job back to the queue for
 * another worker (stalled-job check), so nothing is lost. Tasks run in a worker thread so that a long
 * computation never blocks the lock renewal.
 *
 * Job data is checked before anything runs (a task: {@link checkPlanTask}; a merge: {@link checkPlan});
 * a malformed job fails at once without retries (UnrecoverableError). Job data is only read as data.
 * Redis is reached only through the URL given: `redis://[[user]:password@]host:port[/db]`, or
 * `rediss://...` for TLS.
 * @module
 */
import { FlowProducer, type Job, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { CoarseGrainError, DomainError, ShapeError } from '../core/errors.js';
import { checkInteger, checkOptions, domainError } from '../core/validate.js';
import { createWorkerPool, destroyWorkerPool, runTask, type WorkerPool } from '../parallel/pool.js';
import { decodeJson, encodeJson } from './codec.js';
import type { AnyResult } from './experiments.js';
import { checkPlan, checkPlanTask, longestFirst, mergePlan, type Plan, type PlanTask } from './plan.js';
import { sha256Hex } from './sha256.js';

/** Queue of the task jobs. */
export const TASK_QUEUE = 'coarsegrain-tasks';
/** Queue of the merge jobs (the flows' parents). */
export const MERGE_QUEUE = 'coarsegrain-merge';

/** The keys of {@link RedisRunOptions} (checked by checkOptions). */
const REDIS_RUN_OPTIONS_KEYS = ['url', 'attempts', 'backoffMs', 'timeoutMs'];

/** The connection options of BullMQ for a Redis URL (checked: redis:// or rediss:// only). */
function connectionFor(url: unknown, name: string): { url: string; maxRetriesPerRequest: null } {
  if (typeof url !== 'string' || !/^rediss?:\/\/[^\s]+$/.test(url))
    throw domainError(name, 'a redis://host:port or rediss://host:port URL', url);
  return { url, maxRetriesPerRequest: null };
}

/** What a task job returns: the task id and its output as lossless JSON with its SHA-256. */
interface TaskJobResult {
  readonly taskId: string;
  readonly payload: string;
  readonly sha256: string;
}

/** Options of {@link startRedisWorker}. */
export interface RedisWorkerOptions {
  /** Redis URL (redis:// or rediss://). */
  readonly url: string;
  /** Tasks run at once by this worker, each in its own worker thread (default 1). */
  readonly concurrency?: number;
  /**
   * Lock duration of a running job in ms (default 30,000): a job whose worker died is handed to another
   * worker after about this long.
   */
  readonly lockDuration?: number;
  /** Called with each job's id and event ('active', 'completed', 'failed'); for logs. */
  readonly onEvent?: (event: 'active' | 'completed' | 'failed', jobId: string, detail?: string) => void;
}

/** A running worker: {@link RedisWorkerHandle.close} stops it after its current jobs. */
export interface RedisWorkerHandle {
  close(): Promise<void>;
}

/** Check a task job's data: `{ planHash, task }`. */
function checkTaskJob(data: unknown): { planHash: string; task: PlanTask } {
  const name = 'coarsegrain worker: job data';
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw domainError(name, 'an object { planHash, task }', data);
  const { planHash, task } = data as Record<string, unknown>;
  if (typeof planHash !== 'string' || !/^[0-9a-f]{64}$/.test(planHash))
    throw domainError(`${name}.planHash`, '64 hex digits', planHash);
  return { planHash, task: checkPlanTask(task, `${name}.task`) };
}

/** Any error in checking job data becomes an UnrecoverableError: no retry of a job that cannot be valid. */
function unrecoverable<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof CoarseGrainError) throw new UnrecoverableError(`${error.name}: ${error.message}`);
    throw error;
  }
}

/**
 * Start a worker on the task and merge queues of the Redis at `options.url`.
 * @throws DomainError for a bad URL or concurrency.
 */
export function startRedisWorker(options: RedisWorkerOptions): RedisWorkerHandle {
  options = checkOptions(
    options,
    'startRedisWorker: options',
    ['url', 'concurrency', 'lockDuration', 'onEvent'],
    true,
  );
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function')
    throw domainError('startRedisWorker: options.onEvent', 'a function', options.onEvent);
  const connection = connectionFor(options.url, 'startRedisWorker: options.url');
  const concurrency = checkInteger(options.concurrency ?? 1, 'startRedisWorker: options.concurrency', 1, 256);
  const lockDuration = checkInteger(
    options.lockDuration ?? 30_000,
    'startRedisWorker: options.lockDuration',
    500,
  );
  const { onEvent } = options;
  const taskModule = new URL(
    import.meta.url.endsWith('.ts') ? './poolTasks.ts' : './poolTasks.js',
    import.meta.url,
  );
  // the threads start now, so that the first task does not wait for them
  const pool: WorkerPool = createWorkerPool({ workers: concurrency, taskModules: [taskModule] });
  const tasks = new Worker(
    TASK_QUEUE,
    async (job: Job): Promise<TaskJobResult> => {
      const { task } = unrecoverable(() => checkTaskJob(job.data));
      let output: AnyResult;
      try {
        output = await runTask<PlanTask, AnyResult>(pool, 'coarsegrain:planTask', task);
      } catch (error) {
        // a config the experiment refuses (DomainError, ShapeError) is refused again on every attempt
        if (error instanceof DomainError || error instanceof ShapeError)
          throw new UnrecoverableError(`${error.name}: ${error.message}`);
        throw error;
      }
      const payload = encodeJson(output);
      return { taskId: task.id, payload, sha256: sha256Hex(payload) };
    },
    { connection, concurrency, lockDuration, stalledInterval: Math.max(250, Math.floor(lockDuration / 2)) },
  );
  const merges = new Worker(
    MERGE_QUEUE,
    async (job: Job): Promise<string> => {
      const plan = unrecoverable(() =>
        checkPlan((job.data as { plan?: unknown } | null)?.plan, 'merge job: plan'),
      );
      const values = Object.values(await job.getChildrenValues()) as TaskJobResult[];
      const byId = new Map(values.map((v) => [v.taskId, v]));
      const outputs = plan.tasks.map((task) => {
        const value = byId.get(task.id);
        if (!value || typeof value.payload !== 'string' || sha256Hex(value.payload) !== value.sha256)
          throw new UnrecoverableError(
            `merge job: task ${task.index} (id ${task.id.slice(0, 12)}): expected its checked output, received ${value ? 'a corrupt one' : 'none'}`,
          );
        return decodeJson(value.payload) as AnyResult;
      });
      return encodeJson(mergePlan(plan, outputs));
    },
    { connection, concurrency: 1 },
  );
  for (const worker of [tasks, merges]) {
    worker.on('active', (job) => onEvent?.('active', String(job.id)));
    worker.on('completed', (job) => onEvent?.('completed', String(job.id)));
    worker.on('failed', (job, error) => onEvent?.('failed', String(job?.id), error.message));
    worker.on('error', () => undefined); // connection errors: BullMQ reconnects
  }
  return {
    async close() {
      await Promise.all([tasks.close(), merges.close()]);
      await destroyWorkerPool(pool);
    },
  };
}

/** Options of {@link runPlanOnRedis}. */
export interface RedisRunOptions {
  /** Redis URL (redis:// or rediss://). */
  readonly url: string;
  /** Attempts per task job (default 3), with exponential backoff from `backoffMs` (default 1000). */
  readonly attempts?: number;
  readonly backoffMs?: number;
  /** Give up waiting after this many ms (default: wait forever). */
  readonly timeoutMs?: number;
}

/**
 * Enqueue the plan as one flow (tasks as children, merge as parent), wait for the merge, and return one
 * result per point, bit-identical to {@link runPlan}'s. Job ids derive from the plan hash and task ids, so
 * enqueuing the same plan again while its flow exists adds no duplicate jobs. Needs workers
 * ({@link startRedisWorker}) on the same Redis.
 * @throws (rejects) DomainError for a bad plan or URL; CoarseGrainError when a task failed all its
 *   attempts or the merge failed (BullMQ's message kept).
 */
export async function runPlanOnRedis(plan: Plan, options: RedisRunOptions): Promise<AnyResult[]> {
  const checked = checkPlan(plan, 'runPlanOnRedis: plan');
  options = checkOptions(options, 'runPlanOnRedis: options', REDIS_RUN_OPTIONS_KEYS, true);
  const connection = connectionFor(options.url, 'runPlanOnRedis: options.url');
  const attempts = checkInteger(options.attempts ?? 3, 'runPlanOnRedis: options.attempts', 1, 100);
  const backoffMs = checkInteger(options.backoffMs ?? 1000, 'runPlanOnRedis: options.backoffMs', 0);
  const prefix = checked.hash.slice(0, 16);
  const flow = new FlowProducer({ connection });
  const events = new QueueEvents(MERGE_QUEUE, { connection });
  try {
    await events.waitUntilReady();
    const tree = await flow.add({
      name: `merge ${checked.experiment}`,
      queueName: MERGE_QUEUE,
      data: { plan: checked },
      opts: { jobId: `plan-${prefix}`, removeOnComplete: false },
      // longest estimated first: the workers take task jobs in the order they were added
      children: longestFirst(checked.tasks).map((task) => ({
        name: `${task.experiment} ${task.stage} ${task.index}`,
        queueName: TASK_QUEUE,
        data: { planHash: checked.hash, task },
        opts: {
          jobId: `task-${prefix}-${task.id.slice(0, 32)}`,
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          failParentOnFailure: true,
        },
      })),
    });
    let text: string;
    try {
      text = (await tree.job.waitUntilFinished(events, options.timeoutMs)) as string;
    } catch (error) {
      throw new CoarseGrainError(
        `runPlanOnRedis: the flow of plan ${prefix} failed: ${(error as Error).message}`,
      );
    }
    return decodeJson(text) as AnyResult[];
  } finally {
    await Promise.all([flow.close(), events.close()]);
  }
}
