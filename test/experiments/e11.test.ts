import { describe, expect, it } from 'vitest';
import { covarianceMatrix } from '../../src/core/covariance.js';
import { DomainError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { covarianceInitMlp, E11_PRESETS, runE11 } from '../../src/experiments/e11.js';
import { betweenClassAxes, plantedClassification } from '../../src/experiments/e11Data.js';
import { truncationGrid } from '../../src/experiments/e11Probe.js';
import { expectedMaxAbsNormal } from '../../src/experiments/e11Summary.js';
import { createMlp } from '../../src/models/mlp.js';
import { pca } from '../../src/spectral/pca.js';

const TINY_PLANTED = {
  datasets: ['planted'] as const,
  seeds: 3,
  plantedD: 16,
  plantedK: 2,
  plantedSamples: 2000,
  plantedHidden: 8,
  plantedEpochs: 5,
  epochs: 5,
};

describe('E11 data and helpers', () => {
  it('plants an orthonormal k-dim subspace that the between-class axes recover', () => {
    const d = 12;
    const k = 3;
    const n = 6000;
    const p = plantedClassification(n, d, k, 0.5, createRng(3));
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += p.basis[i * k + a]! * p.basis[i * k + b]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    const counts = new Array(2 * k).fill(0);
    for (const l of p.labels) counts[l]++;
    // 2k equally likely classes: each count ~ Binomial(n, 1/6), sd ~ 29
    for (const c of counts) expect(Math.abs(c - n / (2 * k))).toBeLessThan(5 * Math.sqrt(n / (2 * k)));
    const { axes, eigenvalues } = betweenClassAxes(p.x, p.labels, n, d, 2 * k, k);
    // rank of S_B is k: eigenvalue k+1 is sampling noise only
    expect(eigenvalues[k]! / eigenvalues[k - 1]!).toBeLessThan(0.05);
    let overlap = 0;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += axes[i * k + a]! * p.basis[i * k + b]!;
        overlap += dot * dot;
      }
    expect(overlap / k).toBeGreaterThan(0.99);
  });

  it('E max |z| of one standard normal is sqrt(2 / pi), and grows with k', () => {
    expect(expectedMaxAbsNormal(1)).toBeCloseTo(Math.sqrt(2 / Math.PI), 5);
    expect(expectedMaxAbsNormal(4)).toBeGreaterThan(expectedMaxAbsNormal(2));
  });

  it('truncation grid: every k up to 32, then ~20% steps, ending at the rank', () => {
    expect(truncationGrid(5)).toEqual([1, 2, 3, 4, 5]);
    const g = truncationGrid(256);
    expect(g.slice(0, 32)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(g[g.length - 1]).toBe(256);
    for (let i = 1; i < g.length; i++) expect(g[i]!).toBeGreaterThan(g[i - 1]!);
  });

  it('the covariance-initialised first layer whitens the training data exactly', () => {
    const n = 500;
    const d = 6;
    const h = 4;
    const rng = createRng(5);
    const x = new Float64Array(n * d);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal() * (1 + (i % d)) + 0.3;
    const p = pca(matrix(x, n, d), h);
    const random = createMlp({ layers: [d, h, 3], rng: createRng(1) });
    const m = covarianceInitMlp(random, p.components.data, p.eigenvalues, p.mean, h);
    const pre = new Float64Array(n * h);
    for (let r = 0; r < n; r++)
      for (let a = 0; a < h; a++) {
        let s = m.biases[0]![a]!;
        for (let i = 0; i < d; i++) s += x[r * d + i]! * m.weights[0]![i * h + a]!;
        pre[r * h + a] = s;
      }
    const cov = covarianceMatrix(matrix(pre, n, h));
    for (let a = 0; a < h; a++) {
      expect(cov.mean[a]!).toBeCloseTo(0, 10);
      for (let b = 0; b < h; b++) expect(cov.matrix[a * h + b]!).toBeCloseTo(a === b ? 1 : 0, 8);
    }
    expect(m.weights[1]).toEqual(random.weights[1]);
  });

  it('rejects bad configs with the field named', async () => {
    await expect(runE11({ seeds: 1 })).rejects.toThrow(DomainError);
    await expect(runE11({ plantedK: 40 })).rejects.toThrow(/plantedK/);
    await expect(runE11({ datasets: ['cifar' as never] })).rejects.toThrow(/datasets\[0\]/);
    expect(E11_PRESETS.full.mnistHidden).toEqual([16, 64, 256]);
  });
});

describe('runE11 at tiny size', () => {
  it('planted exact check: the classifier recovers the planted subspace within the sample-count tolerance', async () => {
    const r = await runE11(TINY_PLANTED, { seed: 2 });
    const s = r.measured.sets[0]!;
    expect(r.measured.sets).toHaveLength(1);
    const check = s.plantedCheck!;
    // tolerance ~ (d - k) / n: 3 (14 * 0.25 / (1500 * rho^2) + init term)
    expect(check.tolerance).toBeGreaterThan(0);
    expect(check.tolerance).toBeLessThan(0.1);
    expect(1 - s.overlapPlanted.mean).toBeLessThanOrEqual(check.tolerance);
    expect(Number.isFinite(s.overlapPlanted.error)).toBe(true);
    // far above the random level k / d and the untrained weights
    expect(s.overlapPlanted.mean).toBeGreaterThan(s.overlapPlantedUntrained.mean + 0.5);
    expect(r.comparisons[0]!.agrees).toBe(true);
    // the classifier needs at most the planted k modes: truncation to k keeps its accuracy
    expect(s.smallestK.mean).toBeLessThanOrEqual(2);
    // determinism: same seed, same numbers
    const again = await runE11(TINY_PLANTED, { seed: 2 });
    expect(again.measured).toEqual(r.measured);
  });

  it('Ising phases far from Tc: accurate classifier whose top input mode is the uniform (q = 0) one', async () => {
    const r = await runE11(
      {
        datasets: ['ising'],
        seeds: 3,
        epochs: 20,
        batchSize: 10,
        learningRate: 1e-2,
        isingSizes: [8],
        isingTemperatures: [1.5, 6],
        isingSamples: 150,
        isingHidden: 8,
        isingK: 1,
        topModes: 1,
        spinFlipLevels: [0.1],
      },
      { seed: 1 },
    );
    const s = r.measured.sets[0]!;
    expect(s.d).toBe(64);
    // chance is 0.5; |m| separates T = 1.5 from T = 6 almost perfectly (75 held-out rows)
    expect(s.fullAccuracy.mean).toBeGreaterThan(0.9);
    // the order parameter lives at q = 0: the top input singular vector is mostly low momentum,
    // above the untrained weights by 3 combined standard errors
    expect(s.lowPass.mean - s.lowPassUntrained.mean).toBeGreaterThan(
      3 * Math.hypot(s.lowPass.error, s.lowPassUntrained.error),
    );
    // its overlap with the covariance's top eigenvector (the q = 0 mode at T < Tc) beats chance 1/64
    expect(s.overlapCovariance.mean).toBeGreaterThan(3 * s.randomLevel);
    // spin-flip noise costs accuracy
    expect(s.noisyFull[0]!.mean).toBeLessThan(s.fullAccuracy.mean + 1e-12);
  });

  it('MNIST path through injected loaders: tiny synthetic digits, 10 classes on an 8 x 8 grid', async () => {
    const rows = 8;
    const n = 300;
    const d = rows * rows;
    const rng = createRng(11);
    const prototypes = Array.from({ length: 10 }, () => Array.from({ length: d }, () => rng.uniform()));
    const images = new Float64Array(n * d);
    const labels = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      labels[r] = r % 10;
      for (let j = 0; j < d; j++) images[r * d + j] = prototypes[r % 10]![j]! + 0.3 * rng.normal();
    }
    const loaders = {
      loadMnist: async (_dir: string, o?: { limit?: number }) => {
        const m = Math.min(n, o?.limit ?? n);
        return { images: images.slice(0, m * d), labels: labels.slice(0, m), n: m, rows, cols: rows };
      },
      loadImageFolder: async () => {
        throw new Error('not used');
      },
    };
    const config = {
      datasets: ['mnist'] as const,
      mnistDir: '/nowhere',
      mnistLimit: n,
      mnistHidden: [16],
      mnistK: 9,
      epochs: 10,
      learningRate: 1e-2,
    };
    await expect(runE11(config)).rejects.toThrow(/options\.loaders/);
    const r = await runE11(config, { seed: 3, loaders: loaders as never });
    const s = r.measured.sets[0]!;
    expect(r.preset).toBe('custom');
    expect([s.d, s.classes, s.hidden, s.kBetween]).toEqual([64, 10, 16, 9]);
    // prototypes 0.3-noise apart: far above chance 0.1
    expect(s.fullAccuracy.mean).toBeGreaterThan(0.8);
    // the class information lives in the 9-dim between-class subspace: the classifier's top-9 input
    // singular vectors overlap it well above the random level 9/64
    expect(s.overlapBetween.mean - s.randomLevelBetween).toBeGreaterThan(3 * s.overlapBetween.error);
    expect(s.overlapBetween.mean).toBeGreaterThan(2 * s.randomLevelBetween);
    // without a folder MNIST is skipped, and said so
    const skipped = await runE11({ ...config, mnistDir: undefined }, { seed: 3 });
    expect(skipped.measured.sets).toHaveLength(0);
    expect(skipped.measured.skipped).toEqual([{ dataset: 'mnist', reason: 'mnistDir not given' }]);
  });
});
