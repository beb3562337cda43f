import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { E10_PRESETS, plantedLowRank, runE10, truncatedAutoencoders } from '../../src/experiments/e10.js';
import {
  covarianceInitialWeights,
  createAutoencoder,
  reconstruct,
  reconstructionLoss,
  trainAutoencoder,
} from '../../src/models/autoencoder.js';
import { VERSION } from '../../src/version.js';
import { batch } from '../models/batch.js';

describe('E10 irrelevant parameters, noise rejection, solvability criterion', () => {
  it('truncation at full rank reproduces the untruncated model', () => {
    const d = 10;
    const data = plantedLowRank(200, d, 2, 0.1, createRng(4));
    const ae = createAutoencoder({ layers: [d, 4], activations: ['tanh', 'linear'], rng: createRng(2) });
    const { model } = trainAutoencoder(ae, batch(data, ae.layers[0]!), {
      epochs: 2,
      batchSize: 20,
      rng: createRng(3),
    });
    const all = truncatedAutoencoders(model);
    expect(all).toHaveLength(4);
    const full = reconstruct(model, batch(data, model.layers[0]!)).data;
    const last = reconstruct(all[3]!, batch(data, all[3]!.layers[0]!)).data;
    let maxDiff = 0;
    for (let i = 0; i < full.length; i++) maxDiff = Math.max(maxDiff, Math.abs(full[i]! - last[i]!));
    expect(maxDiff).toBeLessThan(1e-12);
  });

  it('linear-code truncation is invariant under W_enc A, A^-1 W_dec (it truncates the end-to-end map)', () => {
    const d = 10;
    const h = 4;
    const data = plantedLowRank(200, d, 3, 0.1, createRng(4));
    const ae = createAutoencoder({ layers: [d, h], activations: 'linear', rng: createRng(2) });
    const { model } = trainAutoencoder(ae, batch(data, ae.layers[0]!), {
      epochs: 3,
      batchSize: 20,
      rng: createRng(3),
    });
    // the same linear network with mode a's scale moved from the decoder into the encoder (A = diag)
    const scales = [8, 0.1, 3, 0.5];
    const moved = {
      ...model,
      weights: model.weights.map((w) => w.slice()),
      biases: model.biases.map((b) => b.slice()),
    };
    for (let a = 0; a < h; a++) {
      for (let i = 0; i < d; i++) moved.weights[0]![i * h + a]! *= scales[a]!;
      for (let j = 0; j < d; j++) moved.weights[1]![a * d + j]! /= scales[a]!;
      moved.biases[0]![a]! *= scales[a]!;
    }
    const x = reconstruct(model, batch(data, model.layers[0]!)).data;
    const y = reconstruct(moved, batch(data, moved.layers[0]!)).data;
    for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThan(1e-12);
    const a = truncatedAutoencoders(model);
    const b = truncatedAutoencoders(moved);
    for (let k = 0; k < h; k++) {
      const ra = reconstruct(a[k]!, batch(data, a[k]!.layers[0]!)).data;
      const rb = reconstruct(b[k]!, batch(data, b[k]!.layers[0]!)).data;
      let diff = 0;
      for (let i = 0; i < ra.length; i++) diff = Math.max(diff, Math.abs(ra[i]! - rb[i]!));
      expect(diff).toBeLessThan(1e-9);
    }
  });

  it('with data, a projection network (all singular values 1) truncates to the k-component PCA', () => {
    // A converged linear autoencoder is the orthogonal projection on its top-h principal subspace: every
    // singular value of W_enc W_dec is 1, so the singular-value order of its modes is arbitrary. Ordered by
    // the variance they carry on the data, the rank-k truncation must be the k-component PCA, whose MSE
    // per element on the same rows is sum_{a > k} lambda_a / d (biased covariance). The old ordering read
    // k = 32 of 32 on a planted rank-4 set after 45 epochs of the E10 full preset.
    const d = 16;
    const h = 8;
    const flat = plantedLowRank(400, d, 3, 0.2, createRng(5));
    for (let i = 0; i < flat.length; i++) flat[i]! += 0.5 + (i % d) / d; // a mean away from 0
    const data = batch(flat, d);
    const model = createAutoencoder({
      layers: [d, h],
      activations: 'linear',
      init: { kind: 'covariance', data },
    });
    const lambda = covarianceInitialWeights(data, h).eigenvalues;
    const all = truncatedAutoencoders(model, data);
    expect(all).toHaveLength(h);
    for (let k = 1; k <= h; k++) {
      let tail = 0;
      for (let a = k; a < d; a++) tail += lambda[a]!;
      expect(Math.abs(reconstructionLoss(all[k - 1]!, data) - tail / d)).toBeLessThan(1e-10 * (tail / d));
    }
    expect(() => truncatedAutoencoders(model, batch(new Float64Array(17), 17))).toThrow(
      'truncatedAutoencoders: rows: expected a matrix of rows x 16, received 1 x 17',
    );
  });

  it('finds the planted rank and the denoising gain predicted by the eigenvalues', async () => {
    const stages: string[] = [];
    const r = await runE10(
      {
        datasets: ['planted', 'mnist'],
        models: ['autoencoder'],
        plantedSamples: 600,
        plantedD: 32,
        plantedRank: 3,
        plantedNoise: 0.05,
        hidden: 8,
        epochs: 15,
        seeds: 2,
        batchSize: 25,
        noiseLevels: [0, 0.3],
      },
      { seed: 7, onProgress: (p) => stages.push(p.stage) },
    );
    expect(r.id).toBe('E10');
    expect(r.version).toBe(VERSION);
    expect(r.seed).toBe(7);
    expect(r.measured.skipped).toEqual(['mnist']);
    expect(stages).toContain('E10 planted');
    const ds = r.measured.datasets[0]!;
    expect(ds.name).toBe('planted');
    const t = ds.truncation;
    expect(t.k).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.smallestK.mean).toBe(3);
    expect(t.fullRankDeviation).toBeLessThan(1e-12);
    // below the planted rank the error is large, from it on close to the full model
    expect(t.loss[1]!.mean).toBeGreaterThan(10 * t.fullLoss.mean);
    // covariance-built network at k = rank is as good as the trained one
    expect(t.covarianceLoss[2]!.mean).toBeLessThan(1.1 * t.loss[2]!.mean);
    expect(ds.criterion.gapIndex).toBe(3);
    expect(ds.criterion.kFraction).toBeLessThanOrEqual(3);
    expect(ds.criterion.predictsSmallNetwork).toBe(true);
    const noisy = ds.noise[1]!;
    expect(noisy.level).toBe(0.3);
    expect(noisy.gain.mean).toBeGreaterThan(3);
    expect(Math.abs(noisy.gain.mean / noisy.predictedGain.mean - 1)).toBeLessThan(0.25);
    expect(noisy.overlap.mean).toBeGreaterThan(0.7); // random: 3 / 32
    expect(r.comparisons.find((c) => c.quantity.startsWith('smallest k'))?.agrees).toBe(true);
    expect(JSON.parse(JSON.stringify(r)).measured.datasets[0].d).toBe(32);
  }, 60_000);

  it('the covariance network truncated to k units is the k-component PCA for a sigmoid code too', async () => {
    const base = {
      datasets: ['planted'] as const,
      models: ['autoencoder'] as const,
      plantedSamples: 200,
      plantedD: 12,
      plantedRank: 3,
      hidden: 5,
      epochs: 1,
      seeds: 1,
      batchSize: 50,
      noiseLevels: [0],
    };
    const lin = await runE10({ ...base, activation: 'linear' }, { seed: 2 });
    const sig = await runE10({ ...base, activation: 'sigmoid' }, { seed: 2 });
    const a = lin.measured.datasets[0]!.truncation.covarianceLoss;
    const b = sig.measured.datasets[0]!.truncation.covarianceLoss;
    expect(b).toHaveLength(5);
    // frozen units keep their operating value, which the decoder bias compensates; zeroing them gave
    // 1269, 949, 633, 316 for k = 1..4. What remains is the sigmoid's O(scale^4) excess of the untruncated
    // network on held-out rows, 2.1e-5 at every k (3e-5 of the k = 1 loss)
    a.forEach((m, k) => {
      expect(Math.abs(b[k]!.mean - m.mean)).toBeLessThan(1e-4 * a[0]!.mean);
    });
  }, 60_000);

  it('noise rejection on a small Ising set; config validation', async () => {
    const r = await runE10(
      {
        datasets: ['ising'],
        models: ['autoencoder'],
        isingTemperatures: [1.8],
        isingL: 4,
        isingSamples: 200,
        hidden: 2,
        epochs: 30,
        seeds: 1,
        noiseLevels: [0.1],
      },
      { seed: 2 },
    );
    const ds = r.measured.datasets[0]!;
    expect(ds.name).toBe('ising T=1.8');
    expect(ds.noise[0]!.inputError.mean).toBeGreaterThan(0.2); // 4 p for +-1 spins
    expect(ds.noise[0]!.gain.mean).toBeGreaterThan(1);
    await expect(runE10({ hidden: 0 })).rejects.toThrow(DomainError);
    await expect(runE10({ varianceFraction: 1.5 })).rejects.toThrow(/varianceFraction/);
    await expect(runE10({ models: ['svm' as 'rbm'] })).rejects.toThrow(/models/);
    await expect(runE10({ rbmHidden: 0 })).rejects.toThrow(/rbmHidden/);
    expect(r.measured.rbm).toEqual([]);
    expect(E10_PRESETS.full.seeds).toBeGreaterThan(E10_PRESETS.quick.seeds);
  });
});
