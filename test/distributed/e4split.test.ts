/**
 * E4's split by sigma and ring size (src/distributed/experiments.ts): per sigma, runE4 on the two largest
 * sizes (their crossing = Tc, the correlator at Tc) and runE4Binder for each smaller size; the merge adds
 * the crossings of the smaller sizes (joinE4Binder). Run in any order, in this thread or on 2 workers,
 * through shards or not, the merge is the in-process runE4 bit for bit (wall time aside); task ids are
 * content hashes, a rerun skips finished tasks, and the merge refuses a missing or foreign shard naming the
 * task, or parts that do not make up the run. The full preset is 16 tasks whose estimated costs split
 * evenly over 2 workers (longest first).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortError, DomainError } from '../../src/core/errors.js';
import {
  type AnyResult,
  canonicalJson,
  listMakespan,
  longestFirst,
  mergePlan,
  mergeShards,
  planSweep,
  readShard,
  runPlan,
  runPlanTask,
  runPlanTaskToShard,
  ShardError,
  sha256Hex,
  shardPath,
  taskCost,
  taskId,
} from '../../src/distributed/index.js';
import { joinE4Binder, runE4, runE4Binder } from '../../src/experiments/e4.js';
import { VERSION } from '../../src/version.js';
import { bits, TINY_E4 } from './fixtures.js';

/** TINY_E4 on four ring sizes: per sigma two Binder tasks (N = 12, 16) and runE4 on N = 24, 32. */
const FOUR_SIZES = { ...TINY_E4, sizes: [12, 16, 24, 32] };

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coarsegrain-e4split-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('E4 split by sigma and ring size', () => {
  const plan = planSweep('E4', FOUR_SIZES, { seeds: [3] });
  const e4 = runE4(FOUR_SIZES, { seed: 3 });
  const inProcess = e4 as unknown as AnyResult;

  it('plans per sigma a Binder task per smaller size and runE4 on the two largest, with content-hash ids', () => {
    expect(plan.tasks.map((t) => [t.stage, t.config.sigmas, t.config.sizes])).toEqual([
      ['binder', [0.4], [12]],
      ['binder', [0.4], [16]],
      ['sigma', [0.4], [24, 32]],
      ['binder', [0.75], [12]],
      ['binder', [0.75], [16]],
      ['sigma', [0.75], [24, 32]],
    ]);
    for (const t of plan.tasks) {
      expect(t.id).toBe(
        sha256Hex(
          canonicalJson({
            format: 'coarsegrain-task',
            version: VERSION,
            experiment: 'E4',
            stage: t.stage,
            config: t.config,
            seed: 3,
          }),
        ),
      );
      expect(taskId('E4', t.stage, t.config, t.seed)).toBe(t.id);
    }
    // the same task in another plan (a sweep over seeds) has the same id
    const sweep = planSweep('E4', FOUR_SIZES, { seeds: [1, 3] });
    expect(sweep.tasks.slice(6).map((t) => t.id)).toEqual(plan.tasks.map((t) => t.id));
    expect(new Set(sweep.tasks.map((t) => t.id)).size).toBe(12);
  });

  it('merges tasks run in shuffled order in this thread to the in-process runE4 bit for bit', async () => {
    // both sigmas find a Tc and fit Delta, and the smaller sizes cross: the merge covers real numbers
    const perSigma = e4.measured.perSigma;
    for (const s of perSigma) {
      expect(s.scaling).not.toBeNull();
      expect(s.crossings.map((c) => [c.N1, c.N2])).toEqual([
        [12, 16],
        [16, 24],
        [24, 32],
      ]);
      expect(s.crossings.some((c) => Number.isFinite(c.temperature.mean))).toBe(true);
    }
    const outputs: AnyResult[] = new Array(plan.tasks.length);
    for (const i of [5, 1, 3, 2, 0, 4]) outputs[i] = await runPlanTask(plan.tasks[i]!);
    const [merged] = mergePlan(plan, outputs);
    expect(bits(merged!)).toBe(bits(inProcess));
    expect(merged!.seconds).toBeCloseTo(
      outputs.reduce((s, o) => s + o.seconds, 0),
      9,
    );
  });

  it('gives the same bits on 2 workers through shards; a rerun skips every finished task', async () => {
    const out = tempDir();
    const first = await runPlan(plan, { workers: 2, out });
    expect(first.ran).toEqual([0, 1, 2, 3, 4, 5]);
    expect(first.taskSeconds).toHaveLength(6);
    expect(first.results.map(bits)).toEqual([bits(inProcess)]);
    // a lost shard: only that task runs again
    rmSync(shardPath(out, plan.tasks[4]!));
    const again = await runPlan(plan, { workers: 2, out });
    expect(again.ran).toEqual([4]);
    expect(again.skipped).toEqual([0, 1, 2, 3, 5]);
    expect(again.results.map(bits)).toEqual([bits(inProcess)]);
    const third = await runPlan(plan, { out });
    expect(third.ran).toEqual([]);
    expect(mergeShards(plan, out).map(bits)).toEqual([bits(inProcess)]);
  });

  it('refuses a missing or foreign shard naming the task, and parts that do not make up the run', async () => {
    const out = tempDir();
    for (let i = 0; i < plan.tasks.length; i++) await runPlanTaskToShard(plan, i, out);
    const path1 = shardPath(out, plan.tasks[1]!);
    const text1 = readFileSync(path1, 'utf8');
    rmSync(path1);
    expect(() => mergeShards(plan, out)).toThrow(/task 1 \(E4 binder, seed 3, id [0-9a-f]{12}\).*missing/);
    // task 0's shard (the N = 12 curve) in the place of task 1's (N = 16)
    writeFileSync(path1, readFileSync(shardPath(out, plan.tasks[0]!)));
    expect(() => mergeShards(plan, out)).toThrow(
      /task 1 \(E4 binder.*expected the shard of task 1, received that of task 0/,
    );
    try {
      mergeShards(plan, out);
    } catch (error) {
      expect(error).toBeInstanceOf(ShardError);
      expect((error as ShardError).taskIndex).toBe(1);
      expect((error as ShardError).reason).toBe('foreign');
    }
    writeFileSync(path1, text1);
    expect(mergeShards(plan, out).map(bits)).toEqual([bits(inProcess)]);
    // outputs given directly: one curve twice, or another sigma's curve, is refused by the merge
    const outputs = plan.tasks.map((t) => readShard(out, plan, t));
    expect(() => mergePlan(plan, [outputs[0]!, outputs[0]!, ...outputs.slice(2)])).toThrow(
      /joinE4Binder: lower, top: expected U\(T\) curves of the sizes 12, 16, 24, 32/,
    );
    expect(() => mergePlan(plan, [outputs[3]!, ...outputs.slice(1)])).toThrow(
      /joinE4Binder: lower\[0\]\.sigma: expected 0\.4, received 0\.75/,
    );
  });

  it('joinE4Binder rebuilds a sigma of runE4 from runE4Binder curves and runE4 on the two largest sizes', () => {
    const c = { ...e4.parameters, sigmas: [0.75] };
    const top = runE4({ ...c, sizes: [24, 32] }, { seed: 3 }).measured.perSigma[0]!;
    // the smaller curves in one Binder run (grouping does not matter)
    const lower = runE4Binder({ ...c, sizes: [12, 16] }, { seed: 3 }).measured.perSigma;
    const whole = e4.measured.perSigma[1]!;
    expect(canonicalJson(joinE4Binder(c, 3, top, lower))).toBe(canonicalJson(whole));
    // another seed's curves give other crossings: the seed is part of every stream
    expect(canonicalJson(joinE4Binder(c, 4, top, lower))).not.toBe(canonicalJson(whole));
    expect(() => joinE4Binder(c, 3, top, [])).toThrow(DomainError);
    expect(() => joinE4Binder({ ...c, sizes: [12, 16, 24, 33] }, 3, top, lower)).toThrow(
      /joinE4Binder: lower, top: expected U\(T\) curves of the sizes 12, 16, 24, 33/,
    );
  });

  it('refuses at plan time a config the whole run would refuse', () => {
    expect(() => planSweep('E4', { ...FOUR_SIZES, sizes: [12, 24, 16, 32] })).toThrow(
      /planSweep: E4 config\.sizes\[2\]: expected a size > 24/,
    );
  });
});

describe('runPlan on workers, longest first', () => {
  it('stops on an abort or a failing task, rejecting with that error', async () => {
    const plan = planSweep('E4', FOUR_SIZES, { seeds: [1, 2] });
    const controller = new AbortController();
    let finished = 0;
    await expect(
      runPlan(plan, {
        workers: 2,
        signal: controller.signal,
        onProgress: (p) => {
          finished = p.done;
          if (p.done === 1) controller.abort();
        },
      }),
    ).rejects.toThrow(AbortError);
    expect(finished).toBeLessThan(plan.tasks.length);
    // a task the experiment refuses (samples < 16; unsplit, since a split plan refuses it when made)
    const bad = planSweep('E4', { ...FOUR_SIZES, samples: 5 }, { seeds: [1, 2], split: 'none' });
    await expect(runPlan(bad, { workers: 2 })).rejects.toThrow(
      /runE4: config\.samples: expected an integer >= 16/,
    );
  }, 60_000);
});

describe('the full preset as tasks', () => {
  const plan = planSweep('E4', { preset: 'full' });

  it('is 16 tasks; the runE4 tasks of the two largest rings are estimated longest and start first', () => {
    expect(plan.tasks).toHaveLength(16);
    const order = longestFirst(plan.tasks);
    expect(order.slice(0, 4).map((t) => [t.stage, t.config.sizes])).toEqual(
      [0.4, 0.6, 0.75, 0.9].map(() => ['sigma', [256, 512]]),
    );
    expect(order.slice(4).map((t) => t.config.sizes)).toEqual(
      [128, 64, 32].flatMap((N) => [[N], [N], [N], [N]]),
    );
    const costs = plan.tasks.map((t) => taskCost(t));
    // the largest ring costs most: a 'sigma' task outweighs all three Binder tasks of its sigma
    expect(costs[3]!).toBeGreaterThan(costs[0]! + costs[1]! + costs[2]!);
    // by the cost model, the runner's schedule on 2 workers is within 1% of a perfect split
    const sorted = order.map((t) => costs[t.index]!);
    const total = costs.reduce((a, b) => a + b, 0);
    expect(total / listMakespan(sorted, 2)).toBeGreaterThan(1.98);
  });

  it('listMakespan schedules each job on the first free worker', () => {
    expect(listMakespan([3, 3, 2, 2, 2], 2)).toBe(7);
    expect(listMakespan([5, 1, 1, 1], 2)).toBe(5);
    expect(listMakespan([1, 1, 1, 1], 1)).toBe(4);
    expect(listMakespan([], 3)).toBe(0);
    expect(() => listMakespan([1, -1], 2)).toThrow(/listMakespan: times\[1\]: expected a finite duration/);
    expect(() => listMakespan([1], 0)).toThrow(DomainError);
  });
});
