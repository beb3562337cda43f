/**
 * examples/lib/split.ts: an experiment run as parts on a worker pool and merged is the single-thread
 * result, bit for bit (everything but the wall time), on small configs of E4 (split by sigma), E8 (by data
 * set, one of them skipped) and E10 (by model).
 */
import { describe, expect, it } from 'vitest';
import { runSplit } from '../../examples/lib/split.js';
import { runE4 } from '../../src/experiments/e4.js';
import { runE8 } from '../../src/experiments/e8.js';
import { runE10 } from '../../src/experiments/e10.js';

/** A result without its wall time. */
function timeless(result: object): object {
  const { seconds: _seconds, ...rest } = result as { seconds: number };
  return rest;
}

describe('runSplit', () => {
  it('E4 split by sigma on 2 workers equals the single-thread run', async () => {
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
    const split = await runSplit('E4', config, { seed: 3, workers: 2 });
    expect(single.measured.perSigma).toHaveLength(2);
    expect(single.preset).toBe('custom');
    expect(timeless(split)).toEqual(timeless(single));
  }, 120_000);

  it('E8 split by data set (one skipped) equals the single-thread run', async () => {
    const config = {
      datasets: ['ising', 'mnist'] as ('ising' | 'mnist')[],
      isingK: 4,
      seeds: 2,
      randomDraws: 4,
      isingL: 4,
      isingSamples: 200,
      isingBurnIn: 20,
      rbmUpdates: 20,
      aeUpdates: 20,
      batchSize: 50,
    };
    const single = await runE8(config, { seed: 5 });
    const split = await runSplit('E8', config, { seed: 5, workers: 2 });
    expect(single.measured.rows.map((r) => r.model)).toEqual(['rbm', 'autoencoder']);
    expect(single.measured.skipped.map((s) => s.dataset)).toEqual(['mnist']);
    expect(timeless(split)).toEqual(timeless(single));
  }, 120_000);

  it('E10 split by data source and model (one skipped) equals the single-thread run', async () => {
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
    const split = await runSplit('E10', config, { seed: 2, workers: 2 });
    expect(single.measured.datasets.map((d) => d.name)).toEqual(['planted', 'ising T=2', 'ising T=3']);
    expect(single.measured.rbm).toHaveLength(3);
    expect(single.measured.skipped).toEqual(['mnist']);
    expect(timeless(split)).toEqual(timeless(single));
  }, 120_000);
});
