import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { isingRows } from '../../src/experiments/datasets.js';
import { runE10 } from '../../src/experiments/e10.js';
import { biasOnlyLogLikelihood, e10LogPartition, rbmTruncationRanks } from '../../src/experiments/e10Rbm.js';
import { createRbm } from '../../src/models/init.js';
import { exactLogPartition, logLikelihood } from '../../src/models/partition.js';
import { trainRbm } from '../../src/models/rbmTrain.js';
import { truncatedRbm } from '../../src/models/truncate.js';
import { weightSvd } from '../../src/spectral/weights.js';
import { batch } from '../models/batch.js';

describe('E10 RBM part: truncated weights measured by the held-out log-likelihood', () => {
  const spins = isingRows(3, 2.269, 200, 2, createRng(5));
  const { model } = trainRbm(createRbm({ nVisible: 9, nHidden: 5, rng: createRng(1) }), batch(spins, 9), {
    epochs: 20,
    batchSize: 20,
    method: 'cd',
    optimizer: { kind: 'adam', learningRate: 1e-2, epsilon: 1e-2 },
    rng: createRng(2),
  });
  const svd = weightSvd(matrix(model.weights, 9, 5));
  const ll = (k: number) => {
    const t = truncatedRbm(model, svd, k);
    return logLikelihood(t, batch(spins, t.nVisible), exactLogPartition(t));
  };

  it('full-rank truncation reproduces the model; rank 0 is the bias-only model in closed form', () => {
    const full = logLikelihood(model, batch(spins, model.nVisible), exactLogPartition(model));
    expect(Math.abs(ll(5) - full)).toBeLessThan(1e-10);
    expect(Math.abs(ll(0) - biasOnlyLogLikelihood(model, spins))).toBeLessThan(1e-10);
    // the trained model beats the bias-only one on its training data
    expect(full).toBeGreaterThan(ll(0) + 0.1);
    // binary units: the closed form holds too (log z = softplus)
    const bin = createRbm({
      nVisible: 6,
      nHidden: 3,
      visibleUnits: 'binary',
      hiddenUnits: 'binary',
      init: 'zeros',
    });
    bin.visibleBias.set([0.3, -1, 2, 0, 0.5, -0.2]);
    const rows = Float64Array.from([1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1]);
    expect(
      Math.abs(
        logLikelihood(bin, batch(rows, bin.nVisible), exactLogPartition(bin)) -
          biasOnlyLogLikelihood(bin, rows),
      ),
    ).toBeLessThan(1e-12);
  });

  it('AIS agrees with exact log Z within its error bar; kept-mode grid', () => {
    const exact = e10LogPartition(
      model,
      { rbmMaxExactUnits: 20, aisChains: 2, aisSteps: 2 },
      spins,
      createRng(3),
    );
    expect(exact.method).toBe('exact');
    expect(exact.logZStdErr).toBe(0);
    const ais = e10LogPartition(
      model,
      { rbmMaxExactUnits: 0, aisChains: 64, aisSteps: 400 },
      spins,
      createRng(4),
    );
    expect(ais.method).toBe('ais');
    expect(ais.logZStdErr).toBeGreaterThan(0);
    expect(Math.abs(ais.logZ - exact.logZ)).toBeLessThan(Math.max(4 * ais.logZStdErr, 0.02));
    expect(rbmTruncationRanks(3)).toEqual([0, 1, 2, 3]);
    const grid = rbmTruncationRanks(64);
    expect(grid[0]).toBe(0);
    expect(grid[grid.length - 1]).toBe(64);
    expect(new Set(grid).size).toBe(grid.length);
  });

  it('runE10 with models ["rbm"] on tiny Ising and planted sets (exact log Z)', async () => {
    const stages: string[] = [];
    const r = await runE10(
      {
        models: ['rbm'],
        datasets: ['ising', 'planted'],
        isingTemperatures: [1.8],
        isingL: 3,
        isingSamples: 300,
        plantedSamples: 300,
        plantedD: 12,
        plantedRank: 2,
        rbmHidden: 5,
        rbmEpochs: 30,
        rbmBatchSize: 20,
        seeds: 2,
        noiseLevels: [0, 0.1],
      },
      { seed: 3, onProgress: (p) => stages.push(p.stage) },
    );
    expect(r.measured.datasets).toEqual([]);
    expect(stages).toContain('E10 RBM ising T=1.8');
    expect(r.measured.rbm.map((s) => s.name)).toEqual(['ising T=1.8', 'planted']);
    for (const s of r.measured.rbm) {
      const t = s.truncation;
      expect(s.partition).toBe('exact');
      expect(t.k).toEqual([0, 1, 2, 3, 4, 5]);
      expect(t.fullRankDeviation).toBeLessThan(1e-10);
      expect(t.logZStdErr.every((e) => e === 0)).toBe(true);
      expect(Math.abs(t.logLikelihood[0]!.mean - t.biasOnlyLogLikelihood.mean)).toBeLessThan(1e-10);
      const gain = t.fullLogLikelihood.mean - t.logLikelihood[0]!.mean;
      expect(gain).toBeGreaterThan(0);
      // from the smallest sufficient k on, non-decreasing within the tolerance, never above the full model by much
      const kStar = Math.round(t.smallestK.mean);
      for (let k = kStar; k < t.k.length - 1; k++)
        expect(t.logLikelihood[k + 1]!.mean).toBeGreaterThan(t.logLikelihood[k]!.mean - 0.1 * gain);
      for (const l of t.logLikelihood) expect(l.mean).toBeLessThan(t.fullLogLikelihood.mean + 0.1 * gain);
      expect(t.allParameters).toBe(s.nVisible * 5 + s.nVisible + 5);
    }
    const ising = r.measured.rbm[0]!;
    expect(ising.visibleUnits).toBe('spin');
    expect(ising.truncation.smallestK.mean).toBeLessThanOrEqual(2); // ordered phase: the magnetisation mode
    expect(ising.noise).toHaveLength(1);
    const n = ising.noise[0]!;
    expect(n.inputFlipFraction.mean).toBeGreaterThan(0.05);
    expect(n.cleanAdvantage.mean).toBeGreaterThan(0);
    expect(r.measured.rbm[1]!.visibleUnits).toBe('binary');
    expect(r.measured.rbm[1]!.noise).toEqual([]);
    expect(r.comparisons.filter((c) => c.quantity.startsWith('RBM')).length).toBe(6);
    expect(JSON.parse(JSON.stringify(r)).measured.rbm[0].nVisible).toBe(9);
  }, 20_000);
});
