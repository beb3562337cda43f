/**
 * BullMQ on a real Redis (Debian's redis-server, started here on 127.0.0.1 at a free port with persistence
 * off, stopped afterwards; the tests are skipped with a message when redis-server is not installed):
 * - a plan run through two `coarsegrain worker` processes equals the in-process runE4 bit for bit;
 * - SIGKILL of the only worker mid-task: a second worker reruns the task, the merged result is unchanged;
 * - malformed or altered job data fails at once, without retries, with the validation message.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyResult, planSweep, runPlanOnRedis, TASK_QUEUE } from '../../src/distributed/index.js';
import { runE4 } from '../../src/experiments/e4.js';
import { bits, TINY_E4 as TINY } from './fixtures.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis)
  process.stderr.write('test/distributed/bullmq: redis-server not installed, BullMQ tests skipped\n');

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** A child process whose stderr is collected; `waitFor` resolves when a line matches. */
interface Child {
  readonly proc: ChildProcess;
  log: string;
  waitFor(pattern: RegExp): Promise<void>;
}

function child(command: string, args: string[]): Child {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const c: Child = {
    proc,
    log: '',
    waitFor: (pattern) =>
      new Promise((done, fail) => {
        const check = () => {
          if (pattern.test(c.log)) done();
          else if (proc.exitCode !== null) fail(new Error(`${command} exited: ${c.log}`));
          else setTimeout(check, 50);
        };
        check();
      }),
  };
  proc.stdout!.on('data', (d) => (c.log += String(d)));
  proc.stderr!.on('data', (d) => (c.log += String(d)));
  return c;
}

const children: Child[] = [];
function worker(url: string, ...extra: string[]): Child {
  const c = child(process.execPath, [resolve('bin/coarsegrain.js'), 'worker', '--redis', url, ...extra]);
  children.push(c);
  return c;
}
async function stop(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  const exited = new Promise((done) => c.proc.once('exit', done));
  c.proc.kill('SIGTERM');
  await exited;
}

describe.skipIf(!hasRedis)('BullMQ on Redis', () => {
  let redis: Child;
  let url = '';

  beforeAll(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = child('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    await redis.waitFor(/Ready to accept connections/);
  });

  afterAll(async () => {
    for (const c of children) await stop(c);
    if (redis) await stop(redis);
  });

  it('two worker processes give the in-process result bit for bit', async () => {
    const workers = [worker(url), worker(url)];
    await Promise.all(workers.map((w) => w.waitFor(/waiting for jobs/)));
    // three sizes: per sigma a Binder task (N = 12) and runE4 on N = 16, 32, as E4 presets split
    const config = { ...TINY, sizes: [12, 16, 32] };
    const plan = planSweep('E4', config, { seeds: [1, 5] });
    expect(plan.tasks.map((t) => t.stage)).toEqual(Array(4).fill(['binder', 'sigma']).flat());
    const results = await runPlanOnRedis(plan, { url, timeoutMs: 120_000 });
    expect(results.map(bits)).toEqual(
      [1, 5].map((seed) => bits(runE4(config, { seed }) as unknown as AnyResult)),
    );
    // both workers took tasks
    for (const w of workers) expect(w.log).toMatch(/completed task-/);
    await Promise.all(workers.map(stop));
  });

  it('a worker killed mid-task loses nothing: another reruns the task, the result is unchanged', async () => {
    const config = { ...TINY, sigmas: [0.6] };
    const plan = planSweep('E4', config, { seeds: [11] });
    const first = worker(url, '--lock-ms', '1000');
    await first.waitFor(/waiting for jobs/);
    const pending = runPlanOnRedis(plan, { url, timeoutMs: 120_000 });
    await first.waitFor(/active task-/);
    first.proc.kill('SIGKILL');
    await new Promise((done) => first.proc.once('exit', done));
    expect(first.log).not.toMatch(/completed task-/);
    const second = worker(url, '--lock-ms', '1000');
    const [result] = await pending;
    const jobId = /active (task-[0-9a-f-]+)/.exec(first.log)![1]!;
    expect(second.log).toContain(`active ${jobId}`);
    expect(second.log).toContain(`completed ${jobId}`);
    expect(bits(result!)).toBe(bits(runE4(config, { seed: 11 }) as unknown as AnyResult));
    await stop(second);
  });

  it('refuses malformed and altered job data before running, without retries', async () => {
    const w = worker(url);
    await w.waitFor(/waiting for jobs/);
    const connection = { url, maxRetriesPerRequest: null };
    const queue = new Queue(TASK_QUEUE, { connection });
    const events = new QueueEvents(TASK_QUEUE, { connection });
    await events.waitUntilReady();
    const task = planSweep('E4', TINY).tasks[0]!;
    const planHash = 'a'.repeat(64);
    const bad = [
      { data: 'process.exit(1)', reason: /job data: expected an object \{ planHash, task \}/ },
      {
        data: { planHash, task: { ...task, experiment: 'E99' } },
        reason: /task\.experiment: expected one of E1/,
      },
      {
        data: { planHash, task: { ...task, config: { ...task.config, samples: 1e9 } } },
        reason: /was altered/,
      },
      { data: { planHash: 'x', task }, reason: /planHash: expected 64 hex digits/ },
      // a well-formed task whose config the experiment refuses: refused once, not retried (unsplit: a
      // split plan refuses such a config already when it is made)
      {
        data: { planHash, task: planSweep('E4', { ...TINY, samples: 5 }, { split: 'none' }).tasks[0] },
        reason: /runE4: config\.samples/,
      },
    ];
    try {
      for (const [i, b] of bad.entries()) {
        const job = await queue.add(`bad ${i}`, b.data, {
          attempts: 3,
          backoff: { type: 'fixed', delay: 10 },
        });
        await expect(job.waitUntilFinished(events, 60_000)).rejects.toThrow(b.reason);
        const after = await queue.getJob(job.id!);
        expect(after!.attemptsMade).toBe(1); // no retry of data that cannot become valid
      }
      expect(w.log).not.toMatch(/completed task-/);
    } finally {
      await Promise.all([queue.close(), events.close()]);
      await stop(w);
    }
  });

  it('takes only redis:// and rediss:// URLs', async () => {
    const plan = planSweep('E4', TINY);
    await expect(runPlanOnRedis(plan, { url: 'http://127.0.0.1:6379' })).rejects.toThrow(
      /options\.url: expected a redis:\/\/host:port or rediss:\/\/host:port URL/,
    );
  });
});
