import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { correlatorMaps, inputOutputCorrelator, mapLocality } from '../../src/spectral/inputOutput.js';
import { orthonormalColumns, pca, subspaceOverlap } from '../../src/spectral/pca.js';
import { fitScalingDimension } from '../../src/spectral/scaling.js';
import {
  fourierPower,
  hiddenIsLowPassOfVisible,
  lowPassFraction,
  matrixColumn,
  weightSvd,
} from '../../src/spectral/weights.js';

describe('scaling-dimension fits', () => {
  it('recovers Delta = 1/8 exactly from power-law data (power form) and from periodic-image data', () => {
    const r = Float64Array.from({ length: 20 }, (_, i) => i + 1);
    const G = r.map((x) => 0.7 * x ** -0.25);
    const err = G.map((g) => 0.01 * g);
    const fit = fitScalingDimension(r, G, err, { rMin: 2, rMax: 16 });
    expect(fit.delta).toBeCloseTo(0.125, 12);
    expect(fit.amplitude).toBeCloseTo(0.7, 12);
    expect(fit.points).toBe(15);
    expect(fit.chi2PerDof).toBeLessThan(1e-20);
    const L = 64;
    const rp = Float64Array.from({ length: 33 }, (_, i) => i);
    const Gp = rp.map((x) => 0.7 * (x ** -0.25 + (L - x) ** -0.25));
    const errp = Gp.map(() => 1e-3);
    const pfit = fitScalingDimension(rp, Gp, errp, { rMin: 2, rMax: 16, L, form: 'periodic' });
    expect(pfit.delta).toBeCloseTo(0.125, 9);
    expect(pfit.amplitude).toBeCloseTo(0.7, 8);
    expect(pfit.error).toBeGreaterThan(0);
  });

  it('noisy data: Delta within its error of the truth in most of 40 seeded replicas (calibrated errors)', () => {
    const rng = createRng(77);
    const r = Float64Array.from({ length: 14 }, (_, i) => i + 2);
    let inside = 0;
    let chi = 0;
    for (let rep = 0; rep < 40; rep++) {
      const G = r.map((x) => 0.7 * (x ** -0.25 + (32 - x) ** -0.25));
      const err = G.map(() => 0.002);
      const noisy = G.map((g, i) => g + err[i]! * rng.normal());
      const fit = fitScalingDimension(r, noisy, err, { L: 32, form: 'periodic' });
      if (Math.abs(fit.delta - 0.125) < fit.error) inside++;
      chi += fit.chi2PerDof / 40;
    }
    // one-sigma coverage 68%: 27 of 40 expected, binomial sd 3
    expect(inside).toBeGreaterThanOrEqual(19);
    expect(chi).toBeGreaterThan(0.6);
    expect(chi).toBeLessThan(1.5);
  });

  it('bad input is rejected with the argument named', () => {
    expect(() => fitScalingDimension([1, 2], [1, 1], [1, 1])).toThrow(ShapeError);
    expect(() => fitScalingDimension([1, 2, 3], [1, 1], [1, 1, 1])).toThrow(/fitScalingDimension: G/);
    expect(() => fitScalingDimension([1, 2, 3], [1, -1, 1], [1, 1, 1])).toThrow(/G\[1\]/);
    expect(() => fitScalingDimension([1, 2, 3], [1, 1, 1], [1, 0, 1])).toThrow(/errors\[1\]/);
    expect(() => fitScalingDimension([1, 2, 3], [1, 1, 1], [1, 1, 1], { form: 'periodic' })).toThrow(
      /options.L/,
    );
  });
});

describe('PCA and subspace overlaps', () => {
  it('translation-invariant data: the covariance eigenvectors are plane waves (circulant covariance)', () => {
    // stationary Gaussian data on a ring of 16 sites with correlation exp(-|d|/3) (circulant), sampled as
    // x = C^(1/2) z via spectral synthesis: a sum of plane waves with random amplitudes
    const L = 16;
    const n = 4000;
    const rng = createRng(5);
    const spectrum = Float64Array.from({ length: L }, (_, k) => 1 / (1 + 4 * Math.min(k, L - k) ** 2));
    const data = new Float64Array(n * L);
    for (let s = 0; s < n; s++) {
      for (let k = 0; k <= L / 2; k++) {
        const a = rng.normal() * Math.sqrt(spectrum[k]!);
        const b = k === 0 || k === L / 2 ? 0 : rng.normal() * Math.sqrt(spectrum[k]!);
        for (let x = 0; x < L; x++)
          data[s * L + x]! +=
            a * Math.cos((2 * Math.PI * k * x) / L) + b * Math.sin((2 * Math.PI * k * x) / L);
      }
    }
    const result = pca(matrix(data, n, L), 3);
    expect(result.eigenvalues[0]!).toBeGreaterThan(result.eigenvalues[1]!);
    // top component: the uniform mode; components 2-3: span of cos and sin with k = 1
    const uniform = new Float64Array(L).fill(1 / Math.sqrt(L));
    expect(
      subspaceOverlap(matrix(matrixColumn(result.components.data, L, 3, 0), L, 1), matrix(uniform, L, 1)),
    ).toBeGreaterThan(0.99);
    const waves = new Float64Array(L * 2);
    for (let x = 0; x < L; x++) {
      waves[x * 2] = Math.cos((2 * Math.PI * x) / L);
      waves[x * 2 + 1] = Math.sin((2 * Math.PI * x) / L);
    }
    const top23 = new Float64Array(L * 2);
    for (let x = 0; x < L; x++) {
      top23[x * 2] = result.components.data[x * 3 + 1]!;
      top23[x * 2 + 1] = result.components.data[x * 3 + 2]!;
    }
    expect(subspaceOverlap(matrix(top23, L, 2), matrix(waves, L, 2))).toBeGreaterThan(0.98);
    expect(result.cumulativeRatio[2]).toBeCloseTo(
      result.explainedVarianceRatio.reduce((a, b) => a + b, 0),
      14,
    );
  });

  it('exact circulant covariance: eigenvectors are plane waves, eigenvalues its DFT', () => {
    // build data whose sample covariance is exactly circulant: all cyclic shifts of one vector
    const L = 12;
    const rng = createRng(9);
    const base = rng.fillNormal(new Float64Array(L));
    const data = new Float64Array(L * L);
    for (let s = 0; s < L; s++) for (let x = 0; x < L; x++) data[s * L + x] = base[(x + s) % L]!;
    const result = pca(matrix(data, L, L), 1);
    const power = fourierPower(
      base.map((v) => v - base.reduce((a, b) => a + b, 0) / L),
      [L],
    );
    const expected = [...power].map((p) => (p * L) / (L - 1)).sort((a, b) => b - a);
    for (let i = 0; i < L; i++) expect(result.eigenvalues[i]).toBeCloseTo(expected[i]!, 10);
  });

  it('overlap is 1 for a basis with itself and any rotation of it, 0 for orthogonal complements', () => {
    const d = 10;
    const rng = createRng(3);
    const a = rng.fillNormal(new Float64Array(d * 3));
    expect(subspaceOverlap(matrix(a, d, 3), matrix(a, d, 3))).toBeCloseTo(1, 13);
    // rotate: A R for a random invertible R (3 x 3)
    const R = rng.fillNormal(new Float64Array(9));
    const ar = new Float64Array(d * 3);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < 3; j++) for (let p = 0; p < 3; p++) ar[i * 3 + j]! += a[i * 3 + p]! * R[p * 3 + j]!;
    expect(subspaceOverlap(matrix(a, d, 3), matrix(ar, d, 3))).toBeCloseTo(1, 12);
    // orthogonal complement: last 7 columns of a completed orthonormal basis
    const full = new Float64Array(d * d);
    const extra = rng.fillNormal(new Float64Array(d * d));
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) full[i * d + j] = j < 3 ? a[i * 3 + j]! : extra[i * d + j]!;
    const q = orthonormalColumns(full, d, d);
    const complement = new Float64Array(d * 7);
    for (let i = 0; i < d; i++) for (let j = 0; j < 7; j++) complement[i * 7 + j] = q[i * d + 3 + j]!;
    expect(subspaceOverlap(matrix(a, d, 3), matrix(complement, d, 7))).toBeLessThan(1e-26);
    // subspace inside a larger one
    expect(subspaceOverlap(matrix(a, d, 3), matrix(q, d, d))).toBeCloseTo(1, 12);
    expect(() => subspaceOverlap(matrix(new Float64Array(20), d, 2), matrix(a, d, 3))).toThrow(
      /subspaceOverlap: a/,
    );
    expect(() => subspaceOverlap(matrix(a, d, 4), matrix(a, d, 3))).toThrow(ShapeError);
  });
});

describe('weights', () => {
  it('SVD reconstructs W to 1e-10', () => {
    const rng = createRng(21);
    for (const [nv, nh] of [
      [16, 9],
      [9, 16],
    ] as const) {
      const W = rng.fillNormal(new Float64Array(nv * nh));
      const svd = weightSvd(matrix(W, nv, nh));
      for (let i = 0; i < nv; i++)
        for (let a = 0; a < nh; a++) {
          let s = 0;
          for (let j = 0; j < svd.rank; j++)
            s += svd.visible[i * svd.rank + j]! * svd.values[j]! * svd.hidden[a * svd.rank + j]!;
          expect(Math.abs(s - W[i * nh + a]!)).toBeLessThan(1e-10);
        }
    }
  });

  it('Fourier power obeys Parseval; low-pass fraction of plane waves is 0 or 1', () => {
    const L = 8;
    const low = Float64Array.from({ length: L * L }, (_, i) => Math.cos((2 * Math.PI * (i % L)) / L));
    const high = Float64Array.from({ length: L * L }, (_, i) =>
      Math.cos((2 * Math.PI * 3 * Math.floor(i / L)) / L),
    );
    const p = fourierPower(low, [L, L]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(
      low.reduce((a, b) => a + b * b, 0),
      10,
    );
    expect(lowPassFraction(low, [L, L], 0.25)).toBeCloseTo(1, 12);
    expect(lowPassFraction(high, [L, L], 0.5)).toBeLessThan(1e-25);
    expect(
      lowPassFraction(
        low.map((v, i) => v + high[i]!),
        [L, L],
        0.5,
      ),
    ).toBeCloseTo(0.5, 12);
    expect(() => lowPassFraction(low, [L, L], 2)).toThrow(/lowPassFraction: cutoff/);
    expect(() => lowPassFraction(new Float64Array(64), [L, L], 0.5)).toThrow(DomainError);
  });

  it('E7: weights built from low plane waves on 8 x 8 visible and their resampling on 4 x 4 hidden give overlap 1', () => {
    const Lv = 8;
    const Lh = 4;
    const wave = (L: number, kx: number, ky: number): Float64Array => {
      const v = Float64Array.from({ length: L * L }, (_, i) =>
        Math.cos((2 * Math.PI * (kx * (i % L) + ky * Math.floor(i / L))) / L),
      );
      const norm = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
      return v.map((x) => x / norm);
    };
    const pairs = [
      [3, wave(Lv, 1, 0), wave(Lh, 1, 0)],
      [2, wave(Lv, 0, 1), wave(Lh, 0, 1)],
      [1, wave(Lv, 1, 1), wave(Lh, 1, 1)],
    ] as const;
    const W = new Float64Array(64 * 16);
    for (const [s, u, v] of pairs)
      for (let i = 0; i < 64; i++) for (let a = 0; a < 16; a++) W[i * 16 + a]! += s * u[i]! * v[a]!;
    const result = hiddenIsLowPassOfVisible(matrix(W, 64, 16), {
      visibleShape: [Lv, Lv],
      hiddenShape: [Lh, Lh],
      modes: 3,
    });
    expect([...result.singularValues].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([3, 2, 1]);
    for (let j = 0; j < 3; j++) {
      expect(result.overlap[j]).toBeCloseTo(1, 9);
      expect(result.visibleBandFraction[j]).toBeCloseTo(1, 9);
    }
    // a random W has no such structure
    const rng = createRng(4);
    const random = hiddenIsLowPassOfVisible(matrix(rng.fillNormal(new Float64Array(64 * 16)), 64, 16), {
      visibleShape: [Lv, Lv],
      hiddenShape: [Lh, Lh],
      modes: 3,
    });
    for (let j = 0; j < 3; j++) expect(random.overlap[j]).toBeLessThan(0.9);
    expect(() =>
      hiddenIsLowPassOfVisible(matrix(W, 64, 16), { visibleShape: [8, 8], hiddenShape: [4, 5] }),
    ).toThrow(/options.hiddenShape/);
  });
});

describe('input-output correlators and locality', () => {
  it('<v h> equals the direct average; connected subtracts the means', () => {
    const rng = createRng(6);
    const n = 7;
    const v = Int8Array.from({ length: n * 5 }, () => (rng.uniform() < 0.5 ? 1 : -1));
    const h = rng.fillNormal(new Float64Array(n * 3));
    const C = inputOutputCorrelator(matrix(v, n, 5), matrix(h, n, 3)).data;
    const Cc = inputOutputCorrelator(matrix(v, n, 5), matrix(h, n, 3), { connected: true }).data;
    for (let i = 0; i < 5; i++)
      for (let a = 0; a < 3; a++) {
        let s = 0;
        let mv = 0;
        let mh = 0;
        for (let k = 0; k < n; k++) {
          s += v[k * 5 + i]! * h[k * 3 + a]!;
          mv += v[k * 5 + i]! / n;
          mh += h[k * 3 + a]! / n;
        }
        expect(C[i * 3 + a]).toBeCloseTo(s / n, 13);
        expect(Cc[i * 3 + a]).toBeCloseTo(s / n - mv * mh, 13);
      }
    const maps = correlatorMaps(matrix(C, 5, 3));
    expect([maps.rows, maps.cols]).toEqual([3, 5]);
    expect(maps.data[2 * 5 + 4]).toBe(C[4 * 3 + 2]);
    // the same numbers with the sizes swapped: h as 3 x 7 no longer pairs its rows with v's samples
    expect(() => inputOutputCorrelator(matrix(v, n, 5), matrix(h, 3, n))).toThrow(
      'inputOutputCorrelator: h.rows: expected 7 (v.rows, one per sample), received 3',
    );
    expect(() => inputOutputCorrelator(v as never, h as never)).toThrow(
      /inputOutputCorrelator: v: expected a Matrix/,
    );
  });

  it('E2: the input-output maps of the 2 x 2 block-average RG are local 2 x 2 patches', () => {
    const rng = createRng(31);
    const L = 8;
    const n = 2000;
    const v = Int8Array.from({ length: n * L * L }, () => (rng.uniform() < 0.5 ? 1 : -1));
    // block average by hand (spectral never imports rg)
    const h = new Float64Array(n * 16);
    for (let c = 0; c < n; c++)
      for (let y = 0; y < L; y++)
        for (let x = 0; x < L; x++) h[c * 16 + (y >> 1) * 4 + (x >> 1)]! += v[c * 64 + y * L + x]! / 4;
    const maps = correlatorMaps(inputOutputCorrelator(matrix(v, n, 64), matrix(h, n, 16))).data;
    // hidden unit 5 = block (1, 1): sites (2..3, 2..3); <v_i h_a> = 1/4 there, 0 (+- 1/sqrt(n)) elsewhere
    const map = maps.subarray(5 * 64, 6 * 64);
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        const inside = y >> 1 === 1 && x >> 1 === 1;
        expect(Math.abs(map[y * L + x]! - (inside ? 0.25 : 0))).toBeLessThan((5 * 0.5) / Math.sqrt(n));
      }
    const loc = mapLocality(map, [L, L]);
    expect(loc.centre[0]).toBeCloseTo(2.5, 1);
    expect(loc.centre[1]).toBeCloseTo(2.5, 1);
    expect(loc.radiusOfGyration).toBeLessThan(1);
    expect(loc.participationRatio).toBeLessThan(0.1);
  });

  it('a 2 x 2 patch map: centre (with wrap-around), radius of gyration sqrt(1/2), participation 4/N', () => {
    const L = 8;
    const map = new Float64Array(L * L);
    for (const [y, x] of [
      [3, 7],
      [3, 0],
      [4, 7],
      [4, 0],
    ])
      map[y * L + x] = 0.25;
    const loc = mapLocality(map, [L, L]);
    expect(loc.centre[0]).toBeCloseTo(3.5, 12);
    expect(loc.centre[1]).toBeCloseTo(7.5, 12);
    expect(loc.radiusOfGyration).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(loc.participationRatio).toBeCloseTo(4 / 64, 14);
    expect(loc.autocorrelation.value[0]).toBeCloseTo(1, 14);
    expect(loc.autocorrelation.value[1]).toBeCloseTo(0.5, 12); // r = 1: 2 of 4 neighbours per direction
    expect(() => mapLocality(new Float64Array(64), [L, L])).toThrow(DomainError);
  });
});
