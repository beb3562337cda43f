import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { plantedLowRank } from '../../src/experiments/e10Data.js';
import {
  covarianceInitialWeights,
  createAutoencoder,
  reconstruct,
  reconstructionLoss,
  trainAutoencoder,
} from '../../src/models/autoencoder.js';
import { createRbm } from '../../src/models/init.js';
import { lowRankWeights, truncatedAutoencoders, truncatedRbm } from '../../src/models/truncate.js';
import { weightSvd } from '../../src/spectral/weights.js';
import { batch } from './batch.js';

describe('truncatedAutoencoders', () => {
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
});

describe('truncatedRbm and lowRankWeights', () => {
  it('keeps the top-k singular modes of the weights (exact rank-k product), the biases, and refuses foreign factors', () => {
    const rbm = createRbm({
      nVisible: 6,
      nHidden: 4,
      rng: createRng(1),
      init: { kind: 'gaussian', sigma: 0.5 },
    });
    rbm.hiddenBias.set([0.1, -0.2, 0.3, 0]);
    const svd = weightSvd(matrix(rbm.weights, 6, 4)); // spectral's WeightSvd is models' WeightFactors
    const full = truncatedRbm(rbm, svd, 4);
    for (let i = 0; i < 24; i++) expect(full.weights[i]!).toBeCloseTo(rbm.weights[i]!, 12);
    const top1 = truncatedRbm(rbm, svd, 1);
    // rank one: W_1 = s_0 u_0 v_0^T, so every 2 x 2 minor vanishes
    const w = top1.weights;
    expect(Math.abs(w[0]! * w[5]! - w[1]! * w[4]!)).toBeLessThan(1e-12);
    expect(Array.from(top1.hiddenBias)).toEqual(Array.from(rbm.hiddenBias));
    expect(Array.from(lowRankWeights(svd, 0))).toEqual(new Array(24).fill(0));
    expect(truncatedRbm(rbm, svd, 0).weights.every((x) => x === 0)).toBe(true);
    const other = weightSvd(matrix(new Float64Array(12).fill(1), 4, 3));
    expect(() => truncatedRbm(rbm, other, 1)).toThrow(
      'truncatedRbm: svd: expected the SVD of a 6 x 4 weight matrix, received 4 x 3',
    );
    expect(() => truncatedRbm(rbm, svd, -1)).toThrow(/truncatedRbm: k/);
  });
});
