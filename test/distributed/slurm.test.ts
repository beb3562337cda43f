/**
 * examples/slurm: submit-e4-sweep.sh with a stand-in `sbatch` on the PATH (records its arguments, prints
 * a job id) checks the array range and the afterok dependency; then the recorded array is run by hand,
 * e4-task.sbatch once per index with SLURM_ARRAY_TASK_ID set (shuffled), and e4-merge.sbatch after it.
 * The merged result equals the in-process runE4 bit for bit. (No Slurm here: sbatch itself is not run.)
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonReplacer } from '../../src/cli/args.js';
import { runE4 } from '../../src/experiments/e4.js';
import { TINY_E4_FLAGS as FLAGS, TINY_E4 as TINY } from './fixtures.js';

const slurm = resolve('examples/slurm');
const dir = mkdtempSync(join(tmpdir(), 'coarsegrain-slurm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/slurm E4 sweep', () => {
  it('submits an array 0..n-1 and an afterok merge; the tasks and the merge reproduce runE4', () => {
    const fakeBin = join(dir, 'fakebin');
    mkdirSync(fakeBin);
    const log = join(dir, 'sbatch.log');
    writeFileSync(
      join(fakeBin, 'sbatch'),
      `#!/usr/bin/env bash\necho "$*" >> ${log}\nn=$(wc -l < ${log}); echo $((1000 + n))\n`,
    );
    chmodSync(join(fakeBin, 'sbatch'), 0o755);
    const work = join(dir, 'sweep');
    const env = {
      ...process.env,
      PATH: `${fakeBin}:${process.env.PATH}`,
      WORK: work,
      COARSEGRAIN: `${process.execPath} ${resolve('bin/coarsegrain.js')}`,
    };
    const submit = spawnSync('bash', [join(slurm, 'submit-e4-sweep.sh'), ...FLAGS, '--seeds', '2,3'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(submit.stderr).toBe('');
    expect(submit.status).toBe(0);
    expect(submit.stdout).toMatch(/plan: 4 tasks/);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.length).toBe(2);
    expect(calls[0]).toMatch(/--array=0-3 .*e4-task\.sbatch$/);
    expect(calls[1]).toMatch(/--dependency=afterok:1001 .*e4-merge\.sbatch$/);
    // what Slurm would do: every array index, in any order, then the merge
    for (const i of [3, 1, 0, 2]) {
      const task = spawnSync('bash', [join(slurm, 'e4-task.sbatch')], {
        env: { ...env, SLURM_ARRAY_TASK_ID: String(i) },
        encoding: 'utf8',
      });
      expect(task.status, task.stderr).toBe(0);
    }
    const merge = spawnSync('bash', [join(slurm, 'e4-merge.sbatch')], { env, encoding: 'utf8' });
    expect(merge.status, merge.stderr).toBe(0);
    for (const [i, seed] of [2, 3].entries()) {
      const written = JSON.parse(
        readFileSync(join(work, 'results', `point-${i}-seed-${seed}`, 'result.json'), 'utf8'),
      );
      const inProcess = JSON.parse(JSON.stringify(runE4(TINY, { seed }), jsonReplacer));
      expect({ ...written, seconds: 0 }).toEqual({ ...inProcess, seconds: 0 });
    }
  });

  it('the task script refuses to run outside an array job', () => {
    const r = spawnSync('bash', [join(slurm, 'e4-task.sbatch')], {
      env: { ...process.env, WORK: dir, SLURM_ARRAY_TASK_ID: '' },
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/SLURM_ARRAY_TASK_ID/);
  });
});
