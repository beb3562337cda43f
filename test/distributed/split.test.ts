/**
 * The splits of src/distributed/experiments.ts: an experiment planned as its parts (E4 by sigma, E8 by data
 * set, E10 by data source x model), run on a pool of 2 workers by runPlan and merged, is the single-thread
 * runEN result bit for bit (everything but the wall time), on small configs with a skipped data set. The
 * E8 tasks carry the path of a small MNIST folder (written here as IDX files), never its data; the workers
 * read it through nodeLoaders.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../../src/data/idx.js';
import { checkPlan, mergePlan, planSweep, planToJson, runPlan } from '../../src/distributed/index.js';
import { runE4 } from '../../src/experiments/e4.js';
import { runE8 } from '../../src/experiments/e8.js';
import { runE10 } from '../../src/experiments/e10.js';
import { nodeLoaders } from '../../src/node/index.js';

/** A result without its wall time. */
function timeless(result: object): object {
  const { seconds: _seconds, ...rest } = result as { seconds: number };
  return rest;
}

/** Plan `config` (one point, seed `seed`) and run it on 2 workers; returns the plan and the merged result. */
async function runOn2Workers(experiment: string, config: Record<string, unknown>, seed: number) {
  const plan = planSweep(experiment, config, { seeds: [seed] });
  const { results, ran } = await runPlan(plan, { workers: 2 });
  expect(ran).toHaveLength(plan.tasks.length);
  expect(results).toHaveLength(1);
  return { plan, result: results[0]! };
}

const dir = mkdtempSync(join(tmpdir(), 'coarsegrain-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 40-image, 4 x 4 MNIST test split (IDX files, deterministic pixels) in `dir`/mnist. */
function writeTinyMnist(): string {
  const n = 40;
  const pixels = Uint8Array.from({ length: n * 16 }, (_, i) => (i * 37 + ((i * i) % 23) * 11) % 256);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const mnist = join(dir, 'mnist');
  mkdirSync(mnist, { recursive: true });
  writeFileSync(join(mnist, 't10k-images-idx3-ubyte'), encodeIdx(pixels, [n, 4, 4]));
  writeFileSync(join(mnist, 't10k-labels-idx1-ubyte'), encodeIdx(labels, [n]));
  return mnist;
}

describe('split plans on 2 workers', () => {
  it('E4 split by sigma equals the single-thread run', async () => {
    const config = {
      sigmas: [0.4, 0.6],
      sizes: [16, 32],
      temperaturePoints: 4,
      samples: 64,
      burnIn: 10,
      resamples: 10,
      correlatorSamples: 64,
      blocks: 4,
    };
    const single = runE4(config, { seed: 3 });
    const { plan, result } = await runOn2Workers('E4', config, 3);
    expect(plan.tasks.map((t) => [t.stage, t.config.sigmas])).toEqual([
      ['sigma', [0.4]],
      ['sigma', [0.6]],
    ]);
    expect(single.measured.perSigma).toHaveLength(2);
    expect(single.preset).toBe('custom');
    expect(timeless(result)).toEqual(timeless(single));
  }, 120_000);

  it('E8 split by data set x model (MNIST read by the workers from its folder, flowers skipped) equals the single-thread run', async () => {
    const mnistDir = writeTinyMnist();
    const config = {
      datasets: ['ising', 'mnist', 'flowers'] as ('ising' | 'mnist' | 'flowers')[],
      mnistDir,
      mnistLimit: 30,
      k: 3,
      isingK: 4,
      seeds: 2,
      randomDraws: 4,
      isingL: 4,
      isingSamples: 200,
      isingBurnIn: 20,
      rbmUpdates: 20,
      aeUpdates: 20,
      batchSize: 10,
    };
    const single = await runE8(config, { seed: 5, loaders: nodeLoaders });
    const { plan, result } = await runOn2Workers('E8', config, 5);
    expect(plan.tasks.map((t) => [t.stage, t.config.datasets, t.config.models])).toEqual([
      ['dataset-model', ['ising'], ['rbm']],
      ['dataset-model', ['ising'], ['autoencoder']],
      ['dataset-model', ['mnist'], ['rbm']],
      ['dataset-model', ['mnist'], ['autoencoder']],
      ['dataset-model', ['flowers'], ['rbm']],
      ['dataset-model', ['flowers'], ['autoencoder']],
    ]);
    // the task names the folder; the plan holds no data (its JSON is a few kB)
    expect(plan.tasks[2]!.config.mnistDir).toBe(mnistDir);
    expect(planToJson(plan).length).toBeLessThan(8000);
    expect(single.measured.datasets.map((d) => [d.dataset, d.n, d.d])).toEqual([
      ['ising', 200, 16],
      ['mnist', 30, 16],
    ]);
    expect(single.measured.rows.map((r) => r.model)).toEqual(['rbm', 'autoencoder', 'rbm', 'autoencoder']);
    expect(single.measured.skipped.map((s) => s.dataset)).toEqual(['flowers']);
    expect(timeless(result)).toEqual(timeless(single));
  }, 120_000);

  it('E10 split by data source x model (one skipped) equals the single-thread run', async () => {
    const config = {
      datasets: ['planted', 'ising', 'mnist'] as ('planted' | 'ising' | 'mnist')[],
      isingTemperatures: [2.0, 3.0],
      isingL: 4,
      isingSamples: 200,
      plantedSamples: 200,
      plantedD: 16,
      plantedRank: 2,
      hidden: 4,
      epochs: 2,
      seeds: 2,
      noiseLevels: [0, 0.1],
      rbmHidden: 4,
      rbmEpochs: 2,
      aisSteps: 20,
      aisChains: 8,
    };
    const single = await runE10(config, { seed: 2 });
    const { plan, result } = await runOn2Workers('E10', config, 2);
    const sources = [
      [['planted'], [2, 3]],
      [['ising'], [2]],
      [['ising'], [3]],
      [['mnist'], [2, 3]],
    ];
    expect(
      plan.tasks.map((t) => [t.stage, t.config.models, t.config.datasets, t.config.isingTemperatures]),
    ).toEqual(['autoencoder', 'rbm'].flatMap((m) => sources.map(([d, T]) => ['source-model', [m], d, T])));
    expect(single.measured.datasets.map((d) => d.name)).toEqual(['planted', 'ising T=2', 'ising T=3']);
    expect(single.measured.rbm).toHaveLength(3);
    expect(single.measured.skipped).toEqual(['mnist']);
    expect(timeless(result)).toEqual(timeless(single));
  }, 120_000);

  it('keeps one task for a point with a single part, and checks split plans read back', () => {
    const one = planSweep('E8', { preset: 'quick', datasets: ['ising'], models: ['rbm'] });
    expect(one.tasks.map((t) => t.stage)).toEqual(['run']);
    // one data set with both models is two parts
    const two = planSweep('E8', { preset: 'quick', datasets: ['ising'] });
    expect(two.tasks.map((t) => [t.stage, t.config.models])).toEqual([
      ['dataset-model', ['rbm']],
      ['dataset-model', ['autoencoder']],
    ]);
    const none = planSweep('E10', { preset: 'quick' }, { split: 'none' });
    expect(none.tasks.map((t) => t.stage)).toEqual(['run']);
    const split = planSweep('E10', { preset: 'quick' }, { seeds: [1, 2] });
    expect(checkPlan(JSON.parse(planToJson(split))).hash).toBe(split.hash);
    // a merge needs one output per task
    expect(() => mergePlan(split, [])).toThrow(/mergePlan: outputs: expected \d+ outputs/);
  });
});
