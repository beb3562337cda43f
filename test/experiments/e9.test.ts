import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { splitRows } from '../../src/experiments/datasets.js';
import { compareInitialisations, E9_PRESETS, runE9 } from '../../src/experiments/e9.js';
import { createAutoencoder, reconstructionLoss } from '../../src/models/autoencoder.js';
import { VERSION } from '../../src/version.js';
import { batch } from '../models/batch.js';

/** n x d data of planted rank r plus small white noise (built by the test). */
function planted(n: number, d: number, r: number, noise: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const basis = new Float64Array(d * r).map(() => rng.normal());
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: r }, (_, a) => rng.normal() * (r - a + 1));
    for (let j = 0; j < d; j++) {
      let s = 0.3;
      for (let a = 0; a < r; a++) s += basis[j * r + a]! * z[a]!;
      x[i * d + j] = s + noise * rng.normal();
    }
  }
  return x;
}

describe('E9 covariance initialisation', () => {
  it('a covariance-initialised linear autoencoder starts within 1% of the Baldi-Hornik optimum', () => {
    const d = 12;
    const k = 3;
    const data = planted(400, d, 4, 0.2, 5);
    const ae = createAutoencoder({
      layers: [d, k],
      activations: 'linear',
      init: { kind: 'covariance', data: batch(data, d) },
    });
    const ds = { name: 'planted', d, description: '', ...splitRows(data, 400, d, 0.25, createRng(1)) };
    const run = compareInitialisations(
      ds,
      { code: k, activation: 'linear', epochs: 3, maxEpochFactor: 2, batchSize: 20, learningRate: 1e-3 },
      1,
      0,
    );
    // the run's optimum is computed on the training split; check the full-data model too
    expect(Math.abs(run.covarianceTrainLoss0 - run.baldiHornikOptimum)).toBeLessThan(
      0.01 * run.baldiHornikOptimum,
    );
    expect(reconstructionLoss(ae, batch(data, ae.layers[0]!))).toBeGreaterThan(0);
    // untrained covariance network beats 3 epochs of training from random
    expect(run.epochsCovariance).toBe(0);
    expect(run.covarianceLoss0).toBeLessThan(run.targetLoss);
  });

  it('runE9 on a tiny Ising set: structure, seeds, speed-up > 1', async () => {
    const stages: string[] = [];
    const r = await runE9(
      {
        preset: 'quick',
        datasets: ['ising', 'mnist'],
        isingL: 6,
        isingSamples: 300,
        isingTemperatures: [2.269],
        code: 6,
        epochs: 10,
        seeds: 2,
        batchSize: 25,
      },
      { seed: 3, onProgress: (p) => stages.push(p.stage) },
    );
    expect(r.id).toBe('E9');
    expect(r.version).toBe(VERSION);
    expect(r.seed).toBe(3);
    expect(r.preset).toBe('custom');
    expect(r.measured.skipped).toEqual(['mnist']);
    expect(r.measured.datasets).toHaveLength(1);
    const ds = r.measured.datasets[0]!;
    expect(ds.d).toBe(36);
    expect(ds.runs).toHaveLength(2);
    expect(Number.isFinite(ds.speedUp.error)).toBe(true);
    expect(ds.speedUp.mean).toBeGreaterThan(1);
    for (const run of ds.runs) {
      expect(run.randomCurve).toHaveLength(11);
      expect(run.covarianceLoss0).toBeLessThan(run.randomLoss0);
      // the tanh code sits in its linear regime: the untrained network is the PCA projection (P3), not
      // the 1.2-3.2 l* of the unscaled construction
      expect(Math.abs(run.covarianceLoss0 / run.linearCovarianceLoss0 - 1)).toBeLessThan(1e-3);
      // epochs of random training the covariance init is worth: the first epoch at or below its loss
      const e = run.epochsRandomToCovariance0;
      if (e === null) expect(Math.min(...run.randomCurve.slice(1))).toBeGreaterThan(run.covarianceLoss0);
      else {
        expect(run.randomCurve[e]!).toBeLessThanOrEqual(run.covarianceLoss0);
        for (let j = 1; j < e; j++) expect(run.randomCurve[j]!).toBeGreaterThan(run.covarianceLoss0);
      }
    }
    expect(ds.randomNeverReachedCovariance0).toBe(
      ds.runs.filter((x) => x.epochsRandomToCovariance0 === null).length,
    );
    expect(stages).toContain('E9 ising T=2.269');
    expect(r.comparisons.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(JSON.stringify(r)).measured.datasets[0].name).toBe('ising T=2.269');
    // deterministic in the seed
    const again = await runE9(
      {
        preset: 'quick',
        datasets: ['ising'],
        isingL: 6,
        isingSamples: 300,
        code: 6,
        epochs: 10,
        seeds: 2,
        batchSize: 25,
      },
      { seed: 3 },
    );
    expect(again.measured.datasets[0]!.runs[1]!.targetLoss).toBe(ds.runs[1]!.targetLoss);
  }, 60_000);

  it('validates the config', async () => {
    await expect(runE9({ epochs: 0 })).rejects.toThrow(DomainError);
    await expect(runE9({ datasets: ['cifar' as never] })).rejects.toThrow(/datasets/);
    expect(E9_PRESETS.full.epochs).toBeGreaterThan(E9_PRESETS.quick.epochs);
  });
});
