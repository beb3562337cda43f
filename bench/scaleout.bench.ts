/**
 * Scale-out benchmarks (issue 16):
 * - `scaleout-pool`: the coarsegrain worker pool vs tinypool on the same plain-JS task, 2 threads:
 *   dispatch overhead per task (2000 empty tasks) and the makespan of 8 CPU-bound tasks. Decides whether
 *   the home-made pool should give way to tinypool.
 * - `scaleout-local`: an E4 plan of 8 independent tasks (8 sigmas; smaller in --smoke; SCALEOUT_FULL=1: the full preset with
 *   seeds 1 and 2, 4 sigmas each) in this thread, on 1 and on 2 pool workers; speed-up 1 -> 2 workers,
 *   each run checked bit-identical to the in-thread run.
 * - `scaleout-redis` (needs redis-server): the same kind of plan through BullMQ on a local Redis with 1 and
 *   2 worker processes: overhead per task vs in this thread (ms) and the speed-up 1 -> 2 processes.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import Tinypool from 'tinypool';
import { runPlanOnRedis } from '../src/distributed/bullmq.js';
import { canonicalJson } from '../src/distributed/codec.js';
import type { AnyResult } from '../src/distributed/experiments.js';
import { type Plan, planSweep } from '../src/distributed/plan.js';
import { runPlan } from '../src/distributed/runners.js';
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

/** The E4 plan of the local and Redis benchmarks: 8 independent tasks. */
function e4Plan(small = isSmoke()): Plan {
  if (process.env.SCALEOUT_FULL === '1' && !isSmoke())
    return planSweep('E4', { preset: 'full' }, { seeds: [1, 2] });
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
      let inThread: AnyResult[] = [];
      const t0 = await once(async () => void (inThread = (await runPlan(plan)).results));
      const times: number[] = [];
      for (const workers of [1, 2]) {
        times.push(
          await best(async () => {
            const { results } = await runPlan(plan, { workers });
            if (bits(results) !== bits(inThread))
              throw new Error('scaleout-local: results differ from in-thread');
          }, 0),
        );
      }
      return [
        {
          case: `E4 plan, ${plan.tasks.length} tasks: speed-up 1 -> 2 workers (in thread ${t0.toFixed(1)} s, 1 worker ${times[0]!.toFixed(1)} s, 2 workers ${times[1]!.toFixed(1)} s)`,
          ours: times[0]! / times[1]!,
          reference: 2,
          referenceLabel: 'ideal',
          unit: 'x',
          higherIsBetter: true,
          target: 1.8,
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
