/**
 * Task plans: the portable SHA-256 against node:crypto, the lossless codec, and the central claim: a plan's
 * tasks run in any order, in this thread or on a worker pool, through shard files or not, merge to the
 * in-process runEN result bit for bit (wall time aside). Shards that are missing, cut short or from
 * another plan make the merge fail naming the task; altered tasks are refused before they run.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError, FormatError } from '../../src/core/errors.js';
import {
  type AnyResult,
  checkPlanTask,
  decodeJson,
  encodeJson,
  mergePlan,
  mergeShards,
  planFromJson,
  planSweep,
  planToJson,
  runPlan,
  runPlanTask,
  runPlanTaskToShard,
  ShardError,
  sha256Hex,
  shardPath,
} from '../../src/distributed/index.js';
import { runE4 } from '../../src/experiments/e4.js';
import { bits, TINY_E4 } from './fixtures.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coarsegrain-plan-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('sha256Hex', () => {
  it('equals node:crypto on empty, block-boundary and multi-byte inputs', () => {
    const inputs = [
      '',
      'abc',
      'a'.repeat(55),
      'a'.repeat(56),
      'a'.repeat(64),
      'a'.repeat(1000),
      'é∑😀'.repeat(33),
    ];
    for (const text of inputs)
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});

describe('codec', () => {
  it('round-trips NaN, infinities, -0 and typed arrays exactly', () => {
    const value = {
      a: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0.1 + 0.2, 5e-324],
      t: Float64Array.of(1 / 3, -0, Number.NaN),
      i: Int8Array.of(-1, 1),
      s: 'x',
      nested: { b: true, n: null },
    };
    const back = decodeJson(encodeJson(value)) as typeof value;
    expect(Object.is(back.a[3], -0)).toBe(true);
    expect(back.a).toEqual(value.a);
    expect(back.t).toBeInstanceOf(Float64Array);
    expect(Object.is(back.t[1], -0)).toBe(true);
    expect(Array.from(back.t)).toEqual(Array.from(value.t));
    expect(back.i).toEqual(value.i);
    expect(back.nested).toEqual(value.nested);
  });

  it('refuses values that are not plain data, naming the path', () => {
    expect(() => encodeJson({ a: [1, () => 2] })).toThrow(/encodeJson: value\.a\[1\]: expected plain data/);
    expect(() => encodeJson({ d: new Date(0) })).toThrow(DomainError);
  });
});

describe('planSweep', () => {
  it('splits E4 by sigma, one point per (grid value, seed), with content-hash ids', () => {
    const plan = planSweep('E4', TINY_E4, { grid: { samples: [300, 400] }, seeds: [1, 2] });
    expect(plan.points.length).toBe(4);
    expect(plan.tasks.length).toBe(8);
    expect(plan.tasks.map((t) => t.config.sigmas)).toEqual(
      Array(4)
        .fill([[0.4], [0.75]])
        .flat(),
    );
    expect(new Set(plan.tasks.map((t) => t.id)).size).toBe(8);
    // the same content gives the same id in another plan
    const other = planSweep('e4', TINY_E4, { seeds: [2] });
    expect(other.tasks[0]!.id).toBe(plan.tasks[2]!.id);
    expect(planSweep('E4', TINY_E4, { split: 'none' }).tasks.map((t) => t.stage)).toEqual(['run']);
    expect(planFromJson(planToJson(plan))).toEqual(plan);
  });

  it('refuses unknown experiments, fields, bad seeds and empty grids before anything runs', () => {
    expect(() => planSweep('E12')).toThrow(/planSweep: experiment: expected one of E1, .*E11/);
    expect(() => planSweep('E4', { sigma: [0.5] })).toThrow(/config\.sigma: expected one of the fields/);
    expect(() => planSweep('E4', {}, { grid: { samplez: [1] } })).toThrow(/config\.samplez/);
    expect(() => planSweep('E4', {}, { seeds: [1, 1] })).toThrow(/options\.seeds: expected distinct seeds/);
    expect(() => planSweep('E4', {}, { seeds: [1.5] })).toThrow(DomainError);
    expect(() => planSweep('E4', {}, { grid: { samples: [] } })).toThrow(/options\.grid\.samples/);
  });
});

describe('running a plan', () => {
  const plan = planSweep('E4', TINY_E4, { seeds: [1, 7] });
  const inProcess = [runE4(TINY_E4, { seed: 1 }), runE4(TINY_E4, { seed: 7 })] as unknown as AnyResult[];

  it('merges tasks run in shuffled order to the in-process result bit for bit', async () => {
    // the tiny config finds a Tc and a Delta for both sigmas: the comparison covers real numbers
    for (const r of inProcess) {
      for (const s of (r.measured as { perSigma: { scaling: unknown }[] }).perSigma)
        expect(s.scaling).not.toBeNull();
    }
    const order = [3, 0, 2, 1];
    const outputs: AnyResult[] = new Array(plan.tasks.length);
    for (const i of order) outputs[i] = await runPlanTask(plan.tasks[i]!);
    const merged = mergePlan(plan, outputs);
    expect(merged.map(bits)).toEqual(inProcess.map(bits));
    expect(merged[0]!.preset).toBe('custom');
    expect(merged[0]!.parameters.sigmas).toEqual([0.4, 0.75]);
  });

  it('gives the same bits on a pool of 2 workers through shards, and a rerun skips every task', async () => {
    const out = tempDir();
    const first = await runPlan(plan, { workers: 2, out });
    expect(first.ran).toEqual([0, 1, 2, 3]);
    expect(first.results.map(bits)).toEqual(inProcess.map(bits));
    const again = await runPlan(plan, { out });
    expect(again.ran).toEqual([]);
    expect(again.skipped).toEqual([0, 1, 2, 3]);
    expect(again.results.map(bits)).toEqual(inProcess.map(bits));
    expect(mergeShards(plan, out).map(bits)).toEqual(inProcess.map(bits));
  });

  it('refuses a missing, truncated or foreign shard, naming the task', async () => {
    const out = tempDir();
    for (let i = 0; i < plan.tasks.length; i++) await runPlanTaskToShard(plan, i, out);
    const path1 = shardPath(out, plan.tasks[1]!);
    const text1 = readFileSync(path1, 'utf8');
    // truncated
    writeFileSync(path1, text1.slice(0, text1.length - 40));
    expect(() => mergeShards(plan, out)).toThrow(
      /task 1 \(E4 sigma, seed 1, id [0-9a-f]{12}\).*expected \d+ bytes/,
    );
    // missing
    rmSync(path1);
    expect(() => mergeShards(plan, out)).toThrow(/task 1 .*missing/);
    try {
      mergeShards(plan, out);
    } catch (error) {
      expect(error).toBeInstanceOf(ShardError);
      expect((error as ShardError).taskIndex).toBe(1);
      expect((error as ShardError).reason).toBe('missing');
    }
    // foreign: task 2's shard put in the place of task 1's
    writeFileSync(path1, readFileSync(shardPath(out, plan.tasks[2]!)));
    expect(() => mergeShards(plan, out)).toThrow(
      /task 1 .*expected the shard of task 1, received that of task 2/,
    );
    // foreign: a shard of another plan with the same task
    const otherPlan = planSweep('E4', TINY_E4, { seeds: [1] });
    const otherDir = tempDir();
    await runPlanTaskToShard(otherPlan, 1, otherDir);
    writeFileSync(path1, readFileSync(shardPath(otherDir, otherPlan.tasks[1]!)));
    expect(() => mergeShards(plan, out)).toThrow(/task 1 .*expected a shard of plan/);
    // repaired: the task runs again and the merge is the in-process result
    rmSync(path1);
    expect((await runPlanTaskToShard(plan, 1, out)).ran).toBe(true);
    expect((await runPlanTaskToShard(plan, 1, out)).ran).toBe(false);
    expect(mergeShards(plan, out).map(bits)).toEqual(inProcess.map(bits));
  });

  it('refuses malformed or altered tasks before running them', async () => {
    const task = plan.tasks[0]!;
    expect(() => checkPlanTask({ ...task, experiment: 'E42' })).toThrow(/task\.experiment: expected one of/);
    expect(() => checkPlanTask({ ...task, stage: 'eval' })).toThrow(
      /task\.stage: expected one of run, sigma/,
    );
    expect(() => checkPlanTask({ ...task, config: 'process.exit(1)' })).toThrow(
      /task\.config: expected a config/,
    );
    expect(() => checkPlanTask({ ...task, config: { ...task.config, samples: 10 ** 9 } })).toThrow(
      FormatError,
    );
    expect(() => checkPlanTask({ ...task, seed: -1 })).toThrow(/task\.seed/);
    expect(() => checkPlanTask(null)).toThrow(DomainError);
    await expect(runPlanTask({ ...task, id: '0'.repeat(64) })).rejects.toThrow(/was altered/);
    const tampered = JSON.parse(planToJson(plan));
    tampered.tasks[1].config.samples = 5;
    expect(() => planFromJson(JSON.stringify(tampered))).toThrow(/tasks\[1\]\.id: expected the hash/);
  });
});
