/**
 * Scale-out benchmarks (issue 16):
 * - `scaleout-pool`: the coarsegrain worker pool vs tinypool on the same plain-JS task, 2 threads:
 *   dispatch overhead per task (2000 empty tasks) and the makespan of 8 CPU-bound tasks. Decides whether
 *   the home-made pool should give way to tinypool.
 * - `scaleout-local`: an E4 plan of independent tasks on 2 and on 1 pool workers (longest first): the
 *   speed-up 1 -> 2 workers, and the ideal speed-up of the split (sum of the measured task times over the
 *   makespan of the runner's list schedule of them on 2 workers). By default a small config (8 sigmas,
 *   16 tasks), both runs checked bit-identical to the in-thread run. SCALEOUT_FULL=1: the full preset, seed
 *   1 (16 tasks: per sigma, runE4 on N = 256, 512 and the Binder curves of N = 32, 64, 128); no in-thread
 *   run: both runs are checked bit-identical to each other and to the published in-process result
 *   docs/results/full/e4/result.json (every field but the wall time). About 20 + 11 minutes on 2 idle cores.
 * - `scaleout-redis` (needs redis-server): the same kind of plan through BullMQ on a local Redis with 1 and
 *   2 worker processes: overhead per task vs in this thread (ms) and the speed-up 1 -> 2 processes.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import Tinypool from 'tinypool';
import { DEFAULT_MAX_ARRAY, slimResult } from '../examples/lib/publish.js';
import { jsonReplacer } from '../src/cli/args.js';
import { runPlanOnRedis } from '../src/distributed/bullmq.js';
import { canonicalJson } from '../src/distributed/codec.js';
import type { AnyResult } from '../src/distributed/experiments.js';
import { listMakespan, longestFirst, type Plan, planSweep, taskCost } from '../src/distributed/plan.js';
import { type RunPlanResult, runPlan } from '../src/distributed/runners.js';
import { createWorkerPool, destroyWorkerPool, mapParallel } from '../src/parallel/pool.js';
import { type Benchmark, type BenchRow, bestAsync as best, bySize, isSmoke } from './harness.js';

const spinModule = new URL('./fixtures/spinTask.mjs', import.meta.url);

/** Wall time in seconds of one run. */
async function once(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

function bits(results: readonly AnyResult[]): string {
  return canonicalJson(results.map((r) => ({ ...r, seconds: 0 })));
}

/** Whether `scaleout-local` runs the full E4 preset (SCALEOUT_FULL=1, not in smoke mode). */
function fullMode(): boolean {
  return process.env.SCALEOUT_FULL === '1' && !isSmoke();
}

/** The published in-process full E4 result (seed 1), as written (JSON with non-finite numbers as strings). */
const PUBLISHED_E4 = new URL('../docs/results/full/e4/result.json', import.meta.url);

/**
 * A result as a published result.json holds it (JSON, non-finite numbers as strings, raw data arrays over
 * the publishing limit replaced by their length, as examples/lib/publish.ts does), without its wall time:
 * equal text = the same numbers.
 */
function asWritten(result: AnyResult): string {
  const written = JSON.parse(JSON.stringify(result, jsonReplacer)) as unknown;
  const { seconds: _seconds, ...rest } = slimResult(written, DEFAULT_MAX_ARRAY).value as AnyResult;
  return canonicalJson(rest);
}

/** The E4 plan of the local and Redis benchmarks: 16 independent tasks (8 sigmas x 2). */
function e4Plan(small = isSmoke()): Plan {
  if (fullMode() && !small) return planSweep('E4', { preset: 'full' }, { seeds: [1] });
  const config = {
    sigmas: [0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9],
    sizes: small ? [16, 32, 64] : [32, 64, 128],
    temperaturePoints: 8,
    samples: small ? 1000 : 2000,
    burnIn: 100,
    resamples: 50,
    correlatorSamples: small ? 300 : 2000,
    blocks: 10,
    fitRMin: 1,
    fitRMaxFraction: 0.25,
  };
  return planSweep('E4', config, { seeds: [1] });
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function started(proc: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((done) => {
    let log = '';
    const on = (d: unknown) => {
      log += String(d);
      if (pattern.test(log)) done();
    };
    proc.stdout?.on('data', on);
    proc.stderr?.on('data', on);
  });
}

async function stopped(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exit = new Promise((done) => proc.once('exit', done));
  proc.kill('SIGTERM');
  await exit;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'scaleout-pool',
    async run() {
      const ours = createWorkerPool({ workers: 2, taskModules: [spinModule] });
      const tiny = new Tinypool({ filename: spinModule.href, minThreads: 2, maxThreads: 2 });
      const empty = Array.from({ length: bySize(2000, 100) }, (_, i) => ({ n: 0, salt: i }));
      const heavy = Array.from({ length: 8 }, (_, i) => ({ n: bySize(3e7, 1e5), salt: i }));
      try {
        const expected = heavy.map((t) => {
          let x = t.salt;
          for (let i = 0; i < t.n; i++) x = (x * 31 + i) % 1000003;
          return x;
        });
        const check = (got: unknown[]) => {
          if (canonicalJson(got) !== canonicalJson(expected)) throw new Error('scaleout-pool: wrong results');
        };
        const oursEmpty = await best(async () => void (await mapParallel(ours, 'bench:spin', empty)), 3);
        const tinyEmpty = await best(async () => void (await Promise.all(empty.map((t) => tiny.run(t)))), 3);
        const oursHeavy = await best(async () => check(await mapParallel(ours, 'bench:spin', heavy)), 2);
        const tinyHeavy = await best(async () => check(await Promise.all(heavy.map((t) => tiny.run(t)))), 2);
        const rows: BenchRow[] = [
          {
            case: 'dispatch overhead per empty task, 2 threads',
            ours: (oursEmpty / empty.length) * 1e3,
            reference: (tinyEmpty / empty.length) * 1e3,
            referenceLabel: 'tinypool 2',
            unit: 'ms/task',
            higherIsBetter: false,
          },
          {
            case: '8 CPU-bound tasks on 2 threads (makespan)',
            ours: oursHeavy,
            reference: tinyHeavy,
            referenceLabel: 'tinypool 2',
            unit: 's',
            higherIsBetter: false,
          },
        ];
        return rows;
      } finally {
        await destroyWorkerPool(ours);
        await tiny.destroy();
      }
    },
  },
  {
    name: 'scaleout-local',
    async run() {
      const plan = e4Plan();
      const full = fullMode();
      // the reference bits: the published in-process result (full), or an in-thread run of the plan
      let reference: string;
      let inThread = Number.NaN;
      if (full) {
        const published = JSON.parse(readFileSync(PUBLISHED_E4, 'utf8')) as AnyResult;
        if (published.seed !== 1 || published.preset !== 'full')
          throw new Error('scaleout-local: docs/results/full/e4/result.json is not the full preset, seed 1');
        reference = asWritten(published);
      } else {
        let results: AnyResult[] = [];
        inThread = await once(async () => void (results = (await runPlan(plan)).results));
        reference = asWritten(results[0]!);
      }
      // 2 workers first: the shorter run reports first (each run's time is printed as soon as it ends)
      const times: number[] = [];
      let taskSeconds: number[] = [];
      for (const workers of [2, 1]) {
        let run: RunPlanResult | undefined;
        const t = await once(async () => void (run = await runPlan(plan, { workers })));
        if (asWritten(run!.results[0]!) !== reference)
          throw new Error(
            `scaleout-local: ${workers} worker(s): the merged result differs from ${full ? 'docs/results/full/e4/result.json' : 'the in-thread run'}`,
          );
        process.stderr.write(
          `scaleout-local: ${plan.tasks.length} tasks on ${workers} worker(s): ${t.toFixed(1)} s wall, merged result bit-identical to ${full ? 'docs/results/full/e4/result.json' : 'the in-thread run'}\n`,
        );
        times[workers - 1] = t;
        if (workers === 1) taskSeconds = run!.taskSeconds;
      }
      // the split's ideal: the measured task times (1 worker) in the runner's order on 2 workers, no overhead
      const order = longestFirst(plan.tasks).map((t) => t.index);
      const sum = taskSeconds.reduce((a, b) => a + b, 0);
      const makespan = listMakespan(
        order.map((i) => taskSeconds[i]!),
        2,
      );
      const predicted = plan.tasks.map((t) => taskCost(t));
      const predictedIdeal =
        predicted.reduce((a, b) => a + b, 0) /
        listMakespan(
          order.map((i) => predicted[i]!),
          2,
        );
      process.stderr.write(
        `scaleout-local: task times on 1 worker (s), longest estimated first:\n${order
          .map((i) => {
            const t = plan.tasks[i]!;
            return `  task ${i} ${t.stage} sigma ${String(t.config.sigmas)} N ${String(t.config.sizes ?? 'preset')}: ${taskSeconds[i]!.toFixed(1)} s`;
          })
          .join('\n')}\n`,
      );
      const label = full ? 'E4 full, seed 1' : 'E4 small';
      return [
        {
          case: `${label}, ${plan.tasks.length} tasks: speed-up 1 -> 2 workers (${full ? 'published in-process result' : `in thread ${inThread.toFixed(1)} s`}, 1 worker ${times[0]!.toFixed(1)} s, 2 workers ${times[1]!.toFixed(1)} s; bit-identical)`,
          ours: times[0]! / times[1]!,
          reference: 2,
          referenceLabel: 'ideal',
          unit: 'x',
          higherIsBetter: true,
          target: 1.8,
        },
        {
          case: `${label}: ideal speed-up of the split on 2 workers (sum ${sum.toFixed(1)} s of task times / list-schedule makespan ${makespan.toFixed(1)} s; cost model predicts ${predictedIdeal.toFixed(3)}x)`,
          ours: sum / makespan,
          reference: 2,
          referenceLabel: 'ideal',
          unit: 'x',
          higherIsBetter: true,
        },
      ];
    },
  },
  {
    name: 'scaleout-redis',
    async run() {
      if (spawnSync('redis-server', ['--version']).status !== 0) {
        process.stderr.write('scaleout-redis: redis-server not installed, skipped\n');
        return [];
      }
      const port = await freePort();
      const url = `redis://127.0.0.1:${port}`;
      const redis = spawn('redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
      ]);
      await started(redis, /Ready to accept connections/);
      const workers: ChildProcess[] = [];
      try {
        const plan = e4Plan(true);
        let reference: AnyResult[] = [];
        const inThread = await best(async () => void (reference = (await runPlan(plan)).results), 1);
        const times: number[] = [];
        for (const count of [1, 2]) {
          while (workers.length < count) {
            const w = spawn(process.execPath, [resolve('bin/coarsegrain.js'), 'worker', '--redis', url]);
            await started(w, /waiting for jobs/);
            workers.push(w);
          }
          // each timed run is a new plan (another seed): same work, no finished flow to reuse
          const timed = planSweep('E4', plan.points[0]!.config, { seeds: [count + 100] });
          await runPlanOnRedis(planSweep('E4', plan.points[0]!.config, { seeds: [count + 200] }), { url }); // warm-up
          const t = performance.now();
          await runPlanOnRedis(timed, { url });
          times.push((performance.now() - t) / 1000);
        }
        const check = await runPlanOnRedis(plan, { url });
        if (bits(check) !== bits(reference)) throw new Error('scaleout-redis: results differ from in-thread');
        return [
          {
            case: `BullMQ overhead per task, 1 worker process, ${plan.tasks.length} tasks`,
            ours: ((times[0]! - inThread) / plan.tasks.length) * 1e3,
            reference: Number.NaN,
            referenceLabel: 'in this thread = 0',
            unit: 'ms/task',
            higherIsBetter: false,
          },
          {
            case: `BullMQ speed-up 1 -> 2 worker processes (${times[0]!.toFixed(2)} s -> ${times[1]!.toFixed(2)} s)`,
            ours: times[0]! / times[1]!,
            reference: 2,
            referenceLabel: 'ideal',
            unit: 'x',
            higherIsBetter: true,
          },
        ];
      } finally {
        for (const w of workers) await stopped(w);
        await stopped(redis);
      }
    },
  },
];
