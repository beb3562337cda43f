import { describe, expect, it } from 'vitest';
import { covarianceMatrix } from '../../src/core/covariance.js';
import { DomainError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { createRbm } from '../../src/models/init.js';
import { batch } from './batch.js';

describe('createRbm', () => {
  it('gaussian init has the thesis defaults: spin units, W ~ N(0, 0.05^2), zero biases, float64', () => {
    const rbm = createRbm({ nVisible: 100, nHidden: 81, rng: createRng(1) });
    expect([rbm.visibleUnits, rbm.hiddenUnits]).toEqual(['spin', 'spin']);
    expect(rbm.weights).toBeInstanceOf(Float64Array);
    const n = rbm.weights.length;
    const mean = rbm.weights.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(rbm.weights.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    // standard error of the sd estimate: 0.05 / sqrt(2 n) = 4e-4
    expect(Math.abs(sd - 0.05)).toBeLessThan(2e-3);
    expect(Math.abs(mean)).toBeLessThan(5 * (0.05 / Math.sqrt(n)));
    expect(rbm.visibleBias.every((x) => x === 0) && rbm.hiddenBias.every((x) => x === 0)).toBe(true);
    const again = createRbm({ nVisible: 100, nHidden: 81, rng: createRng(1) });
    expect(Array.from(again.weights)).toEqual(Array.from(rbm.weights));
  });

  it('xavier init is uniform on +-sqrt(6 / (nV + nH)); float32 and Gaussian sigma options apply', () => {
    const rbm = createRbm({ nVisible: 30, nHidden: 20, init: 'xavier', rng: createRng(2), dtype: 'float32' });
    expect(rbm.weights).toBeInstanceOf(Float32Array);
    const r = Math.sqrt(6 / 50);
    expect(Math.max(...rbm.weights.map(Math.abs))).toBeLessThanOrEqual(r);
    expect(Math.max(...rbm.weights.map(Math.abs))).toBeGreaterThan(0.95 * r);
    const g = createRbm({ nVisible: 3, nHidden: 2, visibleUnits: 'gaussian', init: 'zeros', sigma: 0.5 });
    expect(Array.from(g.visibleSigma!)).toEqual([0.5, 0.5, 0.5]);
  });

  it('covariance init puts the top eigenvectors of the data covariance in the columns, biases from the mean', () => {
    const rng = createRng(3);
    const rows = 400;
    const nv = 6;
    // correlated spins: pairs (0,1), (2,3) and (4,5) share a latent spin with flip noise
    const data = new Float64Array(rows * nv);
    for (let r = 0; r < rows; r++) {
      for (let p = 0; p < 3; p++) {
        const s = rng.uniform() < 0.6 + 0.1 * p ? 1 : -1;
        for (let q = 0; q < 2; q++) data[r * nv + 2 * p + q] = rng.uniform() < 0.1 * (p + 1) ? -s : s;
      }
    }
    const cov = covarianceMatrix(matrix(data, rows, nv));
    for (const [nh, scaling] of [
      [3, 'unit'],
      [8, 'sqrt-eigenvalue'],
    ] as const) {
      const rbm = createRbm({
        nVisible: nv,
        nHidden: nh,
        init: { kind: 'covariance', data: batch(data, nv), scaling },
        rng: createRng(4),
      });
      for (let a = 0; a < Math.min(nh, nv); a++) {
        const u = Array.from({ length: nv }, (_, i) => rbm.weights[i * nh + a]!);
        const norm2 = u.reduce((s, x) => s + x * x, 0);
        // C u = lambda u with lambda = |u|^2 for 'sqrt-eigenvalue' (|u| = sqrt(lambda)), Rayleigh quotient otherwise
        const cu = u.map((_, i) => u.reduce((s, x, j) => s + cov.matrix[i * nv + j]! * x, 0));
        const lambda = cu.reduce((s, x, i) => s + x * u[i]!, 0) / norm2;
        if (scaling === 'unit') expect(norm2).toBeCloseTo(1, 12);
        else expect(norm2).toBeCloseTo(lambda, 10);
        for (let i = 0; i < nv; i++) expect(cu[i]).toBeCloseTo(lambda * u[i]!, 10);
      }
      for (let i = 0; i < nv; i++) expect(rbm.visibleBias[i]).toBeCloseTo(Math.atanh(cov.mean[i]!), 12);
      if (nh > nv) {
        for (let i = 0; i < nv; i++)
          for (let a = nv; a < nh; a++) expect(Math.abs(rbm.weights[i * nh + a]!)).toBeLessThan(0.06);
      }
    }
  });

  it('covariance init for binary and Gaussian units: logit of the clipped mean, sigma from the data', () => {
    const data = Float64Array.of(0, 1, 0, 0, 0, 1, 0, 1);
    const bin = createRbm({
      nVisible: 2,
      nHidden: 1,
      visibleUnits: 'binary',
      init: { kind: 'covariance', data: batch(data, 2) },
    });
    expect(bin.visibleBias[0]).toBeCloseTo(Math.log(1e-3 / (1 - 1e-3)), 12);
    expect(bin.visibleBias[1]).toBeCloseTo(Math.log(0.75 / 0.25), 12);
    const real = Float64Array.of(1, 2, 3, 6, 5, 10);
    const g = createRbm({
      nVisible: 2,
      nHidden: 2,
      visibleUnits: 'gaussian',
      init: { kind: 'covariance', data: batch(real, 2) },
    });
    expect(Array.from(g.visibleBias)).toEqual([3, 6]);
    expect(g.visibleSigma![0]).toBeCloseTo(2, 12);
    expect(g.visibleSigma![1]).toBeCloseTo(4, 12);
  });

  it('rejects bad options with typed errors naming the option', () => {
    expect(() => createRbm({ nVisible: 0, nHidden: 2, init: 'zeros' })).toThrow(/nVisible/);
    expect(() => createRbm({ nVisible: 2, nHidden: 0, init: 'zeros' })).toThrow(DomainError);
    expect(() => createRbm({ nVisible: 2, nHidden: 2 })).toThrow(/createRbm: rng/);
    expect(() =>
      createRbm({ nVisible: 2, nHidden: 2, hiddenUnits: 'gaussian' as 'spin', init: 'zeros' }),
    ).toThrow(/hiddenUnits/);
    expect(() =>
      createRbm({ nVisible: 2, nHidden: 2, init: { kind: 'gaussian', sigma: -1 }, rng: createRng(1) }),
    ).toThrow(/init\.sigma/);
    expect(() =>
      createRbm({
        nVisible: 2,
        nHidden: 1,
        visibleUnits: 'binary',
        init: { kind: 'covariance', data: batch([0, 2, 1, 0], 2) },
      }),
    ).toThrow(/init\.data\.data\[1\]/);
  });
});
