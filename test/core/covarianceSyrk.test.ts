import { describe, expect, it } from 'vitest';
import { covarianceMatrix, createCovarianceAccumulator, gramLowerKernel } from '../../src/core/covariance.js';
import { setGemmBackend } from '../../src/core/gemm.js';
import { createRng } from '../../src/core/rng.js';
import { matrix } from '../../src/core/tensor.js';
import { legacyCovariance } from './covarianceLegacy.js';

/** Positions where two arrays differ bit for bit (Object.is: -0 differs from +0). */
function mismatchesIn(x: ArrayLike<number>, y: ArrayLike<number>, from = 0, to = x.length): number {
  let count = 0;
  for (let i = from; i < to; i++) if (!Object.is(x[i], y[i])) count++;
  return count;
}

/** n x d samples with per-feature scales and offsets (the shape of image data). */
function samples(n: number, d: number, seed: number): Float64Array {
  const x = createRng(seed).fillNormal(new Float64Array(n * d));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) x[i * d + j] = x[i * d + j]! * (1 + (j % 7)) + 3 - j / d;
  return x;
}

describe('covariance through the shared-packing Gram kernel (issue 15)', () => {
  it('is bit-identical to the previous implementation (float64 and float32 data, all options, odd shapes)', () => {
    // d: below one micro-tile, not a multiple of 4, across the old 192-row strips and the new 64-row
    // strips, several 2048-sample panels (the last partial), and 2100 columns (two groups of strips)
    for (const [n, d] of [
      [9, 5],
      [300, 1],
      [301, 3],
      [130, 67],
      [2049, 129],
      [4100, 197],
      [700, 390],
      [40, 785],
      [6, 2100],
    ] as const) {
      const x = samples(n, d, n + d);
      const x32 = Float32Array.from(x);
      for (const data of [x, x32]) {
        for (const [center, unbiased] of [
          [true, true],
          [false, false],
        ] as const) {
          const ours = covarianceMatrix(matrix(data, n, d), { center, unbiased });
          const before = legacyCovariance(data, n, d, { center, unbiased });
          expect(mismatchesIn(ours.matrix, before.matrix), `${n} x ${d} ${data.constructor.name}`).toBe(0);
          expect(mismatchesIn(ours.mean, before.mean)).toBe(0);
        }
      }
      if (d < 400) {
        const single = covarianceMatrix(matrix(x32, n, d), { precision: 'float32' });
        expect(
          mismatchesIn(single.matrix, legacyCovariance(x32, n, d, { precision: 'float32' }).matrix),
        ).toBe(0);
      }
    }
  });

  it('other element types (Int8Array spins, plain arrays) and streamed chunks: bit-identical too', () => {
    const rng = createRng(5);
    const n = 2500;
    const d = 70;
    const spins = new Int8Array(n * d);
    for (let i = 0; i < spins.length; i++) spins[i] = rng.uniform() < 0.3 ? 1 : -1;
    expect(
      mismatchesIn(covarianceMatrix(matrix(spins, n, d)).matrix, legacyCovariance(spins, n, d).matrix),
    ).toBe(0);
    const plain = Array.from(samples(300, 9, 2));
    expect(
      mismatchesIn(covarianceMatrix(matrix(plain, 300, 9)).matrix, legacyCovariance(plain, 300, 9).matrix),
    ).toBe(0);
    // chunks of 1000, 2100 and 400 samples: panels 1000 | 2048, 52 | 400
    const m = 3500;
    const x = samples(m, d, 3);
    const acc = createCovarianceAccumulator(d);
    for (const [r0, r1] of [
      [0, 1000],
      [1000, 3100],
      [3100, 3500],
    ] as const)
      acc.accumulate(matrix(x.subarray(r0 * d, r1 * d), r1 - r0, d));
    const before = legacyCovariance(x, m, d, { chunks: [1000, 2100, 400] });
    const streamed = acc.finish();
    expect(mismatchesIn(streamed.matrix, before.matrix)).toBe(0);
    expect(mismatchesIn(streamed.mean, before.mean)).toBe(0);
  });

  it('differs from the previous implementation only in the last d mod 192 < 4 rows (old TypeScript strip), by rounding', () => {
    // the old code ran a last strip of 1-3 rows on the TypeScript kernel (one add per sample); the new
    // code forms those rows on WebAssembly like all others (sums per 256-sample block)
    for (const d of [193, 386]) {
      const n = 3000;
      const x = samples(n, d, d);
      const ours = covarianceMatrix(matrix(x, n, d)).matrix;
      const before = legacyCovariance(x, n, d).matrix;
      const r = d % 192;
      const first = d - r;
      // rows and columns below `first` agree bit for bit
      for (let i = 0; i < first; i++) expect(mismatchesIn(ours, before, i * d, i * d + first)).toBe(0);
      for (let i = first; i < d; i++)
        for (let j = 0; j <= i; j++) {
          const bound = 4 * (n + 2) * 2 ** -52 * Math.sqrt(before[i * d + i]! * before[j * d + j]!);
          expect(Math.abs(ours[i * d + j]! - before[i * d + j]!)).toBeLessThanOrEqual(bound);
        }
    }
  });

  it('symmetric, and within (n + 2) eps sum_p |x_pi||x_pj| / (n - 1) of a two-pass covariance', () => {
    const n = 2600;
    const d = 75;
    const x = samples(n, d, 11);
    const { matrix: c } = covarianceMatrix(matrix(x, n, d));
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j]!;
    for (let j = 0; j < d; j++) mean[j]! /= n;
    for (let a = 0; a < d; a++)
      for (let b = 0; b <= a; b++) {
        expect(c[a * d + b]).toBe(c[b * d + a]);
        let s = 0;
        let size = 0;
        for (let i = 0; i < n; i++) {
          s += (x[i * d + a]! - mean[a]!) * (x[i * d + b]! - mean[b]!);
          size += Math.abs(x[i * d + a]!) * Math.abs(x[i * d + b]!);
        }
        const tolerance = (4 * (n + 2) * 2 ** -52 * size) / (n - 1);
        expect(Math.abs(c[a * d + b]! - s / (n - 1))).toBeLessThanOrEqual(tolerance);
      }
  });

  it("the 'typescript' backend gives the previous implementation's result on that backend", () => {
    const x = samples(2100, 41, 4);
    try {
      setGemmBackend('typescript');
      const ours = covarianceMatrix(matrix(x, 2100, 41)).matrix;
      expect(mismatchesIn(ours, legacyCovariance(x, 2100, 41).matrix)).toBe(0);
    } finally {
      setGemmBackend('auto');
    }
  });

  it('gramLowerKernel (public kernel) is unchanged: lower triangle of X^T X plus beta G', () => {
    const x = samples(50, 9, 8);
    const g = new Float64Array(81).fill(1);
    gramLowerKernel(x, 50, 9, g, 1);
    for (let i = 0; i < 9; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let p = 0; p < 50; p++) s += x[p * 9 + i]! * x[p * 9 + j]!;
        expect(g[i * 9 + j]! - 1).toBeCloseTo(s, 9);
      }
  });
});
