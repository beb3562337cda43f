/**
 * The coarsegrain command (its main() in this process; bin/coarsegrain.js in a child process for --help and
 * one run on 2 workers, the sources via tsx): a tiny E4 plan,
 * its tasks run one process each in shuffled order (--index or SLURM_ARRAY_TASK_ID), merged, equals the
 * in-process runE4 bit for bit; `run --workers 2` equals `run` in this process; merge refuses a missing
 * shard naming the task; --help works on every command; bad command lines exit 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { jsonReplacer } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';
import { runE4 } from '../../src/experiments/e4.js';
import { configFlags, TINY_E4_FLAGS as FLAGS, TINY_E4 as TINY } from './fixtures.js';

const bin = resolve('bin/coarsegrain.js');
const dir = mkdtempSync(join(tmpdir(), 'coarsegrain-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The command in a child process, through bin/coarsegrain.js (slow: tsx starts each time). */
function spawned(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SLURM_ARRAY_TASK_ID: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The command in this process (paths made absolute under the temporary folder). */
async function cli(args: string[], env: Record<string, string> = {}) {
  const absolute = args.map((a) => (/^(p|q|shards|half|merged|w0|w2|x)(\/|\.|$)/.test(a) ? join(dir, a) : a));
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const saved = process.env.SLURM_ARRAY_TASK_ID;
  process.env.SLURM_ARRAY_TASK_ID = env.SLURM_ARRAY_TASK_ID ?? '';
  try {
    const status = await main(absolute);
    return { status, stdout: stdout.replaceAll(`${dir}/`, ''), stderr: stderr.replaceAll(`${dir}/`, '') };
  } finally {
    out.mockRestore();
    err.mockRestore();
    if (saved === undefined) delete process.env.SLURM_ARRAY_TASK_ID;
    else process.env.SLURM_ARRAY_TASK_ID = saved;
  }
}

/** result.json as the examples write it, without the wall time. */
function resultFile(folder: string): unknown {
  const r = JSON.parse(readFileSync(join(dir, folder, 'result.json'), 'utf8'));
  return { ...r, seconds: 0 };
}
function asWritten(result: unknown): unknown {
  return { ...(JSON.parse(JSON.stringify(result, jsonReplacer)) as object), seconds: 0 };
}

describe('coarsegrain command', () => {
  it('plan, task in shuffled order, merge == in-process runE4', async () => {
    const plan = await cli([
      'plan',
      'E4',
      ...FLAGS,
      '--set',
      'samples=300,400',
      '--seeds',
      '1..2',
      '--out',
      'p/plan.json',
    ]);
    expect(plan.stderr).toBe('');
    expect(plan.status).toBe(0);
    expect(plan.stdout).toMatch(/^8 tasks \(4 points\) written to p\/plan\.json/);
    // half by --index, half by SLURM_ARRAY_TASK_ID
    for (const i of [5, 2, 7])
      expect((await cli(['task', 'p/plan.json', '--index', String(i), '--out', 'shards'])).status).toBe(0);
    for (const i of [1, 3, 6, 4, 0])
      expect(
        (await cli(['task', 'p/plan.json', '--out', 'shards'], { SLURM_ARRAY_TASK_ID: String(i) })).status,
      ).toBe(0);
    expect(readdirSync(join(dir, 'shards')).filter((f) => f.endsWith('.shard')).length).toBe(8);
    // a task already done is not run again
    expect((await cli(['task', 'p/plan.json', '--index', '3', '--out', 'shards'])).stdout).toMatch(
      /^already done/,
    );
    const merged = await cli(['merge', 'p/plan.json', 'shards', '--out', 'merged']);
    expect(merged.status).toBe(0);
    // points: samples 300 seeds 1, 2; samples 400 seeds 1, 2
    const expected = [
      [300, 1],
      [300, 2],
      [400, 1],
      [400, 2],
    ].map(([samples, seed]) => asWritten(runE4({ ...TINY, samples }, { seed })));
    for (let i = 0; i < 4; i++)
      expect(resultFile(`merged/point-${i}-seed-${(i % 2) + 1}`)).toEqual(expected[i]);
    const sweep = JSON.parse(readFileSync(join(dir, 'merged', 'sweep.json'), 'utf8'));
    expect(sweep.points.map((p: { seed: number }) => p.seed)).toEqual([1, 2, 1, 2]);
    expect(readFileSync(join(dir, 'merged/point-0-seed-1/report.md'), 'utf8')).toMatch(
      /## Measured vs reference/,
    );
  });

  it('run --workers 2 (E4 split by sigma and size) equals run in this thread and the in-process runE4', async () => {
    // four sizes: per sigma two Binder tasks and runE4 on the two largest, as the full preset is split
    const config = { ...TINY, sizes: [12, 16, 24, 32] };
    const flags = configFlags(config);
    expect((await cli(['plan', 'E4', ...flags, '--out', 'x/four.json'])).stdout).toMatch(
      /^6 tasks \(1 points\)/,
    );
    expect((await cli(['plan', 'E4', '--full', '--out', 'x/full.json'])).stdout).toMatch(
      /^16 tasks \(1 points\)/,
    );
    expect(spawned(['run', 'E4', ...flags, '--seed', '4', '--workers', '2', '--out', 'w2']).status).toBe(0);
    expect((await cli(['run', 'e4', ...flags, '--seed', '4', '--out', 'w0'])).status).toBe(0);
    expect(resultFile('w2')).toEqual(resultFile('w0'));
    expect(resultFile('w0')).toEqual(asWritten(runE4(config, { seed: 4 })));
  });

  it('merge refuses a missing shard, naming the task; bad command lines exit 2', async () => {
    expect((await cli(['plan', 'E4', ...FLAGS, '--out', 'q.json'])).stdout).toMatch(/^2 tasks \(1 points\)/);
    expect((await cli(['task', 'q.json', '--index', '1', '--out', 'half'])).status).toBe(0);
    const r = await cli(['merge', 'q.json', 'half']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /ShardError: mergeShards: dir: expected a usable shard of each of the 2 tasks, received 1 of 2 shards not usable:\n {2}task 0 \(E4 sigma, seed 1, id [0-9a-f]{12}\).*missing/,
    );
    expect((await cli(['task', 'q.json', '--out', 'half'])).stderr).toMatch(
      /expected --index I or SLURM_ARRAY_TASK_ID/,
    );
    expect((await cli(['task', 'q.json', '--index', '2', '--out', 'half'])).stderr).toMatch(
      /--index: expected 0\.\.1/,
    );
    expect((await cli(['run', 'E12'])).status).toBe(2);
    expect((await cli(['run', 'E4', '--samplez', '3'])).stderr).toMatch(/Unknown option '--samplez'/);
    expect((await cli(['plan', 'E4', '--set', 'nope=1', '--out', 'x.json'])).stderr).toMatch(
      /--set: expected one of the fields/,
    );
    expect((await cli(['frobnicate'])).status).toBe(2);
  });

  it('prints the usage for every command', async () => {
    const viaBin = spawned(['--help']);
    expect(viaBin.status).toBe(0);
    expect(viaBin.stdout).toMatch(/commands:\n {2}run E4/);
    expect((await cli(['run', 'E4', '--help'])).stdout).toMatch(/--sigmas 0\.4,0\.6,0\.75,0\.9/);
    expect((await cli(['plan', '--help'])).stdout).toMatch(/--set field=v1,v2/);
    expect((await cli(['task', '--help'])).stdout).toMatch(/SLURM_ARRAY_TASK_ID/);
    expect((await cli(['merge', '--help'])).stdout).toMatch(/truncated or foreign/);
  });
});
