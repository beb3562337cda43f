import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { byRows } from '../../src/core/tensor.js';
import { E8_PRESETS, runE8 } from '../../src/experiments/e8.js';
import { createRbm } from '../../src/models/init.js';
import { reconstructionError } from '../../src/models/rbm.js';
import { trainRbm } from '../../src/models/rbmTrain.js';
import { nodeLoaders } from '../../src/node/index.js';
import { VERSION } from '../../src/version.js';

describe('runE8 (covariance subspace vs trained-weight subspace)', () => {
  const tiny = {
    datasets: ['ising', 'mnist'] as const,
    models: ['rbm', 'autoencoder'] as const,
    isingL: 8,
    isingK: 5,
    isingSamples: 800,
    isingBurnIn: 100,
    isingThin: 1,
    seeds: 2,
    randomDraws: 10,
    rbmUpdates: 400,
    aeUpdates: 400,
  };

  it('finds the weights of RBMs and autoencoders trained on Ising data far inside the top covariance subspace', async () => {
    const stages = new Set<string>();
    const r = await runE8(
      { ...tiny, datasets: [...tiny.datasets], models: [...tiny.models] },
      { seed: 2, onProgress: (p) => stages.add(p.stage) },
    );
    expect(r.id).toBe('E8');
    expect(r.preset).toBe('custom');
    expect(r.version).toBe(VERSION);
    // MNIST has no folder here: skipped, with the reason
    expect(r.measured.skipped).toEqual([{ dataset: 'mnist', reason: 'no mnistDir given' }]);
    const [ising] = r.measured.datasets;
    expect(ising!.d).toBe(64);
    expect(ising!.k).toBe(5);
    expect(ising!.randomExpected).toBeCloseTo(5 / 64, 12);
    // the measured random baseline agrees with k / d
    expect(Math.abs(ising!.randomOverlap.mean - 5 / 64)).toBeLessThan(5 * ising!.randomOverlap.error + 0.02);
    expect(r.measured.rows.map((row) => row.model)).toEqual(['rbm', 'autoencoder']);
    for (const row of r.measured.rows) {
      expect(row.perSeed).toHaveLength(2);
      expect(Number.isFinite(row.overlap.error)).toBe(true);
      expect(row.overlap.mean).toBeLessThanOrEqual(1 + 1e-12);
      // physics: trained weights overlap the covariance's top eigenvectors far above random subspaces
      expect(row.overlap.mean).toBeGreaterThan(0.5);
      expect(row.overlap.mean).toBeGreaterThan(4 * ising!.randomOverlap.mean);
      expect(row.overlap.mean).toBeGreaterThan(row.initialOverlap.mean + 0.3);
    }
    expect(r.comparisons).toHaveLength(2);
    expect(r.comparisons.every((c) => c.agrees)).toBe(true);
    expect([...stages]).toContain('ising: pca');
    expect(JSON.parse(JSON.stringify(r)).measured.rows).toHaveLength(2);
  }, 60_000);

  it('validates its config and is reproducible', async () => {
    await expect(runE8({ datasets: ['cifar' as never] }, {})).rejects.toThrow(/datasets\[0\]/);
    await expect(runE8({ isingL: 4, isingK: 17 }, {})).rejects.toThrow(/isingK/);
    const small = {
      datasets: ['ising' as const],
      models: ['autoencoder' as const],
      isingL: 6,
      isingK: 5,
      isingSamples: 200,
      seeds: 1,
      aeUpdates: 20,
      randomDraws: 2,
    };
    const a = await runE8(small, { seed: 4 });
    const b = await runE8(small, { seed: 4 });
    expect(a.measured.rows[0]!.perSeed).toEqual(b.measured.rows[0]!.perSeed);
    expect(E8_PRESETS.quick.k).toBe(16);
  }, 60_000);

  it('trains in float32 (the full preset) to the same overlaps as in float64, and validates dtype', async () => {
    await expect(runE8({ dtype: 'float16' as never }, {})).rejects.toThrow(/runE8: config\.dtype/);
    expect(E8_PRESETS.full.dtype).toBe('float32');
    const small = {
      datasets: ['ising' as const],
      models: ['rbm' as const, 'autoencoder' as const],
      isingL: 6,
      isingK: 5,
      isingSamples: 300,
      isingBurnIn: 50,
      seeds: 2,
      rbmUpdates: 150,
      aeUpdates: 150,
      randomDraws: 2,
    };
    const f64 = await runE8({ ...small, dtype: 'float64' }, { seed: 3 });
    const f32 = await runE8({ ...small, dtype: 'float32' }, { seed: 3 });
    // same data and PCA (always float64); float32 rounding moves the overlaps and losses by ~1e-7 here
    // (measured: at most 9e-8 and 1.3e-8 relative), far below their spread over seeds (0.015-0.11)
    expect(f32.measured.datasets).toEqual(f64.measured.datasets);
    for (let i = 0; i < 2; i++) {
      const a = f64.measured.rows[i]!;
      const b = f32.measured.rows[i]!;
      for (let s = 0; s < 2; s++) expect(Math.abs(b.perSeed[s]! - a.perSeed[s]!)).toBeLessThan(1e-5);
      expect(Math.abs(b.finalLoss.mean - a.finalLoss.mean)).toBeLessThan(1e-5 * a.finalLoss.mean);
      expect(a.finalLoss.mean).toBeGreaterThan(0);
    }
  }, 60_000);

  it("computes the RBM's final loss once after training: the number trainRbm's default monitor gave", () => {
    // E8 trains with monitorSize 0 and takes reconstructionError on the first min(n, 500) rows afterwards;
    // the default monitor (the same rows, the same kernels, no random draws) must give the same number, bit
    // for bit, in both precisions, and monitoring must not change the training
    const n = 600;
    const d = 12;
    const rng = createRng(9);
    const data = Float64Array.from({ length: n * d }, () => (rng.uniform() < 0.3 ? 1 : 0));
    for (const dtype of ['float32', 'float64'] as const) {
      const train = (monitorSize?: number) =>
        trainRbm(
          createRbm({
            nVisible: d,
            nHidden: 4,
            visibleUnits: 'binary',
            hiddenUnits: 'binary',
            rng: createRng(3),
            dtype,
          }),
          byRows(data, d),
          {
            epochs: 3,
            batchSize: 50,
            rng: createRng(4),
            ...(monitorSize === undefined ? {} : { monitorSize }),
          },
        );
      const monitored = train();
      const silent = train(0);
      expect(Array.from(silent.model.weights)).toEqual(Array.from(monitored.model.weights));
      const last = monitored.history[monitored.history.length - 1]!.reconstructionError;
      expect(reconstructionError(silent.model, byRows(data.subarray(0, 500 * d), d))).toBe(last);
    }
  });

  it('asks for file loaders when a data folder is set (the root entry reads no files)', async () => {
    const run = runE8({ datasets: ['mnist'], models: ['autoencoder'], mnistDir: 'anywhere' }, { seed: 1 });
    await expect(run).rejects.toThrow(DomainError);
    await expect(
      runE8({ datasets: ['mnist'], models: ['autoencoder'], mnistDir: 'anywhere' }, { seed: 1 }),
    ).rejects.toThrow(
      /runE8: options\.loaders: expected file loaders to read config\.mnistDir \(pass nodeLoaders from 'coarsegrain\/node'\), received undefined/,
    );
  });

  const mnist = '../shared/data/mnist';
  it.skipIf(!existsSync(mnist))(
    'runs on a small MNIST subset',
    async () => {
      const r = await runE8(
        {
          datasets: ['mnist'],
          models: ['autoencoder'],
          k: 4,
          mnistLimit: 300,
          seeds: 1,
          aeUpdates: 50,
          randomDraws: 3,
          mnistDir: mnist,
        },
        { seed: 1, loaders: nodeLoaders },
      );
      expect(r.measured.datasets[0]!.d).toBe(784);
      expect(r.measured.rows[0]!.overlap.mean).toBeGreaterThan(r.measured.datasets[0]!.randomOverlap.mean);
    },
    60_000,
  );
});
